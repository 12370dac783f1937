/* The runner: every selected workload on every selected device, one CSV per device; what it
 * measures goes into a run session (bench/session.h). What a run runs, and how long it is
 * expected to take, is planned in bench/runner_plan.h. */
#ifndef OB_RUNNER_H
#define OB_RUNNER_H

#include "runner_plan.h"
#include "session.h"

/* The workloads oclbench knows (bench/workloads.c), in the order --help lists them and a run
 * runs them; at most OB_MAX_WORKLOADS (the room every list of workloads has). */
#define OB_MAX_WORKLOADS 32
extern const ob_workload *const ob_workloads[];
extern const size_t ob_nworkloads;

/* The workload called name; NULL when none. */
const ob_workload *ob_workload_find(const char *name);

/* Runs everything on every selected device into the session, writing DIR/<host>__<slug>.csv
 * per device and, with opts.sustain, the sustained series DIR/sustain/<host>__<slug>.csv and
 * their figure (.svg beside it); only the chosen workloads are sustained, not the probes they
 * need. Returns OB_OK when it ran to the end (rows may have failed:
 * ob_session_failed counts them, and devices that did not open); an error only when a CSV
 * could not be written or memory ran out. */
ob_status ob_runner_run(ob_registry *reg, const ob_runner_config *cfg, ob_session *s);

/* Runs one workload on one device into the session (no CSV); the building block of
 * ob_runner_run, public for tests. It runs what it is given: the peaks it divides by are the
 * session's (ob_session_peak). Every measured row's note carries `mem_peak_bytes=N` for its
 * case, and `traced` while the kernel trace is on. The timed repetitions of each case run in a
 * telemetry window (bench/telemetry.h) on the session's sensors: the rows' telemetry columns,
 * a sensor note on the device's first measured row, and a row of energy efficiency per metric
 * that has one (ob_metric.energy_name) when the energy is known. With opts->sustain, each case
 * repeats for that long, its params gain `sustain=S`, its time series goes into the session
 * (ob_session_series) and a `sustained_ratio` row follows its rows. */
ob_status ob_runner_run_workload(ob_session *s, ob_device *dev, const ob_workload *wl,
                                 const ob_run_opts *opts);

/* Runs one workload on devs[0..n) at once (n >= 2, wl->setup_group), rows of `all-<n>`. */
ob_status ob_runner_run_group(ob_session *s, ob_device *const *devs, size_t n,
                              const ob_workload *wl, const ob_run_opts *opts);

#endif
