/* Linear workload (see linear.h): the shared shape and case tables, one small table of
 * functions per op, and the set-up, run, verification and teardown all ops share. */
#include "linear.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clblast_gemm.h"
#include "gemm_ref.h"
#include "gemm_tune.h"
#include "igemm.h"
#include "igemm_ref.h"
#include "igemm_tune.h"

/* The seed's layer: X is batch x in, W is out x in, Y is batch x out. */
#define FC_BATCH 128
#define FC_IN 1024
#define FC_OUT 1024

/* The shape table: square sizes (A and B as used), the layer's three passes, and the square
 * sizes of the int8 layout (B = W stored out x in, as PyTorch's Linear stores its weight). */
static const ob_linear_shape shapes[] = {
    {NULL, 1024, 1024, 1024, OB_GEMM_N, OB_GEMM_N, true},
    {NULL, 2048, 2048, 2048, OB_GEMM_N, OB_GEMM_N, false},
    {NULL, 4096, 4096, 4096, OB_GEMM_N, OB_GEMM_N, false},
    {NULL, 8192, 8192, 8192, OB_GEMM_N, OB_GEMM_N, false},
    {"forward", FC_BATCH, FC_OUT, FC_IN, OB_GEMM_N, OB_GEMM_T, true},         /* Y = X W^T */
    {"backward_data", FC_BATCH, FC_IN, FC_OUT, OB_GEMM_N, OB_GEMM_N, true},   /* dX = dY W */
    {"backward_weight", FC_OUT, FC_IN, FC_BATCH, OB_GEMM_T, OB_GEMM_N, true}, /* dW = dY^T X */
    {NULL, 1024, 1024, 1024, OB_GEMM_N, OB_GEMM_T, true},
    {NULL, 2048, 2048, 2048, OB_GEMM_N, OB_GEMM_T, false},
    {NULL, 4096, 4096, 4096, OB_GEMM_N, OB_GEMM_T, false},
};

/* The case table in row order: each float op on the square sizes and the layer passes, the
 * int8 op on its square sizes and the layer's forward pass. */
#define FLOAT_CASES(op)                                                                          \
  {op, &shapes[0]}, {op, &shapes[1]}, {op, &shapes[2]}, {op, &shapes[3]}, {op, &shapes[4]},      \
      {op, &shapes[5]}, {op, &shapes[6]}
static const ob_linear_case cases_table[] = {
    FLOAT_CASES(OB_LINEAR_OWN_FP32),     FLOAT_CASES(OB_LINEAR_OWN_FP16),
    FLOAT_CASES(OB_LINEAR_CLBLAST_FP32), FLOAT_CASES(OB_LINEAR_CLBLAST_FP16),
    {OB_LINEAR_OWN_INT8, &shapes[7]},    {OB_LINEAR_OWN_INT8, &shapes[8]},
    {OB_LINEAR_OWN_INT8, &shapes[9]},    {OB_LINEAR_OWN_INT8, &shapes[4]},
};

typedef struct linear_op_def linear_op_def;

/* A case's state, shared by every op. */
typedef struct linear_state {
  ob_device *dev;
  const linear_op_def *op;
  const ob_linear_shape *shape;
  cl_mem a, b, c;
  void *host_a, *host_b; /* host operands as the device holds them: floats (fp16 ops: the values
                            after rounding to half) or int8 */
  ob_gemm *gemm;         /* own float ops */
  ob_igemm *igemm;       /* own int8 op */
  char config[200];      /* own ops: the kernel configuration and where it came from */
} linear_state;

/* One op of the family: its rows and its functions over the shared state. Setup runs after
 * the shared part (device open, C allocated, host operands allocated); the shared teardown
 * frees what any op made. */
struct linear_op_def {
  const char *variant, *precision;
  double elem_in, elem_out;  /* bytes per element of A and B, of C */
  size_t elem_host;          /* bytes per element of the host operands */
  bool integer;              /* integer operations: GOP/s, no FLOPs */
  bool half_math;            /* fp16 arithmetic: needs working fp16, not a fraction of FP32 */
  ob_gemm_storage storage;   /* float ops: the buffers' element type */
  double (*bound)(size_t k); /* float ops: the verification bound */
  ob_status (*setup)(linear_state *s);
  ob_status (*run)(linear_state *s, double *seconds);
  ob_status (*verify)(linear_state *s, ob_verdict *out);
};

static size_t lda_of(const ob_linear_shape *sh) { return sh->ta == OB_GEMM_T ? sh->m : sh->k; }
static size_t ldb_of(const ob_linear_shape *sh) { return sh->tb == OB_GEMM_T ? sh->k : sh->n; }

/* ------------------------------------------------------------------ float ops */

static ob_gemm_args gemm_args(const linear_state *s) {
  const ob_linear_shape *sh = s->shape;
  return (ob_gemm_args){.storage = s->op->storage, .ta = sh->ta, .tb = sh->tb, .m = sh->m,
                        .n = sh->n, .k = sh->k, .alpha = 1.0f, .beta = 0.0f, .a = s->a,
                        .lda = lda_of(sh), .b = s->b, .ldb = ldb_of(sh), .c = s->c,
                        .ldc = sh->n};
}

/* Uploads n host floats as fp32 or, rounded to half in place, as fp16. */
static ob_status upload(linear_state *s, float *host, size_t n, cl_mem *out) {
  const size_t elem = (size_t)s->op->elem_in;
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_ONLY, n * elem, NULL, out));
  if (s->op->storage == OB_GEMM_FP32) return ob_buffer_write(s->dev, *out, 0, n * elem, host);
  uint16_t *h = malloc(n * sizeof *h);
  if (!h) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    h[i] = ob_half_from_float(host[i]);
    host[i] = ob_half_to_float(h[i]);
  }
  ob_status st = ob_buffer_write(s->dev, *out, 0, n * elem, h);
  free(h);
  return st;
}

static ob_status float_operands(linear_state *s) {
  const ob_linear_shape *sh = s->shape;
  ob_gemm_ref_fill(s->host_a, sh->m * sh->k, 0x5eed0001u + sh->m);
  ob_gemm_ref_fill(s->host_b, sh->k * sh->n, 0x5eed0002u + sh->n);
  OB_TRY(upload(s, s->host_a, sh->m * sh->k, &s->a));
  return upload(s, s->host_b, sh->k * sh->n, &s->b);
}

static ob_status own_setup(linear_state *s) {
  OB_TRY(float_operands(s));
  const ob_gemm_args args = gemm_args(s);
  ob_gemm_config cfg;
  ob_tune_source source;
  OB_TRY(ob_gemm_select(s->dev, ob_tune_settings_current(), &args, &cfg, &source));
  OB_TRY(ob_gemm_create(s->dev, &cfg, &s->gemm));
  OB_TRY(ob_gemm_prepare(s->gemm, &args));
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_gemm_family, &cfg, text, sizeof text);
  snprintf(s->config, sizeof s->config, "config=%s (%s)", text, ob_tune_source_name(source));
  char info[400];
  ob_gemm_build_info(s->gemm, &args, info, sizeof info);
  ob_log(OB_LOG_DEBUG, "%s: gemm %s (%s): %s", ob_device_slug(s->dev), text,
         ob_tune_source_name(source), info[0] ? info : "no build information");
  return OB_OK;
}

static ob_status own_run(linear_state *s, double *seconds) {
  const ob_gemm_args args = gemm_args(s);
  return ob_gemm_run_timed(s->gemm, &args, seconds);
}

static ob_clblast_precision clblast_precision(const linear_state *s) {
  return s->op->storage == OB_GEMM_FP16 ? OB_CLBLAST_FP16 : OB_CLBLAST_FP32;
}

static ob_status clblast_setup(linear_state *s) {
  OB_TRY(float_operands(s));
  /* CLBlast compiles its kernels on the first call: do it here, untimed. */
  const ob_gemm_args args = gemm_args(s);
  OB_TRY(ob_clblast_gemm(s->dev, clblast_precision(s), &args));
  return ob_device_finish(s->dev);
}

static ob_status clblast_run(linear_state *s, double *seconds) {
  const ob_gemm_args args = gemm_args(s);
  return ob_clblast_gemm_timed(s->dev, clblast_precision(s), &args, seconds);
}

static ob_status float_verify(linear_state *s, ob_verdict *out) {
  const ob_linear_shape *sh = s->shape;
  const size_t count = sh->m * sh->n;
  float *c = malloc(count * sizeof *c);
  if (!c) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_OK;
  if (s->op->storage == OB_GEMM_FP16) {
    uint16_t *h = malloc(count * sizeof *h);
    st = h ? ob_buffer_read(s->dev, s->c, 0, count * sizeof *h, h)
           : ob_fail(OB_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == OB_OK && i < count; i++) c[i] = ob_half_to_float(h[i]);
    free(h);
  } else {
    st = ob_buffer_read(s->dev, s->c, 0, count * sizeof *c, c);
  }
  if (st == OB_OK) {
    const ob_gemm_ref_problem p = {.ta = (int)sh->ta, .tb = (int)sh->tb, .m = sh->m, .n = sh->n,
                                   .k = sh->k, .alpha = 1.0, .beta = 0.0, .a = s->host_a,
                                   .lda = lda_of(sh), .b = s->host_b, .ldb = ldb_of(sh)};
    ob_gemm_ref_result r;
    ob_gemm_ref_check(&p, c, sh->n, s->op->bound(sh->k), 0x9e3779b97f4a7c15ull, &r);
    ob_gemm_ref_note(&r, out->note, sizeof out->note);
    out->checked = true;
    out->ok = r.ok;
  }
  free(c);
  return st;
}

/* ------------------------------------------------------------------ int8 op */

static ob_igemm_args igemm_args(const linear_state *s) {
  const ob_linear_shape *sh = s->shape;
  return (ob_igemm_args){.ta = sh->ta, .tb = sh->tb, .m = sh->m, .n = sh->n, .k = sh->k,
                         .a = s->a, .lda = lda_of(sh), .b = s->b, .ldb = ldb_of(sh), .c = s->c,
                         .ldc = sh->n};
}

static ob_status int8_setup(linear_state *s) {
  const ob_linear_shape *sh = s->shape;
  ob_igemm_ref_fill(s->host_a, sh->m * sh->k, 0x5eed0101u + sh->m);
  ob_igemm_ref_fill(s->host_b, sh->k * sh->n, 0x5eed0102u + sh->n);
  const cl_mem_flags in = CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR;
  OB_TRY(ob_buffer_create(s->dev, in, sh->m * sh->k + 1, s->host_a, &s->a));
  OB_TRY(ob_buffer_create(s->dev, in, sh->k * sh->n + 1, s->host_b, &s->b));
  ob_igemm_config cfg;
  ob_igemm_dot dot;
  ob_tune_source source;
  OB_TRY(ob_igemm_select(s->dev, ob_tune_settings_current(), OB_IGEMM_DOT_AUTO, &cfg, &dot,
                         &source));
  OB_TRY(ob_igemm_create(s->dev, &cfg, dot, &s->igemm));
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_igemm_family, &cfg, text, sizeof text);
  snprintf(s->config, sizeof s->config, "config=%s (%s); dot=%s", text,
           ob_tune_source_name(source), ob_igemm_dot_name(ob_igemm_dot_mode(s->igemm)));
  return OB_OK;
}

/* Timing: profiling events from the first to the last launch of the product (operand packing
 * included where a layout needs it; the listed cases need none). */
static ob_status int8_run(linear_state *s, double *seconds) {
  const ob_igemm_args args = igemm_args(s);
  return ob_igemm_run_timed(s->igemm, &args, seconds);
}

static ob_status int8_verify(linear_state *s, ob_verdict *out) {
  const ob_linear_shape *sh = s->shape;
  int32_t *c = malloc(sh->m * sh->n * sizeof *c + 1);
  if (!c) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = ob_buffer_read(s->dev, s->c, 0, sh->m * sh->n * sizeof *c, c);
  if (st == OB_OK) {
    const ob_igemm_ref_problem p = {.ta = sh->ta == OB_GEMM_T, .tb = sh->tb == OB_GEMM_T,
                                    .m = sh->m, .n = sh->n, .k = sh->k, .a = s->host_a,
                                    .lda = lda_of(sh), .b = s->host_b, .ldb = ldb_of(sh)};
    ob_igemm_ref_result r;
    ob_igemm_ref_check(&p, c, sh->n, 0x9e3779b97f4a7c15ull, &r);
    ob_igemm_ref_note(&r, out->note, sizeof out->note);
    out->checked = true;
    out->ok = r.mismatches == 0 && r.compared > 0;
  }
  free(c);
  return st;
}

/* ------------------------------------------------------------------ the family */

static const linear_op_def ops[] = {
    [OB_LINEAR_OWN_FP32] = {"own", "fp32", 4, 4, sizeof(float), false, false, OB_GEMM_FP32,
                            ob_gemm_ref_bound_fp32, own_setup, own_run, float_verify},
    [OB_LINEAR_OWN_FP16] = {"own", "fp16", 2, 2, sizeof(float), false, false, OB_GEMM_FP16,
                            ob_gemm_ref_bound_fp16_storage, own_setup, own_run, float_verify},
    [OB_LINEAR_CLBLAST_FP32] = {"clblast", "fp32", 4, 4, sizeof(float), false, false,
                                OB_GEMM_FP32, ob_gemm_ref_bound_fp32, clblast_setup, clblast_run,
                                float_verify},
    [OB_LINEAR_CLBLAST_FP16] = {"clblast", "fp16", 2, 2, sizeof(float), false, true,
                                OB_GEMM_FP16, ob_gemm_ref_bound_fp16, clblast_setup, clblast_run,
                                float_verify},
    [OB_LINEAR_OWN_INT8] = {"own", "int8", 1, 4, 1, true, false, OB_GEMM_FP32, NULL, int8_setup,
                            int8_run, int8_verify},
};

void ob_linear_case_init(ob_case *c, const ob_linear_case *spec) {
  const linear_op_def *op = &ops[spec->op];
  const ob_linear_shape *sh = spec->shape;
  const double m = (double)sh->m, n = (double)sh->n, k = (double)sh->k;
  const bool square = !sh->pass && sh->m == sh->n && sh->n == sh->k;
  char series[64] = "";
  if (square) snprintf(series, sizeof series, "%s-%s-square", op->variant, op->precision);
  ob_case_init(c, spec, op->variant, op->precision, series, square ? m * n * k : 0.0);
  if (sh->pass) snprintf(c->size, sizeof c->size, "fc%d", FC_IN);
  else snprintf(c->size, sizeof c->size, "%zu", sh->m);
  snprintf(c->detail, sizeof c->detail, "%s", sh->pass ? sh->pass : "");
  if (sh->pass) {
    ob_case_param(c, "layer", "fc%d", FC_IN);
    ob_case_param(c, "batch", "%d", FC_BATCH);
    ob_case_param(c, "pass", "%s", sh->pass);
  }
  ob_case_param(c, "m", "%zu", sh->m);
  ob_case_param(c, "n", "%zu", sh->n);
  ob_case_param(c, "k", "%zu", sh->k);
  ob_case_param(c, "ta", "%s", sh->ta == OB_GEMM_T ? "T" : "N");
  ob_case_param(c, "tb", "%s", sh->tb == OB_GEMM_T ? "T" : "N");
  c->bytes = op->elem_in * (m * k + k * n) + op->elem_out * m * n;
  const double ops_per_rep = 2.0 * m * n * k;
  if (op->integer) {
    c->flops = NAN; /* integer operations: the metric's work */
    /* A 4-way int8 dot product with accumulation (8 operations) per lane and cycle, where an
     * FMA counts 2 FLOP: at most 4 operations per FP32 FLOP. */
    ob_metric *gops = ob_case_metric(c, "gops", "GOP/s", OB_METRIC_RATE, ops_per_rep, 1e9,
                                     OB_PEAK_NONE);
    gops->limit_per_peak = 4.0;
    ob_metric_per_joule(gops, "gops_per_j", "GOP/J", 1e9);
  } else {
    /* The own kernel computes in fp32 whatever the storage: a fraction of the fp32 peak.
     * CLBlast's Hgemm computes in fp16: not a fraction of it (and may exceed it). */
    c->flops = ops_per_rep;
    ob_metric_per_joule(ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, c->flops, 1e9,
                                       op->half_math ? OB_PEAK_NONE : OB_PEAK_FP32),
                        "gflops_per_j", "GFLOP/J", 1e9);
  }
}

size_t ob_linear_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                            size_t max) {
  const bool fp16 = ob_device_fp16(dev);
  bool listed[sizeof ops / sizeof *ops] = {false};
  size_t n = 0;
  for (size_t i = 0; i < sizeof cases_table / sizeof *cases_table && n < max; i++) {
    const ob_linear_case *spec = &cases_table[i];
    if (opts->quick && !spec->shape->quick) continue;
    /* An op the device cannot run: one case, which setup turns into a `skipped` row with the
     * reason. */
    if (ops[spec->op].half_math && !fp16 && listed[spec->op]) continue;
    listed[spec->op] = true;
    ob_linear_case_init(&cases[n++], spec);
  }
  return n;
}

void ob_linear_teardown(void *state) {
  linear_state *s = state;
  ob_gemm_destroy(s->gemm);
  ob_igemm_destroy(s->igemm);
  if (s->dev && ob_device_queue(s->dev)) ob_device_finish(s->dev);
  ob_buffer_release(s->dev, s->a);
  ob_buffer_release(s->dev, s->b);
  ob_buffer_release(s->dev, s->c);
  free(s->host_a);
  free(s->host_b);
}

ob_status ob_linear_setup(void *state, ob_device *dev, ob_case *c) {
  linear_state *s = state;
  const ob_linear_case *spec = c->spec;
  const ob_linear_shape *sh = spec->shape;
  s->dev = dev;
  s->op = &ops[spec->op];
  s->shape = sh;
  OB_TRY(ob_device_open(dev));
  if (s->op->half_math && !ob_device_fp16(dev))
    return ob_fail(OB_ERR_UNSUPPORTED,
                   "no working fp16 on this device (cl_khr_fp16 not reported or its test "
                   "compile failed)");
  /* C first, so that a size the device cannot hold is skipped before any host work. */
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_WRITE, sh->m * sh->n * (size_t)s->op->elem_out, NULL,
                          &s->c));
  s->host_a = malloc(sh->m * sh->k * s->op->elem_host + 1);
  s->host_b = malloc(sh->k * sh->n * s->op->elem_host + 1);
  if (!s->host_a || !s->host_b)
    return ob_fail(OB_ERR_TOO_LARGE, "host memory for %zu x %zu x %zu operands", sh->m, sh->n,
                   sh->k);
  return s->op->setup(s);
}

ob_status ob_linear_run(void *state, double *seconds) {
  linear_state *s = state;
  return s->op->run(s, seconds);
}

ob_status ob_linear_verify(void *state, ob_verdict *out) {
  linear_state *s = state;
  OB_TRY(s->op->verify(s, out));
  const size_t len = strlen(out->note);
  if (s->config[0]) snprintf(out->note + len, sizeof out->note - len, "; %s", s->config);
  return OB_OK;
}

const ob_workload ob_workload_linear = {
    .name = "linear",
    .description = "GEMM (own tiled SGEMM, fp32 and fp16 storage; CLBlast Sgemm/Hgemm): square "
                   "sizes, fc1024 passes",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(linear_state),
    .list_cases = ob_linear_list_cases,
    .setup = ob_linear_setup,
    .run = ob_linear_run,
    .verify = ob_linear_verify,
    .teardown = ob_linear_teardown,
};
