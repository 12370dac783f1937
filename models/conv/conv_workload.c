/* The `conv` workload: each shape x (own forward, CLBlast forward, own data gradient, own
 * weight gradient) x (fp32, fp16 storage), verified against the double host reference
 * (sampled for large tensors).
 *
 * fp16: every tensor is IEEE half. The own kernels read and write halves with core OpenCL C
 * 1.2 (vload_half / vstore_half_rte) and accumulate in fp32, so they run on every device; their
 * rate is a fraction of the FP32 peak. CLBlast's Hconvgemm computes in half and needs
 * cl_khr_fp16: on a device without working fp16 one `skipped` row says so; its rate is not a
 * fraction of the FP32 peak (half arithmetic may exceed it). The reference reads the same
 * half-rounded inputs; the tolerance is ob_conv_ref_bound's for the arithmetic (fp16 storage
 * with fp32 sums for the own kernels, half arithmetic for Hconvgemm). */
#include "conv_workload.h"

#include <clblast_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm/clblast_gemm.h" /* ob_clblast_strerror */
#include "conv.h"
#include "conv_ref.h"
#include "conv_tune.h"

typedef struct conv_shape_def {
  const char *name;
  const char *family; /* shapes of a family predict each other's time (runner series) */
  int c, hw, k, rs, stride, pad;
} conv_shape_def;

/* NCHW batch 32 (OB_CONV_QUICK_BATCH with --quick): the seed's SimpleCNN conv and the 3x3
 * layers of ResNet-18; all ResNet layers cost the same FLOPs (7.4 GFLOP at batch 32). */
static const conv_shape_def shapes[] = {
    {"simplecnn_3x224", "simplecnn", 3, 224, 32, 3, 2, 1},
    {"resnet_64x56", "resnet", 64, 56, 64, 3, 1, 1},
    {"resnet_128x28", "resnet", 128, 28, 128, 3, 1, 1},
    {"resnet_256x14", "resnet", 256, 14, 256, 3, 1, 1},
    {"resnet_512x7", "resnet", 512, 7, 512, 3, 1, 1},
};
#define NSHAPES (sizeof shapes / sizeof *shapes)

typedef enum conv_variant { VARIANT_OWN, VARIANT_CLBLAST } conv_variant;

typedef struct conv_method {
  conv_variant variant;
  ob_conv_pass pass;
  ob_conv_storage storage;
} conv_method;

static const conv_method methods[] = {{VARIANT_OWN, OB_CONV_FORWARD, OB_CONV_FP32},
                                      {VARIANT_CLBLAST, OB_CONV_FORWARD, OB_CONV_FP32},
                                      {VARIANT_OWN, OB_CONV_BACKWARD_DATA, OB_CONV_FP32},
                                      {VARIANT_OWN, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32},
                                      {VARIANT_OWN, OB_CONV_FORWARD, OB_CONV_FP16},
                                      {VARIANT_CLBLAST, OB_CONV_FORWARD, OB_CONV_FP16},
                                      {VARIANT_OWN, OB_CONV_BACKWARD_DATA, OB_CONV_FP16},
                                      {VARIANT_OWN, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP16}};
#define NMETHODS (sizeof methods / sizeof *methods)

/* The workload's case struct: one method on one shape at one batch. */
typedef struct conv_case {
  const conv_shape_def *shape;
  const conv_method *method;
  int batch;
} conv_case;

/* The case tables, every method on every shape in row order, at the batch of the full run and
 * of --quick. */
#define CONV_METHODS(i, b)                                                                       \
  {&shapes[i], &methods[0], b}, {&shapes[i], &methods[1], b}, {&shapes[i], &methods[2], b},      \
      {&shapes[i], &methods[3], b}, {&shapes[i], &methods[4], b}, {&shapes[i], &methods[5], b},  \
      {&shapes[i], &methods[6], b}, {&shapes[i], &methods[7], b}
#define CONV_CASES(b)                                                                            \
  CONV_METHODS(0, b), CONV_METHODS(1, b), CONV_METHODS(2, b), CONV_METHODS(3, b),                \
      CONV_METHODS(4, b)
static const conv_case full_cases[] = {CONV_CASES(OB_CONV_BATCH)};
static const conv_case quick_cases[] = {CONV_CASES(OB_CONV_QUICK_BATCH)};
_Static_assert(sizeof full_cases / sizeof *full_cases == NSHAPES * NMETHODS,
               "every method on every shape");

#define NO_FP16 "no working fp16 on this device (cl_khr_fp16 not reported or its test compile " \
                "failed)"

/* Host multiply-adds the sampled verification may spend per case. */
#define VERIFY_BUDGET 3e7

static const char *variant_name(conv_variant v) { return v == VARIANT_OWN ? "own" : "clblast"; }

static ob_conv_shape shape_of(const conv_shape_def *d, int batch) {
  ob_conv_shape s = {batch, d->c, d->hw, d->hw, d->k, d->rs, d->rs, d->stride, d->pad, 1};
  return s;
}

/* CLBlast's fp16 convolution needs cl_khr_fp16. */
static bool runnable(const ob_device *dev, const conv_method *m) {
  return m->variant != VARIANT_CLBLAST || m->storage != OB_CONV_FP16 ||
         ob_device_fp16(dev);
}

static size_t conv_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                              size_t max) {
  const conv_case *table = opts->quick ? quick_cases : full_cases;
  size_t n = 0;
  for (size_t i = 0; i < NSHAPES * NMETHODS && n < max; i++) {
    const conv_case *cc = &table[i];
    /* A method the device cannot run: one case (the first shape's) that setup skips. */
    if (!runnable(dev, cc->method) && cc->shape != &shapes[0]) continue;
    const ob_conv_shape s = shape_of(cc->shape, cc->batch);
    const double flops = 2.0 * ob_conv_macs(&s);
    const conv_method *r = cc->method;
    char series[64];
    snprintf(series, sizeof series, "%s_%s_%s_%s", variant_name(r->variant),
             ob_conv_pass_name(r->pass), ob_conv_storage_name(r->storage), cc->shape->family);
    ob_case *c = &cases[n++];
    ob_case_init(c, cc, variant_name(r->variant), ob_conv_storage_name(r->storage), series,
                 flops);
    snprintf(c->size, sizeof c->size, "%s", cc->shape->name);
    snprintf(c->detail, sizeof c->detail, "%s", ob_conv_pass_name(r->pass));
    ob_case_param(c, "shape", "%s", cc->shape->name);
    ob_case_param(c, "n", "%d", s.n);
    ob_case_param(c, "c", "%d", s.c);
    ob_case_param(c, "h", "%d", s.h);
    ob_case_param(c, "w", "%d", s.w);
    ob_case_param(c, "k", "%d", s.k);
    ob_case_param(c, "r", "%d", s.r);
    ob_case_param(c, "s", "%d", s.s);
    ob_case_param(c, "stride", "%d", s.stride);
    ob_case_param(c, "pad", "%d", s.pad);
    ob_case_param(c, "pass", "%s", ob_conv_pass_name(r->pass));
    c->flops = flops;
    c->bytes = (double)ob_conv_storage_bytes(r->storage) *
               (double)(ob_conv_input_elems(&s) + ob_conv_filter_elems(&s) +
                        ob_conv_output_elems(&s));
    const bool half_math = r->variant == VARIANT_CLBLAST && r->storage == OB_CONV_FP16;
    ob_metric_per_joule(ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, flops, 1e9,
                                       half_math ? OB_PEAK_NONE : OB_PEAK_FP32),
                        "gflops_per_j", "GFLOP/J", 1e9);
  }
  return n;
}

typedef struct conv_state {
  ob_device *dev;
  ob_conv_shape shape;
  ob_conv_pass pass;
  conv_variant variant;
  ob_conv_storage storage;
  ob_conv_plan *plan;
  char config[192];        /* the plan's configuration and how it was chosen */
  float *in0, *in1;        /* host copies of the inputs as the device holds them */
  cl_mem d_in0, d_in1, d_out;
  size_t n0, n1, nout;
} conv_state;

static void conv_teardown(void *state) {
  conv_state *s = state;
  ob_conv_plan_destroy(s->plan);
  ob_buffer_release(s->dev, s->d_in0);
  ob_buffer_release(s->dev, s->d_in1);
  ob_buffer_release(s->dev, s->d_out);
  free(s->in0);
  free(s->in1);
}

/* Input/output sizes of a pass: in0, in1 and out as ob_conv_ref_at orders them. */
static void pass_sizes(conv_state *s) {
  const size_t nx = ob_conv_input_elems(&s->shape), nw = ob_conv_filter_elems(&s->shape);
  const size_t ny = ob_conv_output_elems(&s->shape);
  switch (s->pass) {
  case OB_CONV_FORWARD: s->n0 = nx, s->n1 = nw, s->nout = ny; break;
  case OB_CONV_BACKWARD_DATA: s->n0 = ny, s->n1 = nw, s->nout = nx; break;
  case OB_CONV_BACKWARD_WEIGHT: s->n0 = nx, s->n1 = ny, s->nout = nw; break;
  }
}

static ob_status upload_inputs(conv_state *s) {
  s->in0 = malloc(s->n0 * sizeof *s->in0);
  s->in1 = malloc(s->n1 * sizeof *s->in1);
  if (!s->in0 || !s->in1) return ob_fail(OB_ERR_NOMEM, "out of host memory for conv inputs");
  ob_conv_ref_fill(s->in0, s->n0, 11);
  ob_conv_ref_fill(s->in1, s->n1, 12);
  /* The output first: a size the device cannot hold is skipped before the uploads. */
  OB_TRY(ob_conv_tensor_create(s->dev, s->storage, CL_MEM_READ_WRITE, NULL, s->nout, &s->d_out));
  OB_TRY(ob_conv_tensor_create(s->dev, s->storage, CL_MEM_READ_ONLY, s->in0, s->n0, &s->d_in0));
  return ob_conv_tensor_create(s->dev, s->storage, CL_MEM_READ_ONLY, s->in1, s->n1, &s->d_in1);
}

static ob_status conv_setup(void *state, ob_device *dev, ob_case *c) {
  conv_state *s = state;
  const conv_case *cc = c->spec;
  s->dev = dev;
  s->shape = shape_of(cc->shape, cc->batch);
  s->pass = cc->method->pass;
  s->variant = cc->method->variant;
  s->storage = cc->method->storage;
  pass_sizes(s);
  OB_TRY(ob_device_open(dev));
  if (!runnable(dev, cc->method)) return ob_fail(OB_ERR_UNSUPPORTED, NO_FP16);
  OB_TRY(upload_inputs(s));
  if (s->variant == VARIANT_CLBLAST) return OB_OK;
  ob_conv_choice choice;
  OB_TRY(ob_conv_select(dev, ob_tune_settings_current(), &s->shape, s->pass, s->storage,
                        &choice));
  snprintf(s->config, sizeof s->config, "%s", choice.describe);
  const int m = ob_conv_algo_tile(choice.cfg.algo);
  if (m) {
    /* The rate stays in direct-convolution FLOPs (comparable with cuDNN's figures); the
     * device did fewer multiply-adds (F(mxm,3x3): (m + 2)^2 products per m x m outputs
     * instead of 9 m^2: 2.25x fewer for m = 2, 4x for m = 4), so the plausibility bound
     * allows that much over the FP32 peak. */
    const double saved = 9.0 * m * m / ((m + 2) * (m + 2));
    c->metrics[0].limit_per_peak = saved;
    snprintf(c->note, sizeof c->note, "algo=%s F(%dx%d,3x3): GFLOP/s in direct-conv FLOPs, "
             "%gx the arithmetic done", m == 4 ? "winograd4" : "winograd", m, m, saved);
  }
  return ob_conv_plan_create(dev, &s->shape, s->pass, s->storage, &choice.cfg, &s->plan);
}

/* CLBlast's convgemm (Sconvgemm on floats, Hconvgemm on halves): cross-correlation of
 * x [n][c][h][w] with w [k][c][r][s] into y [n][k][p][q]. */
static CLBlastStatusCode clblast_convgemm(conv_state *s, cl_command_queue *q) {
  const ob_conv_shape *sh = &s->shape;
  if (s->storage == OB_CONV_FP16)
    return CLBlastHconvgemm(CLBlastKernelModeCrossCorrelation, (size_t)sh->c, (size_t)sh->h,
                            (size_t)sh->w, (size_t)sh->r, (size_t)sh->s, (size_t)sh->pad,
                            (size_t)sh->pad, (size_t)sh->stride, (size_t)sh->stride, 1, 1,
                            (size_t)sh->k, (size_t)sh->n, s->d_in0, 0, s->d_in1, 0, s->d_out, 0,
                            q, NULL);
  return CLBlastSconvgemm(CLBlastKernelModeCrossCorrelation, (size_t)sh->c, (size_t)sh->h,
                          (size_t)sh->w, (size_t)sh->r, (size_t)sh->s, (size_t)sh->pad,
                          (size_t)sh->pad, (size_t)sh->stride, (size_t)sh->stride, 1, 1,
                          (size_t)sh->k, (size_t)sh->n, s->d_in0, 0, s->d_in1, 0, s->d_out, 0, q,
                          NULL);
}

/* One CLBlast call. It may launch several kernels: timed by wall-clock around clFinish, and
 * recorded in the kernel trace as one span (kernels oclbench cannot see). */
static ob_status run_clblast(conv_state *s, double *seconds) {
  cl_command_queue q = ob_device_queue(s->dev);
  const char *routine = s->storage == OB_CONV_FP16 ? "CLBlastHconvgemm" : "CLBlastSconvgemm";
  const double t0 = ob_now();
  cl_event span = NULL;
  OB_TRY(ob_trace_span_begin(s->dev, &span));
  const CLBlastStatusCode code = clblast_convgemm(s, &q);
  if (code != CLBlastSuccess) {
    if (span) clReleaseEvent(span);
    return ob_fail(code == CLBlastNoHalfPrecision ? OB_ERR_UNSUPPORTED : OB_ERR_LIBRARY,
                   "%s: %s (%d)", routine, ob_clblast_strerror(code), (int)code);
  }
  OB_TRY(ob_trace_span_end(s->dev, span, routine, 2.0 * ob_conv_macs(&s->shape), NAN));
  OB_TRY(OB_CL(clFinish(q)));
  *seconds = ob_now() - t0;
  return OB_OK;
}

static ob_status conv_run(void *state, double *seconds) {
  conv_state *s = state;
  if (s->variant == VARIANT_CLBLAST) return run_clblast(s, seconds);
  switch (s->pass) {
  case OB_CONV_FORWARD: OB_TRY(ob_conv_forward(s->plan, s->d_in0, s->d_in1, NULL, s->d_out)); break;
  case OB_CONV_BACKWARD_DATA:
    OB_TRY(ob_conv_backward_data(s->plan, s->d_in0, s->d_in1, s->d_out));
    break;
  case OB_CONV_BACKWARD_WEIGHT:
    OB_TRY(ob_conv_backward_weight(s->plan, s->d_in0, s->d_in1, s->d_out, NULL));
    break;
  }
  return ob_conv_plan_last_seconds(s->plan, seconds);
}

static ob_status conv_verify(void *state, ob_verdict *out) {
  conv_state *s = state;
  float *got = malloc(s->nout * sizeof *got);
  if (!got) return ob_fail(OB_ERR_NOMEM, "out of host memory for the conv result");
  ob_status st = ob_conv_tensor_read(s->dev, s->storage, s->d_out, s->nout, got);
  if (st == OB_OK) {
    const ob_conv_arith arith = s->variant == VARIANT_CLBLAST && s->storage == OB_CONV_FP16
                                    ? OB_CONV_ARITH_FP16
                                : s->plan ? ob_conv_arith_of(ob_conv_plan_config(s->plan), s->storage)
                                          : ob_conv_arith_own(s->storage);
    static const char *const bound_text[] = {
        [OB_CONV_ARITH_FP32] = "1e-5 sqrt(K)",
        [OB_CONV_ARITH_FP16_STORAGE] = "2^-11 + 1e-5 sqrt(K)",
        [OB_CONV_ARITH_FP16] = "2e-3 sqrt(K)",
        [OB_CONV_ARITH_WINOGRAD] = "9e-5 sqrt(K)",
        [OB_CONV_ARITH_WINOGRAD4] = "2.56e-3 sqrt(K)",
    };
    ob_conv_check chk;
    ob_conv_ref_compare(&s->shape, s->pass, s->in0, s->in1, NULL, got, VERIFY_BUDGET, arith, 13,
                        &chk);
    out->checked = true;
    out->ok = chk.ok;
    snprintf(out->note, sizeof out->note, "rel_err=%.2e (bound %.2e = %s) over %zu of %zu "
             "outputs%s%s", chk.rel_err, chk.bound, bound_text[arith], chk.checked, chk.total,
             s->plan ? "; " : "", s->plan ? s->config : "");
  }
  free(got);
  return st;
}

const ob_workload ob_workload_conv = {
    .name = "conv",
    .description = "conv2d GFLOP/s, fp32 and fp16 storage: own implicit GEMM (forward, data "
                   "and weight gradients), CLBlast forward",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(conv_state),
    .list_cases = conv_list_cases,
    .setup = conv_setup,
    .run = conv_run,
    .verify = conv_verify,
    .teardown = conv_teardown,
};
