/* Host GEMM reference: double accumulation, full or sampled relative Frobenius error. */
#include "gemm_ref.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double ob_gemm_ref_entry(const ob_gemm_ref_problem *p, size_t i, size_t j) {
  double s = 0.0;
  for (size_t l = 0; l < p->k; l++) {
    const double a = p->ta ? p->a[l * p->lda + i] : p->a[i * p->lda + l];
    const double b = p->tb ? p->b[j * p->ldb + l] : p->b[l * p->ldb + j];
    s += a * b;
  }
  double r = p->alpha * s;
  if (p->beta != 0.0) r += p->beta * (double)p->c0[i * p->ldc0 + j];
  return r;
}

double ob_gemm_ref_bound_fp32(size_t k) { return 1e-5 * sqrt((double)(k ? k : 1)); }
double ob_gemm_ref_bound_fp16(size_t k) { return 2e-3 * sqrt((double)(k ? k : 1)); }
double ob_gemm_ref_bound_fp16_storage(size_t k) {
  return ldexp(1.0, -11) + ob_gemm_ref_bound_fp32(k);
}

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005ull + 1442695040888963407ull;
  return *s >> 11;
}

void ob_gemm_ref_check(const ob_gemm_ref_problem *p, const float *c, size_t ldc, double bound,
                       uint64_t seed, ob_gemm_ref_result *out) {
  memset(out, 0, sizeof *out);
  out->bound = bound;
  const double macs = (double)p->m * (double)p->n * (double)p->k;
  const size_t total = p->m * p->n;
  out->sampled = macs > OB_GEMM_REF_FULL_MACS && total > OB_GEMM_REF_SAMPLES;
  const size_t count = out->sampled ? OB_GEMM_REF_SAMPLES : total;
  double err2 = 0.0, ref2 = 0.0;
  bool finite = true;
  for (size_t s = 0; s < count; s++) {
    size_t i = 0, j = 0;
    if (out->sampled) {
      i = (size_t)(lcg(&seed) % p->m);
      j = (size_t)(lcg(&seed) % p->n);
    } else {
      i = s / p->n;
      j = s % p->n;
    }
    const double r = ob_gemm_ref_entry(p, i, j), v = c[i * ldc + j];
    if (!isfinite(v)) finite = false;
    err2 += (v - r) * (v - r);
    ref2 += r * r;
  }
  out->compared = count;
  out->rel_err = ref2 > 0 ? sqrt(err2 / ref2) : sqrt(err2);
  out->ok = finite && out->rel_err <= bound;
}

void ob_gemm_ref_note(const ob_gemm_ref_result *r, char *buf, size_t n) {
  snprintf(buf, n, "rel_err=%.2e bound=%.2e %s=%zu", r->rel_err, r->bound,
           r->sampled ? "sampled" : "compared", r->compared);
}

void ob_gemm_ref_fill(float *x, size_t n, uint64_t seed) {
  for (size_t i = 0; i < n; i++)
    x[i] = (float)((double)lcg(&seed) / 9007199254740992.0 * 2.0 - 1.0);
}

uint16_t ob_half_from_float(float f) {
  uint32_t x;
  memcpy(&x, &f, sizeof x);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) /* inf or NaN */
    return (uint16_t)(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0));
  if (absx >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u); /* rounds to >= 65520: inf */
  if (absx < 0x38800000u) {                                    /* below 2^-14: subnormal */
    if (absx < 0x33000000u) return (uint16_t)sign;             /* below 2^-25: zero */
    const uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    const int shift = 126 - (int)(absx >> 23); /* to units of 2^-24 */
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1u))) h++;
    return (uint16_t)(sign | h);
  }
  uint32_t h = ((absx - 0x38000000u) >> 13); /* rebias exponent 127 -> 15 */
  const uint32_t rem = absx & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
  return (uint16_t)(sign | h);
}

float ob_half_to_float(uint16_t h) {
  const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  float f;
  if (exp == 0) {
    f = ldexpf((float)mant, -24);
    return sign ? -f : f;
  }
  uint32_t x = exp == 31 ? sign | 0x7f800000u | (mant << 13)
                         : sign | ((exp + 112u) << 23) | (mant << 13);
  memcpy(&f, &x, sizeof f);
  return f;
}
