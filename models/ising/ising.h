/* The Ising workload ("ising"): sampler throughput in flips/ns, verified per device against
 * exact enumeration and per case against the host loop. */
#ifndef OB_ISING_H
#define OB_ISING_H

#include "workload.h"

extern const ob_workload ob_workload_ising;

/* The workload's entries, public for tests. */
size_t ob_ising_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                           size_t max);
ob_status ob_ising_device_check(ob_device *dev, ob_verdict *out);
ob_status ob_ising_setup(void *state, ob_device *dev, ob_case *c);
ob_status ob_ising_setup_group(void *state, ob_device *const *devs, size_t n, ob_case *c);
ob_status ob_ising_run(void *state, double *seconds);
ob_status ob_ising_verify(void *state, ob_verdict *out);
void ob_ising_teardown(void *state);

#endif
