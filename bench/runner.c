/* The runner: warm-up, calibrated repetitions, statistics, verification, result records. */
#include "runner.h"

#include "runner_measure.h"
#include "runner_rows.h"
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKLOADS 64

typedef struct series_point {
  char series[64];
  double cost, seconds;
} series_point;

typedef struct run_ctx {
  ob_run_target t;
  ob_verdict device_verdict;
  bool has_device_verdict;
  series_point last[OB_RUNNER_MAX_CASES];
  size_t nlast;
} run_ctx;

static double predicted_seconds(const run_ctx *x, const ob_case *c) {
  if (!(c->cost > 0) || !c->series[0]) return 0.0;
  for (size_t i = x->nlast; i-- > 0;)
    if (strcmp(x->last[i].series, c->series) == 0 && x->last[i].cost > 0)
      return x->last[i].seconds * c->cost / x->last[i].cost;
  return 0.0;
}

static void remember(run_ctx *x, const ob_case *c, double seconds) {
  if (!c->series[0] || x->nlast >= OB_RUNNER_MAX_CASES) return;
  series_point *p = &x->last[x->nlast++];
  snprintf(p->series, sizeof p->series, "%s", c->series);
  p->cost = c->cost;
  p->seconds = seconds;
}

static ob_result_status skip_or_fail(ob_status st) {
  return st == OB_ERR_UNSUPPORTED || st == OB_ERR_TOO_LARGE || st == OB_ERR_BUDGET
             ? OB_RESULT_SKIPPED
             : OB_RESULT_FAILED;
}

static ob_status run_case(run_ctx *x, ob_case *c) {
  double predicted = predicted_seconds(x, c);
  if (x->t.opts->sustain > 0) ob_case_param(c, "sustain", "%g", x->t.opts->sustain);
  if (predicted > x->t.opts->seconds) {
    char note[128];
    snprintf(note, sizeof note, "over time budget: %.3g s per repetition predicted, budget %.3g s",
             predicted, x->t.opts->seconds);
    return ob_runner_rows_status(&x->t, c, OB_RESULT_SKIPPED, note);
  }
  ob_error_clear();
  OB_TRY(ob_session_case_begin(x->t.session, x->t.devs, x->t.ndev));
  /* The case's state: allocated zeroed here, filled by setup, emptied by teardown. */
  void *state = calloc(1, x->t.wl->state_size ? x->t.wl->state_size : 1);
  ob_status st = !state           ? ob_fail(OB_ERR_NOMEM, "out of memory")
                 : x->t.ndev == 1 ? x->t.wl->setup(state, x->t.devs[0], c)
                                  : x->t.wl->setup_group(state, x->t.devs, x->t.ndev, c);
  OB_TRY(ob_runner_rows_builds(&x->t));
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    if (state) x->t.wl->teardown(state);
    free(state);
    return ob_runner_rows_status(&x->t, c, skip_or_fail(st), note);
  }
  ob_measured mx = {0};
  st = ob_runner_measure(&x->t, c, state, &mx);
  ob_verdict verdict = {0};
  if (st == OB_OK && x->has_device_verdict) verdict = x->device_verdict;
  if (st == OB_OK && x->t.wl->verify && (!x->has_device_verdict || x->device_verdict.ok))
    st = x->t.wl->verify(state, &verdict);
  const size_t mem = ob_session_case_end(x->t.session, x->t.devs, x->t.ndev);
  x->t.wl->teardown(state);
  free(state);
  ob_trace_flush();
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    return ob_runner_rows_status(&x->t, c, skip_or_fail(st), note);
  }
  remember(x, c, mx.stats.median);
  return ob_runner_rows_measured(&x->t, c, &mx, &verdict, mem);
}

/* The workload on devs[0..ndev) measured together (ndev > 1: wl->setup_group). */
static ob_status run_workload(ob_session *s, ob_device *const *devs, size_t ndev,
                              const ob_workload *wl, const ob_run_opts *opts) {
  run_ctx *x = calloc(1, sizeof *x);
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  ob_status st = OB_OK;
  if (!x || !cases) {
    st = ob_fail(OB_ERR_NOMEM, "out of memory");
    goto done;
  }
  x->t = (ob_run_target){.session = s, .devs = devs, .ndev = ndev, .wl = wl, .opts = opts};
  size_t n = ob_runner_cases(devs[0], wl, opts, cases, OB_RUNNER_MAX_CASES);
  if (wl->device_check) {
    /* A group passes when each of its devices does. */
    x->has_device_verdict = true;
    x->device_verdict = (ob_verdict){.checked = true, .ok = true};
    for (size_t d = 0; d < ndev && x->device_verdict.ok; d++) {
      char what[96];
      snprintf(what, sizeof what, "%s device check%s%s", wl->name, ndev > 1 ? " on " : "",
               ndev > 1 ? ob_device_slug(devs[d]) : "");
      ob_progress_step(what, ob_runner_check_estimate());
      ob_error_clear();
      ob_status cst = wl->device_check(devs[d], &x->device_verdict);
      if (cst != OB_OK) {
        x->device_verdict.checked = true;
        x->device_verdict.ok = false;
        snprintf(x->device_verdict.note, sizeof x->device_verdict.note,
                 "device check failed on %s: %s: %s", ob_device_slug(devs[d]), ob_strerror(cst),
                 ob_error_detail());
      }
    }
    st = ob_runner_rows_builds(&x->t);
  }
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    char what[160];
    ob_runner_case_label(wl, &cases[i], what, sizeof what);
    ob_progress_step(what, ob_runner_case_estimate(opts));
    st = run_case(x, &cases[i]);
  }
done:
  free(cases);
  free(x);
  return st;
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
  const ob_workload *plan[MAX_WORKLOADS];
  ob_runner_config plan_cfg = *chosen;
  plan_cfg.workloads = plan;
  plan_cfg.nworkloads = ob_runner_plan(ob_workloads, ob_nworkloads, chosen->workloads,
                                       chosen->nworkloads, plan, MAX_WORKLOADS);
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
