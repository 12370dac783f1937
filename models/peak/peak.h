/* Peak probes workload ("peak"): the measured denominators of `peak_fraction`. */
#ifndef OB_PEAK_H
#define OB_PEAK_H

#include "workload.h"

extern const ob_workload ob_workload_peak;

/* The workload's entries, public for tests. */
size_t ob_peak_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                          size_t max);
ob_status ob_peak_setup(ob_device *dev, ob_case *c, void **state);
ob_status ob_peak_run(void *state, double *seconds);
void ob_peak_teardown(void *state);

#endif
