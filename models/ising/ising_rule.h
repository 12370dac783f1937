/* The Gibbs decision of the Ising sampler in the exact float arithmetic of cl_kernels/ising.cl,
 * for the host reference loop: same inputs, same bits out, on every device.
 *
 * P(s_i = +1 | rest) = sigmoid(2 beta gamma_i) = 1 / (1 + 2^t_i) with
 * t_i = -2 beta log2(e) gamma_i = ht_i + sum_j wt_ij s_j, where ht and wt are the biases and
 * couplings pre-scaled by -2 beta log2(e) and rounded to float once (ob_ising_scale).
 * The field is summed in CSR order (neighbours ascending), adding +-wt (a sign flip, exact).
 * 2^t uses only correctly rounded operations (add, fma, integer ops), so the result does not
 * depend on a device's exp() accuracy: t is clamped to [-125, 125], split into n + f with
 * |f| <= 1/2 by the 1.5*2^23 rounding trick, 2^f is a degree-6 Taylor polynomial (relative
 * error < 2e-7) and 2^n is added to the exponent. The uniform is u = (2k+1) / 2^24 from the
 * top 23 bits k of a Philox output, and s = +1 exactly when fma(-u, 2^t, 1 - u) > 0, the sign
 * of 1 - u (1 + 2^t) computed with one rounding: u < 1 / (1 + 2^t). */
#ifndef OB_ISING_RULE_H
#define OB_ISING_RULE_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define OB_ISING_T_MAX 125.0f
#define OB_ISING_ROUND_MAGIC 0x1.8p23f

static inline float ob_ising_uniform(uint32_t r) {
  const uint32_t bits = (r >> 9) | 0x3f800000u; /* 1 + k / 2^23 */
  float one_k;
  memcpy(&one_k, &bits, sizeof one_k);
  return one_k - 0x1.fffffep-1f; /* k / 2^23 + 2^-24, exact */
}

static inline float ob_ising_exp2(float t) {
  t = fminf(fmaxf(t, -OB_ISING_T_MAX), OB_ISING_T_MAX);
  const float ns = t + OB_ISING_ROUND_MAGIC;
  const float f = t - (ns - OB_ISING_ROUND_MAGIC);
  float p = 0x1.430912p-13f;
  p = fmaf(p, f, 0x1.5d87fep-10f);
  p = fmaf(p, f, 0x1.3b2ab6p-7f);
  p = fmaf(p, f, 0x1.c6b08ep-5f);
  p = fmaf(p, f, 0x1.ebfbe0p-3f);
  p = fmaf(p, f, 0x1.62e430p-1f);
  p = fmaf(p, f, 1.0f);
  uint32_t pb, nb;
  memcpy(&pb, &p, sizeof pb);
  memcpy(&nb, &ns, sizeof nb);
  pb += nb << 23; /* the low bits of ns hold n: adds n to the exponent */
  memcpy(&p, &pb, sizeof p);
  return p;
}

/* 1 when the new spin is -1, given the scaled field t and the Philox output r. */
static inline int ob_ising_minus(float t, uint32_t r) {
  const float u = ob_ising_uniform(r);
  return !(fmaf(-u, ob_ising_exp2(t), 1.0f - u) > 0.0f);
}

#endif
