/* The multispin update's qualification and threshold tables. */
#include "ising_multispin.h"

#include <math.h>

#include "philox.h"

bool ob_ising_multispin_weight(const ob_ising_model *model, double *w) {
  const double *J = ob_ising_J_const(model);
  const size_t m = ob_ising_edges(model);
  *w = m ? fabs(J[0]) : 0.0;
  for (size_t k = 1; k < m; k++)
    if (fabs(J[k]) != *w) return false;
  return true;
}

unsigned ob_ising_multispin_planes(const ob_ising_model *model) {
  unsigned b = 1;
  while (((size_t)1 << b) <= ob_ising_max_degree(model)) b++;
  return b;
}

/* exp(x) from correctly rounded operations only (the same bits on every IEEE host): x = n ln 2
 * + r, |r| <= ln(2)/2, exp(r) by its Taylor series to degree 14 (error < 1e-17), times 2^n. */
static double exp_portable(double x) {
  x = fmin(fmax(x, -700.0), 700.0);
  const double n = floor(x * 1.4426950408889634 + 0.5);
  double r = fma(-n, 0x1.62e42fefa39efp-1, x);
  r = fma(-n, 0x1.abc9e3b39803fp-56, r);
  double p = 1.0;
  for (int k = 14; k >= 1; k--) p = fma(p, r / k, 1.0);
  return ldexp(p, (int)n);
}

void ob_ising_multispin_thresholds(const ob_ising_model *model, double w, uint32_t i,
                                   uint32_t *K) {
  const uint32_t *rp = ob_ising_row_ptr(model);
  const uint32_t d = rp[i + 1] - rp[i];
  const double h = ob_ising_h_const(model)[i], beta = ob_ising_beta(model);
  for (uint32_t m = 0; m <= d; m++) {
    const double gamma = h + w * ((double)d - 2.0 * m);
    const double p = 1.0 / (1.0 + exp_portable(-2.0 * beta * gamma));
    /* k < (p 2^24 - 1) / 2, counted over k in [0, 2^23) */
    const double k = ceil((p * 0x1p24 - 1.0) / 2.0);
    K[m] = k <= 0 ? 0u : k >= 0x1p23 ? 1u << 23 : (uint32_t)k;
  }
}

uint32_t ob_ising_multispin_sign(const ob_ising_model *model, size_t e) {
  return ob_ising_J_const(model)[ob_ising_col_edge(model)[e]] < 0 ? 0xffffffffu : 0u;
}

bool ob_ising_multispin_plus(uint32_t k0, uint32_t k1, uint32_t node, uint32_t sweep,
                             size_t chain, uint32_t K) {
  const uint32_t j = (uint32_t)(chain % 32);
  const uint32_t ctr[4] = {node, sweep, (uint32_t)(chain / 32 * 4 + j / 8), 2};
  uint32_t r[4];
  ob_philox4x32_10(ctr, k0, k1, r);
  const uint32_t a = (r[j % 8 / 2] >> (j % 2 * 16)) & 0xffffu;
  if (a != K >> 7) return a < K >> 7;
  const uint32_t tie[4] = {node, sweep, (uint32_t)chain, 3};
  ob_philox4x32_10(tie, k0, k1, r);
  return ((a << 7) | (r[0] >> 25)) < K;
}
