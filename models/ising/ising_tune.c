/* The autotuner of the Ising sampler: its tuning family and candidates, and the trial that
 * times short runs of each, through the tuning facility (core/tune.h). */
#include "ising_tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ising_multispin.h"

#define MAX_CANDIDATES 160
#define TRIAL_TARGET_S 0.005  /* a trial run lasts about this long */
#define TRIAL_MAX_SWEEPS 64

/* ---------------------------------------------------------------- the family */

static const ob_tune_param params[] = {
    {.key = "path", OB_TUNE_FIELD(ob_ising_tuning, path), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "local", "global")},
    {.key = "spin_bits", OB_TUNE_FIELD(ob_ising_tuning, spin_bits), .min = 0, .max = 32,
     OB_TUNE_VALUES(0, 1, 2, 4, 8, 16, 32)},
    {.key = "wg_size", OB_TUNE_FIELD(ob_ising_tuning, wg_size), .min = 0, .max = 4096},
    {.key = "wg_words", OB_TUNE_FIELD(ob_ising_tuning, wg_words), .min = 0, .max = 1024},
    {.key = "schedule", OB_TUNE_FIELD(ob_ising_tuning, schedule), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "local", "global")},
    {.key = "update", OB_TUNE_FIELD(ob_ising_tuning, update), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "float", "multispin")},
    {.key = "resident", OB_TUNE_FIELD(ob_ising_tuning, resident), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "on", "off")},
    {.key = "sign", OB_TUNE_FIELD(ob_ising_tuning, sign), .min = 0, .max = 3,
     OB_TUNE_NAMES("auto", "xor", "mad", "sel")},
    {.key = "philox", OB_TUNE_FIELD(ob_ising_tuning, philox), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "vector", "lanes")},
    {.key = "decision", OB_TUNE_FIELD(ob_ising_tuning, decision), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "exact", "screen")},
    {.key = "exp2", OB_TUNE_FIELD(ob_ising_tuning, exp2), .min = 0, .max = 2,
     OB_TUNE_NAMES("auto", "native", "ptx")},
    {.key = "regs", OB_TUNE_FIELD(ob_ising_tuning, regs), .min = 0, .max = 255},
};

/* Words per work-group a power of two, the schedule in local memory and resident units only on
 * the local path, resident units and signs by multiply-add or select with the float update,
 * Philox by lanes with its words of 8 to 32 chains (0 and auto: the sampler chooses). */
static ob_status rules(const void *cfg, const ob_device *dev) {
  (void)dev; /* local memory decides at creation (the sampler's own checks) */
  const ob_ising_tuning *t = cfg;
  if (t->wg_words & (t->wg_words - 1))
    return ob_fail(OB_ERR_INVALID, "ising config: wg_words=%zu is not a power of two",
                   t->wg_words);
  if (t->schedule == OB_ISING_PATH_LOCAL && t->path == OB_ISING_PATH_GLOBAL)
    return ob_fail(OB_ERR_INVALID, "ising config: the schedule in local memory needs the "
                   "local path");
  if (t->update == OB_ISING_UPDATE_MULTISPIN && t->spin_bits && t->spin_bits != 32)
    return ob_fail(OB_ERR_INVALID, "ising config: the multispin update runs spin_bits=32");
  if (t->resident == OB_ISING_RESIDENT_ON &&
      (t->path == OB_ISING_PATH_GLOBAL || t->update == OB_ISING_UPDATE_MULTISPIN))
    return ob_fail(OB_ERR_INVALID, "ising config: resident units run the float update on the "
                   "local path");
  if ((t->sign == OB_ISING_SIGN_MAD || t->sign == OB_ISING_SIGN_SEL) &&
      t->update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "ising config: sign=%s is a form of the float update",
                   ob_ising_sign_name(t->sign));
  if (t->decision == OB_ISING_DECISION_SCREEN && t->update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "ising config: decision=screen is a form of the float update");
  if (t->decision == OB_ISING_DECISION_SCREEN && t->spin_bits && t->spin_bits < 8)
    return ob_fail(OB_ERR_INVALID, "ising config: decision=screen is a form of the words of 8 "
                   "to 32 chains");
  if (t->exp2 != OB_ISING_EXP2_AUTO &&
      (t->decision == OB_ISING_DECISION_EXACT || t->update == OB_ISING_UPDATE_MULTISPIN))
    return ob_fail(OB_ERR_INVALID, "ising config: exp2 is a form of decision=screen");
  if (t->regs && t->update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "ising config: regs is a form of the float update");
  if (t->philox == OB_ISING_PHILOX_LANES &&
      (t->update == OB_ISING_UPDATE_MULTISPIN || (t->spin_bits && t->spin_bits < 8)))
    return ob_fail(OB_ERR_INVALID, "ising config: philox=lanes is a form of the float update's "
                   "words of 8 to 32 chains");
  return OB_OK;
}

static const ob_ising_tuning base = {0};

const ob_tune_family ob_ising_family = {.name = "ising", .params = params,
                                        .nparams = sizeof params / sizeof *params,
                                        .size = sizeof(ob_ising_tuning), .base = &base,
                                        .check = rules};

/* ---------------------------------------------------------------- the search */

/* GPUs: the 8- to 32-chain words with work-groups from 128 to 1024 on the local path, with
 * each of the two sign forms (ob_ising_sign), of the two Philox forms (ob_ising_philox) and of
 * the two decisions (ob_ising_decision; the screened ones also under register caps, below),
 * and with 256 and the schedule kept in global memory, and the global path; the byte words of
 * 1, 2 and 4 chains (small batches spread over the device, a work-item per 1-4 flips) on the
 * local path with the sampler's work-group size, the schedule in local and in global memory,
 * with and without resident units (a model or batch they do not fit fails its trial). CPUs
 * (slow compiles, few cores): the wide words and two work-group sizes, the xor and vector
 * forms only. A model of +-w couplings (multispin) adds the multispin update on both paths
 * with each work-group size (and, on GPUs, work-groups of 64 on its global path, the fastest
 * of the H200's trials being its smallest). `update` other than auto keeps only the candidates
 * of that update. */
static size_t candidates(const ob_device *dev, bool multispin, ob_ising_update update,
                         ob_ising_tuning *c) {
  size_t n = 0;
  const bool floats = update != OB_ISING_UPDATE_MULTISPIN;
  multispin = multispin && update != OB_ISING_UPDATE_FLOAT;
  const bool cpu = ob_device_is_cpu(dev);
  static const unsigned gpu_bits[] = {8, 16, 32}, cpu_bits[] = {16, 32}, byte_bits[] = {1, 2, 4};
  static const size_t gpu_wg[] = {128, 256, 512, 1024}, cpu_wg[] = {64, 256};
  const unsigned *bits = cpu ? cpu_bits : gpu_bits;
  const size_t *wgs = cpu ? cpu_wg : gpu_wg;
  const size_t nbits = cpu ? 2 : 3, nwg = cpu ? 2 : 4;
  static const ob_ising_sign signs[] = {OB_ISING_SIGN_AUTO, OB_ISING_SIGN_MAD};
  static const ob_ising_philox philox[] = {OB_ISING_PHILOX_AUTO, OB_ISING_PHILOX_LANES};
  static const ob_ising_decision decisions[] = {OB_ISING_DECISION_AUTO,
                                                OB_ISING_DECISION_SCREEN};
  const size_t forms = cpu ? 1 : 8; /* sign fastest, then Philox, then the decision */
  for (size_t b = 0; floats && b < nbits; b++) {
    for (size_t f = 0; f < forms; f++)
      for (size_t w = 0; w < nwg && n < MAX_CANDIDATES; w++)
        c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = bits[b],
                                   .wg_size = wgs[w], .wg_words = 1, .sign = signs[f % 2],
                                   .philox = philox[f / 2 % 2], .decision = decisions[f / 4]};
    if (!cpu && n < MAX_CANDIDATES)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = bits[b],
                                 .wg_size = 256, .wg_words = 1,
                                 .schedule = OB_ISING_PATH_GLOBAL};
    if (n < MAX_CANDIDATES)
      c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_GLOBAL, .spin_bits = bits[b],
                                 .wg_size = cpu ? 64 : 256, .wg_words = 1};
  }
  /* with cl_nv_compiler_options (NVIDIA), the screened forms of 16 and 32 chains per word again
   * with their registers capped (ob_ising_tuning.regs) at the exact forms' 72 and one step
   * below, in work-groups of 128, each sign form (signs by select too: a form for NVIDIA's
   * ptxas, which sets the select's predicates seven at a time) and each Philox form */
  static const unsigned caps[] = {64, 72}, capped_bits[] = {16, 32};
  static const ob_ising_sign capped_signs[] = {OB_ISING_SIGN_AUTO, OB_ISING_SIGN_MAD,
                                               OB_ISING_SIGN_SEL};
  const bool capped = floats && !cpu && ob_device_has_extension(dev, "cl_nv_compiler_options");
  for (size_t b = 0; capped && b < 2; b++)
    for (size_t f = 0; f < 6; f++)
      for (size_t k = 0; k < 2 && n < MAX_CANDIDATES; k++)
        c[n++] = (ob_ising_tuning){.path = OB_ISING_PATH_LOCAL, .spin_bits = capped_bits[b],
                                   .wg_size = 128, .wg_words = 1, .sign = capped_signs[f % 3],
                                   .philox = philox[f / 3],
                                   .decision = OB_ISING_DECISION_SCREEN, .regs = caps[k]};
  for (size_t w = 0; multispin && w < nwg; w++)
    for (int where = 0; where < 2 && n < MAX_CANDIDATES; where++)
      c[n++] = (ob_ising_tuning){.update = OB_ISING_UPDATE_MULTISPIN, .spin_bits = 32,
                                 .wg_size = wgs[w], .wg_words = 1,
                                 .path = where ? OB_ISING_PATH_GLOBAL : OB_ISING_PATH_LOCAL};
  if (multispin && !cpu && n < MAX_CANDIDATES)
    c[n++] = (ob_ising_tuning){.update = OB_ISING_UPDATE_MULTISPIN, .spin_bits = 32,
                               .wg_size = 64, .wg_words = 1, .path = OB_ISING_PATH_GLOBAL};
  for (size_t b = 0; floats && !cpu && b < sizeof byte_bits / sizeof *byte_bits; b++)
    for (int where = 0; where < 2; where++)
      for (int res = 0; res < 2 && n < MAX_CANDIDATES; res++)
        c[n++] = (ob_ising_tuning){
            .path = OB_ISING_PATH_LOCAL, .spin_bits = byte_bits[b], .wg_words = 1,
            .schedule = where ? OB_ISING_PATH_GLOBAL : OB_ISING_PATH_LOCAL,
            .resident = res ? OB_ISING_RESIDENT_ON : OB_ISING_RESIDENT_OFF};
  return n;
}

/* The search of one batch: the model, its chains, and the trial length (in sweeps, chosen on
 * the first candidate that works). */
typedef struct ising_search {
  ob_device *dev;
  const ob_ising_model *model;
  size_t chains, sweeps;
  ob_ising_update update; /* auto, or the only update searched */
} ising_search;

static ob_status search_fallback(void *ctx, void *cfg) {
  const ising_search *q = ctx;
  /* the sampler chooses (the update too, unless one is required) */
  *(ob_ising_tuning *)cfg = (ob_ising_tuning){.update = q->update};
  return OB_OK;
}

/* Seconds per sweep of one candidate (the better of two trials), its work-group size and
 * schedule rewritten as the sampler chose them. */
static ob_status search_trial(void *ctx, void *cfg, double best_so_far, double *seconds) {
  (void)best_so_far;
  ising_search *q = ctx;
  ob_ising_tuning *t = cfg;
  size_t *sweeps = &q->sweeps;
  ob_ising_sampler *s = NULL;
  OB_TRY(ob_ising_sampler_create(q->dev, q->model, q->chains, 1, t, &s));
  ob_ising_config chosen;
  ob_ising_sampler_config(s, &chosen);
  t->wg_size = chosen.wg_size; /* as chosen and as the device allows */
  t->schedule = chosen.schedule;
  t->resident = chosen.resident ? OB_ISING_RESIDENT_ON : OB_ISING_RESIDENT_OFF;
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
  ob_ising_sampler_destroy(s);
  OB_TRY(st);
  if (!(best > 0)) return ob_fail(OB_ERR_TIMING, "ising: a trial of %zu sweeps took no time",
                                  *sweeps);
  *seconds = best / (double)*sweeps;
  ob_log(OB_LOG_DEBUG,
         "ising autotune: %s, %zu chains, %s (sign=%s)%s%s, %u bits, wg %zu, %s, schedule %s%s, "
         "regs %u: %.4g flips/ns",
         ob_ising_spec(q->model), q->chains, ob_ising_update_name(t->update),
         ob_ising_sign_name(t->sign),
         t->philox == OB_ISING_PHILOX_LANES ? " (philox=lanes)" : "",
         t->decision == OB_ISING_DECISION_SCREEN ? " (decision=screen)" : "", t->spin_bits,
         t->wg_size,
         ob_ising_path_name(t->path), ob_ising_path_name(t->schedule),
         t->resident == OB_ISING_RESIDENT_ON ? ", resident" : "", t->regs,
         (double)ob_ising_nodes(q->model) * (double)q->chains / *seconds * 1e-9);
  return OB_OK;
}

ob_status ob_ising_select(ob_device *dev, const ob_tune_settings *settings,
                          const ob_ising_model *model, size_t chains, ob_ising_update update,
                          ob_ising_tuning *out, ob_tune_source *source) {
  ob_ising_tuning cand[MAX_CANDIDATES];
  ising_search s = {.dev = dev, .model = model, .chains = chains, .update = update};
  double w = 0.0;
  const bool multispin = ob_ising_multispin_weight(model, &w);
  char shape[1200];
  snprintf(shape, sizeof shape, "%s:n%zu:e%zu:c%zu%s%s%s", ob_ising_spec(model),
           ob_ising_nodes(model), ob_ising_edges(model), chains, multispin ? ":pmw" : "",
           update == OB_ISING_UPDATE_AUTO ? "" : ":", 
           update == OB_ISING_UPDATE_AUTO ? "" : ob_ising_update_name(update));
  const ob_tune_search q = {.family = &ob_ising_family, .dev = dev, .shape = shape, .ctx = &s,
                            .fallback = search_fallback, .candidates = cand,
                            .ncandidates = candidates(dev, multispin, update, cand),
                            .trial = search_trial};
  return ob_tune_select(settings, &q, out, source);
}
