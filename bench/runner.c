/* The runner: warm-up, calibrated repetitions, statistics, verification, CSV rows. */
#include "runner.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CASES 128
#define MAX_REPS 1000
#define MIN_REPS 3
/* Bandwidth can beat the measured DRAM copy rate only from caches; beyond this, not believed.
 * CPUs get more: a copy's stores first read the destination line (write-allocate), so the copy
 * probe moves 3 bytes per 2 it counts, while an in-place update (Adam) does not. */
#define PLAUSIBLE_BANDWIDTH_MARGIN 1.25
#define PLAUSIBLE_BANDWIDTH_MARGIN_CPU 2.0
#define CACHE_RESIDENT_FACTOR 4.0

typedef struct series_point {
  char series[64];
  double cost, seconds;
} series_point;

typedef struct run_ctx {
  ob_device *dev;             /* devs[0] */
  ob_device *const *devs;     /* the devices measured together (one, or a --shard group) */
  size_t ndev;
  const ob_host_info *host;
  const ob_workload *wl;
  const ob_run_opts *opts;
  ob_table *rows;
  size_t *failed;
  ob_verdict device_verdict;
  bool has_device_verdict;
  size_t case_mem;        /* device bytes the current case allocated at most */
  size_t *mem_peak;
  series_point last[MAX_CASES];
  size_t nlast;
} run_ctx;

static ob_status emit(run_ctx *x, const ob_row *row) {
  ob_row_text t;
  ob_row_format_group(x->host, x->devs, x->ndev, row, &t);
  if (strcmp(row->status, "failed") == 0) (*x->failed)++;
  return ob_table_add(x->rows, t.fields);
}

static void base_row(const run_ctx *x, const ob_case *c, ob_row *row) {
  ob_row_init(row);
  row->workload = x->wl->name;
  row->variant = c->variant;
  row->params = c->params;
  row->precision = c->precision;
  row->flops = c->flops;
  row->bytes = c->bytes;
}

/* One row per metric for a case that did not produce measurements. */
static ob_status emit_status(run_ctx *x, const ob_case *c, const char *status, const char *note) {
  for (size_t m = 0; m < (c->nmetrics ? c->nmetrics : 1); m++) {
    ob_row row;
    base_row(x, c, &row);
    row.metric = c->nmetrics ? c->metrics[m].name : "";
    row.unit = c->nmetrics ? c->metrics[m].unit : "";
    row.status = status;
    row.note = note;
    OB_TRY(emit(x, &row));
  }
  return OB_OK;
}

static ob_status emit_device_builds(run_ctx *x, ob_device *dev) {
  ob_build_record rec[16];
  size_t n = ob_stream_take_builds(ob_device_stream(dev), rec, 16);
  for (size_t i = 0; i < n; i++) {
    char params[512];
    snprintf(params, sizeof params, "program=%s;cache=%s;options=%s", rec[i].files,
             rec[i].from_cache ? "hit" : "miss", rec[i].options);
    ob_row row;
    ob_row_init(&row);
    row.workload = x->wl->name;
    row.variant = "compile";
    row.params = params;
    row.precision = "";
    row.metric = "compile_time";
    row.unit = "s";
    row.value = rec[i].seconds;
    row.time_min = row.time_median = row.time_max = rec[i].seconds;
    row.reps = 1;
    OB_TRY(emit(x, &row));
  }
  return OB_OK;
}

static ob_status emit_builds(run_ctx *x) {
  for (size_t d = 0; d < x->ndev; d++) OB_TRY(emit_device_builds(x, x->devs[d]));
  return OB_OK;
}

/* Group figures: the sum over the devices measured together (one device: its own). */
static double group_measured_peak(const run_ctx *x, ob_peak_kind kind) {
  double sum = 0.0;
  for (size_t d = 0; d < x->ndev; d++) sum += ob_device_measured_peak(x->devs[d], kind);
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

static size_t group_mem(const run_ctx *x, bool peak) {
  size_t sum = 0;
  for (size_t d = 0; d < x->ndev; d++)
    sum += peak ? ob_stream_mem_peak(ob_device_stream(x->devs[d]))
                : ob_stream_mem_current(ob_device_stream(x->devs[d]));
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
  if (!c->series[0] || x->nlast >= MAX_CASES) return;
  series_point *p = &x->last[x->nlast++];
  snprintf(p->series, sizeof p->series, "%s", c->series);
  p->cost = c->cost;
  p->seconds = seconds;
}

static const char *skip_or_fail(ob_status st) {
  return st == OB_ERR_UNSUPPORTED || st == OB_ERR_TOO_LARGE || st == OB_ERR_BUDGET ? "skipped"
                                                                                    : "failed";
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

static ob_status emit_measured(run_ctx *x, const ob_case *c, const ob_stats *s,
                               const ob_verdict *v) {
  for (size_t i = 0; i < c->nmetrics; i++) {
    const ob_metric *m = &c->metrics[i];
    ob_row row;
    base_row(x, c, &row);
    row.metric = m->name;
    row.unit = m->unit;
    row.time_min = s->min;
    row.time_median = s->median;
    row.time_max = s->max;
    row.reps = (long)s->n;
    const double rate = s->median > 0 ? m->work / s->median : NAN; /* base units per second */
    row.value = m->kind == OB_METRIC_RATE ? rate / m->scale : s->median * m->scale;
    double peak = 0.0, limit = 0.0;
    peak_bounds(x, c, m, &peak, &limit);
    if (peak > 0 && m->kind == OB_METRIC_RATE && m->provides == OB_PEAK_NONE)
      row.peak_fraction = rate / peak;
    char note[768] = "";
    if (c->note[0]) note_append(note, sizeof note, "%s", c->note);
    if (v->checked) note_append(note, sizeof note, "%s", v->note);
    note_append(note, sizeof note, "mem_peak_bytes=%zu", x->case_mem);
    if (ob_trace_enabled()) note_append(note, sizeof note, "traced");
    const double theo = group_theoretical(x, false);
    if (m->peak == OB_PEAK_FP32 && theo > 0 && m->kind == OB_METRIC_RATE)
      note_append(note, sizeof note, "theoretical_fraction=%.3f", rate / theo);
    row.verified = v->checked ? (v->ok ? "yes" : "no") : "n/a";
    row.status = v->checked && !v->ok ? "failed" : "ok";
    if (limit > 0 && m->kind == OB_METRIC_RATE && rate > limit) {
      row.status = "failed";
      note_append(note, sizeof note, "implausible: above %.4g %s", limit / m->scale, m->unit);
    }
    row.note = note;
    /* A peak is the best the device did: the fastest repetition, not the median. */
    if (strcmp(row.status, "ok") == 0 && m->provides != OB_PEAK_NONE && s->min > 0 && x->ndev == 1)
      ob_device_set_measured_peak(x->dev, m->provides, m->work / s->min);
    OB_TRY(emit(x, &row));
  }
  return OB_OK;
}

/* Whether a rate is computed from the case's time (which must then be believable). */
static bool has_rate(const ob_case *c) {
  for (size_t i = 0; i < c->nmetrics; i++)
    if (c->metrics[i].kind == OB_METRIC_RATE) return true;
  return false;
}

/* Warm-up, calibration and the timed repetitions of one set-up case; a case with a rate must
 * have a believable time (ob_time_check). */
static ob_status measure(run_ctx *x, const ob_case *c, void *state, ob_stats *stats) {
  double *samples = malloc(MAX_REPS * sizeof *samples);
  if (!samples) return ob_fail(OB_ERR_NOMEM, "out of memory");
  double t = 0.0;
  ob_status st = x->wl->run(state, &t); /* warm-up: never timed */
  const double start = ob_now();
  if (st == OB_OK) st = x->wl->run(state, &samples[0]);
  size_t n = 1;
  if (st == OB_OK) {
    size_t reps = ob_reps_for_budget(samples[0], x->opts->seconds, MIN_REPS, MAX_REPS);
    for (; n < reps && st == OB_OK; n++) {
      st = x->wl->run(state, &samples[n]);
      /* Event time can be far below wall time (launch overhead): the budget is wall time. */
      if (n + 1 >= MIN_REPS && ob_now() - start > 2.0 * x->opts->seconds) {
        n++;
        break;
      }
    }
  }
  double sum = 0.0;
  for (size_t i = 0; st == OB_OK && i < n; i++) sum += samples[i];
  if (st == OB_OK && has_rate(c)) st = ob_time_check(sum, n, ob_now() - start);
  if (st == OB_OK) ob_stats_compute(samples, n, stats);
  free(samples);
  return st;
}

static ob_status run_case(run_ctx *x, ob_case *c) {
  double predicted = predicted_seconds(x, c);
  if (predicted > x->opts->seconds) {
    char note[128];
    snprintf(note, sizeof note, "over time budget: %.3g s per repetition predicted, budget %.3g s",
             predicted, x->opts->seconds);
    return emit_status(x, c, "skipped", note);
  }
  ob_error_clear();
  void *state = NULL;
  const size_t mem_before = group_mem(x, false);
  for (size_t d = 0; d < x->ndev; d++) ob_stream_mem_peak_reset(ob_device_stream(x->devs[d]));
  ob_status st = x->ndev == 1 ? x->wl->setup(x->dev, c, &state)
                              : x->wl->setup_group(x->devs, x->ndev, c, &state);
  OB_TRY(emit_builds(x));
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    if (x->wl->teardown) x->wl->teardown(state);
    return emit_status(x, c, skip_or_fail(st), note);
  }
  ob_stats stats;
  st = measure(x, c, state, &stats);
  ob_verdict verdict = {0};
  if (st == OB_OK && x->has_device_verdict) verdict = x->device_verdict;
  if (st == OB_OK && x->wl->verify && (!x->has_device_verdict || x->device_verdict.ok))
    st = x->wl->verify(state, &verdict);
  x->case_mem = group_mem(x, true) - mem_before;
  if (x->mem_peak && x->case_mem > *x->mem_peak) *x->mem_peak = x->case_mem;
  if (x->wl->teardown) x->wl->teardown(state);
  ob_trace_flush();
  if (st != OB_OK) {
    char note[1024];
    snprintf(note, sizeof note, "%s: %s", ob_strerror(st), ob_error_detail());
    return emit_status(x, c, skip_or_fail(st), note);
  }
  remember(x, c, stats.median);
  return emit_measured(x, c, &stats, &verdict);
}

/* The workload on devs[0..ndev) measured together (ndev > 1: wl->setup_group). */
static ob_status run_workload(ob_device *const *devs, size_t ndev, const ob_host_info *host,
                              const ob_workload *wl, const ob_run_opts *opts, ob_table *rows,
                              size_t *failed_rows, size_t *mem_peak) {
  run_ctx *x = calloc(1, sizeof *x);
  ob_case *cases = calloc(MAX_CASES, sizeof *cases);
  ob_status st = OB_OK;
  if (!x || !cases) {
    st = ob_fail(OB_ERR_NOMEM, "out of memory");
    goto done;
  }
  *x = (run_ctx){.dev = devs[0], .devs = devs, .ndev = ndev, .host = host, .wl = wl,
                 .opts = opts, .rows = rows, .failed = failed_rows, .mem_peak = mem_peak};
  size_t n = wl->list_cases(devs[0], opts, cases, MAX_CASES);
  if (wl->device_check) {
    /* A group passes when each of its devices does. */
    x->has_device_verdict = true;
    x->device_verdict = (ob_verdict){.checked = true, .ok = true};
    for (size_t d = 0; d < ndev && x->device_verdict.ok; d++) {
      ob_progress_step("device check");
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
  char label[32];
  if (ndev == 1) snprintf(label, sizeof label, "%s", ob_device_slug(devs[0]));
  else snprintf(label, sizeof label, "all-%zu", ndev);
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    char what[160];
    snprintf(what, sizeof what, "%s %s %s %s", label, wl->name, cases[i].variant, cases[i].params);
    ob_progress_step(what);
    st = run_case(x, &cases[i]);
  }
done:
  free(cases);
  free(x);
  return st;
}

ob_status ob_runner_run_workload(ob_device *dev, const ob_host_info *host,
                                 const ob_workload *wl, const ob_run_opts *opts, ob_table *rows,
                                 size_t *failed_rows, size_t *mem_peak) {
  return run_workload(&dev, 1, host, wl, opts, rows, failed_rows, mem_peak);
}

ob_status ob_runner_run_group(ob_device *const *devs, size_t n, const ob_host_info *host,
                              const ob_workload *wl, const ob_run_opts *opts, ob_table *rows,
                              size_t *failed_rows) {
  if (n < 2 || !wl->setup_group)
    return ob_fail(OB_ERR_INVALID, "workload %s: no group run of %zu devices", wl->name, n);
  return run_workload(devs, n, host, wl, opts, rows, failed_rows, NULL);
}

/* Writes rows [first, nrows) into DIR/<host>__<slug>.csv atomically. */
static ob_status write_csv(const char *dir, const ob_host_info *host, const char *slug,
                           const ob_table *rows, size_t first) {
  OB_TRY(ob_mkdir_p(dir));
  char path[4096];
  ob_csv_device_path(path, sizeof path, dir, host->hostname, slug);
  ob_csv_writer *wr = NULL;
  OB_TRY(ob_csv_writer_create_path(path, ob_csv_columns, OB_CSV_NCOLS, &wr));
  ob_status st = OB_OK;
  for (size_t r = first; r < rows->nrows && st == OB_OK; r++)
    st = ob_csv_writer_add_fields(wr, (const char *const *)(rows->cells + r * OB_CSV_NCOLS),
                                  OB_CSV_NCOLS);
  if (st != OB_OK) {
    ob_csv_writer_destroy(wr);
    return st;
  }
  OB_TRY(ob_csv_writer_commit(wr));
  fprintf(stderr, "oclbench: wrote %s\n", path);
  return OB_OK;
}

/* Progress steps on one device: every case plus every device check. */
static size_t count_steps(const ob_device *dev, const ob_runner_config *cfg) {
  ob_case *cases = calloc(MAX_CASES, sizeof *cases);
  size_t total = 0;
  for (size_t w = 0; cases && w < cfg->nworkloads; w++)
    total += cfg->workloads[w]->list_cases(dev, &cfg->opts, cases, MAX_CASES) +
             (cfg->workloads[w]->device_check ? 1 : 0);
  free(cases);
  return total;
}

/* --shard: the workloads that can, on all selected devices at once (rows of `all-<n>`). */
static ob_status run_groups(ob_registry *reg, const ob_runner_config *cfg,
                            const ob_host_info *host, ob_table *rows, size_t *failed_rows) {
  ob_device **devs = calloc(ob_registry_count(reg), sizeof *devs);
  if (!devs) return ob_fail(OB_ERR_NOMEM, "out of memory");
  size_t n = 0;
  for (size_t d = 0; d < ob_registry_count(reg); d++)
    if (cfg->selected[d] && ob_device_queue(ob_registry_device(reg, d)))
      devs[n++] = ob_registry_device(reg, d);
  ob_status st = OB_OK;
  const size_t first_row = rows->nrows;
  if (n >= 2) {
    char title[32];
    snprintf(title, sizeof title, "all-%zu", n);
    size_t steps = 0;
    ob_case *cases = calloc(MAX_CASES, sizeof *cases);
    for (size_t w = 0; cases && w < cfg->nworkloads; w++)
      if (cfg->workloads[w]->setup_group)
        steps += cfg->workloads[w]->list_cases(devs[0], &cfg->opts, cases, MAX_CASES) +
                 (cfg->workloads[w]->device_check ? n : 0);
    free(cases);
    ob_progress_begin(title, steps);
    for (size_t w = 0; w < cfg->nworkloads && st == OB_OK; w++)
      if (cfg->workloads[w]->setup_group)
        st = ob_runner_run_group(devs, n, host, cfg->workloads[w], &cfg->opts, rows, failed_rows);
    ob_progress_end();
    if (st == OB_OK && cfg->out_dir && rows->nrows > first_row)
      st = write_csv(cfg->out_dir, host, title, rows, first_row);
  } else {
    ob_log(OB_LOG_WARN, "--shard: %zu device%s selected, nothing to shard", n, n == 1 ? "" : "s");
  }
  free(devs);
  return st;
}

ob_status ob_runner_run(ob_registry *reg, const ob_runner_config *cfg, ob_table *rows,
                        size_t *failed_rows) {
  ob_host_info host;
  ob_host_get(&host);
  *failed_rows = 0;
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!cfg->selected[d]) continue;
    ob_device *dev = ob_registry_device(reg, d);
    size_t first_row = rows->nrows;
    ob_progress_begin(ob_device_slug(dev), count_steps(dev, cfg));
    ob_status st = ob_device_open(dev);
    if (st != OB_OK) {
      ob_log(OB_LOG_ERROR, "%s: cannot open device: %s", ob_device_slug(dev), ob_error_detail());
      (*failed_rows)++;
      ob_progress_end();
      continue;
    }
    for (size_t w = 0; w < cfg->nworkloads && st == OB_OK; w++)
      st = ob_runner_run_workload(dev, &host, cfg->workloads[w], &cfg->opts, rows, failed_rows,
                                  cfg->mem_peak ? &cfg->mem_peak[d] : NULL);
    ob_progress_end();
    if (st == OB_OK && cfg->out_dir)
      st = write_csv(cfg->out_dir, &host, ob_device_slug(dev), rows, first_row);
    if (st != OB_OK) return st;
  }
  return cfg->shard ? run_groups(reg, cfg, &host, rows, failed_rows) : OB_OK;
}
