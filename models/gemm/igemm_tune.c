/* int8 GEMM configurations (vendor defaults, autotuning candidates, the rules of
 * cl_kernels/igemm.cl) and the autotuning pass with its per-device cache file. */
#include <stdlib.h>
#include <string.h>

#include "igemm_impl.h"

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

void ob_igemm_config_format(const ob_igemm_config *c, char *buf, size_t n) {
  snprintf(buf, n, "bm=%d,bn=%d,tm=%d,tn=%d,vm=%d,vn=%d,bk=%d,pad=%d,local=%d", c->bm, c->bn,
           c->tm, c->tn, c->vm, c->vn, c->bk, c->pad, c->local);
}

static bool width_ok(int v) { return v == 1 || v == 2 || v == 4; }

ob_status ob_igemm_config_check(const ob_igemm_config *c, const ob_device *dev) {
  char text[128];
  ob_igemm_config_format(c, text, sizeof text);
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

/* ---------------------------------------------------------------- tuning */

#define TUNE_SIZE 2048     /* GPUs */
#define TUNE_SIZE_CPU 1024 /* CPUs: a 2048^3 product takes a second on a few cores */
#define TUNE_REPS 3
#define TUNE_CHECKS 64
#define TUNE_MAX_CANDIDATES 16

/* The cache file of a device, driver and dot mode; "" when caching is off. */
static void cache_path(const ob_device *dev, ob_igemm_dot dot, char *buf, size_t n) {
  buf[0] = '\0';
  const char *dir = ob_program_cache_dir();
  if (!dir[0]) return;
  const ob_device_props *p = ob_device_props_get(dev);
  const char *parts[] = {p->name, p->driver, p->platform_version, OB_VERSION,
                         ob_igemm_dot_name(dot)};
  uint64_t h = OB_HASH_INIT;
  for (size_t i = 0; i < NELEM(parts); i++) h = ob_hash(h, parts[i], strlen(parts[i]) + 1);
  char *src = NULL;
  size_t len = 0;
  if (ob_kernel_source("igemm.cl", &src, &len) == OB_OK) h = ob_hash(h, src, len);
  ob_error_clear();
  free(src);
  ob_igemm_config cand[TUNE_MAX_CANDIDATES];
  h = ob_hash(h, cand, ob_igemm_candidates(dev, cand, TUNE_MAX_CANDIDATES) * sizeof *cand);
  snprintf(buf, n, "%s/igemm-tune-%016llx.txt", dir, (unsigned long long)h);
}

/* A valid cache file holds one configuration line that passes the rules. */
static bool cache_read(const ob_device *dev, const char *path, ob_igemm_config *c) {
  char *text = NULL;
  size_t len = 0;
  if (!path[0] || ob_read_file(path, &text, &len) != OB_OK) {
    ob_error_clear();
    return false;
  }
  int used = 0;
  bool ok = sscanf(text, "bm=%d,bn=%d,tm=%d,tn=%d,vm=%d,vn=%d,bk=%d,pad=%d,local=%d\n%n",
                   &c->bm, &c->bn, &c->tm, &c->tn, &c->vm, &c->vn, &c->bk, &c->pad, &c->local,
                   &used) == 9 &&
            (size_t)used == len;
  free(text);
  ok = ok && ob_igemm_config_check(c, dev) == OB_OK;
  if (!ok) ob_error_clear();
  return ok;
}

typedef struct tune_problem {
  ob_device *dev;
  ob_igemm_args args;
  int8_t *a, *b; /* host copies: A is n x n, B n x n stored transposed (NT) */
} tune_problem;

static void tune_free(tune_problem *p) {
  ob_buffer_release(p->dev, p->args.a);
  ob_buffer_release(p->dev, p->args.b);
  ob_buffer_release(p->dev, p->args.c);
  free(p->a);
  free(p->b);
}

static ob_status tune_setup(ob_device *dev, tune_problem *p) {
  memset(p, 0, sizeof *p);
  p->dev = dev;
  const ob_device_props *props = ob_device_props_get(dev);
  size_t n = ob_device_is_cpu(dev) ? TUNE_SIZE_CPU : TUNE_SIZE;
  while (n > 256 && (4 * n * n > props->max_alloc || 6 * n * n > props->global_mem / 4)) n /= 2;
  p->args = (ob_igemm_args){.ta = OB_GEMM_N, .tb = OB_GEMM_T, .m = n, .n = n, .k = n, .lda = n,
                            .ldb = n, .ldc = n};
  p->a = malloc(n * n);
  p->b = malloc(n * n);
  if (!p->a || !p->b) return ob_fail(OB_ERR_NOMEM, "out of memory");
  uint32_t x = 99u;
  for (size_t i = 0; i < n * n; i++, x = x * 1664525u + 1013904223u) p->a[i] = (int8_t)(x >> 24);
  for (size_t i = 0; i < n * n; i++, x = x * 1664525u + 1013904223u) p->b[i] = (int8_t)(x >> 24);
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * n, p->a, &p->args.a));
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * n, p->b, &p->args.b));
  return ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * sizeof(cl_int), NULL, &p->args.c);
}

/* TUNE_CHECKS entries of C (spread over the matrix) equal to the host's. */
static ob_status tune_verify(const tune_problem *p, bool *ok) {
  const size_t n = p->args.n;
  *ok = true;
  for (size_t s = 0; s < TUNE_CHECKS && *ok; s++) {
    const size_t i = (s * 977 + 13) % n, j = (s * 613 + 5) % n;
    int64_t want = 0;
    for (size_t l = 0; l < n; l++) want += (int64_t)p->a[i * n + l] * p->b[j * n + l];
    cl_int got = 0;
    OB_TRY(ob_buffer_read(p->dev, p->args.c, (i * n + j) * sizeof got, sizeof got, &got));
    *ok = got == want;
  }
  return OB_OK;
}

/* Best of TUNE_REPS timed runs of a candidate after one untimed (fewer when the first is
 * TUNE_GIVE_UP times slower than best_so_far); 0 when it failed. */
#define TUNE_GIVE_UP 3.0
static double tune_candidate(tune_problem *p, ob_igemm_dot dot, const ob_igemm_config *cfg,
                             double best_so_far) {
  char text[128];
  ob_igemm_config_format(cfg, text, sizeof text);
  ob_igemm *g = NULL;
  double best = 0.0, t = 0.0;
  bool ok = false;
  ob_status st = ob_igemm_create(p->dev, cfg, dot, &g);
  if (st == OB_OK) st = ob_igemm_run_timed(g, &p->args, &t);
  if (st == OB_OK) st = tune_verify(p, &ok);
  for (int r = 0; st == OB_OK && ok && r < TUNE_REPS; r++) {
    st = ob_igemm_run_timed(g, &p->args, &t);
    if (st == OB_OK && (best == 0.0 || t < best)) best = t;
    if (best_so_far > 0.0 && best > TUNE_GIVE_UP * best_so_far) break; /* clearly slower */
  }
  ob_igemm_destroy(g);
  if (st != OB_OK || !ok) {
    ob_log(OB_LOG_INFO, "igemm tune: %s: %s", text, st != OB_OK ? ob_error_detail() : "inexact");
    ob_error_clear();
    return 0.0;
  }
  const double n = (double)p->args.n;
  ob_log(OB_LOG_INFO, "igemm tune: %s: %.3f ms, %.1f GOP/s", text, best * 1e3,
         2.0 * n * n * n / best * 1e-9);
  return best;
}

ob_status ob_igemm_tune(ob_device *dev, ob_igemm_dot dot, ob_igemm_config *out,
                        const char **source) {
  char path[4200];
  cache_path(dev, dot, path, sizeof path);
  if (cache_read(dev, path, out)) {
    *source = "cache";
    return OB_OK;
  }
  ob_igemm_config cand[TUNE_MAX_CANDIDATES];
  const size_t ncand = ob_igemm_candidates(dev, cand, TUNE_MAX_CANDIDATES);
  tune_problem p;
  ob_status st = tune_setup(dev, &p);
  double best = 0.0;
  for (size_t i = 0; st == OB_OK && i < ncand; i++) {
    const double t = tune_candidate(&p, dot, &cand[i], best);
    if (t > 0.0 && (best == 0.0 || t < best)) {
      best = t;
      *out = cand[i];
    }
  }
  tune_free(&p);
  OB_TRY(st);
  if (best == 0.0) return ob_fail(OB_ERR_UNSUPPORTED, "igemm: no configuration ran on %s",
                                  ob_device_slug(dev));
  *source = "tuned";
  char line[160];
  ob_igemm_config_format(out, line, sizeof line - 1);
  const size_t len = strlen(line);
  line[len] = '\n';
  if (path[0] && (ob_mkdir_p(ob_program_cache_dir()) != OB_OK ||
                  ob_write_file_atomic(path, line, len + 1) != OB_OK)) {
    ob_log(OB_LOG_DEBUG, "igemm: could not cache the tuning: %s", ob_error_detail());
    ob_error_clear();
  }
  return OB_OK;
}
