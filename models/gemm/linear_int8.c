/* int8 cases of the linear workload (see linear_int8.h). Timing: profiling events from the
 * first to the last launch of the product (operand packing included where a layout needs it;
 * the listed cases need none). */
#include "linear_int8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "igemm_ref.h"
#include "igemm_tune.h"

static const size_t square_sizes[] = {1024, 2048, 4096};
#define QUICK_SQUARES 1 /* --quick: 1024 only */

/* The seed's layer: X is batch x in, W is out x in, Y = X W^T is batch x out. */
#define FC_BATCH 128
#define FC_IN 1024
#define FC_OUT 1024

enum { ARG_M, ARG_N, ARG_K, ARG_TRANS };

void ob_igemm_case(ob_case *c, size_t m, size_t n, size_t k, ob_gemm_trans ta,
                   ob_gemm_trans tb, const char *pass) {
  const bool square = !pass && m == n && n == k;
  ob_case_init(c, "own", "int8", square ? "own-int8-square" : "",
               square ? (double)m * (double)n * (double)k : 0.0);
  if (pass) {
    ob_case_param(c, "layer", "fc%d", FC_IN);
    ob_case_param(c, "batch", "%d", FC_BATCH);
    ob_case_param(c, "pass", "%s", pass);
  }
  ob_case_param(c, "m", "%zu", m);
  ob_case_param(c, "n", "%zu", n);
  ob_case_param(c, "k", "%zu", k);
  ob_case_param(c, "ta", "%s", ta == OB_GEMM_T ? "T" : "N");
  ob_case_param(c, "tb", "%s", tb == OB_GEMM_T ? "T" : "N");
  c->arg[ARG_M] = (long)m;
  c->arg[ARG_N] = (long)n;
  c->arg[ARG_K] = (long)k;
  c->arg[ARG_TRANS] = (ta == OB_GEMM_T ? 1 : 0) | (tb == OB_GEMM_T ? 2 : 0);
  const double ops = 2.0 * (double)m * (double)n * (double)k;
  c->flops = NAN; /* integer operations: the metric's work */
  c->bytes = (double)m * (double)k + (double)k * (double)n + 4.0 * (double)m * (double)n;
  /* A 4-way int8 dot product with accumulation (8 operations) per lane and cycle, where an FMA
   * counts 2 FLOP: at most 4 operations per FP32 FLOP. */
  ob_case_metric(c, "gops", "GOP/s", OB_METRIC_RATE, ops, 1e9, OB_PEAK_NONE)->limit_per_peak = 4.0;
}

bool ob_igemm_is_case(const ob_case *c) { return strcmp(c->precision, "int8") == 0; }

size_t ob_igemm_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                           size_t max) {
  (void)dev;
  const size_t nsq = opts->quick ? QUICK_SQUARES : sizeof square_sizes / sizeof *square_sizes;
  size_t n = 0;
  for (size_t s = 0; s < nsq && n < max; s++)
    ob_igemm_case(&cases[n++], square_sizes[s], square_sizes[s], square_sizes[s], OB_GEMM_N,
                  OB_GEMM_T, NULL);
  if (n < max)
    ob_igemm_case(&cases[n++], FC_BATCH, FC_OUT, FC_IN, OB_GEMM_N, OB_GEMM_T, "forward");
  return n;
}

typedef struct int8_state {
  ob_device *dev;
  ob_igemm *gemm;
  ob_igemm_args args;
  int8_t *a, *b;     /* host operands, as stored */
  char config[200];  /* configuration, where it came from, dot mode: for the note */
} int8_state;

void ob_igemm_case_teardown(void *state) {
  int8_state *s = state;
  if (!s) return;
  ob_igemm_destroy(s->gemm);
  if (s->dev && ob_device_queue(s->dev)) ob_device_finish(s->dev);
  ob_buffer_release(s->dev, s->args.a);
  ob_buffer_release(s->dev, s->args.b);
  ob_buffer_release(s->dev, s->args.c);
  free(s->a);
  free(s->b);
  free(s);
}

static ob_status setup_state(int8_state *s, const ob_case *c) {
  OB_TRY(ob_device_open(s->dev));
  const size_t m = (size_t)c->arg[ARG_M], n = (size_t)c->arg[ARG_N], k = (size_t)c->arg[ARG_K];
  const ob_gemm_trans ta = (c->arg[ARG_TRANS] & 1) ? OB_GEMM_T : OB_GEMM_N;
  const ob_gemm_trans tb = (c->arg[ARG_TRANS] & 2) ? OB_GEMM_T : OB_GEMM_N;
  s->args = (ob_igemm_args){.ta = ta, .tb = tb, .m = m, .n = n, .k = k,
                            .lda = ta == OB_GEMM_T ? m : k, .ldb = tb == OB_GEMM_T ? k : n,
                            .ldc = n};
  /* C first, so that a size the device cannot hold is skipped before any host work. */
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_WRITE_ONLY, m * n * sizeof(cl_int), NULL, &s->args.c));
  s->a = malloc(m * k + 1);
  s->b = malloc(k * n + 1);
  if (!s->a || !s->b)
    return ob_fail(OB_ERR_TOO_LARGE, "host memory for %zu x %zu x %zu operands", m, n, k);
  ob_igemm_ref_fill(s->a, m * k, 0x5eed0101u + m);
  ob_igemm_ref_fill(s->b, k * n, 0x5eed0102u + n);
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, m * k + 1, s->a,
                          &s->args.a));
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, k * n + 1, s->b,
                          &s->args.b));
  ob_igemm_config cfg;
  ob_igemm_dot dot;
  ob_tune_source source;
  OB_TRY(ob_igemm_select(s->dev, ob_tune_settings_current(), OB_IGEMM_DOT_AUTO, &cfg, &dot,
                         &source));
  OB_TRY(ob_igemm_create(s->dev, &cfg, dot, &s->gemm));
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_igemm_family, &cfg, text, sizeof text);
  snprintf(s->config, sizeof s->config, "config=%s (%s); dot=%s", text,
           ob_tune_source_name(source), ob_igemm_dot_name(ob_igemm_dot_mode(s->gemm)));
  return OB_OK;
}

ob_status ob_igemm_case_setup(ob_device *dev, ob_case *c, void **state) {
  *state = NULL;
  int8_state *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->dev = dev;
  ob_status st = setup_state(s, c);
  if (st != OB_OK) {
    ob_igemm_case_teardown(s);
    return st;
  }
  *state = s;
  return OB_OK;
}

ob_status ob_igemm_case_run(void *state, double *seconds) {
  int8_state *s = state;
  return ob_igemm_run_timed(s->gemm, &s->args, seconds);
}

ob_status ob_igemm_case_verify(void *state, ob_verdict *out) {
  int8_state *s = state;
  const ob_igemm_args *a = &s->args;
  int32_t *c = malloc(a->m * a->n * sizeof *c + 1);
  if (!c) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = ob_buffer_read(s->dev, a->c, 0, a->m * a->n * sizeof *c, c);
  if (st == OB_OK) {
    const ob_igemm_ref_problem p = {.ta = a->ta == OB_GEMM_T, .tb = a->tb == OB_GEMM_T,
                                    .m = a->m, .n = a->n, .k = a->k, .a = s->a, .lda = a->lda,
                                    .b = s->b, .ldb = a->ldb};
    ob_igemm_ref_result r;
    ob_igemm_ref_check(&p, c, a->n, 0x9e3779b97f4a7c15ull, &r);
    char note[160];
    ob_igemm_ref_note(&r, note, sizeof note);
    out->checked = true;
    out->ok = r.mismatches == 0 && r.compared > 0;
    snprintf(out->note, sizeof out->note, "%s; %s", note, s->config);
  }
  free(c);
  return st;
}
