/* Linear (GEMM) workload ("linear"): a family of GEMM ops, each an implementation at one
 * precision (the project's own SGEMM in fp32 and with fp16 storage, CLBlast's Sgemm and Hgemm,
 * the project's int8 GEMM), on one shared table of shapes: square sizes and the seed's fc1024
 * layer (batch 128, 1024 -> 1024, weight stored out x in as in PyTorch): forward Y = X W^T,
 * backward_data dX = dY W, backward_weight dW = dY^T X.
 *
 * Rows: variant `own` or `clblast`, precision `fp32`, `fp16` or `int8`; metric `gflops`
 * (GFLOP/s, MFU against the FP32 peak, except Hgemm: half arithmetic is not a fraction of it)
 * or, for int8, `gops` (GOP/s: 2 m n k integer operations; `flops` stays empty).
 *
 * Timing: the own kernels by profiling events (first to last kernel of the call); CLBlast by
 * wall-clock around the call and clFinish (it launches several kernels; its first call, which
 * compiles, is made in setup). Every result is checked against a host reference in the same
 * run: float ops against models/gemm/gemm_ref.h (double accumulation, relative Frobenius
 * error, sampled above 2^27 MACs; fp16 against the product of the half-rounded inputs, with
 * the bound of fp16 storage and fp32 accumulation (own) or of fp16 arithmetic (Hgemm)); int8
 * exactly against the host's int64 sums (models/gemm/igemm_ref.h).
 */
#ifndef OB_LINEAR_H
#define OB_LINEAR_H

#include "gemm.h"
#include "workload.h"

extern const ob_workload ob_workload_linear;

/* The ops of the GEMM family. */
typedef enum ob_linear_op {
  OB_LINEAR_OWN_FP32,     /* own SGEMM */
  OB_LINEAR_OWN_FP16,     /* own SGEMM on half A, B and C, fp32 arithmetic (every device) */
  OB_LINEAR_CLBLAST_FP32, /* CLBlast Sgemm */
  OB_LINEAR_CLBLAST_FP16, /* CLBlast Hgemm: half arithmetic, needs working fp16 */
  OB_LINEAR_OWN_INT8,     /* own int8 GEMM: int8 A and B, int32 C and accumulation */
} ob_linear_op;

/* One problem: C (m x n) = op(A) op(B), A and B stored transposed where ta / tb say so. */
typedef struct ob_linear_shape {
  const char *pass;       /* the fc1024 layer's pass it is ("forward", ...); NULL: none */
  size_t m, n, k;
  ob_gemm_trans ta, tb;
  bool quick;             /* also with --quick */
} ob_linear_shape;

/* The workload's case struct: one op on one shape. A square shape that is no layer pass is a
 * series (`<variant>-<precision>-square`) whose cost is m n k. */
typedef struct ob_linear_case {
  ob_linear_op op;
  const ob_linear_shape *shape;
} ob_linear_case;

/* Fills c for spec (which must outlive c). Public so tests can run small and odd problems. */
void ob_linear_case_init(ob_case *c, const ob_linear_case *spec);

/* The workload's entries, public for tests. */
size_t ob_linear_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                            size_t max);
ob_status ob_linear_setup(void *state, ob_device *dev, ob_case *c);
ob_status ob_linear_run(void *state, double *seconds);
ob_status ob_linear_verify(void *state, ob_verdict *out);
void ob_linear_teardown(void *state);

#endif
