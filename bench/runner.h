/* The runner: every selected workload on every selected device, one CSV per device; what it
 * measures goes into a run session (bench/session.h). */
#ifndef OB_RUNNER_H
#define OB_RUNNER_H

#include "session.h"
#include "workload.h"

/* The workloads oclbench knows (bench/workloads.c), in the order --help lists them and a run
 * runs them. */
extern const ob_workload *const ob_workloads[];
extern const size_t ob_nworkloads;

/* The workload called name; NULL when none. */
const ob_workload *ob_workload_find(const char *name);

/* The workloads a run of chosen[0..n) runs, in order, into out[0..max): for every need of the
 * chosen ones (ob_workload.needs), the workloads of known[0..nknown) that provide it, in their
 * order, then the chosen ones; each once. Returns how many. ob_runner_run plans with
 * ob_workloads. */
size_t ob_runner_plan(const ob_workload *const *known, size_t nknown,
                      const ob_workload *const *chosen, size_t n, const ob_workload **out,
                      size_t max);

/* The most cases a workload lists for a device. */
#define OB_RUNNER_MAX_CASES 128

/* The cases of wl on dev that a run with opts measures: the workload's list, less those the
 * choice of sizes and chains in opts leaves out; returns how many (at most max). */
size_t ob_runner_cases(const ob_device *dev, const ob_workload *wl, const ob_run_opts *opts,
                       ob_case *cases, size_t max);

/* The seconds one case is expected to take before it has run (set-up, warm-up, the
 * repetitions calibrated to opts->seconds, or opts->sustain seconds of them, verification);
 * program builds and tuning searches on a first run come on top. */
double ob_runner_case_estimate(const ob_run_opts *opts);

/* "workload variant precision size detail" of case c (empty parts left out), into buf. */
void ob_runner_case_label(const ob_workload *wl, const ob_case *c, char *buf, size_t n);

typedef struct ob_runner_config {
  const ob_workload *const *workloads; /* the chosen ones, in run order; ob_runner_run adds what
                                          they need (ob_runner_plan) */
  size_t nworkloads;
  const bool *selected;                /* per registry device */
  const char *out_dir;                 /* NULL: no CSV files */
  ob_run_opts opts;
  bool shard;                          /* also run the workloads that can on all selected
                                          devices at once: rows and CSV of `all-<n>` */
} ob_runner_config;

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
