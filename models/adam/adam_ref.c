/* Host reference Adam / AdamW step in double precision (PyTorch semantics). */
#include "adam_ref.h"

#include <math.h>

void ob_adam_ref_step(const ob_adam_options *o, long step, double *p, const double *g,
                      double *m, double *v, double *vmax, size_t n) {
  const double bias_correction1 = 1.0 - pow(o->beta1, (double)step);
  const double bias_correction2 = 1.0 - pow(o->beta2, (double)step);
  const double step_size = o->lr / bias_correction1;
  const double bias_correction2_sqrt = sqrt(bias_correction2);
  for (size_t i = 0; i < n; i++) {
    double grad = o->maximize ? -g[i] : g[i];
    if (o->weight_decay != 0.0) {
      if (o->decoupled) p[i] *= 1.0 - o->lr * o->weight_decay;
      else grad += o->weight_decay * p[i];
    }
    m[i] += (1.0 - o->beta1) * (grad - m[i]); /* exp_avg.lerp_(grad, 1 - beta1) */
    v[i] = o->beta2 * v[i] + (1.0 - o->beta2) * grad * grad;
    double sq = v[i];
    if (o->amsgrad) {
      vmax[i] = fmax(vmax[i], v[i]);
      sq = vmax[i];
    }
    const double denom = sqrt(sq) / bias_correction2_sqrt + o->eps;
    p[i] -= step_size * m[i] / denom;
  }
}
