/* The runner: every selected workload on every selected device, one CSV per device. */
#ifndef OB_RUNNER_H
#define OB_RUNNER_H

#include "results.h"
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

typedef struct ob_runner_config {
  const ob_workload *const *workloads; /* the chosen ones, in run order; ob_runner_run adds what
                                          they need (ob_runner_plan) */
  size_t nworkloads;
  const bool *selected;                /* per registry device */
  const char *out_dir;                 /* NULL: no CSV files */
  ob_run_opts opts;
  size_t *mem_peak;                    /* out, optional: per registry device, the most device
                                          memory one case allocated */
  bool shard;                          /* also run the workloads that can on all selected
                                          devices at once: rows and CSV of `all-<n>` */
} ob_runner_config;

/* Runs everything on every selected device, writing DIR/<host>__<slug>.csv per device and
 * appending every row to *rows. Returns OB_OK when it ran to the end (rows may have
 * failed: *failed_rows counts them); an error only when a CSV could not be written. */
ob_status ob_runner_run(ob_registry *reg, const ob_runner_config *cfg, ob_results *rows,
                        size_t *failed_rows);

/* Runs one workload on one device and appends its rows to *rows (no CSV); the building block
 * of ob_runner_run, public for tests. *mem_peak (optional) is raised to the most device memory
 * one case allocated. Every measured row's note carries `mem_peak_bytes=N` for its case, and
 * `traced` while the kernel trace is on. */
ob_status ob_runner_run_workload(ob_device *dev, const ob_host_info *host,
                                 const ob_workload *wl, const ob_run_opts *opts, ob_results *rows,
                                 size_t *failed_rows, size_t *mem_peak);

/* Runs one workload on devs[0..n) at once (n >= 2, wl->setup_group), rows of `all-<n>`. */
ob_status ob_runner_run_group(ob_device *const *devs, size_t n, const ob_host_info *host,
                              const ob_workload *wl, const ob_run_opts *opts, ob_results *rows,
                              size_t *failed_rows);

#endif
