/* A workload's cases on its target, one after the other: the workload's device check, then
 * each case set up, measured, verified and torn down, its rows appended to the session. */
#include "runner_case.h"

#include "runner_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A measured case of a series (ob_case.series): its cost and median time per repetition. */
typedef struct series_point {
  char series[64];
  double cost, seconds;
} series_point;

/* A workload's run on its target so far. */
typedef struct run_ctx {
  ob_run_target t;
  ob_verdict device_verdict; /* the device check's, when has_device_verdict */
  bool has_device_verdict;
  series_point last[OB_RUNNER_MAX_CASES]; /* the measured cases of series, in order */
  size_t nlast;
  bool remeasured; /* the bandwidth peaks were measured again (once per workload's run) */
} run_ctx;

/* A repetition's time of case c predicted from the last measured case of its series, scaled by
 * cost; 0 when there is none to predict from. */
static double predicted_seconds(const run_ctx *x, const ob_case *c) {
  if (!(c->cost > 0) || !c->series[0]) return 0.0;
  for (size_t i = x->nlast; i-- > 0;)
    if (strcmp(x->last[i].series, c->series) == 0 && x->last[i].cost > 0)
      return x->last[i].seconds * c->cost / x->last[i].cost;
  return 0.0;
}

/* Remembers c's time per repetition for the predictions of the later cases of its series. */
static void remember(run_ctx *x, const ob_case *c, double seconds) {
  if (!c->series[0] || x->nlast >= OB_RUNNER_MAX_CASES) return;
  series_point *p = &x->last[x->nlast++];
  snprintf(p->series, sizeof p->series, "%s", c->series);
  p->cost = c->cost;
  p->seconds = seconds;
}

/* The status of the rows of a case that stopped with st: skipped when the device cannot run
 * it or it does not fit (memory, time budget), else failed. */
static ob_result_status skip_or_fail(ob_status st) {
  return st == OB_ERR_UNSUPPORTED || st == OB_ERR_TOO_LARGE || st == OB_ERR_BUDGET
             ? OB_RESULT_SKIPPED
             : OB_RESULT_FAILED;
}

static ob_status run_case(run_ctx *x, ob_case *c);

/* Measures again on x's device the cases that gave the session its bandwidth peaks (the faster
 * of the copy and update probes, and the read probe) before a row of case c is judged against
 * them: a probe that ran while the machine was busy (another process, memory being faulted
 * back in) under-reports the device, and every memory-bound row after it would be judged
 * against that figure. Their rows follow in the run, noted `remeasured=before <case>`; the
 * session keeps the larger peak. */
static ob_status remeasure_bandwidth(run_ctx *x, const ob_case *c) {
  static const ob_peak_kind kinds[] = {OB_PEAK_BANDWIDTH, OB_PEAK_READ};
  char label[160];
  ob_runner_case_label(x->t.wl, c, label, sizeof label);
  ob_log(OB_LOG_INFO, "%s: %s is above the bandwidth peaks' bound: measuring them again",
         ob_device_slug(x->t.devs[0]), label);
  ob_run_opts opts = *x->t.opts;
  opts.sustain = 0;
  run_ctx *y = calloc(1, sizeof *y);
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  ob_status st = y && cases ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds && st == OB_OK; k++) {
    const void *spec = NULL;
    const ob_workload *wl = ob_session_peak_source(x->t.session, x->t.devs[0], kinds[k], &spec);
    if (!wl) continue;
    *y = (run_ctx){.t = x->t, .remeasured = true};
    y->t.wl = wl;
    y->t.opts = &opts;
    const size_t n = wl->list_cases(x->t.devs[0], &opts, cases, OB_RUNNER_MAX_CASES);
    for (size_t i = 0; i < n && st == OB_OK; i++)
      if (cases[i].spec == spec) {
        ob_case_note(&cases[i], "remeasured", "before %s", label);
        st = run_case(y, &cases[i]);
        break;
      }
  }
  free(cases);
  free(y);
  return st;
}

/* Case c from set-up to teardown, then its rows: skipped unrun when its series predicts a
 * repetition over the time budget; with a sustained run, params gain sustain=S. A rate above
 * the bound of the bandwidth peaks has them measured again first (once per workload's run,
 * on a single device). */
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
  if (!x->remeasured && x->t.ndev == 1 &&
      ob_runner_rows_above_bandwidth_bound(&x->t, c, &mx)) {
    x->remeasured = true;
    OB_TRY(remeasure_bandwidth(x, c));
  }
  return ob_runner_rows_measured(&x->t, c, &mx, &verdict, mem);
}

/* The workload's device check on each device of the target, each a progress step: the verdict
 * of every case (a group passes when each of its devices does); the builds it made as compile
 * rows. */
static ob_status check_devices(run_ctx *x) {
  const ob_run_target *t = &x->t;
  x->has_device_verdict = true;
  x->device_verdict = (ob_verdict){.checked = true, .ok = true};
  for (size_t d = 0; d < t->ndev && x->device_verdict.ok; d++) {
    char what[96];
    snprintf(what, sizeof what, "%s device check%s%s", t->wl->name, t->ndev > 1 ? " on " : "",
             t->ndev > 1 ? ob_device_slug(t->devs[d]) : "");
    ob_progress_step(what, ob_runner_check_estimate());
    ob_error_clear();
    ob_status cst = t->wl->device_check(t->devs[d], &x->device_verdict);
    if (cst != OB_OK) {
      x->device_verdict.checked = true;
      x->device_verdict.ok = false;
      snprintf(x->device_verdict.note, sizeof x->device_verdict.note,
               "device check failed on %s: %s: %s", ob_device_slug(t->devs[d]), ob_strerror(cst),
               ob_error_detail());
    }
  }
  return ob_runner_rows_builds(t);
}

ob_status ob_runner_run_cases(const ob_run_target *t) {
  run_ctx *x = calloc(1, sizeof *x);
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  ob_status st = OB_OK;
  if (!x || !cases) {
    st = ob_fail(OB_ERR_NOMEM, "out of memory");
    goto done;
  }
  x->t = *t;
  size_t n = ob_runner_cases(t->devs[0], t->wl, t->opts, cases, OB_RUNNER_MAX_CASES);
  if (t->wl->device_check) st = check_devices(x);
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    char what[160];
    ob_runner_case_label(t->wl, &cases[i], what, sizeof what);
    ob_progress_step(what, ob_runner_case_estimate(t->opts));
    st = run_case(x, &cases[i]);
  }
done:
  free(cases);
  free(x);
  return st;
}
