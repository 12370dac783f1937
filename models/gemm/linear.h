/* Linear (GEMM) workload ("linear"): the project's own SGEMM and CLBlast's Sgemm/Hgemm on
 * square sizes and on the seed's fc1024 layer (forward, backward data, backward weight). */
#ifndef OB_LINEAR_H
#define OB_LINEAR_H

#include "workload.h"

extern const ob_workload ob_workload_linear;

/* The workload's entries, public for tests. */
size_t ob_linear_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                            size_t max);
ob_status ob_linear_setup(ob_device *dev, ob_case *c, void **state);
ob_status ob_linear_run(void *state, double *seconds);
ob_status ob_linear_verify(void *state, ob_verdict *out);
void ob_linear_teardown(void *state);

#endif
