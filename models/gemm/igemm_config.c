/* int8 GEMM configurations: vendor defaults, autotuning candidates, the rules of
 * cl_kernels/igemm.cl and the tuning family (text form, -D options). */
#include "igemm.h"

#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))
#define CFG(bm_, bn_, tm_, tn_, vm_, vn_, bk_, pad_, local_)                                     \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = vm_, .vn = vn_, .bk = bk_, .pad = pad_,     \
   .local = local_}

/* GPUs: 256 work-items with 8x8 (64 int32 accumulators, like the SGEMM's fp32 tiles) or 4x4
 * results each, uint4 local reads (four k-words of four rows at once), 32 or 64 k values per
 * slice. The 128x128 tiles keep two work-groups per NVIDIA SM; 128x256 / 256x128 read less
 * local memory per product; the 64-wide tiles fill every compute unit on small problems. */
static const ob_igemm_config gpu_candidates[] = {
    CFG(128, 128, 8, 8, 4, 4, 32, 4, 1),  CFG(128, 128, 8, 8, 4, 4, 64, 4, 1),
    CFG(128, 256, 8, 16, 4, 4, 32, 4, 1), CFG(256, 128, 16, 8, 4, 4, 32, 4, 1),
    CFG(64, 128, 4, 8, 4, 4, 64, 4, 1),   CFG(128, 64, 8, 4, 4, 4, 64, 4, 1),
    CFG(64, 64, 4, 4, 4, 4, 64, 4, 1),    CFG(64, 64, 8, 8, 4, 4, 64, 4, 1),
};

/* CPUs: no local memory, a work-item computes 8 rows x 16 columns as 8 int16 vectors (PoCL on
 * a 2-core AVX-512 Xeon, 1024^3, best of 3 on a shared machine: 40-48 GOP/s for the 16-wide
 * shapes below, 32 for 8x8, 8-22 for the local-memory tiles, which PoCL's work-item vectoriser
 * left scalar). The k-slice only rounds k up (to a multiple of 16). The first is the CPU
 * default (used untuned when a configuration is forced off). */
static const ob_igemm_config cpu_candidates[] = {
    CFG(32, 64, 8, 16, 1, 1, 16, 0, 0),
    CFG(32, 128, 4, 16, 1, 1, 16, 0, 0),
    CFG(64, 64, 8, 16, 1, 1, 16, 0, 0),
    CFG(32, 32, 4, 4, 4, 4, 64, 4, 1),
};

typedef struct vendor_default {
  ob_vendor vendor;
  ob_igemm_config cfg;
} vendor_default;

static const vendor_default gpu_defaults[] = {
    {OB_VENDOR_NVIDIA, CFG(128, 128, 8, 8, 4, 4, 32, 4, 1)},
    {OB_VENDOR_AMD, CFG(128, 128, 8, 8, 4, 4, 32, 4, 1)},
};
static const ob_igemm_config gpu_generic_default = CFG(64, 64, 4, 4, 4, 4, 64, 4, 1);

void ob_igemm_config_default(const ob_device *dev, ob_igemm_config *out) {
  if (ob_device_is_cpu(dev)) {
    *out = cpu_candidates[0];
    return;
  }
  const ob_vendor v = ob_device_props_get(dev)->vendor_class;
  *out = gpu_generic_default;
  for (size_t i = 0; i < NELEM(gpu_defaults); i++)
    if (gpu_defaults[i].vendor == v) *out = gpu_defaults[i].cfg;
}

size_t ob_igemm_candidates(const ob_device *dev, ob_igemm_config *out, size_t max) {
  const bool cpu = ob_device_is_cpu(dev);
  const ob_igemm_config *c = cpu ? cpu_candidates : gpu_candidates;
  const size_t nc = cpu ? NELEM(cpu_candidates) : NELEM(gpu_candidates);
  size_t n = 0;
  if (max == 0) return 0;
  ob_igemm_config_default(dev, &out[n++]);
  for (size_t i = 0; i < nc && n < max; i++) {
    if (memcmp(&c[i], &out[0], sizeof c[i]) == 0) continue;
    if (ob_igemm_config_check(&c[i], dev) != OB_OK) {
      ob_error_clear();
      continue;
    }
    out[n++] = c[i];
  }
  return n;
}

static bool width_ok(int v) { return v == 1 || v == 2 || v == 4; }

ob_status ob_igemm_config_check(const ob_igemm_config *c, const ob_device *dev) {
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_igemm_family, c, text, sizeof text);
  if (c->bm < 1 || c->bn < 1 || c->tm < 1 || c->tn < 1 || c->bm % c->tm || c->bn % c->tn)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: tm and tn must divide bm and bn", text);
  if (!width_ok(c->vm) || !width_ok(c->vn) || c->tm % c->vm || c->tn % c->vn)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: vm, vn must be 1, 2 or 4 and divide tm, tn",
                   text);
  if (c->bk < 16 || c->bk % 16 || c->bk > 256)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: bk must be a multiple of 16 in [16, 256]",
                   text);
  if (c->pad < 0 || c->pad > 64 || (c->bm + c->pad) % c->vm || (c->bn + c->pad) % c->vn)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: pad in [0, 64] keeping bm + pad and bn + "
                   "pad multiples of vm and vn", text);
  if (c->local != 0 && c->local != 1)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: local must be 0 or 1", text);
  if (!c->local && (c->vm != 1 || c->vn != 1 || c->pad != 0 ||
                    (c->tn != 4 && c->tn != 8 && c->tn != 16)))
    return ob_fail(OB_ERR_INVALID, "igemm config %s: without local memory vm = vn = 1, pad = 0 "
                   "and tn (the vector width) 4, 8 or 16", text);
  if (c->tm * c->tn > 256)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: more than 256 results per work-item", text);
  const size_t wg = (size_t)(c->bm / c->tm) * (size_t)(c->bn / c->tn);
  const size_t local = c->local ? (size_t)(c->bk / 4) * (size_t)(c->bm + c->bn + 2 * c->pad) * 4
                                 : 0;
  if (wg > 1024)
    return ob_fail(OB_ERR_INVALID, "igemm config %s: %zu work-items per group", text, wg);
  if (!dev) return OB_OK;
  const ob_device_props *p = ob_device_props_get(dev);
  if (wg > p->max_wg)
    return ob_fail(OB_ERR_UNSUPPORTED, "igemm config %s: %zu work-items exceed the device's %zu",
                   text, wg, p->max_wg);
  if (local > p->local_mem)
    return ob_fail(OB_ERR_UNSUPPORTED, "igemm config %s: %zu bytes of local memory exceed the "
                   "device's %llu", text, local, (unsigned long long)p->local_mem);
  return OB_OK;
}

/* ---------------------------------------------------------------- the family */

/* Every field an integer in [0, 4096] (ob_igemm_config_check narrows them), in igemm.cl's -D
 * order. */
#define PARAM(key_, define_, field_)                                                            \
  {.key = key_, .define = define_, OB_TUNE_FIELD(ob_igemm_config, field_), .min = 0, .max = 4096}
static const ob_tune_param params[] = {
    PARAM("bm", "BM", bm), PARAM("bn", "BN", bn), PARAM("tm", "TM", tm),
    PARAM("tn", "TN", tn), PARAM("vm", "VM", vm), PARAM("vn", "VN", vn),
    PARAM("bk", "BK", bk), PARAM("pad", "PAD", pad), PARAM("local", "LOCAL", local),
};

static ob_status family_check(const void *cfg, const ob_device *dev) {
  return ob_igemm_config_check(cfg, dev);
}

/* A forced configuration is validated at start-up over the first GPU candidate. */
const ob_tune_family ob_igemm_family = {.name = "igemm", .params = params,
                                        .nparams = NELEM(params),
                                        .size = sizeof(ob_igemm_config),
                                        .base = &gpu_candidates[0], .check = family_check};
