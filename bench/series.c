/* Time series of sustained runs: the set, its CSV writer and reader. */
#include "series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns, in file order: the point's numbers, then the case's text. */
static const char *const columns[] = {"t_s",  "value", "clock_mhz",   "temp_c",   "power_w",
                                      "reps", "rep_seconds", "host",  "device_slug", "workload",
                                      "variant", "params", "metric", "unit"};
#define NCOLS (sizeof columns / sizeof *columns)
#define NNUMBERS 7

static double *number(ob_series_point *p, size_t i) {
  double *const f[NNUMBERS] = {&p->t_s,    &p->value, &p->clock_mhz, &p->temp_c,
                               &p->power_w, &p->reps, &p->seconds};
  return f[i];
}

static char **text(ob_series *s, size_t i) {
  char **const f[NCOLS - NNUMBERS] = {&s->host,    &s->device_slug, &s->workload, &s->variant,
                                      &s->params,  &s->metric,      &s->unit};
  return f[i];
}

static void series_free(ob_series *s) {
  for (size_t i = 0; i < NCOLS - NNUMBERS; i++) free(*text(s, i));
  free(s->points);
}

ob_status ob_series_add(ob_series_set *v, const char *host, const char *device_slug,
                        const char *workload, const char *variant, const char *params,
                        const char *metric, const char *unit, ob_series **out) {
  ob_series *grown = ob_grow(v->items, &v->cap, v->n + 1, sizeof *v->items, 8);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  v->items = grown;
  ob_series *s = &v->items[v->n];
  memset(s, 0, sizeof *s);
  const char *const values[] = {host, device_slug, workload, variant, params, metric, unit};
  for (size_t i = 0; i < NCOLS - NNUMBERS; i++) {
    *text(s, i) = strdup(values[i] ? values[i] : "");
    if (!*text(s, i)) {
      series_free(s);
      return ob_fail(OB_ERR_NOMEM, "out of memory");
    }
  }
  v->n++;
  *out = s;
  return OB_OK;
}

ob_status ob_series_push(ob_series *s, const ob_series_point *p) {
  ob_series_point *grown = ob_grow(s->points, &s->cap, s->n + 1, sizeof *s->points, 64);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->points = grown;
  s->points[s->n++] = *p;
  return OB_OK;
}

void ob_series_clear(ob_series_set *v) {
  for (size_t i = 0; i < v->n; i++) series_free(&v->items[i]);
  free(v->items);
  memset(v, 0, sizeof *v);
}

void ob_series_csv_path(char *buf, size_t n, const char *dir, const char *host,
                        const char *slug) {
  char hostslug[128];
  ob_slugify(hostslug, sizeof hostslug, host && *host ? host : "host");
  snprintf(buf, n, "%s/sustain/%s__%s.csv", dir, hostslug[0] ? hostslug : "host", slug);
}

ob_status ob_series_write_csv(const ob_series_set *v, size_t first, const char *host,
                              const char *slug, const char *path, size_t *written) {
  *written = 0;
  for (size_t k = first; k < v->n; k++)
    *written += strcmp(v->items[k].host, host) == 0 && strcmp(v->items[k].device_slug, slug) == 0;
  if (!*written) return OB_OK;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
    OB_TRY(ob_mkdir_p(dir));
  }
  ob_csv_writer *w = NULL;
  OB_TRY(ob_csv_writer_create_path(path, columns, NCOLS, &w));
  ob_status st = OB_OK;
  char bufs[NNUMBERS][48];
  const char *fields[NCOLS];
  for (size_t k = first; k < v->n && st == OB_OK; k++) {
    ob_series *s = &v->items[k];
    if (strcmp(s->host, host) != 0 || strcmp(s->device_slug, slug) != 0) continue;
    for (size_t i = 0; i < NCOLS - NNUMBERS; i++) fields[NNUMBERS + i] = *text(s, i);
    for (size_t p = 0; p < s->n && st == OB_OK; p++) {
      for (size_t i = 0; i < NNUMBERS; i++) {
        ob_format_double(bufs[i], sizeof bufs[i], *number(&s->points[p], i));
        fields[i] = bufs[i];
      }
      st = ob_csv_writer_add_fields(w, fields, NCOLS);
    }
  }
  if (st == OB_OK) return ob_csv_writer_commit(w);
  ob_csv_writer_destroy(w);
  return st;
}

typedef struct reader {
  const char *path;
  ob_series_set *v;
  size_t first;  /* the file's first series in v */
} reader;

static ob_status read_line(void *user, size_t line, char **f, size_t n) {
  reader *rd = user;
  if (line == 1) {
    for (size_t i = 0; i < NCOLS; i++)
      if (n != NCOLS || strcmp(f[i], columns[i]) != 0)
        return ob_fail(OB_ERR_INVALID, "%s: not an oclbench series CSV (header column %zu is "
                       "not '%s')", rd->path, i + 1, columns[i]);
    return OB_OK;
  }
  if (n != NCOLS)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: %zu fields, expected %zu", rd->path, line, n, NCOLS);
  ob_series_point p;
  for (size_t i = 0; i < NNUMBERS; i++) {
    double *x = number(&p, i);
    *x = NAN;
    if (f[i][0] && !(ob_parse_double(f[i], x) && isfinite(*x)))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: %s is not a number", rd->path, line, columns[i]);
  }
  if (isnan(p.t_s)) return ob_fail(OB_ERR_INVALID, "%s:%zu: empty t_s", rd->path, line);
  ob_series *s = rd->v->n > rd->first ? &rd->v->items[rd->v->n - 1] : NULL;
  for (size_t i = 0; s && i < NCOLS - NNUMBERS; i++)
    if (strcmp(*text(s, i), f[NNUMBERS + i]) != 0) s = NULL;
  if (!s)
    OB_TRY(ob_series_add(rd->v, f[7], f[8], f[9], f[10], f[11], f[12], f[13], &s));
  return ob_series_push(s, &p);
}

ob_status ob_series_read_csv(const char *path, ob_series_set *v) {
  reader rd = {.path = path, .v = v, .first = v->n};
  OB_TRY(ob_csv_read(path, read_line, &rd));
  if (v->n == rd.first) return ob_fail(OB_ERR_INVALID, "%s: no points", path);
  return OB_OK;
}

double ob_series_span_rate(const ob_series *s, double from_s, double to_s) {
  double reps = 0.0, seconds = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    const ob_series_point *p = &s->points[i];
    if (p->t_s < from_s || p->t_s > to_s) continue;
    reps += p->reps;
    seconds += p->seconds;
  }
  return seconds > 0 ? reps / seconds : NAN;
}
