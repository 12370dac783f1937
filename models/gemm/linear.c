/* Linear workload: C = op(A) * op(B) through the project's SGEMM ("own": fp32, and fp16 with
 * half A, B and C and fp32 arithmetic, on every device) and CLBlast ("clblast", fp32 Sgemm
 * and fp16 Hgemm where the device has working fp16), on square sizes and on the seed's fc1024
 * layer (batch 128, 1024 -> 1024, weight stored out x in as in PyTorch): forward Y = X W^T,
 * backward_data dX = dY W, backward_weight dW = dY^T X.
 *
 * Timing: own GEMM by profiling events (first to last kernel of the call); CLBlast by
 * wall-clock around the call and clFinish (it launches several kernels; its first call, which
 * compiles, is made in setup). Every result is checked against the host reference
 * (models/gemm/gemm_ref.h: double accumulation, relative Frobenius error, sampled above 2^27 MACs);
 * fp16 cases against the product of the half-rounded inputs, with the bound of fp16 storage
 * and fp32 accumulation (own: 2^-11 + the fp32 bound) or of fp16 arithmetic (Hgemm).
 */
#include "linear.h"

#include <stdlib.h>
#include <string.h>

#include "clblast_gemm.h"
#include "gemm.h"
#include "gemm_ref.h"
#include "gemm_tune.h"
#include "linear_int8.h"

enum { VARIANT_OWN, VARIANT_CLBLAST };
enum { PREC_FP32, PREC_FP16 };
/* arg[]: variant, precision, case index into the shape tables below (square or layer). */
enum { ARG_VARIANT, ARG_PREC, ARG_SQUARE, ARG_PASS };

static const size_t square_sizes[] = {1024, 2048, 4096, 8192};
#define QUICK_SQUARES 1 /* --quick: 1024 only */

/* The seed's layer: X is batch x in, W is out x in, Y is batch x out. */
#define FC_BATCH 128
#define FC_IN 1024
#define FC_OUT 1024
typedef struct layer_pass {
  const char *name;
  size_t m, n, k;
  ob_gemm_trans ta, tb;
} layer_pass;
static const layer_pass passes[] = {
    {"forward", FC_BATCH, FC_OUT, FC_IN, OB_GEMM_N, OB_GEMM_T},         /* Y = X W^T */
    {"backward_data", FC_BATCH, FC_IN, FC_OUT, OB_GEMM_N, OB_GEMM_N},   /* dX = dY W */
    {"backward_weight", FC_OUT, FC_IN, FC_BATCH, OB_GEMM_T, OB_GEMM_N}, /* dW = dY^T X */
};
#define NPASSES (sizeof passes / sizeof *passes)
#define NSQUARES (sizeof square_sizes / sizeof *square_sizes)

static const char *trans_name(ob_gemm_trans t) { return t == OB_GEMM_T ? "T" : "N"; }

static void add_case(ob_case *c, int variant, int prec, long square, long pass) {
  const char *vname = variant == VARIANT_OWN ? "own" : "clblast";
  const char *pname = prec == PREC_FP16 ? "fp16" : "fp32";
  size_t m, n, k;
  ob_gemm_trans ta = OB_GEMM_N, tb = OB_GEMM_N;
  char series[64] = "";
  double cost = 0.0;
  if (square >= 0) {
    m = n = k = square_sizes[square];
    snprintf(series, sizeof series, "%s-%s-square", vname, pname);
    cost = (double)m * (double)n * (double)k;
  } else {
    const layer_pass *p = &passes[pass];
    m = p->m, n = p->n, k = p->k, ta = p->ta, tb = p->tb;
  }
  ob_case_init(c, vname, pname, series, cost);
  if (square < 0) {
    ob_case_param(c, "layer", "fc%d", FC_IN);
    ob_case_param(c, "batch", "%d", FC_BATCH);
    ob_case_param(c, "pass", "%s", passes[pass].name);
  }
  ob_case_param(c, "m", "%zu", m);
  ob_case_param(c, "n", "%zu", n);
  ob_case_param(c, "k", "%zu", k);
  ob_case_param(c, "ta", "%s", trans_name(ta));
  ob_case_param(c, "tb", "%s", trans_name(tb));
  c->arg[ARG_VARIANT] = variant;
  c->arg[ARG_PREC] = prec;
  c->arg[ARG_SQUARE] = square;
  c->arg[ARG_PASS] = pass;
  const double elem = prec == PREC_FP16 ? 2.0 : 4.0;
  c->flops = 2.0 * (double)m * (double)n * (double)k;
  c->bytes = elem * ((double)m * (double)k + (double)k * (double)n + (double)m * (double)n);
  /* The own kernel computes in fp32 whatever the storage: a fraction of the fp32 peak.
   * CLBlast's Hgemm computes in fp16: not a fraction of it (and may exceed it). */
  const bool fp16_math = variant == VARIANT_CLBLAST && prec == PREC_FP16;
  ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, c->flops, 1e9,
                 fp16_math ? OB_PEAK_NONE : OB_PEAK_FP32);
}

size_t ob_linear_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                            size_t max) {
  static const int combos[][2] = {{VARIANT_OWN, PREC_FP32},
                                  {VARIANT_OWN, PREC_FP16},
                                  {VARIANT_CLBLAST, PREC_FP32},
                                  {VARIANT_CLBLAST, PREC_FP16}};
  const size_t nsq = opts->quick ? QUICK_SQUARES : NSQUARES;
  const bool fp16 = ob_device_props_get(dev)->fp16;
  size_t n = 0;
  for (size_t v = 0; v < sizeof combos / sizeof *combos; v++) {
    if (combos[v][0] == VARIANT_CLBLAST && combos[v][1] == PREC_FP16 && !fp16) {
      /* One case that setup turns into a `skipped` row with the reason. */
      if (n < max) add_case(&cases[n++], combos[v][0], combos[v][1], 0, -1);
      continue;
    }
    for (size_t s = 0; s < nsq && n < max; s++)
      add_case(&cases[n++], combos[v][0], combos[v][1], (long)s, -1);
    for (size_t p = 0; p < NPASSES && n < max; p++)
      add_case(&cases[n++], combos[v][0], combos[v][1], -1, (long)p);
  }
  n += ob_igemm_list_cases(dev, opts, cases + n, max - n);
  return n;
}

typedef struct linear_state {
  ob_device *dev;
  int variant, prec;
  ob_gemm_args args;
  float *a, *b;      /* host operands (fp16 cases: the values after rounding to half) */
  ob_gemm *gemm;     /* own variant */
  char config[200];  /* own variant: the kernel configuration and where it came from */
  void *int8;        /* int8 cases: the state of models/gemm/linear_int8.c */
} linear_state;

void ob_linear_teardown(void *state) {
  linear_state *s = state;
  if (!s) return;
  ob_igemm_case_teardown(s->int8);
  ob_gemm_destroy(s->gemm);
  if (s->dev && ob_device_queue(s->dev)) ob_device_finish(s->dev);
  ob_buffer_release(s->dev, s->args.a);
  ob_buffer_release(s->dev, s->args.b);
  ob_buffer_release(s->dev, s->args.c);
  free(s->a);
  free(s->b);
  free(s);
}

/* Uploads n host floats as fp32 or, rounded to half in place, as fp16. */
static ob_status upload(linear_state *s, float *host, size_t n, cl_mem *out) {
  const size_t elem = s->prec == PREC_FP16 ? 2 : 4;
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_ONLY, n * elem, NULL, out));
  if (s->prec == PREC_FP32) return ob_buffer_write(s->dev, *out, 0, n * elem, host);
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

static ob_status setup_state(linear_state *s, const ob_case *c) {
  OB_TRY(ob_device_open(s->dev));
  const bool hgemm = s->variant == VARIANT_CLBLAST && s->prec == PREC_FP16;
  if (hgemm && !ob_device_props_get(s->dev)->fp16)
    return ob_fail(OB_ERR_UNSUPPORTED,
                   "no working fp16 on this device (cl_khr_fp16 not reported or its test "
                   "compile failed)");
  size_t m, n, k;
  ob_gemm_trans ta = OB_GEMM_N, tb = OB_GEMM_N;
  if (c->arg[ARG_SQUARE] >= 0) {
    m = n = k = square_sizes[c->arg[ARG_SQUARE]];
  } else {
    const layer_pass *p = &passes[c->arg[ARG_PASS]];
    m = p->m, n = p->n, k = p->k, ta = p->ta, tb = p->tb;
  }
  s->args = (ob_gemm_args){.storage = s->prec == PREC_FP16 ? OB_GEMM_FP16 : OB_GEMM_FP32,
                           .ta = ta, .tb = tb, .m = m, .n = n, .k = k, .alpha = 1.0f,
                           .beta = 0.0f, .lda = ta ? m : k, .ldb = tb ? k : n, .ldc = n};
  const size_t elem = s->prec == PREC_FP16 ? 2 : 4;
  /* All three matrices up front, so a size the device cannot hold is skipped before any
   * host work. */
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_WRITE, m * n * elem, NULL, &s->args.c));
  s->a = malloc(m * k * sizeof(float));
  s->b = malloc(k * n * sizeof(float));
  if (!s->a || !s->b)
    return ob_fail(OB_ERR_TOO_LARGE, "host memory for %zu x %zu x %zu operands", m, n, k);
  ob_gemm_ref_fill(s->a, m * k, 0x5eed0001u + m);
  ob_gemm_ref_fill(s->b, k * n, 0x5eed0002u + n);
  OB_TRY(upload(s, s->a, m * k, &s->args.a));
  OB_TRY(upload(s, s->b, k * n, &s->args.b));
  if (s->variant == VARIANT_CLBLAST) {
    /* CLBlast compiles its kernels on the first call: do it here, untimed. */
    const ob_clblast_precision p = s->prec == PREC_FP16 ? OB_CLBLAST_FP16 : OB_CLBLAST_FP32;
    OB_TRY(ob_clblast_gemm(s->dev, p, &s->args));
    return ob_device_finish(s->dev);
  }
  ob_gemm_config cfg;
  ob_tune_source source;
  OB_TRY(ob_gemm_select(s->dev, ob_tune_settings_current(), &s->args, &cfg, &source));
  OB_TRY(ob_gemm_create(s->dev, &cfg, &s->gemm));
  OB_TRY(ob_gemm_prepare(s->gemm, &s->args));
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_gemm_family, &cfg, text, sizeof text);
  snprintf(s->config, sizeof s->config, "config=%s (%s)", text, ob_tune_source_name(source));
  return OB_OK;
}

ob_status ob_linear_setup(ob_device *dev, ob_case *c, void **state) {
  *state = NULL;
  linear_state *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->dev = dev;
  s->variant = (int)c->arg[ARG_VARIANT];
  s->prec = (int)c->arg[ARG_PREC];
  ob_status st = ob_igemm_is_case(c) ? ob_igemm_case_setup(dev, c, &s->int8) : setup_state(s, c);
  if (st != OB_OK) {
    ob_linear_teardown(s);
    return st;
  }
  *state = s;
  return OB_OK;
}

ob_status ob_linear_run(void *state, double *seconds) {
  linear_state *s = state;
  if (s->int8) return ob_igemm_case_run(s->int8, seconds);
  if (s->variant == VARIANT_OWN) return ob_gemm_run_timed(s->gemm, &s->args, seconds);
  return ob_clblast_gemm_timed(s->dev, s->prec == PREC_FP16 ? OB_CLBLAST_FP16 : OB_CLBLAST_FP32,
                               &s->args, seconds);
}

ob_status ob_linear_verify(void *state, ob_verdict *out) {
  linear_state *s = state;
  if (s->int8) return ob_igemm_case_verify(s->int8, out);
  const ob_gemm_args *a = &s->args;
  const size_t count = a->m * a->n;
  float *c = malloc(count * sizeof *c);
  if (!c) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_OK;
  if (s->prec == PREC_FP16) {
    uint16_t *h = malloc(count * sizeof *h);
    st = h ? ob_buffer_read(s->dev, a->c, 0, count * sizeof *h, h)
           : ob_fail(OB_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == OB_OK && i < count; i++) c[i] = ob_half_to_float(h[i]);
    free(h);
  } else {
    st = ob_buffer_read(s->dev, a->c, 0, count * sizeof *c, c);
  }
  if (st == OB_OK) {
    const ob_gemm_ref_problem p = {.ta = (int)a->ta, .tb = (int)a->tb, .m = a->m, .n = a->n,
                                   .k = a->k, .alpha = a->alpha, .beta = 0.0, .a = s->a,
                                   .lda = a->lda, .b = s->b, .ldb = a->ldb};
    const double bound = s->prec == PREC_FP32           ? ob_gemm_ref_bound_fp32(a->k)
                         : s->variant == VARIANT_OWN ? ob_gemm_ref_bound_fp16_storage(a->k)
                                                     : ob_gemm_ref_bound_fp16(a->k);
    ob_gemm_ref_result r;
    ob_gemm_ref_check(&p, c, a->n, bound, 0x9e3779b97f4a7c15ull, &r);
    char note[128];
    ob_gemm_ref_note(&r, note, sizeof note);
    out->checked = true;
    out->ok = r.ok;
    snprintf(out->note, sizeof out->note, "%s%s%s", note, s->config[0] ? "; " : "", s->config);
  }
  free(c);
  return st;
}

const ob_workload ob_workload_linear = {
    .name = "linear",
    .description = "GEMM (own tiled SGEMM, fp32 and fp16 storage; CLBlast Sgemm/Hgemm): square "
                   "sizes, fc1024 passes",
    .list_cases = ob_linear_list_cases,
    .device_check = NULL,
    .setup = ob_linear_setup,
    .run = ob_linear_run,
    .verify = ob_linear_verify,
    .teardown = ob_linear_teardown,
};
