/* Private to the runner (bench/runner*.c): what one workload's run measures on, shared by the
 * parts that run its cases (runner_case), measure them (runner_measure) and turn the
 * measurements into records (runner_rows). */
#ifndef OB_RUNNER_TARGET_H
#define OB_RUNNER_TARGET_H

#include "session.h"

/* One workload on the devices measured together. Borrowed pointers: the caller keeps them
 * alive while the target is in use. */
typedef struct ob_run_target {
  ob_session *session;    /* where the records, peaks, memory, builds and series go */
  ob_device *const *devs; /* the devices measured together: one, or a --shard group */
  size_t ndev;
  const ob_workload *wl;
  const ob_run_opts *opts;
} ob_run_target;

#endif
