/* KL-gradient estimation and training of Ising models with hidden nodes on a device (the
 * thrml estimate_kl_grad use case): clamped-phase moments with the visible nodes set from a
 * data set, free-phase moments, gradient = -beta (clamped - free) for biases and couplings.
 *
 * Ownership: a trainer borrows the device, the model (whose weights ob_ising_trainer_step
 * updates in place) and copies the data; the model must outlive the trainer. */
#ifndef OB_ISING_TRAIN_H
#define OB_ISING_TRAIN_H

#include "ising_sampler.h"

typedef struct ob_ising_kl_opts {
  size_t chains_per_row; /* clamped phase: chains per data row (>= 1) */
  size_t free_chains;    /* free phase: chains (>= 1) */
  size_t warmup;         /* unobserved sweeps before each estimate */
  size_t sweeps;         /* observed sweeps per estimate (>= 1) */
  uint64_t seed;
  ob_ising_tuning tuning;
} ob_ising_kl_opts;

typedef struct ob_ising_trainer ob_ising_trainer;

/* Prepares the two samplers: chain c of the clamped phase holds data row c % rows on the
 * visible nodes visible[0..nvis) (data[r*nvis + k] = +-1). Chains persist between estimates
 * (persistent contrastive divergence): each estimate continues from the previous states. */
ob_status ob_ising_trainer_create(ob_device *dev, ob_ising_model *model, const uint32_t *visible,
                                  size_t nvis, const int8_t *data, size_t rows,
                                  const ob_ising_kl_opts *opts, ob_ising_trainer **out);
void ob_ising_trainer_destroy(ob_ising_trainer *t);

/* Estimates the KL gradient at the model's current weights: grad_h[n], grad_J[m]. */
ob_status ob_ising_trainer_grad(ob_ising_trainer *t, double *grad_h, double *grad_J);

/* One gradient-descent step: estimates the gradient, updates h and J by -lr * gradient and
 * uploads them; *grad_norm (may be NULL) receives the gradient's Euclidean norm. */
ob_status ob_ising_trainer_step(ob_ising_trainer *t, double lr, double *grad_norm);

/* Reads a training set: a CSV file whose header names the visible nodes (0-based ids < n,
 * distinct) and whose rows are examples of +1/-1 values. *visible (nvis ids) and *data
 * (rows x nvis) are malloc'ed for the caller. Bad input: OB_ERR_INVALID, "FILE:LINE: reason". */
ob_status ob_ising_data_load(const char *path, size_t n, uint32_t **visible, size_t *nvis,
                             int8_t **data, size_t *rows);

/* One-shot estimate (create, grad, destroy). */
ob_status ob_ising_kl_grad(ob_device *dev, ob_ising_model *model, const uint32_t *visible,
                           size_t nvis, const int8_t *data, size_t rows,
                           const ob_ising_kl_opts *opts, double *grad_h, double *grad_J);

#endif
