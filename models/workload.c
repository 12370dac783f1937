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

void ob_case_param(ob_case *c, const char *key, const char *fmt, ...) {
  size_t len = strlen(c->params);
  if (len && len + 1 < sizeof c->params) c->params[len++] = ';';
  int w = snprintf(c->params + len, sizeof c->params - len, "%s=", key);
  if (w < 0 || (size_t)w >= sizeof c->params - len) return;
  len += (size_t)w;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->params + len, sizeof c->params - len, fmt, ap);
  va_end(ap);
}

void ob_case_note(ob_case *c, const char *key, const char *fmt, ...) {
  size_t len = strlen(c->note);
  int w = snprintf(c->note + len, sizeof c->note - len, "%s%s=", len ? "; " : "", key);
  if (w < 0 || (size_t)w >= sizeof c->note - len) return;
  len += (size_t)w;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->note + len, sizeof c->note - len, fmt, ap);
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
