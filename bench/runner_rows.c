/* Records from measurements: a case's rows (status, measured metrics with their peak fraction
 * and plausibility bound, energy efficiency, sustained ratio) and the compile rows of builds. */
#include "runner_rows.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bandwidth can beat the measured DRAM rates (the copy, update and read probes) only from
 * caches; beyond this, not believed. CPUs get more: what their probes reach depends on how the
 * runtime's compiler turns them into loops and on the access pattern (PoCL, 2-core Xeon: read
 * 27 GB/s, copy 26 with its write-allocate, in-place update 48), so a bound from them is
 * looser there. */
#define PLAUSIBLE_BANDWIDTH_MARGIN 1.25
#define PLAUSIBLE_BANDWIDTH_MARGIN_CPU 2.0
#define CACHE_RESIDENT_FACTOR 4.0

/* The text columns of a row that the runner sets (the others are the host's and devices'). */
typedef struct row_text {
  const char *variant, *params, *precision, *metric, *unit, *note;
} row_text;

/* Completes r (numbers and status set) with the run's host and devices, its workload and t,
 * and appends it to the run's results; r is empty afterwards. */
static ob_status emit(const ob_run_target *x, ob_result *r, const row_text *t) {
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

ob_status ob_runner_rows_status(const ob_run_target *x, const ob_case *c, ob_result_status status,
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

ob_status ob_runner_rows_builds(const ob_run_target *x) {
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
static double group_measured_peak(const ob_run_target *x, ob_peak_kind kind) {
  double sum = 0.0;
  for (size_t d = 0; d < x->ndev; d++) sum += ob_session_peak(x->session, x->devs[d], kind);
  return sum;
}

/* Theoretical FP32 FLOP/s; with headroom, at the maximum clock. 0 when any is unknown. */
static double group_theoretical(const ob_run_target *x, bool headroom) {
  double sum = 0.0;
  for (size_t d = 0; d < x->ndev; d++) {
    const double t = ob_device_fp32_theoretical(x->devs[d]) * 1e9 *
                     (headroom ? ob_device_props_get(x->devs[d])->clock_headroom : 1.0);
    if (!(t > 0)) return 0.0;
    sum += t;
  }
  return sum;
}

/* The measured peak a metric is divided by, and the rate above which it is implausible
 * (0: no bound), both in base units per second (FLOP/s, B/s). */
static void peak_bounds(const ob_run_target *x, const ob_case *c, const ob_metric *m,
                        double *peak, double *limit) {
  *peak = group_measured_peak(x, m->peak);
  *limit = 0.0;
  if (m->peak == OB_PEAK_NONE && m->limit_per_peak > 0) {
    const double best = fmax(group_measured_peak(x, OB_PEAK_FP32), group_theoretical(x, true));
    *limit = best > 0 ? best * m->limit_per_peak * OB_PLAUSIBLE_FLOPS_MARGIN : 0.0;
  } else if (m->peak == OB_PEAK_FP32) {
    /* Theoretical at the maximum clock; the probe that measures the peak can only be
     * checked against the theoretical one. A rate counted in more work than the device did
     * (limit_per_peak > 1: Winograd convolution rows keep the direct convolution's FLOPs,
     * 2.25x its arithmetic) is bounded by the arithmetic done: that many times the peak. */
    double theo = group_theoretical(x, true);
    double best = m->provides == OB_PEAK_FP32 ? theo : fmax(*peak, theo);
    const double per_peak = m->limit_per_peak > 1.0 ? m->limit_per_peak : 1.0;
    *limit = best > 0 ? best * per_peak * OB_PLAUSIBLE_FLOPS_MARGIN : 0.0;
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

/* The rate of metric m measured as s, in base units per second. */
static double metric_rate(const ob_metric *m, const ob_stats *s) {
  return s->median > 0 ? m->work / s->median : NAN;
}

bool ob_runner_rows_above_bandwidth_bound(const ob_run_target *x, const ob_case *c,
                                          const ob_measured *mx) {
  for (size_t i = 0; i < c->nmetrics; i++) {
    const ob_metric *m = &c->metrics[i];
    if (m->peak != OB_PEAK_BANDWIDTH || m->provides == OB_PEAK_BANDWIDTH ||
        m->kind != OB_METRIC_RATE)
      continue;
    double peak = 0.0, limit = 0.0;
    peak_bounds(x, c, m, &peak, &limit);
    if (limit > 0 && metric_rate(m, &mx->stats) > limit) return true;
  }
  return false;
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

/* The row of metric m's energy efficiency (ob_metric.energy_name) beside its row r, when the
 * energy of the timed repetitions is known. */
static ob_status emit_efficiency(const ob_run_target *x, const ob_case *c, const ob_metric *m,
                                 const ob_measured *mx, const ob_result *r, const char *note) {
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
static ob_status emit_sustained(const ob_run_target *x, const ob_case *c, const ob_measured *mx,
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

ob_status ob_runner_rows_measured(const ob_run_target *x, const ob_case *c,
                                  const ob_measured *mx, const ob_verdict *v, size_t mem_peak) {
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
    const double rate = metric_rate(m, s); /* base units per second */
    r.value = m->kind == OB_METRIC_RATE ? rate / m->scale : s->median * m->scale;
    double peak = 0.0, limit = 0.0;
    peak_bounds(x, c, m, &peak, &limit);
    if (peak > 0 && m->kind == OB_METRIC_RATE && m->provides == OB_PEAK_NONE)
      r.peak_fraction = rate / peak;
    char note[2560] = "";
    if (c->note[0]) note_append(note, sizeof note, "%s", c->note);
    if (v->checked) note_append(note, sizeof note, "%s", v->note);
    note_append(note, sizeof note, "mem_peak_bytes=%zu", mem_peak);
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
      OB_TRY(ob_session_set_peak(x->session, x->devs[0], m->provides, m->work / s->min, x->wl,
                                  c->spec));
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
