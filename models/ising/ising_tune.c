/* Autotuning of the Ising sampler with an on-disk cache of the winners. */
#include "ising_tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 24
#define TRIAL_TARGET_S 0.005  /* a trial run lasts about this long */
#define TRIAL_MAX_SWEEPS 64

static void cache_path(ob_device *dev, const ob_ising_model *model, size_t chains, char *buf,
                       size_t n) {
  const ob_device_props *p = ob_device_props_get(dev);
  char *src = NULL;
  size_t len = 0;
  uint64_t h = OB_HASH_INIT;
  if (ob_kernel_source("ising.cl", &src, &len) == OB_OK) h = ob_hash(h, src, len);
  ob_error_clear();
  free(src);
  char key[1024];
  const int k = snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%zu|%zu|%zu", p->name, p->driver,
                         p->platform_version, OB_VERSION, ob_ising_spec(model),
                         ob_ising_nodes(model), ob_ising_edges(model), chains);
  h = ob_hash(h, key, (size_t)k);
  snprintf(buf, n, "%s/ising-tune-%016llx.txt", ob_program_cache_dir(), (unsigned long long)h);
}

static bool read_cached(const char *path, ob_ising_tuning *t) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  unsigned bits = 0, path_kind = 0, sched = 0;
  size_t wg = 0, words = 0;
  const int got = fscanf(f, "%u %zu %zu %u %u", &bits, &wg, &words, &path_kind, &sched);
  fclose(f);
  const bool place_ok = (path_kind == OB_ISING_PATH_LOCAL || path_kind == OB_ISING_PATH_GLOBAL) &&
                        (sched == OB_ISING_PATH_LOCAL || sched == OB_ISING_PATH_GLOBAL);
  if (got != 5 || !bits || bits > 32 || (bits & (bits - 1)) || !wg || wg > 4096 || !words ||
      (words & (words - 1)) || !place_ok)
    return false;
  *t = (ob_ising_tuning){.path = (ob_ising_path)path_kind, .spin_bits = bits, .wg_size = wg,
                         .wg_words = words, .schedule = (ob_ising_path)sched};
  return true;
}

static void write_cached(const char *path, const ob_ising_tuning *t) {
  char text[96];
  const int n = snprintf(text, sizeof text, "%u %zu %zu %u %u\n", t->spin_bits, t->wg_size,
                         t->wg_words, (unsigned)t->path, (unsigned)t->schedule);
  if (ob_mkdir_p(ob_program_cache_dir()) != OB_OK ||
      ob_write_file_atomic(path, text, (size_t)n) != OB_OK)
    ob_log(OB_LOG_DEBUG, "ising autotune: cannot cache %s: %s", path, ob_error_detail());
  ob_error_clear();
}

/* GPUs: the 8- to 32-chain words with work-groups from 128 to 1024 on the local path (and
 * 256 with the schedule kept in global memory), and the global path; the byte words of 1, 2
 * and 4 chains (small batches spread over the device, a work-item per 1-4 flips) on the local
 * path with the sampler's work-group size, the schedule in local and in global memory. CPUs
 * (slow compiles, few cores): the wide words and two work-group sizes. */
static size_t candidates(const ob_device *dev, ob_ising_tuning *c) {
  size_t n = 0;
  const bool cpu = ob_device_is_cpu(dev);
  static const unsigned gpu_bits[] = {8, 16, 32}, cpu_bits[] = {16, 32}, byte_bits[] = {1, 2, 4};
  static const size_t gpu_wg[] = {128, 256, 512, 1024}, cpu_wg[] = {64, 256};
  const unsigned *bits = cpu ? cpu_bits : gpu_bits;
  const size_t *wgs = cpu ? cpu_wg : gpu_wg;
  const size_t nbits = cpu ? 2 : 3, nwg = cpu ? 2 : 4;
  for (size_t b = 0; b < nbits; b++) {
    for (size_t w = 0; w < nwg && n < MAX_CANDIDATES; w++)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = bits[b],
                                 .wg_size = wgs[w], .wg_words = 1};
    if (!cpu && n < MAX_CANDIDATES)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = bits[b],
                                 .wg_size = 256, .wg_words = 1,
                                 .schedule = OB_ISING_PATH_GLOBAL};
    if (n < MAX_CANDIDATES)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_GLOBAL, .spin_bits = bits[b],
                                 .wg_size = cpu ? 64 : 256, .wg_words = 1};
  }
  for (size_t b = 0; !cpu && b < sizeof byte_bits / sizeof *byte_bits; b++)
    for (int where = 0; where < 2 && n < MAX_CANDIDATES; where++)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = byte_bits[b],
                                 .wg_words = 1,
                                 .schedule = where ? OB_ISING_PATH_GLOBAL : OB_ISING_PATH_LOCAL};
  return n;
}

/* Seconds per sweep of one candidate (the better of two trials); < 0 when it does not work
 * here. *sweeps: trial length, chosen on the first working candidate. */
static double trial(ob_device *dev, const ob_ising_model *model, size_t chains,
                    ob_ising_tuning *t, size_t *sweeps) {
  ob_ising_sampler *s = NULL;
  if (ob_ising_sampler_create(dev, model, chains, 1, t, &s) != OB_OK) {
    ob_log(OB_LOG_DEBUG, "ising autotune: %u bits, wg %zu, %s, schedule %s: %s", t->spin_bits,
           t->wg_size, ob_ising_path_name(t->path), ob_ising_path_name(t->schedule),
           ob_error_detail());
    ob_error_clear();
    return -1.0;
  }
  ob_ising_config cfg;
  ob_ising_sampler_config(s, &cfg);
  t->wg_size = cfg.wg_size; /* as chosen and as the device allows */
  t->schedule = cfg.schedule;
  double best = -1.0, sec = 0.0;
  ob_status st = ob_ising_sampler_snapshot(s);
  if (st == OB_OK && *sweeps == 0) { /* size the trials from a one-sweep probe */
    st = ob_ising_sampler_rerun(s, 1, &sec);
    *sweeps = sec > 0 ? (size_t)(TRIAL_TARGET_S / sec) + 1 : TRIAL_MAX_SWEEPS;
    if (*sweeps > TRIAL_MAX_SWEEPS) *sweeps = TRIAL_MAX_SWEEPS;
  }
  for (int rep = 0; rep < 3 && st == OB_OK; rep++) { /* the first one warms up */
    st = ob_ising_sampler_rerun(s, *sweeps, &sec);
    if (st == OB_OK && rep && (best < 0 || sec < best)) best = sec;
  }
  if (st != OB_OK) {
    ob_log(OB_LOG_DEBUG, "ising autotune: run failed: %s", ob_error_detail());
    ob_error_clear();
    best = -1.0;
  }
  ob_ising_sampler_destroy(s);
  return best > 0 ? best / (double)*sweeps : -1.0;
}

ob_status ob_ising_autotune(ob_device *dev, const ob_ising_model *model, size_t chains,
                            ob_ising_tuning *best, bool *cached) {
  char path[4200] = "";
  const bool caching = ob_program_cache_dir()[0] != '\0';
  if (caching) cache_path(dev, model, chains, path, sizeof path);
  *cached = caching && read_cached(path, best);
  if (*cached) return OB_OK;
  ob_ising_tuning c[MAX_CANDIDATES];
  const size_t n = candidates(dev, c);
  double fastest = -1.0;
  size_t sweeps = 0;
  for (size_t i = 0; i < n; i++) {
    const double t = trial(dev, model, chains, &c[i], &sweeps);
    ob_log(OB_LOG_DEBUG,
           "ising autotune: %s, %zu chains, %u bits, wg %zu, %s, schedule %s: %.4g flips/ns",
           ob_ising_spec(model), chains, c[i].spin_bits, c[i].wg_size,
           ob_ising_path_name(c[i].path), ob_ising_path_name(c[i].schedule),
           t > 0 ? (double)ob_ising_nodes(model) * (double)chains / t * 1e-9 : 0.0);
    if (t > 0 && (fastest < 0 || t < fastest)) {
      fastest = t;
      *best = c[i];
    }
  }
  if (fastest < 0)
    return ob_fail(OB_ERR_UNSUPPORTED, "ising autotune: no configuration runs on this device");
  if (caching) write_cached(path, best);
  return OB_OK;
}
