/* Private to the runner: measuring one case that is set up (warm-up, the timed repetitions in
 * a telemetry window, and for a sustained run its time series). */
#ifndef OB_RUNNER_MEASURE_H
#define OB_RUNNER_MEASURE_H

#include "runner_target.h"
#include "telemetry.h"

/* What the timed repetitions of a case gave. */
typedef struct ob_measured {
  ob_stats stats;
  ob_telemetry_summary tele; /* over the timed repetitions */
  ob_series *series;         /* sustained: the case's time series (in the session), else NULL */
} ob_measured;

/* Measures case c of t, set up in state (t->wl->setup done): with t->opts->sustain, first adds
 * the case's series to the session (named like its rows, mx->series); then a warm-up (never
 * timed), and the timed repetitions in one telemetry window, calibrated to t->opts->seconds
 * within [3, 1000] repetitions, or repeated for t->opts->sustain seconds with one series point
 * per interval. A case with a rate metric must have a believable time (ob_time_check). *mx is
 * complete on OB_OK; an error is the workload's, ob_time_check's or OB_ERR_NOMEM. */
ob_status ob_runner_measure(const ob_run_target *t, const ob_case *c, void *state,
                            ob_measured *mx);

#endif
