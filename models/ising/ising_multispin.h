/* The multispin update of the Ising sampler (cl_kernels/ising.cl with -DMULTISPIN=1) for models
 * whose couplings are all +-w for one w >= 0 (--weights pm1, or an edge file of +-w), whatever
 * the biases.
 *
 * With J_ij = w sigma_ij (sigma = +-1) and y_j = 1 when sigma_ij s_j = -1, the field of node i is
 * gamma_i = h_i + w (d_i - 2 m_i), m_i = sum_j y_j: it takes only d_i + 1 values, one per count
 * m_i. The kernel forms m_i of 32 chains at once with bitwise adders over the neighbours' words
 * (y_j = word_j XOR sign mask), and decides each chain with a 23-bit uniform integer k and an
 * integer threshold per node and count:
 *   s_i = +1  exactly when  k < K_i[m],
 * K_i[m] = the number of k in [0, 2^23) with (2k+1) / 2^24 < p, p = 1 / (1 + exp(-2 beta gamma)).
 * That is the float rule's test u < p (ising_rule.h: the uniform u = (2k+1) / 2^24) with p exact
 * to double precision instead of the float rule's 2e-7: the Gibbs rule P(s_i = +1 | rest) = p
 * up to the uniform's 2^-23 resolution, as on the float path.
 * The bits of k come from the same Philox4x32-10 and key in other counter domains, read lazily:
 * k = (a << 7) | b, a = 16 bits (the counter (node, sweep, 4w + j / 8, 2) of chain j of word w
 * of 32 chains, output (j % 8) / 2, half j % 2: two chains per 32-bit output, half the float
 * update's Philox work), and b = the top 7 bits of output 0 of (node, sweep, chain, 3),
 * needed only when a alone does not decide, 128 a < K <= 128 a + 127 (about one decision in
 * 2^16). The samples therefore differ from the float update's, not in distribution.
 *
 * The thresholds use only correctly rounded double operations (no libm exp), so every host
 * computes the same table and a batch split over hosts gives the same states. */
#ifndef OB_ISING_MULTISPIN_H
#define OB_ISING_MULTISPIN_H

#include "ising_graph.h"

/* True when every coupling of the model is +-w for one w (then *w = w >= 0; a model without
 * edges qualifies with w = 0). */
bool ob_ising_multispin_weight(const ob_ising_model *model, double *w);

/* Bit planes of the bitwise counter: the bits of the largest degree (at least 1). */
unsigned ob_ising_multispin_planes(const ob_ising_model *model);

/* The thresholds of node i: K[m] for m = 0..degree(i) (see above), for the model's coupling
 * magnitude w as ob_ising_multispin_weight gave it (the model must qualify). Constant time per
 * node: a caller filling every node's table finds w once. */
void ob_ising_multispin_thresholds(const ob_ising_model *model, double w, uint32_t i,
                                   uint32_t *K);

/* The sign mask of CSR entry e: 0xffffffff when its coupling is negative, else 0. */
uint32_t ob_ising_multispin_sign(const ob_ising_model *model, size_t e);

/* The multispin decision of node `node` in sweep `sweep` for chain `chain` (its index in the
 * whole batch) with threshold K, key (k0, k1): true when the new spin is +1 (k < K, k as above). */
bool ob_ising_multispin_plus(uint32_t k0, uint32_t k1, uint32_t node, uint32_t sweep,
                             size_t chain, uint32_t K);

#endif
