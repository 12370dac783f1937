/* Measuring one set-up case: warm-up, the timed repetitions in a telemetry window, calibrated
 * to the time budget or sustained with a time series. */
#include "runner_measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_REPS 1000
#define MIN_REPS 3

/* Whether a rate is computed from the case's time (which must then be believable). */
static bool has_rate(const ob_case *c) {
  for (size_t i = 0; i < c->nmetrics; i++)
    if (c->metrics[i].kind == OB_METRIC_RATE) return true;
  return false;
}

/* The repetition times of a case, growing. */
typedef struct rep_times {
  double *v;
  size_t n, cap;
} rep_times;

static ob_status rep_push(rep_times *b, double t) {
  double *grown = ob_grow(b->v, &b->cap, b->n + 1, sizeof *b->v, MAX_REPS);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  b->v = grown;
  b->v[b->n++] = t;
  return OB_OK;
}

/* One repetition, its time appended to b. */
static ob_status run_rep(const ob_run_target *x, void *state, rep_times *b, double *t) {
  *t = 0.0;
  OB_TRY(x->wl->run(state, t));
  return rep_push(b, *t);
}

/* The calibrated repetitions: as many as fill the time budget, within [MIN_REPS, MAX_REPS]. */
static ob_status run_budget(const ob_run_target *x, void *state, rep_times *b, double start) {
  double first = 0.0;
  OB_TRY(run_rep(x, state, b, &first));
  const size_t reps = ob_reps_for_budget(first, x->opts->seconds, MIN_REPS, MAX_REPS);
  while (b->n < reps) {
    double t = 0.0;
    OB_TRY(run_rep(x, state, b, &t));
    /* Event time can be far below wall time (launch overhead): the budget is wall time. */
    if (b->n >= MIN_REPS && ob_now() - start > 2.0 * x->opts->seconds) break;
  }
  return OB_OK;
}

/* Points of a sustained run's series: one per interval of sustain / SUSTAIN_POINTS seconds
 * (at least one repetition each). */
#define SUSTAIN_POINTS 300

/* A sustained run: repetitions for opts->sustain seconds, one series point per interval with
 * the metric over the interval and what the sensors read in it. */
static ob_status run_sustained(const ob_run_target *x, const ob_case *c, void *state, rep_times *b,
                               double start, ob_series *series) {
  const double interval = x->opts->sustain / SUSTAIN_POINTS;
  const ob_metric *m = c->nmetrics ? &c->metrics[0] : NULL;
  ob_status st = OB_OK;
  while (st == OB_OK && (b->n == 0 || ob_now() - start < x->opts->sustain)) {
    ob_telemetry tele;
    OB_TRY(ob_telemetry_begin(x->session, x->devs, x->ndev, &tele));
    ob_series_point p = {0};
    const double t0 = ob_now();
    do {
      double t = 0.0;
      st = run_rep(x, state, b, &t);
      p.reps += 1.0;
      p.seconds += t;
    } while (st == OB_OK && ob_now() - t0 < interval);
    ob_telemetry_summary sum;
    ob_telemetry_end(&tele, &sum);
    if (st != OB_OK) break;
    p.t_s = ob_now() - start;
    p.value = !m || !(p.seconds > 0)     ? NAN
              : m->kind == OB_METRIC_RATE ? m->work * p.reps / p.seconds / m->scale
                                          : p.seconds / p.reps * m->scale;
    p.clock_mhz = sum.sensors.clock_mean_mhz;
    p.temp_c = sum.sensors.temp_max_c;
    p.power_w = sum.sensors.power_mean_w;
    st = ob_series_push(series, &p);
  }
  return st;
}

/* The label of the devices measured together: a slug, or all-<n>. */
static void group_label(const ob_run_target *x, char *buf, size_t n) {
  if (x->ndev == 1) snprintf(buf, n, "%s", ob_device_slug(x->devs[0]));
  else snprintf(buf, n, "all-%zu", x->ndev);
}

/* A sustained case's series in the session, named like its rows. */
static ob_status sustained_series(const ob_run_target *x, const ob_case *c, ob_series **out) {
  *out = NULL;
  if (!(x->opts->sustain > 0)) return OB_OK;
  char label[32];
  group_label(x, label, sizeof label);
  const ob_metric *m = c->nmetrics ? &c->metrics[0] : NULL;
  return ob_series_add(ob_session_series(x->session), ob_session_host(x->session)->hostname,
                       label, x->wl->name, c->variant, c->params, m ? m->name : "",
                       m ? m->unit : "", out);
}

ob_status ob_runner_measure(const ob_run_target *x, const ob_case *c, void *state,
                            ob_measured *mx) {
  OB_TRY(sustained_series(x, c, &mx->series));
  double warm = 0.0;
  OB_TRY(x->wl->run(state, &warm)); /* warm-up: never timed */
  rep_times b = {0};
  ob_telemetry tele;
  OB_TRY(ob_telemetry_begin(x->session, x->devs, x->ndev, &tele));
  const double start = ob_now();
  ob_status st = mx->series ? run_sustained(x, c, state, &b, start, mx->series)
                            : run_budget(x, state, &b, start);
  ob_telemetry_end(&tele, &mx->tele);
  double sum = 0.0;
  for (size_t i = 0; st == OB_OK && i < b.n; i++) sum += b.v[i];
  if (st == OB_OK && has_rate(c)) st = ob_time_check(sum, b.n, ob_now() - start);
  if (st == OB_OK) ob_stats_compute(b.v, b.n, &mx->stats);
  free(b.v);
  return st;
}
