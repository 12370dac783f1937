/* SGEMM kernel configurations: the vendor table of defaults and autotuning candidates, the
 * tuning family (parameters and text form: OCLBENCH_CONFIG_GEMM, the tuning cache) and the
 * rules of cl_kernels/gemm.cl. */
#include "gemm.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- configurations as data */

#define CFG(bm_, bn_, tm_, tn_, vm_, vn_, str_, loc_, bk_, vg_, pad_, kc_)                      \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = vm_, .vn = vn_, .strided = str_,           \
   .local = loc_, .bk = bk_, .vg = vg_, .pad = pad_, .kc = kc_}
/* A GPU configuration whose K is split into splitk ranges (tried only on shapes with few
 * output tiles: ob_gemm_select). */
#define SPLITK(bm_, bn_, tm_, tn_, splitk_)                                                     \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 4, .vn = 4, .strided = 1, .local = 1,      \
   .bk = 16, .vg = 4, .pad = 4, .kc = 0, .splitk = splitk_}
/* A GPU configuration whose tiles past the call's whole waves of work-groups are split by
 * K-slices among one work-group per compute unit (streamk; models/gemm/gemm.h). */
#define STREAMK(bm_, bn_, tm_, tn_, bk_, streamk_)                                              \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 4, .vn = 4, .strided = 1, .local = 1,      \
   .bk = bk_, .vg = 4, .pad = 4, .kc = 0, .streamk = streamk_}
/* A GPU configuration with a lane grid (warp tile) of lm x ln work-items. */
#define CFGW(bm_, bn_, tm_, tn_, bk_, lm_, ln_)                                                 \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 4, .vn = 4, .strided = 1, .local = 1,      \
   .bk = bk_, .vg = 4, .pad = 4, .kc = 0, .lm = lm_, .ln = ln_}

/* GPUs: local-memory tiles, double-buffered K-slices, float4 global loads, strided register
 * tiles (conflict-free float4 local reads). Register counts are ptxas's in NVIDIA's OpenCL
 * (sm_90), which ignores a register cap (-cl-nv-maxrregcount) on this kernel, whose work-group
 * size is fixed by reqd_work_group_size (bench/RESULTS.md, 2026-12-06):
 * - 128x128 with 8x8 per work-item (256 work-items) takes 128-129 registers (at 128 two
 *   work-groups, 16 warps, fit an SM). lm=4,ln=8: each warp a 32x64 tile (8 lanes along n,
 *   4 along m), so its float4 fragment reads touch 8 (B) and 4 (A) addresses: one
 *   shared-memory wavefront each instead of two for B in the work-group-wide layout; with
 *   bk=16 half the barriers (about 175 registers: one work-group per SM). 64x128 with 128
 *   work-items: four work-groups of 4 warps per SM, smaller groups per barrier.
 * - 8x16 per work-item (128 accumulators, half the local reads per FMA of 8x8): 128x256 with
 *   256 work-items (one work-group per SM) or 128x128 with 128 work-items (about 250
 *   registers, two work-groups per SM), as 32x128 (lm=4,ln=8) or 64x64 (lm=8,ln=4) warp tiles.
 * - 16x8 per work-item, 256x128 (256 work-items) or 128x128 (128): the same accumulators taller.
 *   A warp of 256x128's 16x16 grid reads A at 2 addresses and B at 16, so per k its four A
 *   reads take one shared-memory wavefront each and its two B reads two: 8 per 128 FMAs,
 *   against 10 for 8x16 and 12 for two 8x8 steps. Measured (bench/RESULTS.md, 2026-12-06):
 *   256x128 2% faster than 128x128 with 8x8 at 4096^3 and 8192^3 on an H200, at 610-645 W
 *   against 660-700 W (8x8 meets the board's power cap, 16x8 stayed below it); 8x16 at 128x256
 *   5% slower. The tuner chose 256x128 for fp32 from 2048^3 to 8192^3 on an H100, 128x128
 *   16x8 for fp16 storage at 2048^3. (512 work-items of 8x8 would keep 8x8's registers with
 *   256x128's tile, but NVIDIA's OpenCL runs this kernel at most 256 per group,
 *   CL_KERNEL_WORK_GROUP_SIZE, although ptxas gives it 128 registers.)
 * - 256x128 16x8 with stream-K (streamk=1): 4096^3 has 3.88 waves of its tiles on 132 SMs and
 *   8192^3 15.5, so 16 SMs idle through 4096^3's last wave and 64 through 8192^3's; stream-K
 *   deals the last part-wave's K-slices out to all 132. What it adds (two segments per work-
 *   group, their partial products stored at the part's end, the reduction, two more launches)
 *   costs 5% of the stream-K part, 30 us of a 2,682 us call at 4096^3 on an H200 (timed apart
 *   by a trace), so it gains most where the last wave is far from full: 1.015-1.022x cuBLAS
 *   at 8192^3 and 0.999-1.008x at 4096^3 on an H100 (seven rounds), 1.020-1.029x and
 *   1.005-1.027x on an H200 (six rounds; streamk=0 about 0.99x at both; bench/RESULTS.md,
 *   2026-12-07, tenth to twelfth sessions). One launch for both parts (the stream-K work-
 *   groups first) was 0.5-1.1% slower. The tuner picks it for both classes (ob_gemm_select
 *   times 8192^3 at its own M and N).
 * - smaller tiles keep every compute unit busy on small problems; where even they leave
 *   compute units idle (the fc1024 layer, m = 128: 128 tiles of 32x32 for 132 SMs, each
 *   work-group a chain of 64 dependent K-slices), split-K gives 4-8 times the work-groups,
 *   each with 1/4-1/8 of the chain, and a reduction kernel. */
static const ob_gemm_config gpu_candidates[] = {
    CFG(128, 128, 8, 8, 4, 4, 1, 1, 8, 4, 4, 0),
    CFGW(128, 128, 8, 8, 8, 4, 8),
    CFGW(128, 128, 8, 8, 16, 4, 8),
    CFGW(64, 128, 8, 8, 8, 4, 8),
    CFGW(128, 128, 8, 16, 8, 4, 8),
    CFGW(128, 128, 8, 16, 8, 8, 4),
    CFGW(128, 256, 8, 16, 8, 4, 8),
    CFG(128, 256, 8, 16, 4, 4, 1, 1, 8, 4, 4, 0),
    CFG(256, 128, 16, 8, 4, 4, 1, 1, 8, 4, 4, 0),
    STREAMK(256, 128, 16, 8, 8, 1),
    CFG(128, 128, 16, 8, 4, 4, 1, 1, 8, 4, 4, 0),
    CFG(128, 64, 8, 4, 4, 4, 1, 1, 16, 4, 4, 0),
    CFG(64, 64, 8, 8, 4, 4, 1, 1, 16, 4, 4, 0),
    CFGW(64, 64, 8, 8, 16, 4, 8),
    CFG(32, 64, 4, 4, 4, 4, 1, 1, 16, 4, 4, 0),
    CFG(32, 32, 4, 4, 4, 4, 1, 1, 16, 4, 4, 0),
    SPLITK(32, 32, 4, 4, 4),
    SPLITK(32, 64, 4, 4, 8),
    SPLITK(64, 64, 8, 8, 8),
};

/* CPUs: no local memory (except pack=1's B panel); work-group barriers every KC steps so that
 * the driver's work-item loop keeps the work-group's A and B panels in L1/L2 (PoCL runs the
 * work-items of a group one after the other between barriers). Two kinds, both tuned on every
 * CPU, since which one a CPU compiler runs well is a property of the compiler, not of the CPU:
 * - explicit vectors (vn = the width): one wide register tile per work-item, A broadcast, B in
 *   VN-wide vectors. Compilers that run a work-item as a loop iteration (PoCL) keep them; so
 *   does Intel's CPU runtime when it finds vectorising across work-items unprofitable.
 * - scalar columns (vn = 1, strided, `wi` below): bn / tn = width work-items along n, a
 *   work-item's tn columns that many apart, so that a compiler vectorising across work-items
 *   (Intel's CPU runtime; PoCL where its loop vectoriser succeeds) loads the B values of the
 *   width consecutive work-items as one vector and broadcasts their common A value: each of
 *   the tm x tn accumulators becomes one vector register.
 * The explicit-vector kind also with B packed (PACKED below): at 1024^3 and beyond B's rows lie
 * a page apart (4 KiB at n = 1024), in the same L1 sets; read in place they cost PoCL on an
 * AVX-512 Xeon about a fifth of its rate, the copy about half of that (bench/RESULTS.md).
 * Grouped by the instruction set's float vector width (CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT:
 * the preferred width is 1 on compilers that vectorise across work-items), so that the
 * accumulators fit the register file: 32 zmm (AVX-512, width 16), 16 ymm (AVX2, width 8),
 * 16-32 xmm/q (SSE, NEON, width 4). The first of a group is the CPU default. */
/* A CPU configuration (explicit vn-wide vectors, contiguous tiles) whose work-group copies its B
 * panel of kc steps into local memory first (pack=1): tall work-group tiles (bm rows share the
 * panel) one register tile wide, so that the copy is a small part of the work. */
#define PACKED(bm_, bn_, tm_, tn_, vn_, kc_)                                                    \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 1, .vn = vn_, .strided = 0, .local = 0,    \
   .bk = 1, .vg = 1, .pad = 0, .kc = kc_, .pack = 1}

/* A CPU configuration that reads operands copied once per call into panels (panel: 2 B, 3 A and
 * B): the work-group's B block of kc steps is one contiguous kc x bn block (no page-apart rows,
 * no copy per work-group), and A's tm rows one contiguous micro-panel. The copies cost one pass
 * over each operand (A's transposes about twice B's). */
#define PANELS(bm_, bn_, tm_, tn_, vn_, kc_, panel_)                                           \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 1, .vn = vn_, .strided = 0, .local = 0,    \
   .bk = 1, .vg = 1, .pad = 0, .kc = kc_, .panel = panel_}

/* A CPU configuration of persistent work-groups (persist=1: one per compute unit) in BLIS order:
 * op(B)'s kc x nc block (nc = bn) packed into local memory and reused from L2 over all of the
 * work-group's mc-row blocks (mc = bm), each reused from L1/L2 across the block's tm x tn
 * micro-tiles (read in place, or packed in turn where A is transposed or half); no copy
 * pass, no padding. The fits check (local memory: kc x (bm + bn) floats, A's block counted
 * whatever the call) drops these where the device's local memory is smaller. */
#define PERSISTENT(bm_, bn_, tm_, tn_, vn_, kc_)                                                \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = 1, .vn = vn_, .strided = 0, .local = 0,    \
   .bk = 1, .vg = 1, .pad = 0, .kc = kc_, .persist = 1}

typedef struct cpu_candidate {
  int width;
  ob_gemm_config cfg;
} cpu_candidate;

static const cpu_candidate cpu_candidates[] = {
    {16, CFG(64, 128, 8, 32, 1, 16, 0, 0, 1, 1, 0, 256)},  /* 16 accumulators */
    {16, CFG(48, 256, 6, 64, 1, 16, 0, 0, 1, 1, 0, 256)},  /* 24 */
    {16, CFG(96, 128, 6, 64, 1, 16, 0, 0, 1, 1, 0, 256)},  /* 24 */
    {16, CFG(96, 128, 12, 32, 1, 16, 0, 0, 1, 1, 0, 256)}, /* 24 */
    {16, CFG(64, 32, 8, 32, 1, 16, 0, 0, 1, 1, 0, 128)},   /* one column of work-items */
    {16, CFG(64, 64, 8, 16, 1, 16, 0, 0, 1, 1, 0, 0)},     /* small problems */
    {16, CFG(96, 64, 6, 4, 1, 1, 1, 0, 1, 1, 0, 256)},     /* wi: 24 */
    {16, CFG(128, 32, 8, 2, 1, 1, 1, 0, 1, 1, 0, 256)},    /* wi: 16 */
    {16, PACKED(128, 32, 8, 32, 16, 256)},                  /* 16, B packed */
    {16, PACKED(256, 32, 8, 32, 16, 256)},                  /* 16, B packed */
    {16, PACKED(128, 64, 4, 64, 16, 256)},                  /* 16, B packed */
    {16, PACKED(96, 64, 6, 64, 16, 256)},                   /* 24, B packed */
    {16, PANELS(128, 32, 8, 32, 16, 256, 2)},               /* 16, B panels */
    {16, PANELS(64, 32, 8, 32, 16, 256, 2)},                /* 16, B panels */
    {16, PANELS(256, 32, 8, 32, 16, 256, 3)},               /* 16, A and B panels */
    {16, PERSISTENT(64, 1024, 8, 32, 16, 256)},             /* 16, 1.1 MiB of blocks */
    {16, PERSISTENT(32, 512, 8, 32, 16, 512)},              /* 16, 1.1 MiB of blocks */
    {16, PERSISTENT(48, 512, 12, 32, 16, 512)},             /* 24, 1.1 MiB of blocks */
    {16, PERSISTENT(48, 768, 12, 32, 16, 512)},             /* 24, 1.6 MiB of blocks */
    {16, PERSISTENT(48, 512, 6, 64, 16, 512)},              /* 24, 1.1 MiB, 10 loads per k */
    {16, PERSISTENT(48, 256, 6, 64, 16, 512)},              /* 24, 608 KiB: fits 1 MiB */
    {8, CFG(48, 64, 6, 16, 1, 8, 0, 0, 1, 1, 0, 256)},     /* 12 */
    {8, CFG(32, 96, 4, 24, 1, 8, 0, 0, 1, 1, 0, 256)},     /* 12 */
    {8, CFG(48, 32, 6, 16, 1, 8, 0, 0, 1, 1, 0, 128)},     /* one column of work-items */
    {8, CFG(64, 64, 8, 8, 1, 8, 0, 0, 1, 1, 0, 0)},        /* 8, small problems */
    {8, CFG(96, 16, 6, 2, 1, 1, 1, 0, 1, 1, 0, 256)},      /* wi: 12 */
    {8, PACKED(96, 16, 6, 16, 8, 256)},                     /* 12, B packed */
    {8, PANELS(96, 16, 6, 16, 8, 256, 2)},                  /* 12, B panels */
    {8, PERSISTENT(96, 512, 6, 16, 8, 256)},                /* 12, 608 KiB of blocks */
    {4, CFG(48, 64, 6, 16, 1, 4, 0, 0, 1, 1, 0, 256)},     /* 24 (NEON) */
    {4, CFG(32, 64, 4, 16, 1, 4, 0, 0, 1, 1, 0, 256)},     /* 16 */
    {4, CFG(32, 32, 4, 8, 1, 4, 0, 0, 1, 1, 0, 256)},      /* 8 (SSE) */
    {4, CFG(64, 16, 4, 4, 1, 1, 1, 0, 1, 1, 0, 256)},      /* wi: 16 */
    {4, PACKED(96, 16, 6, 16, 4, 256)},                     /* 24, B packed */
    {4, PANELS(96, 16, 6, 16, 4, 256, 2)},                  /* 24, B panels */
    {4, PERSISTENT(96, 256, 6, 16, 4, 256)},                /* 24, 352 KiB of blocks */
};

/* The candidate group of a CPU: its instruction set's float width clamped to 4..16 (the
 * preferred width where a driver reports no native one). */
static int cpu_width(const ob_device *dev) {
  const ob_device_props *p = ob_device_props_get(dev);
  const int w = (int)(p->isa_float_width ? p->isa_float_width : p->native_float_width);
  return w >= 16 ? 16 : w >= 8 ? 8 : 4;
}

#define NELEM(a) (sizeof(a) / sizeof *(a))

typedef struct vendor_default {
  ob_vendor vendor;
  ob_gemm_config cfg;
} vendor_default;

/* GPU defaults per vendor (used without tuning, and tried first when tuning). */
static const vendor_default gpu_defaults[] = {
    {OB_VENDOR_NVIDIA, CFG(128, 128, 8, 8, 4, 4, 1, 1, 8, 4, 4, 0)},
    {OB_VENDOR_AMD, CFG(128, 128, 8, 8, 4, 4, 1, 1, 16, 4, 4, 0)},
    {OB_VENDOR_INTEL, CFG(64, 64, 4, 4, 4, 4, 1, 1, 16, 4, 4, 0)},
    {OB_VENDOR_APPLE, CFG(64, 64, 4, 4, 4, 4, 1, 1, 16, 4, 4, 0)},
};
static const ob_gemm_config gpu_generic_default = CFG(64, 64, 4, 4, 4, 4, 1, 1, 16, 4, 4, 0);

void ob_gemm_config_default(const ob_device *dev, ob_gemm_config *out) {
  if (ob_device_is_cpu(dev)) {
    const int w = cpu_width(dev);
    size_t i = 0;
    while (cpu_candidates[i].width != w) i++; /* every width has a group */
    *out = cpu_candidates[i].cfg;
    return;
  }
  *out = gpu_generic_default;
  const ob_vendor v = ob_device_props_get(dev)->vendor_class;
  for (size_t i = 0; i < NELEM(gpu_defaults); i++)
    if (gpu_defaults[i].vendor == v) *out = gpu_defaults[i].cfg;
}

size_t ob_gemm_candidates(const ob_device *dev, ob_gemm_config *out, size_t max) {
  const bool cpu = ob_device_is_cpu(dev);
  const size_t nlist = cpu ? NELEM(cpu_candidates) : NELEM(gpu_candidates);
  size_t n = 0;
  if (max == 0) return 0;
  ob_gemm_config_default(dev, &out[n++]);
  for (size_t i = 0; i < nlist && n < max; i++) {
    if (cpu && cpu_candidates[i].width != cpu_width(dev)) continue;
    const ob_gemm_config *c = cpu ? &cpu_candidates[i].cfg : &gpu_candidates[i];
    if (memcmp(c, &out[0], sizeof out[0]) == 0) continue;
    if (ob_gemm_config_check(c, dev) != OB_OK) continue;
    out[n++] = *c;
  }
  ob_error_clear();
  return n;
}

/* ---------------------------------------------------------------- the family and its rules */

/* Every field an integer in [0, 4096] (the rules below narrow them), in gemm.cl's -D order;
 * splitk and streamk are not kernel defines (more kernels; streamk's parts are: STREAMK); pack,
 * panel and persist are ones only when set (models/gemm/gemm.c: the build options of every
 * configuration without them stay as they were). */
#define PARAM(key_, define_, field_)                                                            \
  {.key = key_, .define = define_, OB_TUNE_FIELD(ob_gemm_config, field_), .min = 0, .max = 4096}
static const ob_tune_param params[] = {
    PARAM("bm", "BM", bm),           PARAM("bn", "BN", bn),         PARAM("tm", "TM", tm),
    PARAM("tn", "TN", tn),           PARAM("vm", "VM", vm),         PARAM("vn", "VN", vn),
    PARAM("strided", "STRIDED", strided), PARAM("local", "LOCAL", local), PARAM("bk", "BK", bk),
    PARAM("vg", "VG", vg),           PARAM("pad", "PAD", pad),      PARAM("kc", "KC", kc),
    PARAM("lm", "LM", lm),           PARAM("ln", "LN", ln),         PARAM("splitk", NULL, splitk),
    PARAM("pack", NULL, pack),       PARAM("panel", NULL, panel),   PARAM("persist", NULL, persist),
    PARAM("streamk", NULL, streamk),
};

static ob_status family_check(const void *cfg, const ob_device *dev) {
  return ob_gemm_config_check(cfg, dev);
}

/* A forced configuration is validated at start-up over the widest CPU default. */
const ob_tune_family ob_gemm_family = {.name = "gemm", .params = params,
                                       .nparams = NELEM(params),
                                       .size = sizeof(ob_gemm_config),
                                       .base = &cpu_candidates[0].cfg, .check = family_check};

static bool is_width(int v, int max) {
  return v == 1 || v == 2 || v == 4 || v == 8 || (v == 16 && max >= 16);
}

ob_status ob_gemm_config_check(const ob_gemm_config *c, const ob_device *dev) {
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_gemm_family, c, text, sizeof text);
  if (c->bm < 1 || c->bn < 1 || c->tm < 1 || c->tn < 1)
    return ob_fail(OB_ERR_INVALID, "gemm config %s: tiles must be positive", text);
  if (!is_width(c->vm, 8) || !is_width(c->vn, 16))
    return ob_fail(OB_ERR_INVALID, "gemm config %s: vm must be 1, 2, 4 or 8, vn 1..16 (powers of 2)",
                   text);
  if (c->strided > 1 || c->local > 1)
    return ob_fail(OB_ERR_INVALID, "gemm config %s: strided and local are 0 or 1", text);
  if (c->bm % c->tm || c->bn % c->tn || c->tm % c->vm || c->tn % c->vn)
    return ob_fail(OB_ERR_INVALID, "gemm config %s: need tm | bm, tn | bn, vm | tm, vn | tn",
                   text);
  const int nt = (c->bm / c->tm) * (c->bn / c->tn);
  if (c->local) {
    if (c->bk < 1 || !is_width(c->vg, 4) || c->kc != 0)
      return ob_fail(OB_ERR_INVALID, "gemm config %s: local needs bk >= 1, vg 1/2/4, kc=0", text);
    if (c->bk % c->vg || c->bm % c->vg || c->bn % c->vg || (c->bm * c->bk) % (c->vg * nt) ||
        (c->bn * c->bk) % (c->vg * nt))
      return ob_fail(OB_ERR_INVALID,
                     "gemm config %s: vg must divide bk, bm, bn and the slices be shared evenly "
                     "by the %d work-items", text, nt);
    if (c->pad % c->vm || c->pad % c->vn || c->pad % c->vg)
      return ob_fail(OB_ERR_INVALID, "gemm config %s: pad must be a multiple of vm, vn, vg", text);
  }
  if (c->lm || c->ln) {
    if (!c->strided)
      return ob_fail(OB_ERR_INVALID, "gemm config %s: a lane grid (lm, ln) needs strided=1", text);
    if ((c->lm && (c->bm / c->tm) % c->lm) || (c->ln && (c->bn / c->tn) % c->ln))
      return ob_fail(OB_ERR_INVALID,
                     "gemm config %s: lm must divide the %d work-items along m, ln the %d along n",
                     text, c->bm / c->tm, c->bn / c->tn);
  }
  if (c->pack > 1 || (c->pack && (c->local || c->kc < 1)))
    return ob_fail(OB_ERR_INVALID, "gemm config %s: pack is 0 or 1, and 1 needs local=0, kc >= 1",
                   text);
  if (c->panel > 3 ||
      (c->panel && (c->local || c->strided || c->vm != 1 || c->pack || c->splitk > 1)))
    return ob_fail(OB_ERR_INVALID, "gemm config %s: panel is 0..3, and not 0 needs local=0, "
                   "strided=0, vm=1, pack=0, splitk <= 1", text);
  if (c->persist > 8 ||
      (c->persist && (c->local || c->strided || c->vm != 1 || c->pack || c->panel ||
                      c->splitk > 1 || c->kc < 16 || c->kc % 16 || c->bm % 16 || c->bn % 16)))
    return ob_fail(OB_ERR_INVALID, "gemm config %s: persist is 0..8, and not 0 needs local=0, "
                   "strided=0, vm=1, pack=0, panel=0, splitk <= 1, kc, bm, bn multiples of 16",
                   text);
  if (c->splitk > 64)
    return ob_fail(OB_ERR_INVALID, "gemm config %s: splitk is at most 64", text);
  if (c->streamk > 2 || (c->streamk && (!c->local || c->splitk > 1)))
    return ob_fail(OB_ERR_INVALID, "gemm config %s: streamk is 0..2, and not 0 needs local=1, "
                   "splitk <= 1", text);
  if (!dev) return OB_OK;
  const ob_device_props *p = ob_device_props_get(dev);
  if ((size_t)nt > p->max_wg)
    return ob_fail(OB_ERR_UNSUPPORTED, "gemm config %s: %d work-items per group, device allows "
                   "%zu", text, nt, p->max_wg);
  const size_t lmem = c->local     ? 2u * (size_t)c->bk * (size_t)(c->bm + c->bn + 2 * c->pad) * 4
                     : c->pack    ? (size_t)c->kc * (size_t)c->bn * 4
                     : c->persist ? (size_t)c->kc * (size_t)(c->bm + c->bn) * 4
                                  : 0;
  if (lmem > p->local_mem)
    return ob_fail(OB_ERR_UNSUPPORTED, "gemm config %s: %zu bytes of local memory, device has "
                   "%llu", text, lmem, (unsigned long long)p->local_mem);
  return OB_OK;
}
