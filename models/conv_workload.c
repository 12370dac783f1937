/* The `conv` workload: each shape x (own forward, CLBlast forward, own data gradient, own
 * weight gradient), verified against the double host reference (sampled for large tensors). */
#include "conv_workload.h"

#include <clblast_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "conv_ref.h"

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

static const struct {
  conv_variant variant;
  ob_conv_pass pass;
} runs[] = {{VARIANT_OWN, OB_CONV_FORWARD},
            {VARIANT_CLBLAST, OB_CONV_FORWARD},
            {VARIANT_OWN, OB_CONV_BACKWARD_DATA},
            {VARIANT_OWN, OB_CONV_BACKWARD_WEIGHT}};
#define NRUNS (sizeof runs / sizeof *runs)

/* Host multiply-adds the sampled verification may spend per case. */
#define VERIFY_BUDGET 3e7

static const char *variant_name(conv_variant v) { return v == VARIANT_OWN ? "own" : "clblast"; }

static ob_conv_shape shape_of(const conv_shape_def *d, int batch) {
  ob_conv_shape s = {batch, d->c, d->hw, d->hw, d->k, d->rs, d->rs, d->stride, d->pad, 1};
  return s;
}

static size_t conv_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                              size_t max) {
  (void)dev;
  const int batch = opts->quick ? OB_CONV_QUICK_BATCH : OB_CONV_BATCH;
  size_t n = 0;
  for (size_t i = 0; i < NSHAPES; i++)
    for (size_t r = 0; r < NRUNS && n < max; r++) {
      const ob_conv_shape s = shape_of(&shapes[i], batch);
      const double flops = 2.0 * ob_conv_macs(&s);
      char series[64];
      snprintf(series, sizeof series, "%s_%s_%s", variant_name(runs[r].variant),
               ob_conv_pass_name(runs[r].pass), shapes[i].family);
      ob_case *c = &cases[n++];
      ob_case_init(c, variant_name(runs[r].variant), "fp32", series, flops);
      ob_case_param(c, "shape", "%s", shapes[i].name);
      ob_case_param(c, "n", "%d", s.n);
      ob_case_param(c, "c", "%d", s.c);
      ob_case_param(c, "h", "%d", s.h);
      ob_case_param(c, "w", "%d", s.w);
      ob_case_param(c, "k", "%d", s.k);
      ob_case_param(c, "r", "%d", s.r);
      ob_case_param(c, "s", "%d", s.s);
      ob_case_param(c, "stride", "%d", s.stride);
      ob_case_param(c, "pad", "%d", s.pad);
      ob_case_param(c, "pass", "%s", ob_conv_pass_name(runs[r].pass));
      c->flops = flops;
      c->bytes = 4.0 * (double)(ob_conv_input_elems(&s) + ob_conv_filter_elems(&s) +
                                ob_conv_output_elems(&s));
      ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, flops, 1e9, OB_PEAK_FP32);
      c->arg[0] = (long)i;
      c->arg[1] = runs[r].pass;
      c->arg[2] = runs[r].variant;
      c->arg[3] = batch;
    }
  return n;
}

typedef struct conv_state {
  ob_device *dev;
  ob_conv_shape shape;
  ob_conv_pass pass;
  conv_variant variant;
  ob_conv_plan *plan;
  float *in0, *in1;        /* host copies of the inputs, for the reference */
  cl_mem d_in0, d_in1, d_out;
  size_t n0, n1, nout;
} conv_state;

static void conv_teardown(void *state) {
  conv_state *s = state;
  if (!s) return;
  ob_conv_plan_destroy(s->plan);
  ob_buffer_release(s->dev, s->d_in0);
  ob_buffer_release(s->dev, s->d_in1);
  ob_buffer_release(s->dev, s->d_out);
  free(s->in0);
  free(s->in1);
  free(s);
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
  const cl_mem_flags ro = CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR;
  OB_TRY(ob_buffer_create(s->dev, ro, s->n0 * sizeof(float), s->in0, &s->d_in0));
  OB_TRY(ob_buffer_create(s->dev, ro, s->n1 * sizeof(float), s->in1, &s->d_in1));
  return ob_buffer_create(s->dev, CL_MEM_READ_WRITE, s->nout * sizeof(float), NULL, &s->d_out);
}

static ob_status conv_setup(ob_device *dev, ob_case *c, void **state) {
  *state = NULL;
  conv_state *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->dev = dev;
  s->shape = shape_of(&shapes[c->arg[0]], (int)c->arg[3]);
  s->pass = (ob_conv_pass)c->arg[1];
  s->variant = (conv_variant)c->arg[2];
  *state = s;
  pass_sizes(s);
  OB_TRY(ob_device_open(dev));
  OB_TRY(upload_inputs(s));
  if (s->variant == VARIANT_CLBLAST) return OB_OK;
  ob_conv_options opts;
  OB_TRY(ob_conv_options_from_env(&opts));
  return ob_conv_plan_create(dev, &s->shape, s->pass, &opts, &s->plan);
}

static ob_status clblast_status(CLBlastStatusCode code) {
  if (code == CLBlastSuccess) return OB_OK;
  if (code >= -63)
    return ob_fail(OB_ERR_LIBRARY, "CLBlastSconvgemm: %s (%d)", ob_cl_strerror((cl_int)code),
                   (int)code);
  return ob_fail(OB_ERR_LIBRARY, "CLBlastSconvgemm: CLBlast status %d", (int)code);
}

/* CLBlast's convgemm: cross-correlation of x [n][c][h][w] with w [k][c][r][s] into
 * y [n][k][p][q]. It may launch several kernels: timed by wall-clock around clFinish. */
static ob_status run_clblast(conv_state *s, double *seconds) {
  const ob_conv_shape *sh = &s->shape;
  cl_command_queue q = ob_device_queue(s->dev);
  const double t0 = ob_now();
  OB_TRY(clblast_status(CLBlastSconvgemm(
      CLBlastKernelModeCrossCorrelation, (size_t)sh->c, (size_t)sh->h, (size_t)sh->w,
      (size_t)sh->r, (size_t)sh->s, (size_t)sh->pad, (size_t)sh->pad, (size_t)sh->stride,
      (size_t)sh->stride, 1, 1, (size_t)sh->k, (size_t)sh->n, s->d_in0, 0, s->d_in1, 0, s->d_out,
      0, &q, NULL)));
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
  ob_status st = ob_buffer_read(s->dev, s->d_out, 0, s->nout * sizeof(float), got);
  if (st == OB_OK) {
    ob_conv_check chk;
    ob_conv_ref_compare(&s->shape, s->pass, s->in0, s->in1, NULL, got, VERIFY_BUDGET, 13, &chk);
    out->checked = true;
    out->ok = chk.ok;
    snprintf(out->note, sizeof out->note, "rel_err=%.2e (bound %.2e = 1e-5 sqrt(K)) over %zu of "
             "%zu outputs%s%s", chk.rel_err, chk.bound, chk.checked, chk.total,
             s->plan ? "; " : "", s->plan ? ob_conv_plan_describe(s->plan) : "");
  }
  free(got);
  return st;
}

const ob_workload ob_workload_conv = {
    .name = "conv",
    .description = "conv2d fp32 GFLOP/s: own implicit GEMM (forward, data and weight "
                   "gradients), CLBlast forward",
    .list_cases = conv_list_cases,
    .device_check = NULL,
    .setup = conv_setup,
    .run = conv_run,
    .verify = conv_verify,
    .teardown = conv_teardown,
};
