/* Exact Ising moments by enumerating every state (at most OB_ISING_EXACT_MAX_NODES nodes), in
 * double precision: the reference of the sampler's statistical tests and device check. */
#ifndef OB_ISING_EXACT_H
#define OB_ISING_EXACT_H

#include "ising_graph.h"

#define OB_ISING_EXACT_MAX_NODES 20

typedef struct ob_ising_exact_summary {
  double energy;        /* <E>, E(s) = -(sum h s + sum J s s) */
  double magnetisation; /* <(1/n) sum_i s_i> */
  double log_z;         /* log of the sum of exp(beta * (sum h s + sum J s s)) over the states
                           allowed by the clamp */
} ob_ising_exact_summary;

/* Exact moments of the model, optionally conditioned on clamped nodes (clamp[i] = +1 or -1
 * holds node i fixed, 0 leaves it free; NULL: none). Outputs (each may be NULL):
 * node[n] = <s_i>, edge[m] = <s_i s_j> in edge order, prob[2^n] = P(state) where bit i of
 * the state index is set when s_i = +1, and the summary. OB_ERR_INVALID above
 * OB_ISING_EXACT_MAX_NODES nodes. */
ob_status ob_ising_exact_moments(const ob_ising_model *model, const int8_t *clamp, double *node,
                                 double *edge, double *prob, ob_ising_exact_summary *summary);

/* Exact KL gradient of a model with visible nodes visible[0..nvis) for a data set of rows
 * examples (data[r*nvis + k] = +-1 is visible[k]'s value in example r): the derivative of
 * KL(data || model marginal) with respect to each bias and coupling,
 * grad_h[i] = -beta (<s_i>_data - <s_i>_model), grad_J[e] = -beta (<s_i s_j>_data - <..>_model),
 * where <.>_data averages the hidden nodes' conditional distribution over the examples.
 * nll (may be NULL) receives the mean negative log-likelihood -mean_r log P(v_r). */
ob_status ob_ising_exact_kl_grad(const ob_ising_model *model, const uint32_t *visible,
                                 size_t nvis, const int8_t *data, size_t rows, double *grad_h,
                                 double *grad_J, double *nll);

#endif
