/* Case construction helpers shared by the workloads. */
#include "workload.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

void ob_case_init(ob_case *c, const void *spec, const char *variant, const char *precision,
                  const char *series, double cost) {
  memset(c, 0, sizeof *c);
  c->spec = spec;
  snprintf(c->variant, sizeof c->variant, "%s", variant ? variant : "");
  snprintf(c->precision, sizeof c->precision, "%s", precision ? precision : "");
  snprintf(c->series, sizeof c->series, "%s", series ? series : "");
  c->cost = cost;
  c->flops = NAN;
  c->bytes = NAN;
}

/* Appends sep (when buf holds text already), "key=" and the value to buf, of size cap; a pair
 * whose "key=" does not fit leaves buf as it was, a value that does not fit is cut. */
static void __attribute__((format(printf, 5, 0)))
append_pair(char *buf, size_t cap, const char *sep, const char *key, const char *fmt, va_list ap) {
  const size_t len = strlen(buf);
  if (ob_appendf(buf, cap, sep, "%s=", key))
    ob_vappendf(buf, cap, "", fmt, ap);
  else
    buf[len] = '\0';
}

void ob_case_param(ob_case *c, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  append_pair(c->params, sizeof c->params, ";", key, fmt, ap);
  va_end(ap);
}

void ob_case_note(ob_case *c, const char *key, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  append_pair(c->note, sizeof c->note, "; ", key, fmt, ap);
  va_end(ap);
}

ob_metric *ob_case_metric(ob_case *c, const char *name, const char *unit, ob_metric_kind kind,
                          double work, double scale, ob_peak_kind peak) {
  if (c->nmetrics >= OB_MAX_METRICS) return &c->metrics[OB_MAX_METRICS - 1];
  ob_metric *m = &c->metrics[c->nmetrics++];
  memset(m, 0, sizeof *m);
  m->name = name;
  m->unit = unit;
  m->kind = kind;
  m->work = work;
  m->scale = scale;
  m->peak = peak;
  return m;
}

ob_metric *ob_metric_per_joule(ob_metric *m, const char *name, const char *unit, double scale) {
  m->energy_name = name;
  m->energy_unit = unit;
  m->energy_scale = scale;
  return m;
}
