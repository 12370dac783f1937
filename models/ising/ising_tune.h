/* The selection step of the Ising sampler: its tuning (update, word size, work-group size
 * and words, path, schedule) for one device, graph and batch, through the tuning facility
 * (core/tune.h), family ob_ising_family. */
#ifndef OB_ISING_TUNE_H
#define OB_ISING_TUNE_H

#include "ising_sampler.h"
#include "tune.h"

/* The tuning family of ob_ising_tuning: its text form
 * "path=local,spin_bits=32,wg_size=256,wg_words=1,schedule=local,update=multispin" (0 and
 * auto: the sampler chooses; OCLBENCH_CONFIG_ISING, the tuning cache). max_pass_chains is not
 * a parameter. */
extern const ob_tune_family ob_ising_family;

/* The tuning for `chains` chains of the model on dev, by the settings (ob_tune_select): forced
 * (OCLBENCH_CONFIG_ISING), the sampler's own choices (mode off: all zero), cached for this
 * graph (spec, nodes, edges) and chain count, or searched now: short runs of every candidate
 * (word sizes, work-group sizes, paths and schedules for GPUs; the wide words on CPUs) that
 * sets up, the fastest cached with the work-group size and schedule the sampler chose. Of the
 * weights only whether the couplings are all +-w matters (then the multispin update is a
 * candidate too, and the cache key says so). `update` other than auto searches only the
 * candidates of that update (the cache key names it). max_pass_chains of *out is 0. An error
 * only when no candidate works (OB_ERR_UNSUPPORTED for the multispin update of a model
 * without +-w couplings). */
ob_status ob_ising_select(ob_device *dev, const ob_tune_settings *settings,
                          const ob_ising_model *model, size_t chains, ob_ising_update update,
                          ob_ising_tuning *out, ob_tune_source *source);

#endif
