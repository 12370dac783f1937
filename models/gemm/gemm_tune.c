/* SGEMM kernel selection: shape classes, the autotuning pass and its on-disk cache (one
 * file per device and driver in ob_program_cache_dir()). */
#include "gemm.h"

#include <stdlib.h>
#include <string.h>

#include "gemm_ref.h"

#define NELEM(a) (sizeof(a) / sizeof *(a))

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

/* Best time of one candidate (0 when it failed to build, run or verify). */
static double tune_candidate(tune_problem *p, const ob_gemm_config *cfg, double best) {
  char text[160];
  ob_gemm_config_format(cfg, text, sizeof text);
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
  if (st != OB_OK || !ok) {
    ob_log(OB_LOG_INFO, "gemm tune: %s: %s", text, st != OB_OK ? ob_error_detail() : "wrong result");
    ob_error_clear();
    return 0.0;
  }
  ob_log(OB_LOG_INFO, "gemm tune: %s: %.3f ms (%s)", text, min * 1e3, info);
  return min;
}

ob_status ob_gemm_tune(ob_device *dev, const ob_gemm_args *shape, ob_gemm_config *best,
                       double *gflops) {
  const size_t cap = ob_device_is_cpu(dev) ? 1024 : 4096;
  const size_t m = pow2_ceil(shape->m) < cap ? pow2_ceil(shape->m) : cap;
  const size_t n = pow2_ceil(shape->n) < cap ? pow2_ceil(shape->n) : cap;
  const size_t k = pow2_ceil(shape->k) < cap ? pow2_ceil(shape->k) : cap;
  ob_gemm_config cand[TUNE_MAX_CANDIDATES];
  const size_t ncand = ob_gemm_candidates(dev, cand, TUNE_MAX_CANDIDATES);
  tune_problem p;
  ob_status st = tune_setup(dev, shape, m, n, k, &p);
  double best_t = 0.0, t[TUNE_MAX_CANDIDATES] = {0.0};
  /* Split-K pays only where the output tiles alone leave compute units idle. */
  const size_t busy = 2 * (size_t)ob_device_props_get(dev)->compute_units;
  for (size_t i = 0; st == OB_OK && i < ncand; i++) {
    const size_t tiles = ((m + (size_t)cand[i].bm - 1) / (size_t)cand[i].bm) *
                         ((n + (size_t)cand[i].bn - 1) / (size_t)cand[i].bn);
    if (cand[i].splitk > 1 && tiles >= busy) continue;
    t[i] = tune_candidate(&p, &cand[i], best_t);
    if (t[i] > 0.0 && (best_t == 0.0 || t[i] < best_t)) best_t = t[i];
  }
  /* A second round over the close contenders (a burst of load on a shared machine can hold
   * all repetitions of one candidate), then the fastest of both rounds. */
  for (size_t i = 0; st == OB_OK && i < ncand; i++) {
    if (t[i] <= 0.0 || t[i] > TUNE_RECHECK * best_t) continue;
    const double again = tune_candidate(&p, &cand[i], 0.0);
    if (again > 0.0 && again < t[i]) t[i] = again;
  }
  best_t = 0.0;
  for (size_t i = 0; i < ncand; i++)
    if (t[i] > 0.0 && (best_t == 0.0 || t[i] < best_t)) {
      best_t = t[i];
      *best = cand[i];
    }
  tune_free(&p);
  OB_TRY(st);
  if (best_t == 0.0)
    return ob_fail(OB_ERR_UNSUPPORTED, "gemm tune: no candidate configuration works here");
  *gflops = 2.0 * (double)m * (double)n * (double)k / best_t * 1e-9;
  return OB_OK;
}

/* ---------------------------------------------------------------- the on-disk cache */

/* The cache file of a device and driver; "" when caching is off. Keyed by everything that
 * changes the answer: device, driver, oclbench version, the kernel source, the candidates. */
static void cache_path(const ob_device *dev, char *buf, size_t n) {
  buf[0] = '\0';
  const char *dir = ob_program_cache_dir();
  if (!dir[0]) return;
  const ob_device_props *p = ob_device_props_get(dev);
  uint64_t h = OB_HASH_INIT;
  const char *parts[] = {p->name, p->driver, p->platform_version, OB_VERSION};
  for (size_t i = 0; i < NELEM(parts); i++) h = ob_hash(h, parts[i], strlen(parts[i]) + 1);
  char *src = NULL;
  size_t len = 0;
  if (ob_kernel_source("gemm.cl", &src, &len) == OB_OK) h = ob_hash(h, src, len);
  free(src);
  ob_error_clear();
  ob_gemm_config cand[TUNE_MAX_CANDIDATES];
  size_t nc = ob_gemm_candidates(dev, cand, TUNE_MAX_CANDIDATES);
  h = ob_hash(h, cand, nc * sizeof *cand);
  snprintf(buf, n, "%s/gemm-tune-%016llx.txt", dir, (unsigned long long)h);
}

/* Looks key up in the cache file: lines "KEY CONFIG GFLOPS". Malformed lines are ignored. */
static bool cache_lookup(const ob_device *dev, const char *path, const char *key,
                         ob_gemm_config *out) {
  char *text = NULL;
  size_t len = 0;
  if (!path[0] || ob_read_file(path, &text, &len) != OB_OK) {
    ob_error_clear();
    return false;
  }
  bool found = false;
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char k[64], cfgtext[200];
    double gf = 0.0;
    if (sscanf(line, "%63s %199s %lf", k, cfgtext, &gf) != 3 || strcmp(k, key) != 0) continue;
    ob_gemm_config cfg;
    ob_gemm_config_default(dev, &cfg);
    if (ob_gemm_config_parse(cfgtext, &cfg) != OB_OK || ob_gemm_config_check(&cfg, dev) != OB_OK) {
      ob_log(OB_LOG_WARN, "%s: ignoring malformed gemm tuning entry '%s'", path, line);
      ob_error_clear();
      continue;
    }
    *out = cfg;
    found = true;
  }
  free(text);
  return found;
}

/* Rewrites the cache file with the entry for key replaced (or added). */
static void cache_store(const char *path, const char *key, const ob_gemm_config *cfg,
                        double gflops) {
  if (!path[0]) return;
  char *old = NULL;
  size_t len = 0;
  if (ob_read_file(path, &old, &len) != OB_OK) len = 0;
  ob_error_clear();
  char text[160];
  ob_gemm_config_format(cfg, text, sizeof text);
  const size_t cap = len + 320;
  char *all = malloc(cap);
  if (!all) {
    free(old);
    return;
  }
  size_t n = 0;
  const size_t klen = strlen(key);
  char *save = NULL;
  for (char *line = len ? strtok_r(old, "\n", &save) : NULL; line;
       line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, key, klen) == 0 && line[klen] == ' ') continue;
    n += (size_t)snprintf(all + n, cap - n, "%s\n", line);
  }
  n += (size_t)snprintf(all + n, cap - n, "%s %s %.2f\n", key, text, gflops);
  if (ob_mkdir_p(ob_program_cache_dir()) != OB_OK || ob_write_file_atomic(path, all, n) != OB_OK) {
    ob_log(OB_LOG_WARN, "cannot store gemm tuning in %s: %s", path, ob_error_detail());
    ob_error_clear();
  }
  free(all);
  free(old);
}

ob_status ob_gemm_select(ob_device *dev, const ob_gemm_args *shape, ob_gemm_config *out,
                         const char **source) {
  ob_gemm_config_default(dev, out);
  *source = "default";
  const char *env = getenv("OCLBENCH_GEMM_CONFIG");
  if (env && *env) {
    OB_TRY(ob_gemm_config_parse(env, out));
    OB_TRY(ob_gemm_config_check(out, dev));
    *source = "env";
    return OB_OK;
  }
  const char *mode = getenv("OCLBENCH_GEMM_TUNE");
  if (mode && strcmp(mode, "0") == 0) return OB_OK;
  char key[64], path[4200];
  ob_gemm_shape_key(shape, key, sizeof key);
  cache_path(dev, path, sizeof path);
  const bool force = mode && strcmp(mode, "force") == 0;
  if (!force && cache_lookup(dev, path, key, out)) {
    *source = "cache";
    return OB_OK;
  }
  ob_gemm_config best;
  double gflops = 0.0;
  ob_status st = ob_gemm_tune(dev, shape, &best, &gflops);
  if (st != OB_OK) {
    ob_log(OB_LOG_WARN, "%s: gemm tuning for %s failed (%s); using the default configuration",
           ob_device_slug(dev), key, ob_error_detail());
    ob_error_clear();
    return OB_OK;
  }
  *out = best;
  *source = "tuned";
  cache_store(path, key, &best, gflops);
  return OB_OK;
}
