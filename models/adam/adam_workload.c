/* The `adam` workload: one optimizer step of Adam / AdamW over a model's parameters, fused (one
 * launch) and eager (one launch per tensor and operation), at 1M (16 x 256 x 256), 10.5M (the
 * seed's 10 x Linear(1024, 1024, bias=False)) and 100M (24 x 2048 x 2048) parameters, lr 0.01.
 *
 * Precision fp32 (fused and eager), and fp16 (fused Adam and AdamW): parameters and gradients
 * stored as IEEE half, moments and arithmetic fp32 (models/adam/adam.h, ob_adam_precision). The
 * fp16 rows need no cl_khr_fp16 (vload_half / vstore_half are core OpenCL C); a device where
 * the fp16 kernel does not build gets a `skipped` row with the reason.
 *
 * Metrics: step_time (median us; the kernel's event time for the single fused launch, wall
 * clock around clFinish for the eager launches) and bandwidth (GB/s) counting 28 bytes per
 * parameter (read p, g, m, v; write p, m, v), 36 with amsgrad (max_exp_avg_sq read and
 * written too), 22 / 30 with fp16 parameters and gradients, whose peak_fraction is over the
 * measured copy bandwidth.
 *
 * Verification, in the same run: the optimizer is reset, the parameters restored, and
 * OB_ADAM_VERIFY_STEPS steps taken with gradients that change every step (gradient of step t
 * for flat element i is the generator's value at i + t); then p, exp_avg, exp_avg_sq (and
 * max_exp_avg_sq) are compared with the host double-precision reference (models/adam/adam_ref.c):
 * every parameter up to FULL_CHECK_MAX parameters, above that both ends and SAMPLE_BLOCKS
 * random blocks of every tensor. Error: max |device - reference| / max |reference| per
 * quantity, bound OB_ADAM_VERIFY_BOUND = 1e-5 (fp32 rounding after 10 steps gives ~1e-7).
 * fp16: the reference starts from the half-rounded parameters and takes the half-rounded
 * gradients (the values the device holds) and is not rounded afterwards (the fp32 reference);
 * the device rounds the parameters to half after every step, an error of at most 2^-11
 * (half's unit roundoff) of |p| per step, so the parameters' bound is
 * OB_ADAM_VERIFY_BOUND_FP16 = 5e-3 >= 10 x 2^-11 = 4.9e-3 plus the fp32 error; the fp32
 * moments keep OB_ADAM_VERIFY_BOUND (their inputs are the same half gradients on both sides).
 */
#include "adam_workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam_ref.h"
#include "adam_tune.h"
#include "gemm/gemm_ref.h"

#define LR 0.01
#define ADAMW_WEIGHT_DECAY 0.01
#define SEED_PARAMS 0x5eed0001u
#define SEED_GRADS 0x5eed0002u
#define UPLOAD_BLOCK ((size_t)1 << 20)
#define FULL_CHECK_MAX ((size_t)4 << 20)
#define CHECK_BLOCK ((size_t)4096)
#define SAMPLE_BLOCKS 4

/* The case table: per size, 5 fp32 configurations (fused and eager Adam and AdamW, fused Adam
 * with amsgrad), then fused Adam and AdamW with fp16 parameters; the largest size only without
 * --quick. */
#define ADAM_CONFIGS(tensors, rows, cols, quick)                                                 \
  {OB_ADAM_FUSED, OB_ADAM_FP32, false, false, tensors, rows, cols, quick},                       \
      {OB_ADAM_FUSED, OB_ADAM_FP32, true, false, tensors, rows, cols, quick},                    \
      {OB_ADAM_EAGER, OB_ADAM_FP32, false, false, tensors, rows, cols, quick},                   \
      {OB_ADAM_EAGER, OB_ADAM_FP32, true, false, tensors, rows, cols, quick},                    \
      {OB_ADAM_FUSED, OB_ADAM_FP32, false, true, tensors, rows, cols, quick},                    \
      {OB_ADAM_FUSED, OB_ADAM_FP16, false, false, tensors, rows, cols, quick},                   \
      {OB_ADAM_FUSED, OB_ADAM_FP16, true, false, tensors, rows, cols, quick}
static const ob_adam_case cases_table[] = {ADAM_CONFIGS(16, 256, 256, true),
                                           ADAM_CONFIGS(10, 1024, 1024, true),
                                           ADAM_CONFIGS(24, 2048, 2048, false)};

/* Bytes of one parameter (or gradient) element. */
static size_t elem_bytes(ob_adam_precision prec) { return prec == OB_ADAM_FP16 ? 2 : 4; }

void ob_adam_workload_case(ob_case *c, const ob_adam_case *spec) {
  const char *variant = spec->impl == OB_ADAM_FUSED ? "fused" : "eager";
  const char *opt = spec->adamw ? "adamw" : "adam";
  const char *pname = spec->precision == OB_ADAM_FP16 ? "fp16" : "fp32";
  char series[64];
  snprintf(series, sizeof series, "%s-%s%s-%s", variant, opt, spec->amsgrad ? "-amsgrad" : "",
           pname);
  const double params = (double)spec->tensors * spec->rows * spec->cols;
  ob_case_init(c, spec, variant, pname, series, params);
  snprintf(c->size, sizeof c->size, "%.3gM", params / 1e6);
  snprintf(c->detail, sizeof c->detail, "%s%s", opt, spec->amsgrad ? " amsgrad" : "");
  ob_case_param(c, "params", "%.0f", params);
  ob_case_param(c, "tensors", "%d", spec->tensors);
  ob_case_param(c, "shape", "%dx%d", spec->rows, spec->cols);
  ob_case_param(c, "opt", "%s", opt);
  ob_case_param(c, "lr", "%g", LR);
  ob_case_param(c, "betas", "0.9,0.999");
  ob_case_param(c, "eps", "1e-08");
  ob_case_param(c, "weight_decay", "%g", spec->adamw ? ADAMW_WEIGHT_DECAY : 0.0);
  ob_case_param(c, "amsgrad", "%d", spec->amsgrad ? 1 : 0);
  /* read p, g and the moments; write p and the moments */
  c->bytes = (3.0 * (double)elem_bytes(spec->precision) + (spec->amsgrad ? 6.0 : 4.0) * 4.0) *
             params;
  ob_metric_per_joule(ob_case_metric(c, "step_time", "us", OB_METRIC_TIME, 0, 1e6, OB_PEAK_NONE),
                      "uj_per_step", "uJ", 1e6);
  ob_case_metric(c, "bandwidth", "GB/s", OB_METRIC_RATE, c->bytes, 1e9, OB_PEAK_BANDWIDTH);
}

static size_t adam_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                              size_t max) {
  (void)dev;
  size_t n = 0;
  for (size_t i = 0; i < sizeof cases_table / sizeof *cases_table && n < max; i++)
    if (!opts->quick || cases_table[i].quick) ob_adam_workload_case(&cases[n++], &cases_table[i]);
  return n;
}

/* ---------------------------------------------------------------- data */

/* Uniform in [-1, 1) with 24 significant bits, so exact in float: value i of stream seed. */
static float gen_value(uint64_t seed, uint64_t i) {
  uint64_t z = (seed << 32) + (i + 1) * 0x9E3779B97F4A7C15ull; /* splitmix64 */
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)((double)(z >> 40) * 0x1p-23 - 1.0);
}

/* Value i of stream seed as stored at precision prec (rounded to half for fp16). */
static float stored_value(ob_adam_precision prec, uint64_t seed, uint64_t i) {
  const float v = gen_value(seed, i);
  return prec == OB_ADAM_FP16 ? ob_half_to_float(ob_half_from_float(v)) : v;
}

/* buf[0..len) = generator values 0 .. len of stream seed, as fp32 or half. */
static ob_status upload_generated(ob_device *dev, cl_mem buf, ob_adam_precision prec,
                                  uint64_t seed, size_t len) {
  const size_t elem = elem_bytes(prec);
  float *host = malloc(UPLOAD_BLOCK * sizeof *host);
  uint16_t *half = prec == OB_ADAM_FP16 ? malloc(UPLOAD_BLOCK * sizeof *half) : NULL;
  ob_status st = host && (half || prec != OB_ADAM_FP16) ? OB_OK
                                                        : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t b = 0; b < len && st == OB_OK; b += UPLOAD_BLOCK) {
    const size_t k = len - b < UPLOAD_BLOCK ? len - b : UPLOAD_BLOCK;
    for (size_t j = 0; j < k; j++) host[j] = gen_value(seed, b + j);
    if (half)
      for (size_t j = 0; j < k; j++) half[j] = ob_half_from_float(host[j]);
    st = ob_buffer_write(dev, buf, b * elem, k * elem, half ? (void *)half : (void *)host);
  }
  free(host);
  free(half);
  return st;
}

/* ---------------------------------------------------------------- setup / run / teardown */

typedef struct adam_run {
  ob_device *dev;
  ob_adam_options opt;
  size_t ntensors, count, total; /* tensors, elements per tensor, elements allocated */
  size_t *offsets;
  cl_mem p, g;
  ob_adam *adam;
  bool event_timed;
} adam_run;

static void adam_teardown(void *state) {
  adam_run *r = state;
  ob_adam_destroy(r->adam);
  ob_buffer_release(r->dev, r->p);
  ob_buffer_release(r->dev, r->g);
  free(r->offsets);
}

static ob_status adam_prepare(adam_run *r, const ob_adam_case *spec) {
  ob_adam_options_init(&r->opt, spec->adamw);
  r->opt.lr = LR;
  r->opt.weight_decay = spec->adamw ? ADAMW_WEIGHT_DECAY : 0.0;
  r->opt.amsgrad = spec->amsgrad;
  r->opt.impl = spec->impl;
  r->opt.precision = spec->precision;
  r->ntensors = (size_t)spec->tensors;
  r->count = (size_t)spec->rows * (size_t)spec->cols;
  r->offsets = malloc(r->ntensors * sizeof *r->offsets);
  size_t *counts = malloc(r->ntensors * sizeof *counts);
  if (!r->offsets || !counts) {
    free(counts);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < r->ntensors; i++) counts[i] = r->count;
  r->total = ob_adam_layout(counts, r->ntensors, 0, r->offsets);
  const ob_adam_precision prec = r->opt.precision;
  const size_t bytes = r->total * elem_bytes(prec);
  ob_status st = ob_buffer_create(r->dev, CL_MEM_READ_WRITE, bytes, NULL, &r->p);
  if (st == OB_OK) st = ob_buffer_create(r->dev, CL_MEM_READ_WRITE, bytes, NULL, &r->g);
  if (st == OB_OK) st = upload_generated(r->dev, r->p, prec, SEED_PARAMS, r->total);
  if (st == OB_OK) st = upload_generated(r->dev, r->g, prec, SEED_GRADS, r->total);
  ob_tune_source source;
  if (st == OB_OK && r->opt.impl == OB_ADAM_FUSED)
    st = ob_adam_select(r->dev, ob_tune_settings_current(), &r->opt.tuning, &source);
  if (st == OB_OK)
    st = ob_adam_create_flat(r->dev, &r->opt, r->p, r->g, r->offsets, counts, r->ntensors,
                             &r->adam);
  free(counts);
  return st;
}

static ob_status adam_setup(void *state, ob_device *dev, ob_case *c) {
  adam_run *r = state;
  r->dev = dev;
  OB_TRY(ob_device_open(dev));
  OB_TRY(adam_prepare(r, c->spec));
  const size_t launches = ob_adam_launches_per_step(r->adam);
  r->event_timed = r->opt.impl == OB_ADAM_FUSED && launches == 1;
  ob_case_note(c, "launches", "%zu", launches);
  ob_case_note(c, "kernel", "%s", ob_adam_describe(r->adam));
  return OB_OK;
}

static ob_status adam_run_step(void *state, double *seconds) {
  adam_run *r = state;
  if (!r->event_timed) {
    const double t0 = ob_now();
    OB_TRY(ob_adam_step(r->adam, NULL));
    OB_TRY(ob_device_finish(r->dev));
    *seconds = ob_now() - t0;
    return OB_OK;
  }
  cl_event ev = NULL;
  OB_TRY(ob_adam_step(r->adam, &ev));
  ob_status st = OB_CL(clWaitForEvents(1, &ev));
  if (st == OB_OK) st = ob_event_seconds(ev, seconds);
  clReleaseEvent(ev);
  return st;
}

/* ---------------------------------------------------------------- verification */

enum { Q_P, Q_M, Q_V, Q_VMAX, NQ };

typedef struct check {
  double diff[NQ], ref[NQ]; /* max |device - reference|, max |reference| */
  bool nonfinite;
  size_t checked;
  double *host;   /* NQ + 1 arrays of CHECK_BLOCK doubles: p, m, v, vmax, g */
  float *dev;     /* CHECK_BLOCK floats */
  uint16_t *half; /* CHECK_BLOCK halves (fp16 parameters) */
} check;

static void check_quantity(check *k, int q, const float *dev, const double *ref, size_t len) {
  for (size_t j = 0; j < len; j++) {
    const double d = fabs((double)dev[j] - ref[j]);
    if (!isfinite(d)) k->nonfinite = true;
    if (d > k->diff[q]) k->diff[q] = d;
    if (fabs(ref[j]) > k->ref[q]) k->ref[q] = fabs(ref[j]);
  }
}

/* Elements [first, first + len) of tensor i: the reference from the generated data, then the
 * device's values. */
static ob_status check_block(adam_run *r, check *k, size_t i, size_t first, size_t len) {
  double *p = k->host, *m = p + CHECK_BLOCK, *v = m + CHECK_BLOCK, *vmax = v + CHECK_BLOCK,
         *g = vmax + CHECK_BLOCK;
  const size_t base = r->offsets[i] + first;
  const ob_adam_precision prec = r->opt.precision;
  for (size_t j = 0; j < len; j++) {
    p[j] = stored_value(prec, SEED_PARAMS, base + j);
    m[j] = v[j] = vmax[j] = 0.0;
  }
  for (long t = 1; t <= OB_ADAM_VERIFY_STEPS; t++) {
    for (size_t j = 0; j < len; j++) g[j] = stored_value(prec, SEED_GRADS, base + j + (size_t)t);
    ob_adam_ref_step(&r->opt, t, p, g, m, v, r->opt.amsgrad ? vmax : NULL, len);
  }
  if (prec == OB_ADAM_FP16) {
    OB_TRY(ob_buffer_read(r->dev, r->p, base * 2, len * 2, k->half));
    for (size_t j = 0; j < len; j++) k->dev[j] = ob_half_to_float(k->half[j]);
  } else {
    OB_TRY(ob_buffer_read(r->dev, r->p, base * sizeof(float), len * sizeof(float), k->dev));
  }
  check_quantity(k, Q_P, k->dev, p, len);
  const ob_adam_state which[] = {OB_ADAM_EXP_AVG, OB_ADAM_EXP_AVG_SQ, OB_ADAM_MAX_EXP_AVG_SQ};
  const double *ref[] = {m, v, vmax};
  for (int q = Q_M; q < (r->opt.amsgrad ? Q_VMAX + 1 : Q_VMAX); q++) {
    OB_TRY(ob_adam_state_read(r->adam, which[q - Q_M], i, first, len, k->dev));
    check_quantity(k, q, k->dev, ref[q - Q_M], len);
  }
  k->checked += len;
  return OB_OK;
}

/* Every element of small cases; both ends and random blocks of every tensor of large ones. */
static ob_status check_all(adam_run *r, check *k) {
  const bool full = r->ntensors * r->count <= FULL_CHECK_MAX;
  uint64_t pick = 0;
  for (size_t i = 0; i < r->ntensors; i++) {
    if (full || r->count <= (SAMPLE_BLOCKS + 2) * CHECK_BLOCK) {
      for (size_t f = 0; f < r->count; f += CHECK_BLOCK)
        OB_TRY(check_block(r, k, i, f, r->count - f < CHECK_BLOCK ? r->count - f : CHECK_BLOCK));
      continue;
    }
    OB_TRY(check_block(r, k, i, 0, CHECK_BLOCK));
    OB_TRY(check_block(r, k, i, r->count - CHECK_BLOCK, CHECK_BLOCK));
    for (int s = 0; s < SAMPLE_BLOCKS; s++) {
      const float u = gen_value(SEED_PARAMS ^ 0xb10c, pick++) * 0.5f + 0.5f; /* [0, 1) */
      const size_t first = (size_t)(u * (float)(r->count - CHECK_BLOCK));
      OB_TRY(check_block(r, k, i, first, CHECK_BLOCK));
    }
  }
  return OB_OK;
}

/* Fresh state, restored parameters, OB_ADAM_VERIFY_STEPS steps with changing gradients. */
static ob_status run_verify_steps(adam_run *r) {
  const ob_adam_precision prec = r->opt.precision;
  const size_t elem = elem_bytes(prec);
  OB_TRY(ob_adam_reset(r->adam));
  OB_TRY(upload_generated(r->dev, r->p, prec, SEED_PARAMS, r->total));
  cl_mem src = NULL;
  const size_t len = r->total + OB_ADAM_VERIFY_STEPS;
  OB_TRY(ob_buffer_create(r->dev, CL_MEM_READ_ONLY, len * elem, NULL, &src));
  ob_status st = upload_generated(r->dev, src, prec, SEED_GRADS, len);
  for (size_t t = 1; t <= OB_ADAM_VERIFY_STEPS && st == OB_OK; t++) {
    st = OB_CL(clEnqueueCopyBuffer(ob_device_queue(r->dev), src, r->g, t * elem, 0,
                                   r->total * elem, 0, NULL, NULL));
    if (st == OB_OK) st = ob_adam_step(r->adam, NULL);
  }
  if (st == OB_OK) st = ob_device_finish(r->dev);
  ob_buffer_release(r->dev, src);
  return st;
}

static ob_status adam_verify(void *state, ob_verdict *out) {
  adam_run *r = state;
  memset(out, 0, sizeof *out);
  OB_TRY(run_verify_steps(r));
  check k;
  memset(&k, 0, sizeof k);
  k.host = malloc((NQ + 1) * CHECK_BLOCK * sizeof *k.host);
  k.dev = malloc(CHECK_BLOCK * sizeof *k.dev);
  k.half = malloc(CHECK_BLOCK * sizeof *k.half);
  ob_status st = k.host && k.dev && k.half ? check_all(r, &k)
                                           : ob_fail(OB_ERR_NOMEM, "out of memory");
  free(k.host);
  free(k.dev);
  free(k.half);
  OB_TRY(st);
  /* Each quantity against its bound; the note gives the worst ratio's error and bound. */
  const bool fp16 = r->opt.precision == OB_ADAM_FP16;
  const bool l2 = r->opt.weight_decay != 0.0 && !r->opt.decoupled; /* p feeds the moments */
  double worst = -1.0, err = 0.0, bound = OB_ADAM_VERIFY_BOUND;
  for (int q = 0; q < NQ; q++) {
    const double b = fp16 && (q == Q_P || l2) ? OB_ADAM_VERIFY_BOUND_FP16 : OB_ADAM_VERIFY_BOUND;
    const double e = k.ref[q] > 0 ? k.diff[q] / k.ref[q] : 0.0;
    if (e / b > worst) {
      worst = e / b;
      err = e;
      bound = b;
    }
  }
  out->checked = true;
  out->ok = !k.nonfinite && worst <= 1.0;
  snprintf(out->note, sizeof out->note,
           "max_rel_err=%.2e (bound %.0e; %d steps; p, exp_avg, exp_avg_sq%s; %s %zu params)",
           k.nonfinite ? INFINITY : err, bound, OB_ADAM_VERIFY_STEPS,
           r->opt.amsgrad ? ", max_exp_avg_sq" : "",
           k.checked == r->ntensors * r->count ? "all" : "sampled", k.checked);
  return OB_OK;
}

const ob_workload ob_workload_adam = {
    .name = "adam",
    .description = "fused and eager Adam / AdamW optimizer step, fp32 and fp16 parameters (1M, "
                   "10.5M, 100M)",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(adam_run),
    .list_cases = adam_list_cases,
    .setup = adam_setup,
    .run = adam_run_step,
    .verify = adam_verify,
    .teardown = adam_teardown,
};
