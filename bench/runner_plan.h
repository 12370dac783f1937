/* Planning a run (part of the runner's public interface, included by bench/runner.h): which
 * workloads run and with which options, which of their cases, and how long they are expected to
 * take (progress, run --list). */
#ifndef OB_RUNNER_PLAN_H
#define OB_RUNNER_PLAN_H

#include "workload.h"

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

/* The options workload wl of a plan runs with: chosen->opts, but only the workloads chosen
 * (chosen->workloads) are sustained, not the probes they need. */
ob_run_opts ob_runner_opts_for(const ob_runner_config *chosen, const ob_workload *wl);

/* The seconds a workload's device check is expected to take on one device. */
double ob_runner_check_estimate(void);

/* The progress steps of running the plan cfg (its workloads, with options from chosen:
 * ob_runner_opts_for) on devs[0..ndev) measured together (one device, or a --shard group of
 * the workloads that can: ndev > 1 counts only those with setup_group): every case plus every
 * device's check. Returns how many; *seconds their estimate. 0 steps when out of memory. */
size_t ob_runner_count_steps(ob_device *const *devs, size_t ndev, const ob_runner_config *cfg,
                             const ob_runner_config *chosen, double *seconds);

#endif
