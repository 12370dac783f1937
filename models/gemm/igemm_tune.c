/* The int8 GEMM's selection step: the dot mode, then the configuration through the tuning
 * facility, whose search times the candidates on a square NT product. */
#include "igemm_tune.h"

#include <stdlib.h>
#include <string.h>

#define TUNE_SIZE 2048     /* GPUs */
#define TUNE_SIZE_CPU 1024 /* CPUs: a 2048^3 product takes a second on a few cores */
#define TUNE_REPS 3
#define TUNE_CHECKS 64
#define TUNE_MAX_CANDIDATES 16

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

/* The search for one dot mode: the problem it times (set up by search_prepare). */
typedef struct igemm_search {
  ob_device *dev;
  ob_igemm_dot dot;
  tune_problem p;
} igemm_search;

static ob_status search_fallback(void *ctx, void *cfg) {
  ob_igemm_config_default(((igemm_search *)ctx)->dev, cfg);
  return OB_OK;
}

static ob_status search_prepare(void *ctx) {
  igemm_search *s = ctx;
  return tune_setup(s->dev, &s->p);
}

/* Best of TUNE_REPS timed runs of a candidate after one untimed (fewer when the first is
 * TUNE_GIVE_UP times slower than best_so_far); an error when it fails or is inexact. */
#define TUNE_GIVE_UP 3.0
static ob_status search_trial(void *ctx, void *config, double best_so_far, double *seconds) {
  igemm_search *s = ctx;
  tune_problem *p = &s->p;
  const ob_igemm_config *cfg = config;
  ob_igemm *g = NULL;
  double best = 0.0, t = 0.0;
  bool ok = false;
  ob_status st = ob_igemm_create(p->dev, cfg, s->dot, &g);
  if (st == OB_OK) st = ob_igemm_run_timed(g, &p->args, &t);
  if (st == OB_OK) st = tune_verify(p, &ok);
  for (int r = 0; st == OB_OK && ok && r < TUNE_REPS; r++) {
    st = ob_igemm_run_timed(g, &p->args, &t);
    if (st == OB_OK && (best == 0.0 || t < best)) best = t;
    if (best_so_far > 0.0 && best > TUNE_GIVE_UP * best_so_far) break; /* clearly slower */
  }
  ob_igemm_destroy(g);
  OB_TRY(st);
  if (!ok) return ob_fail(OB_ERR_VERIFY, "inexact");
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_igemm_family, cfg, text, sizeof text);
  const double n = (double)p->args.n;
  ob_log(OB_LOG_INFO, "igemm tune: %s: %.3f ms, %.1f GOP/s", text, best * 1e3,
         2.0 * n * n * n / best * 1e-9);
  *seconds = best;
  return OB_OK;
}

ob_status ob_igemm_select(ob_device *dev, const ob_tune_settings *settings, ob_igemm_dot wanted,
                          ob_igemm_config *out, ob_igemm_dot *dot, ob_tune_source *source) {
  ob_igemm_config def;
  ob_igemm_config_default(dev, &def);
  ob_igemm *probe = NULL;
  OB_TRY(ob_igemm_create(dev, &def, wanted, &probe));
  *dot = ob_igemm_dot_mode(probe);
  ob_igemm_destroy(probe);
  igemm_search s = {.dev = dev, .dot = *dot};
  ob_igemm_config cand[TUNE_MAX_CANDIDATES];
  char shape[32];
  snprintf(shape, sizeof shape, "dot=%s", ob_igemm_dot_name(*dot));
  const ob_tune_search q = {.family = &ob_igemm_family, .dev = dev, .shape = shape, .ctx = &s,
                            .fallback = search_fallback, .candidates = cand,
                            .ncandidates = ob_igemm_candidates(dev, cand, TUNE_MAX_CANDIDATES),
                            .prepare = search_prepare, .trial = search_trial};
  const ob_status st = ob_tune_select(settings, &q, out, source);
  tune_free(&s.p);
  if (st == OB_OK && *source == OB_TUNE_FORCED) *dot = wanted;
  return st;
}
