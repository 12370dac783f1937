/* The fused Adam kernel's selection step: a few launch shapes timed for a few steps on
 * scratch buffers larger than the caches (GPUs: 16M parameters and the seed's 10.5M, so a
 * shape whose last wave of work-groups is poorly filled at one size loses; CPUs: 4M, as a step
 * takes milliseconds there), through the tuning facility (core/tune.h). */
#include "adam_tune.h"

#include <stdlib.h>
#include <string.h>

#define TUNE_STEPS 3
#define MAX_CANDIDATES 16
/* The search's time budget in seconds, estimated from the default shape's steps at PROBE_SIZE
 * parameters: the sizes shrink (to no less than PROBE_SIZE / 4) until the estimate fits, so
 * that a slow device (a simulator such as Oclgrind, a small integrated GPU) tunes in seconds
 * rather than hours. On the GPUs and CPUs measured the estimate is far below it. */
#define TUNE_BUDGET 10.0
#define PROBE_SIZE 16384

/* Seconds of one step with tuning t on the scratch buffers: the best of TUNE_STEPS. */
static ob_status time_candidate(ob_device *dev, cl_mem p, cl_mem g, size_t n,
                                const ob_adam_tuning *t, double *best) {
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.tuning = *t;
  const size_t off = 0;
  ob_adam *a = NULL;
  OB_TRY(ob_adam_create_flat(dev, &o, p, g, &off, &n, 1, &a));
  ob_status st = OB_OK;
  *best = 0.0;
  for (int s = 0; s <= TUNE_STEPS && st == OB_OK; s++) {
    cl_event ev = NULL;
    double secs = 0.0;
    st = ob_adam_step(a, &ev);
    if (st == OB_OK) st = OB_CL(clWaitForEvents(1, &ev));
    if (st == OB_OK) st = ob_event_seconds(ev, &secs);
    if (ev) clReleaseEvent(ev);
    if (st == OB_OK && s > 0 && (*best == 0.0 || secs < *best)) *best = secs; /* s 0: warm-up */
  }
  ob_adam_destroy(a);
  return st;
}

/* Times per parameter of candidate t summed over the problem sizes sizes[0..nsizes). */
static ob_status score_candidate(ob_device *dev, cl_mem p, cl_mem g, const size_t *sizes,
                                 size_t nsizes, const ob_adam_tuning *t, double *score) {
  *score = 0.0;
  for (size_t k = 0; k < nsizes; k++) {
    double secs = 0.0;
    OB_TRY(time_candidate(dev, p, g, sizes[k], t, &secs));
    *score += secs / (double)sizes[k];
  }
  return OB_OK;
}

/* The search: its scratch buffers and problem sizes (from search_prepare). */
typedef struct adam_search {
  ob_device *dev;
  const ob_adam_tuning *cand;
  size_t ncand;
  cl_mem p, g;
  size_t sizes[2], nsizes;
} adam_search;

static ob_status search_fallback(void *ctx, void *cfg) {
  ob_adam_tuning_default(((adam_search *)ctx)->dev, cfg);
  return OB_OK;
}

/* The buffers, and the sizes: shrunk alike on small devices until the largest fits, and
 * until the search's estimate from the first candidate at PROBE_SIZE fits TUNE_BUDGET. */
static ob_status search_prepare(void *ctx) {
  adam_search *s = ctx;
  ob_device *dev = s->dev;
  const ob_device_props *props = ob_device_props_get(dev);
  size_t *sizes = s->sizes;
  sizes[0] = (size_t)4 << 20;
  s->nsizes = 1;
  if (!ob_device_is_cpu(dev)) {
    sizes[0] = (size_t)16 << 20;
    sizes[s->nsizes++] = 10485760;
  }
  while (sizes[0] > 4096 && (sizes[0] * sizeof(float) > props->max_alloc ||
                             4 * sizes[0] * sizeof(float) > props->global_mem / 2))
    for (size_t k = 0; k < s->nsizes; k++) sizes[k] /= 2;
  const size_t n = sizes[0];
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &s->p));
  OB_TRY(ob_buffer_create(dev, CL_MEM_READ_ONLY, n * sizeof(float), NULL, &s->g));
  const float one = 1.0f, half = 0.5f;
  OB_TRY(ob_buffer_fill(dev, s->p, &one, sizeof one, n * sizeof(float)));
  OB_TRY(ob_buffer_fill(dev, s->g, &half, sizeof half, n * sizeof(float)));
  /* Seconds of the whole search per parameter tuned on (0: not measured, sizes kept). */
  double probe = 0.0;
  if (n >= PROBE_SIZE &&
      time_candidate(dev, s->p, s->g, PROBE_SIZE, &s->cand[0], &probe) != OB_OK) {
    probe = 0.0;
    ob_error_clear();
  }
  const double search_per_param = probe / PROBE_SIZE * (TUNE_STEPS + 1) * (double)s->ncand;
  while (sizes[0] > PROBE_SIZE / 4 &&
         search_per_param * (double)(sizes[0] + sizes[1]) > TUNE_BUDGET)
    for (size_t k = 0; k < s->nsizes; k++) sizes[k] /= 2;
  return OB_OK;
}

static ob_status search_trial(void *ctx, void *cfg, double best, double *score) {
  (void)best;
  adam_search *s = ctx;
  const ob_adam_tuning *t = cfg;
  OB_TRY(score_candidate(s->dev, s->p, s->g, s->sizes, s->nsizes, t, score));
  ob_log(OB_LOG_INFO, "%s: adam tuning wg=%zu items=%d vec=%d: %.3f ns/param",
         ob_device_slug(s->dev), t->wg, t->items, t->vec, *score * 1e9);
  return OB_OK;
}

ob_status ob_adam_select(ob_device *dev, const ob_tune_settings *settings, ob_adam_tuning *out,
                         ob_tune_source *source) {
  adam_search s = {.dev = dev};
  s.cand = ob_adam_candidates(dev, &s.ncand);
  ob_adam_tuning cand[MAX_CANDIDATES];
  const size_t n = s.ncand < MAX_CANDIDATES ? s.ncand : MAX_CANDIDATES;
  memcpy(cand, s.cand, n * sizeof *cand);
  const ob_tune_search q = {.family = &ob_adam_family, .dev = dev, .shape = "fused", .ctx = &s,
                            .fallback = search_fallback, .candidates = cand, .ncandidates = n,
                            .prepare = search_prepare, .trial = search_trial};
  const ob_status st = ob_tune_select(settings, &q, out, source);
  ob_buffer_release(dev, s.p);
  ob_buffer_release(dev, s.g);
  return st;
}
