/* Host reference of the Adam / AdamW step in double precision with PyTorch semantics: the
 * operations of torch.optim.Adam's single-tensor step, in its order, on one array of
 * parameters. The device implementations (models/adam/adam.c) are checked against it. */
#ifndef OB_ADAM_REF_H
#define OB_ADAM_REF_H

#include "adam.h"

/* One step on p[0..n) with gradients g, first moments m, second moments v and (amsgrad
 * only; NULL otherwise) their running maximum vmax; step is the step count after this step
 * (1 for the first). Uses o's lr, betas, eps, weight_decay, amsgrad, maximize, decoupled. */
void ob_adam_ref_step(const ob_adam_options *o, long step, double *p, const double *g,
                      double *m, double *v, double *vmax, size_t n);

#endif
