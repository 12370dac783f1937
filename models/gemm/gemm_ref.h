/* Host reference for GEMM results: double accumulation, relative Frobenius error.
 *
 * The error of a device result C against the reference R over the compared entries is
 *   rel_err = sqrt(sum (C_ij - R_ij)^2) / sqrt(sum R_ij^2).
 * Small problems (m*n*k up to OB_GEMM_REF_FULL_MACS) compare every entry; larger ones a
 * random sample of OB_GEMM_REF_SAMPLES entries, each computed in double on the host, which
 * estimates the same quantity at a cost of OB_GEMM_REF_SAMPLES * k multiply-adds.
 *
 * Bounds (documented in the CSV note with the error):
 *  - fp32: 1e-5 * sqrt(k). With inputs of mixed sign, the rounding errors of a k-term fp32
 *    sum grow like u * sqrt(k) (u = 2^-24 = 6e-8) relative to the result; the bound leaves a
 *    margin of about 150x for other summation orders (blocked, FMA, pairwise) while an
 *    indexing or synchronisation error (O(1) relative error) is far above it.
 *  - fp16 (inputs rounded to fp16 on the host first, so only the product is compared):
 *    2e-3 * sqrt(k), the same reasoning with u = 2^-11 (4.9e-4) and a margin of 4x, since
 *    fp16 kernels may accumulate in fp16.
 *  - fp16 storage with fp32 accumulation (half A, B and C, products and sums in fp32; inputs
 *    rounded to fp16 on the host first): 2^-11 + the fp32 bound. Products of halves are exact
 *    in fp32, the sums carry the fp32 error, and rounding C to half adds at most 2^-11 relative
 *    to each entry (round to nearest even, results in half's normal range), so at most 2^-11
 *    to the relative Frobenius error.
 */
#ifndef OB_GEMM_REF_H
#define OB_GEMM_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OB_GEMM_REF_FULL_MACS ((double)(1u << 27))
#define OB_GEMM_REF_SAMPLES 4096

/* A row-major problem as ob_gemm_args describes it, on host arrays. c0 is C before the call
 * (read only when beta != 0; may be NULL then). */
typedef struct ob_gemm_ref_problem {
  int ta, tb;              /* 0: stored as used; 1: stored transposed */
  size_t m, n, k;
  double alpha, beta;
  const float *a;
  size_t lda;
  const float *b;
  size_t ldb;
  const float *c0;
  size_t ldc0;
} ob_gemm_ref_problem;

typedef struct ob_gemm_ref_result {
  double rel_err;   /* relative Frobenius error over the compared entries */
  double bound;     /* the bound it was compared with */
  size_t compared;  /* entries compared */
  bool sampled;     /* a random sample rather than every entry */
  bool ok;          /* rel_err <= bound and every compared entry finite */
} ob_gemm_ref_result;

/* The reference value of C(i, j) in double. */
double ob_gemm_ref_entry(const ob_gemm_ref_problem *p, size_t i, size_t j);

/* The fp32, fp16 and fp16-storage bounds above for inner dimension k. */
double ob_gemm_ref_bound_fp32(size_t k);
double ob_gemm_ref_bound_fp16(size_t k);
double ob_gemm_ref_bound_fp16_storage(size_t k);

/* Compares the device result c (m x n, leading dimension ldc) with the reference, in full or
 * on a sample chosen by seed (see above), against bound. */
void ob_gemm_ref_check(const ob_gemm_ref_problem *p, const float *c, size_t ldc, double bound,
                       uint64_t seed, ob_gemm_ref_result *out);

/* Formats a result for the CSV note: "rel_err=3.1e-07 bound=3.2e-04 sampled=4096". */
void ob_gemm_ref_note(const ob_gemm_ref_result *r, char *buf, size_t n);

/* Fills x[0..n) with uniform values in [-1, 1) from a 64-bit LCG seeded with seed. */
void ob_gemm_ref_fill(float *x, size_t n, uint64_t seed);

/* IEEE half precision <-> float (round to nearest even; overflow to infinity). */
uint16_t ob_half_from_float(float f);
float ob_half_to_float(uint16_t h);

#endif
