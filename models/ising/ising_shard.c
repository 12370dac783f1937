/* One Ising batch over several devices: contiguous chain ranges, one host thread per device
 * (none for one device), exact combination of the moments. */
#include "ising_shard.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CALIBRATION_MAX_CHAINS 65536
#define CALIBRATION_SWEEPS 4

typedef struct shard {
  ob_device *dev;
  ob_ising_sampler *sampler;
  size_t first, chains;
  /* per run, filled by the shard's thread (why it failed: in its device's stream) */
  ob_status st;
  double seconds;
} shard;

struct ob_ising_shards {
  const ob_ising_model *model;
  shard *shards;
  size_t n;
};

void ob_ising_split(size_t chains, const double *rates, size_t n, size_t *shares) {
  double total = 0.0;
  size_t last = n ? n - 1 : 0; /* takes the remainder: the last with a positive rate */
  for (size_t i = 0; i < n; i++) total += rates[i] > 0 ? rates[i] : 0.0;
  for (size_t i = n; total > 0 && i-- > 0;)
    if (rates[i] > 0) {
      last = i;
      break;
    }
  size_t given = 0;
  for (size_t i = 0; i < n; i++) {
    size_t want = 0;
    if (i > last) {
      want = 0;
    } else if (i == last) {
      want = chains - given;
    } else if (total > 0 && rates[i] > 0) {
      const double exact = (double)chains * rates[i] / total;
      want = (size_t)llround(exact / OB_ISING_SHARD_ALIGN) * OB_ISING_SHARD_ALIGN;
      if (want > chains - given) want = (chains - given) / OB_ISING_SHARD_ALIGN * OB_ISING_SHARD_ALIGN;
    }
    shares[i] = want;
    given += want;
  }
}

ob_status ob_ising_calibrate(ob_device *const *devs, size_t n, const ob_ising_model *model,
                             size_t chains, uint64_t seed, double *rates) {
  size_t each = n ? (chains + n - 1) / n : chains;
  if (each > CALIBRATION_MAX_CHAINS) each = CALIBRATION_MAX_CHAINS;
  if (each < OB_ISING_SHARD_ALIGN) each = OB_ISING_SHARD_ALIGN;
  for (size_t i = 0; i < n; i++) {
    ob_ising_sampler *s = NULL;
    OB_TRY(ob_ising_sampler_create(devs[i], model, each, seed, NULL, &s));
    double t = 0.0;
    ob_status st = ob_ising_sampler_run(s, 1, false, NULL); /* first launches, not timed */
    if (st == OB_OK) st = ob_ising_sampler_run(s, CALIBRATION_SWEEPS, false, &t);
    ob_ising_sampler_destroy(s);
    OB_TRY(st);
    const double flips = (double)CALIBRATION_SWEEPS * (double)ob_ising_nodes(model) * (double)each;
    rates[i] = t > 0 ? flips / t : 0.0;
  }
  return OB_OK;
}

void ob_ising_shards_destroy(ob_ising_shards *set) {
  if (!set) return;
  for (size_t i = 0; i < set->n; i++) ob_ising_sampler_destroy(set->shards[i].sampler);
  free(set->shards);
  free(set);
}

ob_status ob_ising_shards_create(ob_device *const *devs, size_t n, const ob_ising_model *model,
                                 size_t first_chain, const size_t *shares, uint64_t seed,
                                 const ob_ising_tuning *tunings, ob_ising_shards **out) {
  *out = NULL;
  ob_ising_shards *set = calloc(1, sizeof *set);
  if (!set || !(set->shards = calloc(n ? n : 1, sizeof *set->shards))) {
    free(set);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  set->model = model;
  size_t next = first_chain;
  ob_status st = OB_OK;
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    if (shares[i] == 0) continue;
    if (i + 1 < n && shares[i] % OB_ISING_SHARD_ALIGN) {
      st = ob_fail(OB_ERR_INVALID, "share %zu of %zu chains is not a multiple of %d", i,
                   shares[i], OB_ISING_SHARD_ALIGN);
      break;
    }
    shard *sh = &set->shards[set->n];
    sh->dev = devs[i];
    sh->first = next;
    sh->chains = shares[i];
    st = ob_ising_sampler_create_range(devs[i], model, next, shares[i], seed,
                                      tunings ? &tunings[i] : NULL, &sh->sampler);
    if (st == OB_OK) set->n++;
    next += shares[i];
  }
  if (st == OB_OK && set->n == 0) st = ob_fail(OB_ERR_INVALID, "no chains to sample");
  if (st != OB_OK) {
    ob_ising_shards_destroy(set);
    return st;
  }
  *out = set;
  return OB_OK;
}

/* What one thread does: run or rerun its shard's sampler. */
typedef struct job {
  shard *sh;
  size_t nsweeps;
  bool observe, rerun, snapshot;
} job;

static void *job_main(void *arg) {
  job *j = arg;
  shard *sh = j->sh;
  sh->seconds = 0.0;
  if (j->snapshot) sh->st = ob_ising_sampler_snapshot(sh->sampler);
  else if (j->rerun) sh->st = ob_ising_sampler_rerun(sh->sampler, j->nsweeps, &sh->seconds);
  else sh->st = ob_ising_sampler_run(sh->sampler, j->nsweeps, j->observe, &sh->seconds);
  return NULL;
}

/* Runs one job per shard, each on a thread of its own when there are several (one shard runs
 * on the calling thread), and waits for all; the first failure is returned with its device
 * named and the reason its stream recorded. */
static ob_status run_all(ob_ising_shards *set, job proto, double *seconds, double *device_seconds) {
  job *jobs = calloc(set->n, sizeof *jobs);
  pthread_t *threads = calloc(set->n, sizeof *threads);
  bool *started = calloc(set->n, sizeof *started);
  if (!jobs || !threads || !started) {
    free(jobs);
    free(threads);
    free(started);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  const double t0 = ob_now();
  for (size_t i = 0; i < set->n; i++) {
    jobs[i] = proto;
    jobs[i].sh = &set->shards[i];
    started[i] = set->n > 1 && pthread_create(&threads[i], NULL, job_main, &jobs[i]) == 0;
    if (!started[i]) job_main(&jobs[i]); /* one shard, or no thread: run it here */
  }
  for (size_t i = 0; i < set->n; i++)
    if (started[i]) pthread_join(threads[i], NULL);
  if (seconds) *seconds = ob_now() - t0;
  ob_status st = OB_OK;
  for (size_t i = 0; i < set->n; i++) {
    const shard *sh = &set->shards[i];
    if (device_seconds) device_seconds[i] = sh->seconds;
    if (st == OB_OK && sh->st != OB_OK)
      st = ob_fail(sh->st, "%s: %s", ob_device_slug(sh->dev),
                   ob_stream_error(ob_device_stream(sh->dev)));
  }
  free(jobs);
  free(threads);
  free(started);
  return st;
}

ob_status ob_ising_shards_run(ob_ising_shards *set, size_t nsweeps, bool observe,
                              double *seconds, double *device_seconds) {
  job proto = {.nsweeps = nsweeps, .observe = observe};
  return run_all(set, proto, seconds, device_seconds);
}

ob_status ob_ising_shards_snapshot(ob_ising_shards *set) {
  job proto = {.snapshot = true};
  return run_all(set, proto, NULL, NULL);
}

ob_status ob_ising_shards_rerun(ob_ising_shards *set, size_t nsweeps, double *seconds,
                                double *device_seconds) {
  job proto = {.nsweeps = nsweeps, .rerun = true};
  return run_all(set, proto, seconds, device_seconds);
}

ob_status ob_ising_shards_moment_sums(const ob_ising_shards *set, int64_t *node, int64_t *edge,
                                      uint64_t *samples) {
  const size_t n = ob_ising_nodes(set->model), m = ob_ising_edges(set->model);
  int64_t *pn = malloc((n + 1) * sizeof *pn), *pe = malloc((m + 1) * sizeof *pe);
  ob_status st = pn && pe ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (node) memset(node, 0, n * sizeof *node);
  if (edge) memset(edge, 0, m * sizeof *edge);
  *samples = 0;
  for (size_t s = 0; s < set->n && st == OB_OK; s++) {
    uint64_t k = 0;
    st = ob_ising_sampler_moment_sums(set->shards[s].sampler, pn, pe, &k);
    for (size_t i = 0; st == OB_OK && node && i < n; i++) node[i] += pn[i];
    for (size_t i = 0; st == OB_OK && edge && i < m; i++) edge[i] += pe[i];
    *samples += k;
  }
  free(pn);
  free(pe);
  return st;
}

static ob_status shards_sums(const void *source, int64_t *node, int64_t *edge,
                             uint64_t *samples) {
  return ob_ising_shards_moment_sums(source, node, edge, samples);
}

ob_status ob_ising_shards_moments(const ob_ising_shards *set, ob_ising_moments *out) {
  return ob_ising_moments_of(set->model, shards_sums, set, out);
}

ob_status ob_ising_shards_samples(ob_ising_shards *set, size_t chain0, size_t count,
                                  int8_t *out) {
  const size_t n = ob_ising_nodes(set->model);
  const size_t base = set->n ? set->shards[0].first : 0;
  for (size_t s = 0; s < set->n && count; s++) {
    const shard *sh = &set->shards[s];
    const size_t lo = sh->first - base, hi = lo + sh->chains;
    if (chain0 + count <= lo || chain0 >= hi) continue;
    const size_t first = chain0 > lo ? chain0 : lo, end = chain0 + count < hi ? chain0 + count : hi;
    OB_TRY(ob_ising_sampler_samples(sh->sampler, first - lo, end - first,
                                    out + (first - chain0) * n));
  }
  return OB_OK;
}

size_t ob_ising_shards_count(const ob_ising_shards *set) { return set->n; }
ob_device *ob_ising_shards_device(const ob_ising_shards *set, size_t i) {
  return i < set->n ? set->shards[i].dev : NULL;
}
ob_ising_sampler *ob_ising_shards_sampler(const ob_ising_shards *set, size_t i) {
  return i < set->n ? set->shards[i].sampler : NULL;
}
size_t ob_ising_shards_chains(const ob_ising_shards *set, size_t i) {
  return i < set->n ? set->shards[i].chains : 0;
}

ob_status ob_ising_rate_check(ob_device *const *devs, size_t n, double flips, double seconds,
                              double wall_s) {
  OB_TRY(ob_time_check(seconds, 1, wall_s));
  double peak = 0.0;
  for (size_t i = 0; i < n; i++) {
    const double t = ob_device_fp32_theoretical(devs[i]) * 1e9 *
                     ob_device_props_get(devs[i])->clock_headroom;
    if (!(t > 0)) return OB_OK; /* unknown: no bound */
    peak += t;
  }
  const double limit = peak * OB_ISING_FLIPS_PER_FLOP * OB_PLAUSIBLE_FLOPS_MARGIN;
  if (flips / seconds > limit)
    return ob_fail(OB_ERR_TIMING, "implausible: %.4g flips/ns is above %.4g (%g flips per FLOP "
                   "of the theoretical FP32 peak)", flips / seconds * 1e-9, limit * 1e-9,
                   OB_ISING_FLIPS_PER_FLOP);
  return OB_OK;
}
