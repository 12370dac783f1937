/* The sampler's arithmetic on the host: a plain single-thread C loop over sweeps, colours,
 * nodes and chains, with one byte per spin ([chain][node]), the kernels' Philox counters and
 * decision rule (ising_rule.h). It produces the same states as the device for the same seed,
 * chains and sweeps: the per-case verification of `oclbench run ising` and the tests compare
 * them bit for bit, and `oclbench ising --host-loop` times it as the CPU baseline.
 *
 * Ownership: the loop keeps a pointer to the model, which must outlive it. */
#ifndef OB_ISING_HOSTREF_H
#define OB_ISING_HOSTREF_H

#include "ising_graph.h"

typedef struct ob_ising_hostref ob_ising_hostref;

/* Prepares the loop for a model; clamped[i] != 0 holds node i fixed (NULL: none). multispin:
 * the multispin update's rule (ising_multispin.h: its thresholds, OB_ERR_UNSUPPORTED for a
 * model whose couplings are not all +-w), else the float rule. The weights are scaled and
 * rounded here: after changing them, create a new one. */
ob_status ob_ising_hostref_create(const ob_ising_model *model, const uint8_t *clamped,
                                  bool multispin, ob_ising_hostref **out);
void ob_ising_hostref_destroy(ob_ising_hostref *ref);

/* The initial state the device draws for chains [chain0, chain0 + nchains) with this seed:
 * spins[c*n + i] = +-1 for chain chain0 + c. */
void ob_ising_hostref_init(const ob_ising_hostref *ref, uint64_t seed, size_t chain0,
                           size_t nchains, int8_t *spins);

/* Runs nsweeps sweeps, numbered from sweep0, on spins (as ob_ising_hostref_init lays them out)
 * of chains chain0.. (the chain index selects the random numbers); clamped nodes keep their
 * values. */
void ob_ising_hostref_sweeps(const ob_ising_hostref *ref, uint64_t seed, size_t chain0,
                             size_t nchains, uint64_t sweep0, size_t nsweeps, int8_t *spins);

#endif
