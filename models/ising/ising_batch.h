/* One Ising batch set up over one or several devices, the one way `oclbench ising`, the `ising`
 * workload (`oclbench run ising`, --shard groups) and oclbench-mpi do it: calibrate each
 * device's sampling rate (several devices), split the chains in proportion (ob_ising_split),
 * choose each device's kernel configuration by a tuning policy, and create the samplers
 * (ob_ising_shards). Running the batch is the shards' (ising_shard.h).
 *
 * Ownership: the batch borrows the devices and the model (they must outlive it) and owns its
 * arrays and its shards. */
#ifndef OB_ISING_BATCH_H
#define OB_ISING_BATCH_H

#include "ising_shard.h"
#include "tune.h"

/* How each device's kernel configuration is chosen. */
typedef enum ob_ising_tune_policy {
  OB_ISING_TUNE_GIVEN, /* the given tuning on every device (zero fields: chosen from the device
                          and the model) */
  OB_ISING_TUNE_AUTO,  /* the selection's choice for the device's share of the chains
                          (ob_ising_select under the options' settings: forced, default, cached
                          per device, driver, graph and chain count, or searched), with the
                          given tuning's max_pass_chains; a given update other than auto
                          restricts the search to that update */
} ob_ising_tune_policy;

typedef struct ob_ising_batch_opts {
  size_t first_chain;   /* the batch's first chain within a larger batch (oclbench-mpi: this
                           rank's range); a multiple of OB_ISING_SHARD_ALIGN, else 0 */
  size_t chains;        /* chains of this batch (>= 1) */
  uint64_t seed;
  ob_ising_tune_policy policy;
  const ob_tune_settings *settings; /* policy AUTO: the settings it selects by; NULL: the
                                       process's (ob_tune_settings_current) */
  ob_ising_tuning tuning;
  const double *rates;  /* the devices' rates when measured already (oclbench-mpi calibrates
                           before it splits over ranks); NULL: calibrated here (ob_ising_calibrate
                           on `chains`) when there are several devices */
} ob_ising_batch_opts;

/* A batch: what each step chose, per device (arrays of n), and the shards. */
typedef struct ob_ising_batch {
  size_t n;
  double *rates;            /* flips/s as the split used them (1 for a lone uncalibrated device) */
  bool calibrated;          /* the rates were measured by this setup */
  size_t *shares;           /* chains of each device (0: left out) */
  ob_ising_tuning *tunings; /* the configuration each device runs */
  bool *tuned;              /* selected (policy AUTO and a share) */
  ob_tune_source *sources;  /* where a selected configuration came from */
  ob_ising_shards *set;     /* the samplers; NULL unless every step succeeded */
} ob_ising_batch;

/* Sets up *b (zero-initialised, or cleared) for devs[0..n) (n >= 1): rates, split, tunings,
 * shards, in that order. On failure, the steps that succeeded stay in *b (calibrated rates,
 * the devices already tuned), for the caller to report; ob_ising_batch_clear releases it
 * either way. */
ob_status ob_ising_batch_setup(ob_ising_batch *b, ob_device *const *devs, size_t n,
                               const ob_ising_model *model, const ob_ising_batch_opts *opts);

/* Releases what *b holds and zeroes it. */
void ob_ising_batch_clear(ob_ising_batch *b);

#endif
