/* int8 cases of the `linear` workload: the project's int8 GEMM (models/gemm/igemm.h) with int8
 * inputs and int32 accumulation, precision `int8`, variant `own`, metric `gops` in GOP/s
 * (2 m n k integer operations per product; `flops` stays empty: these are not floating-point
 * operations), on square sizes 1024, 2048, 4096 (--quick: 1024) and the seed's fc1024 layer
 * forward (batch 128, 1024 -> 1024). The operands use the int8 layout, A untransposed and
 * B = W stored out x in (ta = N, tb = T, as PyTorch's Linear stores its weight). Verified
 * exactly against the host's int64 sums (models/gemm/igemm_ref.h).
 *
 * The cases are meant to be appended to the linear workload's list: linear.c dispatches a case
 * for which ob_igemm_is_case() holds to the functions below (their state is their own). */
#ifndef OB_LINEAR_INT8_H
#define OB_LINEAR_INT8_H

#include "igemm.h"
#include "workload.h"

/* Appends the int8 cases for dev to cases[0..max); returns how many. */
size_t ob_igemm_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                           size_t max);

/* Fills c with one int8 case of m x n x k with the given transposes; pass (NULL or "forward")
 * names a pass of the fc1024 layer. Public so tests can run small and odd cases. */
void ob_igemm_case(ob_case *c, size_t m, size_t n, size_t k, ob_gemm_trans ta,
                   ob_gemm_trans tb, const char *pass);

/* True for the cases made by ob_igemm_case (precision "int8"). */
bool ob_igemm_is_case(const ob_case *c);

/* The workload entries of the int8 cases (see models/workload.h). */
ob_status ob_igemm_case_setup(ob_device *dev, ob_case *c, void **state);
ob_status ob_igemm_case_run(void *state, double *seconds);
ob_status ob_igemm_case_verify(void *state, ob_verdict *out);
void ob_igemm_case_teardown(void *state);

#endif
