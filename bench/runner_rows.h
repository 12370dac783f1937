/* Private to the runner: the records a workload's run appends to its session, stamped with the
 * session's host, the target's devices and workload. */
#ifndef OB_RUNNER_ROWS_H
#define OB_RUNNER_ROWS_H

#include "runner_measure.h"

/* One row per metric of case c (one row when it has none) with status and note, its work
 * (flops, bytes) and nothing measured: a case that was skipped or failed. */
ob_status ob_runner_rows_status(const ob_run_target *x, const ob_case *c, ob_result_status status,
                                const char *note);

/* Takes the builds the target's devices made since the last call into the session
 * (ob_session_take_builds) and appends one `compile_time` row per build. */
ob_status ob_runner_rows_builds(const ob_run_target *x);

/* The rows of case c measured as mx and verified as v (the case's and the device check's
 * verdict; unchecked: verified n/a): per metric its value from the median time, peak_fraction
 * against the session's measured peaks, failed when verification failed or the rate is
 * implausible (above the peaks' bound), and a note (the case's note, the verdict, mem_peak_bytes,
 * `traced`, theoretical_fraction, the sensor note on the first), telemetry from mx->tele; a row
 * of energy efficiency after each metric that has one when the energy is known; a
 * sustained_ratio row last when mx->series is set. A metric that measures a peak
 * (ob_metric.provides) sets the session's peak on a single device from the fastest repetition
 * when its row is ok. */
ob_status ob_runner_rows_measured(const ob_run_target *x, const ob_case *c,
                                  const ob_measured *mx, const ob_verdict *v, size_t mem_peak);

/* Whether a memory-bound rate of case c measured as mx (a metric divided by the bandwidth
 * peak) is above the bound the session's bandwidth peaks give: its row would be failed as
 * implausible. */
bool ob_runner_rows_above_bandwidth_bound(const ob_run_target *x, const ob_case *c,
                                          const ob_measured *mx);

#endif
