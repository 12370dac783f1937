/* The runner: the planned workloads on each selected device and on the --shard group, with
 * progress, into the session; each device's (and the group's) CSV file and sustained series. */
#include "runner.h"

#include "runner_case.h"
#include "svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The workload on devs[0..ndev) measured together (ndev > 1: wl->setup_group). */
static ob_status run_workload(ob_session *s, ob_device *const *devs, size_t ndev,
                              const ob_workload *wl, const ob_run_opts *opts) {
  const ob_run_target t = {.session = s, .devs = devs, .ndev = ndev, .wl = wl, .opts = opts};
  return ob_runner_run_cases(&t);
}

ob_status ob_runner_run_workload(ob_session *s, ob_device *dev, const ob_workload *wl,
                                 const ob_run_opts *opts) {
  return run_workload(s, &dev, 1, wl, opts);
}

ob_status ob_runner_run_group(ob_session *s, ob_device *const *devs, size_t n,
                              const ob_workload *wl, const ob_run_opts *opts) {
  if (n < 2 || !wl->setup_group)
    return ob_fail(OB_ERR_INVALID, "workload %s: no group run of %zu devices", wl->name, n);
  return run_workload(s, devs, n, wl, opts);
}

/* Writes the figure of the session's series [first, n) of one device beside their CSV file
 * (its .csv replaced by .svg), atomically. */
static ob_status write_series_svg(ob_session *s, const char *csv, size_t first) {
  const ob_series_set *all = ob_session_series(s);
  const ob_series_set mine = {.items = all->items + first, .n = all->n - first};
  char path[4096];
  snprintf(path, sizeof path, "%.*s.svg", (int)(strlen(csv) - 4), csv);
  ob_atomic_file f;
  OB_TRY(ob_atomic_open(&f, path));
  ob_status st = ob_svg_write_series(&mine, f.f);
  if (st != OB_OK) {
    ob_atomic_discard(&f);
    return st;
  }
  OB_TRY(ob_atomic_commit(&f));
  fprintf(stderr, "oclbench: wrote %s\n", path);
  return OB_OK;
}

/* Writes the session's records [first, n) (one device's) into DIR/<host>__<slug>.csv
 * atomically, and its sustained series [first_series, n) into DIR/sustain/<host>__<slug>.csv
 * with their figure. */
static ob_status write_csv(ob_session *s, const char *dir, const char *slug, size_t first,
                           size_t first_series) {
  OB_TRY(ob_mkdir_p(dir));
  const char *host = ob_session_host(s)->hostname;
  char path[4096];
  ob_results_csv_path(path, sizeof path, dir, host, slug);
  OB_TRY(ob_results_write_csv(ob_session_results(s), first, host, slug, path));
  fprintf(stderr, "oclbench: wrote %s\n", path);
  size_t written = 0;
  ob_series_csv_path(path, sizeof path, dir, host, slug);
  OB_TRY(ob_series_write_csv(ob_session_series(s), first_series, host, slug, path, &written));
  if (!written) return OB_OK;
  fprintf(stderr, "oclbench: wrote %s\n", path);
  return write_series_svg(s, path, first_series);
}

/* --shard: the workloads that can, on all selected devices at once (rows of `all-<n>`). */
static ob_status run_groups(ob_registry *reg, const ob_runner_config *cfg, ob_session *s) {
  ob_device **devs = calloc(ob_registry_count(reg), sizeof *devs);
  if (!devs) return ob_fail(OB_ERR_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t d = 0; d < ob_registry_count(reg); d++)
    if (cfg->selected[d] && ob_device_queue(ob_registry_device(reg, d)))
      devs[n++] = ob_registry_device(reg, d);
  ob_status st = OB_OK;
  const size_t first_row = ob_session_results(s)->n, first_series = ob_session_series(s)->n;
  if (n >= 2) {
    char title[32];
    snprintf(title, sizeof title, "all-%zu", n);
    double seconds = 0.0;
    const size_t steps = ob_runner_count_steps(devs, n, cfg, cfg, &seconds);
    ob_progress_begin(title, steps, seconds);
    for (size_t w = 0; w < cfg->nworkloads && st == OB_OK; w++)
      if (cfg->workloads[w]->setup_group)
        st = ob_runner_run_group(s, devs, n, cfg->workloads[w], &cfg->opts);
    ob_progress_end();
    if (st == OB_OK && cfg->out_dir && ob_session_results(s)->n > first_row)
      st = write_csv(s, cfg->out_dir, title, first_row, first_series);
  } else {
    ob_log(OB_LOG_WARN, "--shard: %zu device%s selected, nothing to shard", n, n == 1 ? "" : "s");
  }
  free(devs);
  return st;
}

ob_status ob_runner_run(ob_registry *reg, const ob_runner_config *chosen, ob_session *s) {
  const ob_workload *plan[OB_MAX_WORKLOADS];
  ob_runner_config plan_cfg = *chosen;
  plan_cfg.workloads = plan;
  plan_cfg.nworkloads = ob_runner_plan(ob_workloads, ob_nworkloads, chosen->workloads,
                                       chosen->nworkloads, plan, OB_MAX_WORKLOADS);
  const ob_runner_config *cfg = &plan_cfg;
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!cfg->selected[d]) continue;
    ob_device *dev = ob_registry_device(reg, d);
    const size_t first_row = ob_session_results(s)->n, first_series = ob_session_series(s)->n;
    double seconds = 0.0;
    const size_t steps = ob_runner_count_steps(&dev, 1, cfg, chosen, &seconds);
    ob_progress_begin(ob_device_slug(dev), steps, seconds);
    ob_status st = ob_device_open(dev);
    if (st != OB_OK) {
      ob_log(OB_LOG_ERROR, "%s: cannot open device: %s", ob_device_slug(dev), ob_error_detail());
      ob_session_count_failure(s);
      ob_progress_end();
      continue;
    }
    for (size_t w = 0; w < cfg->nworkloads && st == OB_OK; w++) {
      const ob_run_opts opts = ob_runner_opts_for(chosen, cfg->workloads[w]);
      st = ob_runner_run_workload(s, dev, cfg->workloads[w], &opts);
    }
    ob_progress_end();
    if (st == OB_OK && cfg->out_dir)
      st = write_csv(s, cfg->out_dir, ob_device_slug(dev), first_row, first_series);
    if (st != OB_OK) return st;
  }
  return cfg->shard ? run_groups(reg, cfg, s) : OB_OK;
}
