/* Launch shapes of the fused Adam kernel: the candidates the tuner times, the device default
 * (the first candidate) and the tuning family (text form, -D options, rules). */
#include "adam.h"

/* GPUs: float4, 128-512 work-items, 1-8 float4 per stream in flight per work-item. */
static const ob_adam_tuning gpu_candidates[] = {
    {256, 1, 4}, {256, 2, 4}, {256, 4, 4}, {256, 8, 4}, {128, 4, 4},
    {512, 1, 4}, {512, 2, 4}, {512, 4, 4}, {1024, 2, 4},
};
/* CPUs (PoCL on a 2-core AVX-512 Xeon): one float4 per work-item in large work-groups was
 * fastest; scalar work-items (vectorised by PoCL across work-items) and several float4 per
 * work-item measured 1.5-3x slower, so only nearby shapes are tried. */
static const ob_adam_tuning cpu_candidates[] = {
    {256, 1, 4}, {512, 1, 4}, {1024, 1, 4}, {256, 2, 4},
};

/* The candidates of dev; *n of them. */
const ob_adam_tuning *ob_adam_candidates(const ob_device *dev, size_t *n) {
  if (ob_device_is_cpu(dev)) {
    *n = sizeof cpu_candidates / sizeof *cpu_candidates;
    return cpu_candidates;
  }
  *n = sizeof gpu_candidates / sizeof *gpu_candidates;
  return gpu_candidates;
}

void ob_adam_tuning_default(const ob_device *dev, ob_adam_tuning *out) {
  size_t n = 0;
  *out = ob_adam_candidates(dev, &n)[0];
}

/* In adam.cl's -D order (wg is the launch's, not a define). */
static const ob_tune_param params[] = {
    {.key = "vec", .define = "VEC", OB_TUNE_FIELD(ob_adam_tuning, vec), .min = 1, .max = 4,
     OB_TUNE_VALUES(1, 2, 4)},
    {.key = "items", .define = "ITEMS", OB_TUNE_FIELD(ob_adam_tuning, items), .min = 1,
     .max = OB_ADAM_MAX_ITEMS},
    {.key = "wg", OB_TUNE_FIELD(ob_adam_tuning, wg), .min = 1, .max = 1 << 16},
};

/* Whole chunks of OB_ADAM_ALIGN elements per work-group (ranges are checked before). */
static ob_status rules(const void *cfg, const ob_device *dev) {
  (void)dev; /* the work-group size is clamped to what the built kernel allows */
  const ob_adam_tuning *t = cfg;
  if ((t->wg * (size_t)t->items * (size_t)t->vec) % OB_ADAM_ALIGN != 0)
    return ob_fail(OB_ERR_INVALID, "adam config: wg*items*vec = %zu is not a multiple of %d",
                   t->wg * (size_t)t->items * (size_t)t->vec, OB_ADAM_ALIGN);
  return OB_OK;
}

const ob_tune_family ob_adam_family = {.name = "adam", .params = params,
                                       .nparams = sizeof params / sizeof *params,
                                       .size = sizeof(ob_adam_tuning),
                                       .base = &gpu_candidates[0], .check = rules};
