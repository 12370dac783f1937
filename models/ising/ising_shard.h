/* One Ising batch spread over several devices: each device samples a contiguous range of the
 * chains on its own host thread, concurrently (one device: on the caller's thread), and the
 * moments are combined exactly (integer sums, divided once). The random numbers are keyed by
 * the global chain index, so the results with one seed are identical whatever the split
 * (ob_ising_sampler_create_range).
 *
 * Ownership: the set borrows the devices and the model (they must outlive it); it owns one
 * sampler per device. */
#ifndef OB_ISING_SHARD_H
#define OB_ISING_SHARD_H

#include "ising_sampler.h"

/* Splits `chains` into n contiguous shares proportional to rates[0..n) (any positive units),
 * every share a multiple of OB_ISING_SHARD_ALIGN but the last positive-rate one's, which takes
 * the remainder; a zero rate gets no chains (all zero: the last entry takes everything). */
void ob_ising_split(size_t chains, const double *rates, size_t n, size_t *shares);

/* Measures each device's sampling rate (flips/s) on this model with a short run of a batch of
 * `chains` (capped) chains: the calibration that ob_ising_split divides by. */
ob_status ob_ising_calibrate(ob_device *const *devs, size_t n, const ob_ising_model *model,
                             size_t chains, uint64_t seed, double *rates);

typedef struct ob_ising_shards ob_ising_shards;

/* Samplers for chains [first_chain, first_chain + shares[0] + ... + shares[n-1]) of a batch,
 * device i taking the next shares[i] chains (first_chain and every share but the last: multiples
 * of OB_ISING_SHARD_ALIGN; a device with share 0 is left out) with tunings[i] (tunings may be
 * NULL: chosen per device). */
ob_status ob_ising_shards_create(ob_device *const *devs, size_t n, const ob_ising_model *model,
                                 size_t first_chain, const size_t *shares, uint64_t seed,
                                 const ob_ising_tuning *tunings, ob_ising_shards **out);
void ob_ising_shards_destroy(ob_ising_shards *set);

/* Runs nsweeps sweeps on every device at once (one host thread each; a set of one device runs
 * on the calling thread) and waits for all. *seconds: wall-clock of the whole;
 * device_seconds[i] (may be NULL): device i's own time. A failure names its device and the
 * reason its stream recorded (ob_stream_error). */
ob_status ob_ising_shards_run(ob_ising_shards *set, size_t nsweeps, bool observe,
                              double *seconds, double *device_seconds);

/* Sums of every shard (ob_ising_sampler_moment_sums), added. */
ob_status ob_ising_shards_moment_sums(const ob_ising_shards *set, int64_t *node, int64_t *edge,
                                      uint64_t *samples);
/* Combined moments (node/edge arrays caller-provided, may be NULL). */
ob_status ob_ising_shards_moments(const ob_ising_shards *set, ob_ising_moments *out);
/* States of the set's chains [chain0, chain0 + count) (indices relative to first_chain). */
ob_status ob_ising_shards_samples(ob_ising_shards *set, size_t chain0, size_t count,
                                  int8_t *out);
/* Snapshot/rerun on every shard (the benchmark's repetitions), concurrently. */
ob_status ob_ising_shards_snapshot(ob_ising_shards *set);
ob_status ob_ising_shards_rerun(ob_ising_shards *set, size_t nsweeps, double *seconds,
                                double *device_seconds);

/* The most flips a device can do per FLOP of its FP32 peak: 32 chains per word, one integer
 * operation per lane and cycle where an FMA counts 2 FLOP. A rate above this (x a margin)
 * is not believed. */
#define OB_ISING_FLIPS_PER_FLOP 16.0

/* Whether `flips` flips in `seconds` (the devices' own time of one run; wall_s: the wall-clock
 * time around it) on devs[0..n) can be believed: ob_time_check, and at most OB_ISING_FLIPS_PER_FLOP flips
 * per FLOP of their theoretical FP32 peak at the maximum clock, where it is known. OB_OK, or
 * OB_ERR_TIMING with a detail. */
ob_status ob_ising_rate_check(ob_device *const *devs, size_t n, double flips, double seconds,
                              double wall_s);

/* Shards in use, and shard i's device, sampler and chain count. */
size_t ob_ising_shards_count(const ob_ising_shards *set);
ob_device *ob_ising_shards_device(const ob_ising_shards *set, size_t i);
ob_ising_sampler *ob_ising_shards_sampler(const ob_ising_shards *set, size_t i);
size_t ob_ising_shards_chains(const ob_ising_shards *set, size_t i);

#endif
