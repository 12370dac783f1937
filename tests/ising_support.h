/* Helpers of the Ising sampler tests (tests/test_ising_*.c): a test model, and device states
 * compared bit for bit with the host loop. Failures end the current cmocka test. */
#ifndef OB_TEST_ISING_SUPPORT_H
#define OB_TEST_ISING_SUPPORT_H

#include "support.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ising/ising_graph.h"
#include "ising/ising_sampler.h"

/* The model of a graph spec with weights of kind w (seed 11, beta 0.7). */
ob_ising_model *ob_test_ising_model(const char *spec, ob_ising_weight_kind w);

/* Samples of chains [0, chains) after `sweeps` sweeps (from sweep 0, the second half observed
 * when observe) on the test device with the tuning t (and the clamp, if nclamp), compared with
 * the host loop; returns the device states (caller frees). */
int8_t *ob_test_ising_run_equals_host(const ob_ising_model *m, size_t chains, size_t sweeps,
                                      const ob_ising_tuning *t, const uint32_t *clamp_nodes,
                                      size_t nclamp, const int8_t *clamp_vals, bool observe);

/* ob_test_ising_run_equals_host with the second half observed. */
int8_t *ob_test_ising_equals_host(const ob_ising_model *m, size_t chains, size_t sweeps,
                                  const ob_ising_tuning *t, const uint32_t *clamp_nodes,
                                  size_t nclamp, const int8_t *clamp_vals);

/* ob_test_ising_equals_host for each of cfgs[0..ncfgs) (with the clamp, if nheld), and the same
 * states from all of them. */
void ob_test_ising_configurations_agree(const ob_ising_model *m, size_t chains, size_t sweeps,
                                        const ob_ising_tuning *cfgs, size_t ncfgs,
                                        const uint32_t *held, size_t nheld,
                                        const int8_t *vals);

#endif
