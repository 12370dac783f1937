/* SGEMM kernel selection: shape classes and the search's problem and trial; the tuning
 * facility (core/tune.h) does the rest. */
#include "gemm_tune.h"

#include <stdlib.h>
#include <string.h>

#include "gemm_ref.h"

/* ---------------------------------------------------------------- shape classes */

static size_t pow2_ceil(size_t x) {
  size_t p = 1;
  while (p < x && p < ((size_t)1 << 40)) p <<= 1;
  return p;
}

void ob_gemm_shape_key(const ob_gemm_args *shape, char *buf, size_t len) {
  snprintf(buf, len, "%c%c:m%zu:n%zu:k%zu%s", shape->ta ? 'T' : 'N', shape->tb ? 'T' : 'N',
           pow2_ceil(shape->m), pow2_ceil(shape->n), pow2_ceil(shape->k),
           shape->storage == OB_GEMM_FP16 ? ":fp16" : "");
}

/* ---------------------------------------------------------------- the tuning pass */

#define TUNE_SAMPLES 64
#define TUNE_MAX_CANDIDATES 24
/* A candidate whose first run is this much slower than the best so far is not timed further. */
#define TUNE_GIVE_UP 3.0
/* Candidates within this factor of the best are timed a second time. */
#define TUNE_RECHECK 1.3

typedef struct tune_problem {
  ob_device *dev;
  ob_gemm_args args;
  float *a, *b; /* host copies (small integers: every product and sum is exact in fp32, and
                   every input in fp16) */
} tune_problem;

static void tune_free(tune_problem *p) {
  ob_buffer_release(p->dev, p->args.a);
  ob_buffer_release(p->dev, p->args.b);
  ob_buffer_release(p->dev, p->args.c);
  free(p->a);
  free(p->b);
}

static float small_int(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return (float)((int)((*s >> 33) % 5) - 2);
}

static bool is_half(const tune_problem *p) { return p->args.storage == OB_GEMM_FP16; }

/* Uploads n host floats into a new buffer in the problem's storage type. */
static ob_status tune_upload(tune_problem *p, const float *host, size_t n, cl_mem *out) {
  const size_t bytes = n * (is_half(p) ? sizeof(uint16_t) : sizeof(float));
  OB_TRY(ob_buffer_create(p->dev, CL_MEM_READ_ONLY, bytes, NULL, out));
  if (!is_half(p)) return ob_buffer_write(p->dev, *out, 0, bytes, host);
  uint16_t *h = malloc(bytes);
  if (!h) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) h[i] = ob_half_from_float(host[i]);
  ob_status st = ob_buffer_write(p->dev, *out, 0, bytes, h);
  free(h);
  return st;
}

/* A problem of the storage and transposes of shape, m x n x k. */
static ob_status tune_setup(ob_device *dev, const ob_gemm_args *shape, size_t m, size_t n,
                            size_t k, tune_problem *p) {
  memset(p, 0, sizeof *p);
  p->dev = dev;
  const ob_gemm_trans ta = shape->ta, tb = shape->tb;
  p->args = (ob_gemm_args){.storage = shape->storage, .ta = ta, .tb = tb, .m = m, .n = n,
                           .k = k, .alpha = 1.0f, .beta = 0.0f, .lda = ta ? m : k,
                           .ldb = tb ? k : n, .ldc = n};
  p->a = malloc(m * k * sizeof(float));
  p->b = malloc(k * n * sizeof(float));
  if (!p->a || !p->b) return ob_fail(OB_ERR_NOMEM, "out of memory");
  uint64_t seed = 12345;
  for (size_t i = 0; i < m * k; i++) p->a[i] = small_int(&seed);
  for (size_t i = 0; i < k * n; i++) p->b[i] = small_int(&seed);
  const size_t c_bytes = m * n * (is_half(p) ? sizeof(uint16_t) : sizeof(float));
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_WRITE, c_bytes, NULL, &p->args.c));
  OB_TRY(tune_upload(p, p->a, m * k, &p->args.a));
  return tune_upload(p, p->b, k * n, &p->args.b);
}

/* Exact comparison of TUNE_SAMPLES entries of C with the host product (rounded to half for
 * half storage: the fp32 sums are exact, so the device rounds the same value). */
static ob_status tune_verify(tune_problem *p, bool *ok) {
  const ob_gemm_args *a = &p->args;
  uint64_t seed = 777;
  *ok = true;
  for (int s = 0; s < TUNE_SAMPLES && *ok; s++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const size_t i = (size_t)(seed >> 33) % a->m, j = (size_t)(seed >> 13) % a->n;
    double want = 0.0;
    for (size_t l = 0; l < a->k; l++)
      want += (double)(a->ta ? p->a[l * a->m + i] : p->a[i * a->k + l]) *
              (double)(a->tb ? p->b[j * a->k + l] : p->b[l * a->n + j]);
    float got = 0.0f;
    if (is_half(p)) {
      uint16_t h = 0;
      OB_TRY(ob_buffer_read(p->dev, a->c, (i * a->n + j) * sizeof h, sizeof h, &h));
      got = ob_half_to_float(h);
      want = (double)ob_half_to_float(ob_half_from_float((float)want));
    } else {
      OB_TRY(ob_buffer_read(p->dev, a->c, (i * a->n + j) * sizeof(float), sizeof got, &got));
    }
    if ((double)got != want) *ok = false;
  }
  return OB_OK;
}

/* Timed repetitions of a candidate: at least TUNE_MIN_REPS, then until TUNE_SECONDS of device
 * time or TUNE_MAX_REPS. */
#define TUNE_MIN_REPS 2
#define TUNE_MAX_REPS 10
#define TUNE_SECONDS 0.03

/* The search of one shape class: the problem it times (set up by search_prepare). */
typedef struct gemm_search {
  ob_device *dev;
  ob_gemm_args shape;
  size_t m, n, k;
  tune_problem p;
} gemm_search;

static ob_status search_fallback(void *ctx, void *cfg) {
  ob_gemm_config_default(((gemm_search *)ctx)->dev, cfg);
  return OB_OK;
}

static ob_status search_prepare(void *ctx) {
  gemm_search *s = ctx;
  return tune_setup(s->dev, &s->shape, s->m, s->n, s->k, &s->p);
}

/* The best time of one candidate (an error when it fails to build, run or verify). */
static ob_status search_trial(void *ctx, void *config, double best, double *seconds) {
  gemm_search *s = ctx;
  tune_problem *p = &s->p;
  const ob_gemm_config *cfg = config;
  ob_gemm *g = NULL;
  double t = 0.0, min = 0.0, total = 0.0;
  bool ok = false;
  ob_status st = ob_gemm_create(p->dev, cfg, &g);
  if (st == OB_OK) st = ob_gemm_prepare(g, &p->args);
  if (st == OB_OK) st = ob_gemm_run_timed(g, &p->args, &t); /* first launch: untimed */
  if (st == OB_OK) st = tune_verify(p, &ok);
  for (int r = 0; st == OB_OK && ok && r < TUNE_MAX_REPS; r++) {
    st = ob_gemm_run_timed(g, &p->args, &t);
    total += t;
    if (st == OB_OK && (min == 0.0 || t < min)) min = t;
    if (best > 0.0 && min > TUNE_GIVE_UP * best) break;
    if (r + 1 >= TUNE_MIN_REPS && total >= TUNE_SECONDS) break;
  }
  char info[400] = "";
  if (g) ob_gemm_build_info(g, &p->args, info, sizeof info);
  ob_gemm_destroy(g);
  OB_TRY(st);
  if (!ok) return ob_fail(OB_ERR_VERIFY, "wrong result");
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_gemm_family, cfg, text, sizeof text);
  ob_log(OB_LOG_INFO, "gemm tune: %s: %.3f ms (%s)", text, min * 1e3, info);
  *seconds = min;
  return OB_OK;
}

/* The class's size of a dimension x (its power of two), at most cap. */
static size_t class_size(size_t x, size_t cap) { return pow2_ceil(x) < cap ? pow2_ceil(x) : cap; }

/* Largest M and N a class is timed at, and the longest a run of it may take at the device's
 * theoretical FP32 rate for M and N above the cap. */
#define TUNE_MN_MAX 8192
#define TUNE_RUN_SECONDS 0.02

/* The problem a class is timed on: its own M, N and K (powers of two), K up to 2048 on CPUs
 * (2048^3: 17 GFLOP, about 0.1 s per run on two cores) and 4096 on other devices, M and N up
 * to the same cap, or up to TUNE_MN_MAX where the device's theoretical FP32 rate runs them at
 * the capped K within TUNE_RUN_SECONDS: M and N set the tiles, and how full their last wave of
 * work-groups is decides between candidates such as stream-K (256x128 tiles on 132 compute
 * units: 15.5 waves at 8192^3, 3.88 at 4096^3). */
static void timed_size(ob_device *dev, const ob_gemm_args *shape, size_t *m, size_t *n,
                       size_t *k) {
  const size_t cap = ob_device_is_cpu(dev) ? 2048 : 4096;
  *k = class_size(shape->k, cap);
  const size_t mc = class_size(shape->m, TUNE_MN_MAX), nc = class_size(shape->n, TUNE_MN_MAX);
  const double rate = ob_device_fp32_theoretical(dev) * 1e9;
  const bool whole =
      rate > 0.0 && 2.0 * (double)mc * (double)nc * (double)*k / rate <= TUNE_RUN_SECONDS;
  *m = whole ? mc : class_size(shape->m, cap);
  *n = whole ? nc : class_size(shape->n, cap);
}

ob_status ob_gemm_select(ob_device *dev, const ob_tune_settings *settings,
                         const ob_gemm_args *shape, ob_gemm_config *out, ob_tune_source *source) {
  gemm_search s = {.dev = dev, .shape = *shape};
  timed_size(dev, shape, &s.m, &s.n, &s.k);
  /* Split-K pays only where the output tiles alone leave compute units idle. */
  ob_gemm_config cand[TUNE_MAX_CANDIDATES];
  const size_t all = ob_gemm_candidates(dev, cand, TUNE_MAX_CANDIDATES);
  const size_t busy = 2 * (size_t)ob_device_props_get(dev)->compute_units;
  size_t n = 0;
  for (size_t i = 0; i < all; i++) {
    const size_t tiles = ((s.m + (size_t)cand[i].bm - 1) / (size_t)cand[i].bm) *
                         ((s.n + (size_t)cand[i].bn - 1) / (size_t)cand[i].bn);
    if (cand[i].splitk <= 1 || tiles < busy) cand[n++] = cand[i];
  }
  char key[64];
  ob_gemm_shape_key(shape, key, sizeof key);
  /* A second round over the close contenders (a burst of load on a shared machine can hold
   * all repetitions of one candidate), then the fastest of both rounds. */
  const ob_tune_search q = {.family = &ob_gemm_family, .dev = dev, .shape = key, .ctx = &s,
                            .fallback = search_fallback, .candidates = cand, .ncandidates = n,
                            .prepare = search_prepare, .trial = search_trial,
                            .recheck = TUNE_RECHECK};
  ob_status st = ob_tune_select(settings, &q, out, source);
  tune_free(&s.p);
  if (st == OB_OK || *source != OB_TUNE_SEARCHED) return st;
  ob_log(OB_LOG_WARN, "%s: gemm tuning for %s failed (%s); using the default configuration",
         ob_device_slug(dev), key, ob_error_detail());
  ob_error_clear();
  ob_gemm_config_default(dev, out);
  *source = OB_TUNE_DEFAULT;
  return OB_OK;
}
