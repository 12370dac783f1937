/* Host reference for int8 GEMM results (models/gemm/igemm.h): exact int64 sums, compared for
 * equality. Problems of up to OB_IGEMM_REF_FULL_MACS multiply-adds compare every entry; larger
 * ones the first and last row and column (tile edges) and OB_IGEMM_REF_SAMPLES random entries,
 * each computed exactly on the host. */
#ifndef OB_IGEMM_REF_H
#define OB_IGEMM_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OB_IGEMM_REF_FULL_MACS ((double)(1u << 27))
#define OB_IGEMM_REF_SAMPLES 4096

/* A row-major problem as ob_igemm_args describes it, on host arrays. */
typedef struct ob_igemm_ref_problem {
  int ta, tb; /* 0: stored as used; 1: stored transposed */
  size_t m, n, k;
  const int8_t *a;
  size_t lda;
  const int8_t *b;
  size_t ldb;
} ob_igemm_ref_problem;

typedef struct ob_igemm_ref_result {
  size_t compared, mismatches;
  bool sampled;
  size_t i, j;      /* the first mismatch */
  int64_t want, got;
} ob_igemm_ref_result;

/* C(i, j) in exact integer arithmetic. */
int64_t ob_igemm_ref_entry(const ob_igemm_ref_problem *p, size_t i, size_t j);

/* Compares the device result c (m x n, leading dimension ldc) with the reference, in full or
 * on the edges and a sample chosen by seed (see above). */
void ob_igemm_ref_check(const ob_igemm_ref_problem *p, const int32_t *c, size_t ldc,
                        uint64_t seed, ob_igemm_ref_result *out);

/* "exact: 1048576 entries equal (int64 reference)" or "exact: 3 of 12288 sampled entries
 * differ, first C(5,7) = 12 (want 13)". */
void ob_igemm_ref_note(const ob_igemm_ref_result *r, char *buf, size_t n);

/* x[0..n) uniform over the whole int8 range [-128, 127], from a 64-bit LCG seeded with seed. */
void ob_igemm_ref_fill(int8_t *x, size_t n, uint64_t seed);

#endif
