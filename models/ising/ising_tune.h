/* Autotuning of the Ising sampler: times short runs of candidate configurations (word size,
 * work-group size, path) for one device, graph and batch, and caches the fastest in the
 * program cache directory, keyed by device, driver, kernel source, graph and chain count. */
#ifndef OB_ISING_TUNE_H
#define OB_ISING_TUNE_H

#include "ising_sampler.h"

/* Fills *best with the fastest candidate for `chains` chains of the model on the device (from
 * the cache when present: *cached true). Candidates that fail to set up are skipped; an error
 * only when none works. The model's weights do not matter, only its graph. */
ob_status ob_ising_autotune(ob_device *dev, const ob_ising_model *model, size_t chains,
                            ob_ising_tuning *best, bool *cached);

#endif
