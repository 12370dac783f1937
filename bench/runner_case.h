/* Private to the runner: one workload's cases on its target, one after the other. */
#ifndef OB_RUNNER_CASE_H
#define OB_RUNNER_CASE_H

#include "runner_plan.h"
#include "runner_target.h"

/* Runs workload t->wl on t's devices into t->session: first its device check on each device
 * (when it has one; its verdict goes into every case's rows), then each case of
 * ob_runner_cases(t->devs[0], ...) in order, each a progress step (ob_progress_step): set up
 * (wl->setup, or wl->setup_group on several devices), measured (ob_runner_measure), verified,
 * torn down, and its rows appended (bench/runner_rows.h: skipped or failed rows when it could
 * not be measured). A case whose series predicts a repetition over the time budget is skipped
 * without running. Returns OB_OK when every case has its rows; an error only when the session
 * could not record (a row, a build, the memory statistics) or memory ran out. */
ob_status ob_runner_run_cases(const ob_run_target *t);

#endif
