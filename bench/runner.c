/* The runner: warm-up, calibrated repetitions, statistics, verification, result records. */
#include "runner.h"

#include "svg.h"
#include "telemetry.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKLOADS 64
#define MAX_REPS 1000
#define MIN_REPS 3
/* Bandwidth can beat the measured DRAM copy rate only from caches; beyond this, not believed.
 * CPUs get more: a copy's stores first read the destination line (write-allocate), so the copy
 * probe moves 3 bytes per 2 it counts, while an in-place update (Adam) does not. */
#define PLAUSIBLE_BANDWIDTH_MARGIN 1.25
#define PLAUSIBLE_BANDWIDTH_MARGIN_CPU 2.0
#define CACHE_RESIDENT_FACTOR 4.0
/* A case's time before it has run, for progress and run --list: set-up, warm-up and
 * verification (ESTIMATE_FIXED_S) and the calibrated repetitions (ESTIMATE_BUDGETS x the time
 * budget: they stop at the budget, or after MIN_REPS repetitions at twice it). */
#define ESTIMATE_FIXED_S 0.3
#define ESTIMATE_BUDGETS 1.2

typedef struct series_point {
  char series[64];
  double cost, seconds;
} series_point;

typedef struct run_ctx {
  ob_session *session;        /* where the records, peaks, memory and builds go */
  ob_device *dev;             /* devs[0] */
  ob_device *const *devs;     /* the devices measured together (one, or a --shard group) */
  size_t ndev;
  const ob_workload *wl;
  const ob_run_opts *opts;
  ob_verdict device_verdict;
  bool has_device_verdict;
  size_t case_mem;        /* device bytes the current case allocated at most */
  series_point last[OB_RUNNER_MAX_CASES];
  size_t nlast;
} run_ctx;

/* The text columns of a row that the runner sets (the others are the host's and devices'). */
typedef struct row_text {
  const char *variant, *params, *precision, *metric, *unit, *note;
} row_text;

/* Completes r (numbers and status set) with the run's host and devices, its workload and t,
 * and appends it to the run's results; r is empty afterwards. */
static ob_status emit(run_ctx *x, ob_result *r, const row_text *t) {
  const char *const text[] = {x->wl->name, t->variant, t->params, t->precision,
                              t->metric,   t->unit,    t->note};
  char **const field[] = {&r->workload, &r->variant, &r->params, &r->precision,
                          &r->metric,   &r->unit,    &r->note};
  ob_status st = ob_result_set_identity(r, ob_session_host(x->session), x->devs, x->ndev);
  for (size_t i = 0; st == OB_OK && i < sizeof field / sizeof *field; i++)
    st = ob_result_set(field[i], text[i]);
  if (st == OB_OK) st = ob_result_fill_text(r);
  if (st != OB_OK) {
    ob_result_free(r);
    return st;
  }
  return ob_results_push(ob_session_results(x->session), r);
}

/* A record of case c: its work, every other number empty. */
static void case_record(const ob_case *c, ob_result *r) {
  ob_result_init(r);
  r->flops = c->flops;
  r->bytes = c->bytes;
}

/* One row per metric for a case that did not produce measurements. */
static ob_status emit_status(run_ctx *x, const ob_case *c, ob_result_status status,
                             const char *note) {
  for (size_t m = 0; m < (c->nmetrics ? c->nmetrics : 1); m++) {
    ob_result r;
    case_record(c, &r);
    r.status = status;
    const row_text t = {c->variant, c->params, c->precision, c->nmetrics ? c->metrics[m].name : "",
                        c->nmetrics ? c->metrics[m].unit : "", note};
    OB_TRY(emit(x, &r, &t));
  }
  return OB_OK;
}

/* The builds the devices made since the last call, into the session and as compile rows. */
static ob_status emit_builds(run_ctx *x) {
  for (size_t d = 0; d < x->ndev; d++) {
    size_t first = 0, n = 0, all = 0;
    OB_TRY(ob_session_take_builds(x->session, x->devs[d], &first, &n));
    const ob_session_build *builds = ob_session_builds(x->session, &all);
    for (size_t i = first; i < first + n; i++) {
      const ob_build_record *b = &builds[i].record;
      char params[512];
      snprintf(params, sizeof params, "program=%s;cache=%s;options=%s", b->files,
               b->from_cache ? "hit" : "miss", b->options);
      ob_result r;
      ob_result_init(&r);
      r.value = r.time_s_min = r.time_s_median = r.time_s_max = b->seconds;
      r.reps = 1;
      const row_text t = {"compile", params, "", "compile_time", "s", ""};
      OB_TRY(emit(x, &r, &t));
    }
  }
  return OB_OK;
}

/* Group figures: the sum over the devices measured together (one device: its own). */
static double group_measured_peak(const run_ctx *x, ob_peak_kind kind) {
  double sum = 0.0;
  for (size_t d = 0; d < x->ndev; d++) sum += ob_session_peak(x->session, x->devs[d], kind);
  return sum;
}

/* Theoretical FP32 FLOP/s; with headroom, at the maximum clock. 0 when any is unknown. */
static double group_theoretical(const run_ctx *x, bool headroom) {
  double sum = 0.0;
  for (size_t d = 0; d < x->ndev; d++) {
    const double t = ob_device_fp32_theoretical(x->devs[d]) * 1e9 *
                     (headroom ? ob_device_props_get(x->devs[d])->clock_headroom : 1.0);
    if (!(t > 0)) return 0.0;
    sum += t;
  }
  return sum;
}

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

/* The measured peak a metric is divided by, and the rate above which it is implausible
 * (0: no bound), both in base units per second (FLOP/s, B/s). */
static void peak_bounds(const run_ctx *x, const ob_case *c, const ob_metric *m, double *peak,
                        double *limit) {
  *peak = group_measured_peak(x, m->peak);
  *limit = 0.0;
  if (m->peak == OB_PEAK_NONE && m->limit_per_peak > 0) {
    const double best = fmax(group_measured_peak(x, OB_PEAK_FP32), group_theoretical(x, true));
    *limit = best > 0 ? best * m->limit_per_peak * OB_PLAUSIBLE_FLOPS_MARGIN : 0.0;
  } else if (m->peak == OB_PEAK_FP32) {
    /* Theoretical at the maximum clock; the probe that measures the peak can only be
     * checked against the theoretical one. */
    double theo = group_theoretical(x, true);
    double best = m->provides == OB_PEAK_FP32 ? theo : fmax(*peak, theo);
    *limit = best > 0 ? best * OB_PLAUSIBLE_FLOPS_MARGIN : 0.0;
  } else if (m->peak == OB_PEAK_BANDWIDTH && m->provides != OB_PEAK_BANDWIDTH) {
    double cache = 0.0;
    bool cpu = false;
    for (size_t d = 0; d < x->ndev; d++) {
      cache += (double)ob_device_props_get(x->devs[d])->global_cache;
      cpu = cpu || ob_device_is_cpu(x->devs[d]);
    }
    double margin = cpu ? PLAUSIBLE_BANDWIDTH_MARGIN_CPU : PLAUSIBLE_BANDWIDTH_MARGIN;
    /* No memory-bound kernel outruns the faster of the copy and the read-only probe. */
    const double fastest = fmax(*peak, group_measured_peak(x, OB_PEAK_READ));
    if (!isnan(c->bytes) && c->bytes > CACHE_RESIDENT_FACTOR * cache && fastest > 0)
      *limit = fastest * margin;
  }
}

static void note_append(char *note, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note_append(char *note, size_t n, const char *fmt, ...) {
  size_t len = strlen(note);
  if (len && len + 2 < n) {
    memcpy(note + len, "; ", 3);
    len += 2;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(note + len, n - len, fmt, ap);
  va_end(ap);
}

/* What the timed repetitions of a case gave. */
typedef struct measured {
  ob_stats stats;
  ob_telemetry_summary tele; /* over the timed repetitions */
  ob_series *series;         /* sustained: the case's time series (in the session), else NULL */
} measured;

/* The row of metric m's energy efficiency (ob_metric.energy_name) beside its row r, when the
 * energy of the timed repetitions is known. */
static ob_status emit_efficiency(run_ctx *x, const ob_case *c, const ob_metric *m,
                                 const measured *mx, const ob_result *r, const char *note) {
  const double joules = mx->tele.sensors.energy_j, reps = (double)mx->stats.n;
  if (!m->energy_name || !(joules > 0) || !(reps > 0)) return OB_OK;
  ob_result e;
  case_record(c, &e);
  e.time_s_min = r->time_s_min;
  e.time_s_median = r->time_s_median;
  e.time_s_max = r->time_s_max;
  e.reps = r->reps;
  e.verified = r->verified;
  e.status = r->status;
  e.value = m->kind == OB_METRIC_RATE ? m->work * reps / joules / m->energy_scale
                                      : joules / reps * m->energy_scale;
  ob_status st = ob_telemetry_fill(&mx->tele, &e);
  if (st != OB_OK) {
    ob_result_free(&e);
    return st;
  }
  const row_text t = {c->variant, c->params, c->precision, m->energy_name, m->energy_unit, note};
  return emit(x, &e, &t);
}

/* The first-span and last-span rates of a sustained case: the first and last minute of a run
 * of two minutes or more, else its first and last tenth. */
static ob_status emit_sustained(run_ctx *x, const ob_case *c, const measured *mx,
                                const ob_result *r) {
  const ob_series *s = mx->series;
  if (!s || s->n == 0 || c->nmetrics == 0) return OB_OK;
  const double total = s->points[s->n - 1].t_s;
  const bool minutes = total >= 120.0;
  const double span = minutes ? 60.0 : total / 10.0;
  /* Each span holds one point at least (a repetition may outlast a tenth). */
  const double first = ob_series_span_rate(s, 0.0, fmax(span, s->points[0].t_s));
  const double last = ob_series_span_rate(s, total - span, total);
  const ob_metric *m = &c->metrics[0];
  /* The metric's figure at a rate of `rate` repetitions per second. */
  const double v_first = m->kind == OB_METRIC_RATE ? m->work * first / m->scale : m->scale / first;
  const double v_last = m->kind == OB_METRIC_RATE ? m->work * last / m->scale : m->scale / last;
  char note[512];
  snprintf(note, sizeof note, "first %s (0-%.3g s): %.4g %s; last %s (%.3g-%.3g s): %.4g %s; "
           "value = last rate / first rate",
           minutes ? "minute" : "tenth", span, v_first, m->unit, minutes ? "minute" : "tenth",
           total - span, total, v_last, m->unit);
  ob_result e;
  case_record(c, &e);
  e.reps = r->reps;
  e.verified = r->verified;
  e.status = r->status;
  e.value = first > 0 && last > 0 ? last / first : NAN;
  if (e.status == OB_RESULT_OK && isnan(e.value)) e.status = OB_RESULT_SKIPPED;
  ob_status st = ob_telemetry_fill(&mx->tele, &e);
  if (st != OB_OK) {
    ob_result_free(&e);
    return st;
  }
  const row_text t = {c->variant, c->params, c->precision, "sustained_ratio", "last/first", note};
  return emit(x, &e, &t);
}

static ob_status emit_measured(run_ctx *x, const ob_case *c, const measured *mx,
                               const ob_verdict *v) {
  const ob_stats *s = &mx->stats;
  char sensors[1600] = "";
  OB_TRY(ob_telemetry_note(x->session, x->devs, x->ndev, sensors, sizeof sensors));
  ob_result last;
  ob_result_init(&last);
  for (size_t i = 0; i < c->nmetrics; i++) {
    const ob_metric *m = &c->metrics[i];
    ob_result r;
    case_record(c, &r);
    r.time_s_min = s->min;
    r.time_s_median = s->median;
    r.time_s_max = s->max;
    r.reps = (double)s->n;
    const double rate = s->median > 0 ? m->work / s->median : NAN; /* base units per second */
    r.value = m->kind == OB_METRIC_RATE ? rate / m->scale : s->median * m->scale;
    double peak = 0.0, limit = 0.0;
    peak_bounds(x, c, m, &peak, &limit);
    if (peak > 0 && m->kind == OB_METRIC_RATE && m->provides == OB_PEAK_NONE)
      r.peak_fraction = rate / peak;
    char note[2560] = "";
    if (c->note[0]) note_append(note, sizeof note, "%s", c->note);
    if (v->checked) note_append(note, sizeof note, "%s", v->note);
    note_append(note, sizeof note, "mem_peak_bytes=%zu", x->case_mem);
    if (ob_trace_enabled()) note_append(note, sizeof note, "traced");
    const double theo = group_theoretical(x, false);
    if (m->peak == OB_PEAK_FP32 && theo > 0 && m->kind == OB_METRIC_RATE)
      note_append(note, sizeof note, "theoretical_fraction=%.3f", rate / theo);
    r.verified = !v->checked ? OB_VERIFIED_NA : v->ok ? OB_VERIFIED_YES : OB_VERIFIED_NO;
    r.status = v->checked && !v->ok ? OB_RESULT_FAILED : OB_RESULT_OK;
    if (limit > 0 && m->kind == OB_METRIC_RATE && rate > limit) {
      r.status = OB_RESULT_FAILED;
      note_append(note, sizeof note, "implausible: above %.4g %s", limit / m->scale, m->unit);
    }
    if (i == 0 && sensors[0]) note_append(note, sizeof note, "%s", sensors);
    /* A peak is the best the device did: the fastest repetition, not the median. */
    if (r.status == OB_RESULT_OK && m->provides != OB_PEAK_NONE && s->min > 0 && x->ndev == 1)
      OB_TRY(ob_session_set_peak(x->session, x->dev, m->provides, m->work / s->min));
    ob_status st = ob_telemetry_fill(&mx->tele, &r);
    if (st != OB_OK) {
      ob_result_free(&r);
      return st;
    }
    last.time_s_min = r.time_s_min;
    last.time_s_median = r.time_s_median;
    last.time_s_max = r.time_s_max;
    last.reps = r.reps;
    last.verified = r.verified;
    last.status = r.status;
    const row_text t = {c->variant, c->params, c->precision, m->name, m->unit, note};
    OB_TRY(emit(x, &r, &t));
    OB_TRY(emit_efficiency(x, c, m, mx, &last, note));
  }
  return emit_sustained(x, c, mx, &last);
}

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
  if (b->n == b->cap) {
    const size_t cap = b->cap ? 2 * b->cap : MAX_REPS;
    double *grown = realloc(b->v, cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    b->v = grown;
    b->cap = cap;
  }
  b->v[b->n++] = t;
  return OB_OK;
}

/* One repetition, its time appended to b. */
static ob_status run_rep(run_ctx *x, void *state, rep_times *b, double *t) {
  *t = 0.0;
  OB_TRY(x->wl->run(state, t));
  return rep_push(b, *t);
}

/* The calibrated repetitions: as many as fill the time budget, within [MIN_REPS, MAX_REPS]. */
static ob_status run_budget(run_ctx *x, void *state, rep_times *b, double start) {
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
static ob_status run_sustained(run_ctx *x, const ob_case *c, void *state, rep_times *b,
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

/* Warm-up, then the timed repetitions of one set-up case in a telemetry window: calibrated to
 * the time budget, or for opts->sustain seconds (mx->series set); a case with a rate must
 * have a believable time (ob_time_check). */
static ob_status measure(run_ctx *x, const ob_case *c, void *state, measured *mx) {
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

/* The label of the devices measured together: a slug, or all-<n>. */
static void group_label(const run_ctx *x, char *buf, size_t n) {
  if (x->ndev == 1) snprintf(buf, n, "%s", ob_device_slug(x->devs[0]));
  else snprintf(buf, n, "all-%zu", x->ndev);
}

/* A sustained case's series in the session, named like its rows. */
static ob_status sustained_series(run_ctx *x, const ob_case *c, ob_series **out) {
  *out = NULL;
  if (!(x->opts->sustain > 0)) return OB_OK;
  char label[32];
  group_label(x, label, sizeof label);
  const ob_metric *m = c->nmetrics ? &c->metrics[0] : NULL;
  return ob_series_add(ob_session_series(x->session), ob_session_host(x->session)->hostname,
                       label, x->wl->name, c->variant, c->params, m ? m->name : "",
                       m ? m->unit : "", out);
}

static ob_status run_case(run_ctx *x, ob_case *c) {
  double predicted = predicted_seconds(x, c);
  if (x->opts->sustain > 0) ob_case_param(c, "sustain", "%g", x->opts->sustain);
  if (predicted > x->opts->seconds) {
    char note[128];
    snprintf(note, sizeof note, "over time budget: %.3g s per repetition predicted, budget %.3g s",
             predicted, x->opts->seconds);
    return emit_status(x, c, OB_RESULT_SKIPPED, note);
  }
  ob_error_clear();
  OB_TRY(ob_session_case_begin(x->session, x->devs, x->ndev));
  /* The case's state: allocated zeroed here, filled by setup, emptied by teardown. */
  void *state = calloc(1, x->wl->state_size ? x->wl->state_size : 1);
  ob_status st = !state         ? ob_fail(OB_ERR_NOMEM, "out of memory")
                 : x->ndev == 1 ? x->wl->setup(state, x->dev, c)
                                : x->wl->setup_group(state, x->devs, x->ndev, c);
  OB_TRY(emit_builds(x));
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    if (state) x->wl->teardown(state);
    free(state);
    return emit_status(x, c, skip_or_fail(st), note);
  }
  measured mx = {0};
  st = sustained_series(x, c, &mx.series);
  if (st == OB_OK) st = measure(x, c, state, &mx);
  ob_verdict verdict = {0};
  if (st == OB_OK && x->has_device_verdict) verdict = x->device_verdict;
  if (st == OB_OK && x->wl->verify && (!x->has_device_verdict || x->device_verdict.ok))
    st = x->wl->verify(state, &verdict);
  x->case_mem = ob_session_case_end(x->session, x->devs, x->ndev);
  x->wl->teardown(state);
  free(state);
  ob_trace_flush();
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    return emit_status(x, c, skip_or_fail(st), note);
  }
  remember(x, c, mx.stats.median);
  return emit_measured(x, c, &mx, &verdict);
}

static bool chosen_size(const ob_run_opts *opts, const ob_case *c) {
  if (!opts->nsizes || !c->size[0]) return true;
  for (size_t i = 0; i < opts->nsizes; i++)
    if (strcmp(opts->sizes[i], c->size) == 0) return true;
  return false;
}

static bool chosen_chains(const ob_run_opts *opts, const ob_case *c) {
  if (!opts->nchains || !c->chains) return true;
  for (size_t i = 0; i < opts->nchains; i++)
    if (opts->chains[i] == c->chains) return true;
  return false;
}

size_t ob_runner_cases(const ob_device *dev, const ob_workload *wl, const ob_run_opts *opts,
                       ob_case *cases, size_t max) {
  const size_t n = wl->list_cases(dev, opts, cases, max);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (chosen_size(opts, &cases[i]) && chosen_chains(opts, &cases[i])) {
      if (k != i) cases[k] = cases[i];
      k++;
    }
  return k;
}

double ob_runner_case_estimate(const ob_run_opts *opts) {
  return ESTIMATE_FIXED_S + (opts->sustain > 0 ? opts->sustain : ESTIMATE_BUDGETS * opts->seconds);
}

void ob_runner_case_label(const ob_workload *wl, const ob_case *c, char *buf, size_t n) {
  const char *const parts[] = {c->variant, c->precision, c->size, c->detail};
  size_t len = (size_t)snprintf(buf, n, "%s", wl->name);
  for (size_t i = 0; i < sizeof parts / sizeof *parts && len < n; i++)
    if (parts[i][0]) len += (size_t)snprintf(buf + len, n - len, " %s", parts[i]);
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
  *x = (run_ctx){.session = s, .dev = devs[0], .devs = devs, .ndev = ndev, .wl = wl,
                 .opts = opts};
  size_t n = ob_runner_cases(devs[0], wl, opts, cases, OB_RUNNER_MAX_CASES);
  if (wl->device_check) {
    /* A group passes when each of its devices does. */
    x->has_device_verdict = true;
    x->device_verdict = (ob_verdict){.checked = true, .ok = true};
    for (size_t d = 0; d < ndev && x->device_verdict.ok; d++) {
      char what[96];
      snprintf(what, sizeof what, "%s device check%s%s", wl->name, ndev > 1 ? " on " : "",
               ndev > 1 ? ob_device_slug(devs[d]) : "");
      ob_progress_step(what, ESTIMATE_FIXED_S);
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
    st = emit_builds(x);
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

static bool listed(const ob_workload *const *list, size_t n, const ob_workload *wl) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == wl) return true;
  return false;
}

/* The options a workload of the plan runs with: the chosen workloads are sustained, not the
 * probes they need. */
static ob_run_opts opts_for(const ob_runner_config *chosen, const ob_workload *wl) {
  ob_run_opts o = chosen->opts;
  if (!listed(chosen->workloads, chosen->nworkloads, wl)) o.sustain = 0;
  return o;
}

/* Progress steps on devs[0..ndev) measured together (one device, or a --shard group of the
 * workloads that can): every case plus every device's check; *seconds their estimate. */
static size_t count_steps(ob_device *const *devs, size_t ndev, const ob_runner_config *cfg,
                          const ob_runner_config *chosen, double *seconds) {
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  size_t steps = 0;
  *seconds = 0.0;
  for (size_t w = 0; cases && w < cfg->nworkloads; w++) {
    const ob_workload *wl = cfg->workloads[w];
    if (ndev > 1 && !wl->setup_group) continue;
    const ob_run_opts o = opts_for(chosen, wl);
    const size_t n = ob_runner_cases(devs[0], wl, &o, cases, OB_RUNNER_MAX_CASES);
    const size_t checks = wl->device_check ? ndev : 0;
    steps += n + checks;
    *seconds += (double)n * ob_runner_case_estimate(&o) + (double)checks * ESTIMATE_FIXED_S;
  }
  free(cases);
  return steps;
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
    const size_t steps = count_steps(devs, n, cfg, cfg, &seconds);
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

size_t ob_runner_plan(const ob_workload *const *known, size_t nknown,
                      const ob_workload *const *chosen, size_t n, const ob_workload **out,
                      size_t max) {
  unsigned needs = 0;
  for (size_t i = 0; i < n; i++) needs |= chosen[i]->needs;
  size_t k = 0;
  for (size_t w = 0; w < nknown && k < max; w++)
    if ((known[w]->provides & needs) && !listed(out, k, known[w])) out[k++] = known[w];
  for (size_t i = 0; i < n && k < max; i++)
    if (!listed(out, k, chosen[i])) out[k++] = chosen[i];
  return k;
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
    const size_t steps = count_steps(&dev, 1, cfg, chosen, &seconds);
    ob_progress_begin(ob_device_slug(dev), steps, seconds);
    ob_status st = ob_device_open(dev);
    if (st != OB_OK) {
      ob_log(OB_LOG_ERROR, "%s: cannot open device: %s", ob_device_slug(dev), ob_error_detail());
      ob_session_count_failure(s);
      ob_progress_end();
      continue;
    }
    for (size_t w = 0; w < cfg->nworkloads && st == OB_OK; w++) {
      const ob_run_opts opts = opts_for(chosen, cfg->workloads[w]);
      st = ob_runner_run_workload(s, dev, cfg->workloads[w], &opts);
    }
    ob_progress_end();
    if (st == OB_OK && cfg->out_dir)
      st = write_csv(s, cfg->out_dir, ob_device_slug(dev), first_row, first_series);
    if (st != OB_OK) return st;
  }
  return cfg->shard ? run_groups(reg, cfg, s) : OB_OK;
}
