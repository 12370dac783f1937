/* Host reference for int8 GEMM: exact sums, equality on every or on sampled entries. */
#include "igemm_ref.h"

#include <stdio.h>

int64_t ob_igemm_ref_entry(const ob_igemm_ref_problem *p, size_t i, size_t j) {
  int64_t s = 0;
  for (size_t l = 0; l < p->k; l++) {
    const int64_t a = p->ta ? p->a[l * p->lda + i] : p->a[i * p->lda + l];
    const int64_t b = p->tb ? p->b[j * p->ldb + l] : p->b[l * p->ldb + j];
    s += a * b;
  }
  return s;
}

static void compare(const ob_igemm_ref_problem *p, const int32_t *c, size_t ldc, size_t i,
                    size_t j, ob_igemm_ref_result *r) {
  const int64_t want = ob_igemm_ref_entry(p, i, j), got = c[i * ldc + j];
  r->compared++;
  if (want == got) return;
  if (r->mismatches++ == 0) {
    r->i = i, r->j = j;
    r->want = want, r->got = got;
  }
}

void ob_igemm_ref_check(const ob_igemm_ref_problem *p, const int32_t *c, size_t ldc,
                        uint64_t seed, ob_igemm_ref_result *r) {
  *r = (ob_igemm_ref_result){0};
  if (p->m == 0 || p->n == 0) return;
  if ((double)p->m * (double)p->n * (double)p->k <= OB_IGEMM_REF_FULL_MACS) {
    for (size_t i = 0; i < p->m; i++)
      for (size_t j = 0; j < p->n; j++) compare(p, c, ldc, i, j, r);
    return;
  }
  r->sampled = true;
  for (size_t j = 0; j < p->n; j++) {
    compare(p, c, ldc, 0, j, r);
    if (p->m > 1) compare(p, c, ldc, p->m - 1, j, r);
  }
  for (size_t i = 1; i + 1 < p->m; i++) {
    compare(p, c, ldc, i, 0, r);
    if (p->n > 1) compare(p, c, ldc, i, p->n - 1, r);
  }
  uint64_t x = seed;
  for (size_t s = 0; s < OB_IGEMM_REF_SAMPLES; s++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const size_t i = (size_t)((x >> 33) % p->m);
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const size_t j = (size_t)((x >> 33) % p->n);
    compare(p, c, ldc, i, j, r);
  }
}

void ob_igemm_ref_note(const ob_igemm_ref_result *r, char *buf, size_t n) {
  const char *how = r->sampled ? "sampled " : "";
  if (r->mismatches == 0)
    snprintf(buf, n, "exact: %zu %sentries equal (int64 reference)", r->compared, how);
  else
    snprintf(buf, n, "exact: %zu of %zu %sentries differ, first C(%zu,%zu) = %lld (want %lld)",
             r->mismatches, r->compared, how, r->i, r->j, (long long)r->got,
             (long long)r->want);
}

void ob_igemm_ref_fill(int8_t *x, size_t n, uint64_t seed) {
  uint64_t s = seed;
  for (size_t i = 0; i < n; i++) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    x[i] = (int8_t)((int)(s >> 56) - 128); /* the top byte, shifted to [-128, 127] */
  }
}
