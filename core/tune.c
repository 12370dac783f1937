/* The tuning facility: the user's settings and the selection (forced, default, cached or
 * searched configurations). Text forms: tune_text.c; the store: tune_cache.c. */
#include "tune.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tune_cache.h"

/* ---------------------------------------------------------------- settings */

static const char *const mode_names[] = {"on", "off", "redo"};

const char *ob_tune_mode_name(ob_tune_mode mode) {
  return (unsigned)mode < sizeof mode_names / sizeof *mode_names ? mode_names[mode] : "unknown";
}

ob_status ob_tune_mode_parse(const char *text, ob_tune_mode *out) {
  for (size_t i = 0; i < sizeof mode_names / sizeof *mode_names; i++)
    if (strcmp(text, mode_names[i]) == 0) {
      *out = (ob_tune_mode)i;
      return OB_OK;
    }
  return ob_fail(OB_ERR_INVALID, "'%s': expected off, on or redo", text);
}

void ob_tune_settings_init(ob_tune_settings *s) {
  memset(s, 0, sizeof *s);
  s->mode = OB_TUNE_ON;
  snprintf(s->cache_dir, sizeof s->cache_dir, "%s", ob_program_cache_dir());
}

ob_status ob_tune_settings_force(ob_tune_settings *s, const ob_tune_family *f, const char *text) {
  if (strlen(text) >= OB_TUNE_TEXT_MAX)
    return ob_fail(OB_ERR_INVALID, "%s config: longer than %d characters", f->name,
                   OB_TUNE_TEXT_MAX - 1);
  void *cfg = malloc(f->size);
  if (!cfg) return ob_fail(OB_ERR_NOMEM, "out of memory");
  memcpy(cfg, f->base, f->size);
  ob_status st = ob_tune_parse(f, text, cfg);
  if (st == OB_OK) st = ob_tune_check(f, cfg, NULL);
  free(cfg);
  OB_TRY(st);
  size_t i = 0;
  while (i < s->nforced && s->forced[i].family != f) i++;
  if (i == OB_TUNE_MAX_FORCED)
    return ob_fail(OB_ERR_INVALID, "more than %d forced configurations", OB_TUNE_MAX_FORCED);
  if (i == s->nforced) s->nforced++;
  s->forced[i].family = f;
  snprintf(s->forced[i].text, sizeof s->forced[i].text, "%s", text);
  return OB_OK;
}

const char *ob_tune_settings_forced(const ob_tune_settings *s, const ob_tune_family *f) {
  for (size_t i = 0; i < s->nforced; i++)
    if (s->forced[i].family == f) return s->forced[i].text;
  return NULL;
}

static ob_tune_settings installed;
static pthread_once_t installed_once = PTHREAD_ONCE_INIT;

static void install_defaults(void) { ob_tune_settings_init(&installed); }

void ob_tune_settings_install(const ob_tune_settings *s) {
  pthread_once(&installed_once, install_defaults);
  installed = *s;
}

const ob_tune_settings *ob_tune_settings_current(void) {
  pthread_once(&installed_once, install_defaults);
  return &installed;
}

/* ---------------------------------------------------------------- selection */

const char *ob_tune_source_name(ob_tune_source source) {
  static const char *const names[] = {"default", "env", "cache", "tuned"};
  return (unsigned)source < sizeof names / sizeof *names ? names[source] : "unknown";
}

/* "OCLBENCH_CONFIG_GEMM" for family gemm. */
static void variable_name(const ob_tune_family *f, char *buf, size_t n) {
  size_t len = (size_t)snprintf(buf, n, "OCLBENCH_CONFIG_");
  for (const char *c = f->name; *c && len + 1 < n; c++)
    buf[len++] = (char)toupper((unsigned char)*c);
  buf[len < n ? len : n - 1] = '\0';
}

/* The shape as a cache key: bytes outside printable ASCII (spaces included) become '_', and a
 * long one keeps its first 180 bytes followed by '#' and a hash of the whole. */
#define SHAPE_MAX 200
static void shape_token(const char *shape, char *buf, size_t n) {
  const size_t len = strlen(shape);
  size_t i = 0;
  for (; i < len && i + 1 < n && (len <= SHAPE_MAX || i < 180); i++)
    buf[i] = shape[i] > ' ' && shape[i] < 0x7f ? shape[i] : '_';
  buf[i] = '\0';
  if (len > SHAPE_MAX)
    snprintf(buf + i, n - i, "#%016llx",
             (unsigned long long)ob_hash(OB_HASH_INIT, shape, len));
}

/* The rules, the device's limits and the search's own fit, in that order. */
static ob_status usable(const ob_tune_search *q, const void *cfg) {
  OB_TRY(ob_tune_check(q->family, cfg, q->dev));
  return q->fits ? q->fits(q->ctx, cfg) : OB_OK;
}

/* The forced text over the fallback, usable here; an error names the variable. */
static ob_status select_forced(const ob_tune_search *q, const char *text, void *out) {
  char var[64];
  variable_name(q->family, var, sizeof var);
  ob_status st = q->fallback(q->ctx, out);
  if (st == OB_OK) st = ob_tune_parse(q->family, text, out);
  if (st == OB_OK) st = usable(q, out);
  if (st == OB_OK) return OB_OK;
  char detail[512];
  snprintf(detail, sizeof detail, "%s", ob_error_detail());
  return ob_fail(st, "%s='%s' on %s: %s", var, text, ob_device_slug(q->dev), detail);
}

/* The search's candidate list as the cache knows it: a hash of their text forms, in order. */
static uint64_t candidates_hash(const ob_tune_search *q) {
  uint64_t h = OB_HASH_INIT;
  for (size_t i = 0; i < q->ncandidates; i++) {
    char text[OB_TUNE_TEXT_MAX];
    ob_tune_format(q->family, (const char *)q->candidates + i * q->family->size, text,
                   sizeof text);
    h = ob_hash(h, text, strlen(text) + 1);
  }
  return h;
}

/* The cached configuration, when there is one that is still usable here. */
static bool select_cached(const ob_tune_settings *s, const ob_tune_search *q,
                          uint64_t candidates, void *out) {
  char text[OB_TUNE_TEXT_MAX];
  const ob_tune_family *f = q->family;
  if (!ob_tune_cache_find(s->cache_dir, q->dev, f->name, q->shape, candidates, text,
                          sizeof text))
    return false;
  memset(out, 0, f->size);
  if (ob_tune_parse(f, text, out) == OB_OK && usable(q, out) == OB_OK) return true;
  ob_log(OB_LOG_INFO, "%s: ignoring the cached %s configuration for %s: %s",
         ob_device_slug(q->dev), f->name, q->shape, ob_error_detail());
  ob_error_clear();
  return false;
}

#define TUNE_WHY_MAX 512 /* a failed trial's "CONFIG: REASON" */

/* One trial, logged; its score, or 0 when it failed (why it failed then into why, of size
 * TUNE_WHY_MAX). */
static double run_trial(const ob_tune_search *q, void *cand, double best, char *why) {
  double score = 0.0;
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(q->family, cand, text, sizeof text);
  const ob_status st = q->trial(q->ctx, cand, best, &score);
  if (st != OB_OK || !(score > 0.0)) {
    snprintf(why, TUNE_WHY_MAX, "%s: %s", text, st != OB_OK ? ob_error_detail() : "no score");
    ob_log(OB_LOG_INFO, "%s tune %s: %s", q->family->name, q->shape, why);
    ob_error_clear();
    return 0.0;
  }
  ob_tune_format(q->family, cand, text, sizeof text); /* as the trial resolved it */
  ob_log(OB_LOG_DEBUG, "%s tune %s: %s: score %.6g", q->family->name, q->shape, text, score);
  return score;
}

/* Index of the lowest positive score (the earlier on ties); n when none. */
static size_t best_of(const double *score, size_t n) {
  size_t best = n;
  for (size_t i = 0; i < n; i++)
    if (score[i] > 0.0 && (best == n || score[i] < score[best])) best = i;
  return best;
}

/* Every candidate through the trial (and the second round), the best into out. The trials
 * run on a copy of the candidates (they may rewrite theirs): the caller's list stays as it
 * was, and so does its hash. */
static ob_status search(const ob_tune_search *q, void *out, double *best_score) {
  const size_t n = q->ncandidates, size = q->family->size;
  char *cands = malloc(n ? n * size : 1);
  double *score = calloc(n ? n : 1, sizeof *score);
  if (!score || !cands) {
    free(cands);
    free(score);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  if (n) memcpy(cands, q->candidates, n * size);
  char why[TUNE_WHY_MAX] = "none tried";
  /* the candidates' binaries are written only for the one chosen, when its workload takes it */
  ob_program_cache_defer(q->dev, true);
  ob_status st = q->prepare ? q->prepare(q->ctx) : OB_OK;
  for (size_t i = 0; st == OB_OK && i < n; i++) {
    const size_t b = best_of(score, i);
    score[i] = run_trial(q, cands + i * size, b < i ? score[b] : 0.0, why);
  }
  const size_t first = best_of(score, n);
  for (size_t i = 0; st == OB_OK && q->recheck > 1.0 && first < n && i < n; i++) {
    if (score[i] <= 0.0 || score[i] > q->recheck * score[first]) continue;
    const double again = run_trial(q, cands + i * size, 0.0, why);
    if (again > 0.0 && again < score[i]) score[i] = again;
  }
  ob_program_cache_defer(q->dev, false);
  const size_t b = best_of(score, n);
  if (st == OB_OK && b == n)
    st = ob_fail(OB_ERR_UNSUPPORTED,
                 "%s: no candidate configuration (of %zu) works on %s for %s (the last: %s)",
                 q->family->name, n, ob_device_slug(q->dev), q->shape, why);
  if (st == OB_OK) {
    memcpy(out, cands + b * size, size);
    *best_score = score[b];
  }
  free(score);
  free(cands);
  return st;
}

ob_status ob_tune_select(const ob_tune_settings *s, const ob_tune_search *search_in, void *out,
                         ob_tune_source *source) {
  char shape[SHAPE_MAX + 24];
  shape_token(search_in->shape, shape, sizeof shape);
  ob_tune_search key = *search_in;
  key.shape = shape;
  const ob_tune_search *q = &key;
  const char *forced = ob_tune_settings_forced(s, q->family);
  if (forced) {
    *source = OB_TUNE_FORCED;
    return select_forced(q, forced, out);
  }
  *source = OB_TUNE_DEFAULT;
  if (s->mode == OB_TUNE_OFF) return q->fallback(q->ctx, out);
  *source = OB_TUNE_CACHED;
  const uint64_t candidates = candidates_hash(q);
  if (s->mode == OB_TUNE_ON && select_cached(s, q, candidates, out)) return OB_OK;
  *source = OB_TUNE_SEARCHED;
  const double t0 = ob_now();
  double score = 0.0;
  OB_TRY(search(q, out, &score));
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(q->family, out, text, sizeof text);
  ob_log(OB_LOG_INFO, "%s: %s tuned for %s: %s (%zu candidates, %.1f s)", ob_device_slug(q->dev),
         q->family->name, q->shape, text, q->ncandidates, ob_now() - t0);
  ob_tune_cache_store(s->cache_dir, q->dev, q->family->name, q->shape, candidates, text, score);
  return OB_OK;
}
