/* The tuning facility's parameters: configurations to and from "k=v,..." text, to -D build
 * options, and their range checks. */
#include "tune.h"

#include <stdlib.h>
#include <string.h>

/* Parameters per family at most (the parser's bookkeeping). */
#define MAX_PARAMS 32

static long long field_get(const ob_tune_param *p, const void *cfg) {
  const char *at = (const char *)cfg + p->offset;
  if (p->size == sizeof(int32_t)) {
    int32_t s;
    uint32_t u;
    memcpy(&s, at, sizeof s);
    memcpy(&u, at, sizeof u);
    return p->is_signed ? (long long)s : (long long)u;
  }
  int64_t s;
  uint64_t u;
  memcpy(&s, at, sizeof s);
  memcpy(&u, at, sizeof u);
  return p->is_signed ? (long long)s : (long long)u;
}

static void field_set(const ob_tune_param *p, void *cfg, long long v) {
  char *at = (char *)cfg + p->offset;
  if (p->size == sizeof(int32_t)) {
    const int32_t s = (int32_t)v;
    memcpy(at, &s, sizeof s);
  } else {
    const int64_t s = (int64_t)v;
    memcpy(at, &s, sizeof s);
  }
}

static bool value_allowed(const ob_tune_param *p, long long v) {
  if (v < p->min || v > p->max) return false;
  if (!p->values) return true;
  for (size_t i = 0; i < p->nvalues; i++)
    if (p->values[i] == v) return true;
  return false;
}

/* "1, 2, 4" (allowed values) or "[0, 4096]" (the range) into buf. */
static void allowed_text(const ob_tune_param *p, char *buf, size_t n) {
  if (!p->values) {
    snprintf(buf, n, "[%lld, %lld]", p->min, p->max);
    return;
  }
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < p->nvalues && len < n; i++)
    len += (size_t)snprintf(buf + len, n - len, "%s%lld", i ? ", " : "", p->values[i]);
}

void ob_tune_format(const ob_tune_family *f, const void *cfg, char *buf, size_t n) {
  size_t len = 0;
  if (n) buf[0] = '\0';
  for (size_t i = 0; i < f->nparams && len < n; i++) {
    const ob_tune_param *p = &f->params[i];
    const long long v = field_get(p, cfg);
    const char *sep = i ? "," : "";
    int w = p->names && v >= 0 && (size_t)v < p->nnames
                ? snprintf(buf + len, n - len, "%s%s=%s", sep, p->key, p->names[v])
                : snprintf(buf + len, n - len, "%s%s=%lld", sep, p->key, v);
    if (w < 0) return;
    len += (size_t)w;
  }
}

void ob_tune_defines(const ob_tune_family *f, const void *cfg, char *buf, size_t n) {
  size_t len = 0;
  if (n) buf[0] = '\0';
  for (size_t i = 0; i < f->nparams && len < n; i++) {
    const ob_tune_param *p = &f->params[i];
    if (!p->define) continue;
    int w = snprintf(buf + len, n - len, "%s-D%s=%lld", len ? " " : "", p->define,
                     field_get(p, cfg));
    if (w < 0) return;
    len += (size_t)w;
  }
}

/* The parameter called key[0..klen); NULL when none. */
static const ob_tune_param *param_find(const ob_tune_family *f, const char *key, size_t klen) {
  for (size_t i = 0; i < f->nparams; i++)
    if (strlen(f->params[i].key) == klen && strncmp(f->params[i].key, key, klen) == 0)
      return &f->params[i];
  return NULL;
}

/* The value text s of parameter p: a name of p's, or a decimal integer in range. */
static ob_status parse_value(const ob_tune_family *f, const ob_tune_param *p, const char *s,
                             long long *out) {
  for (size_t i = 0; p->names && i < p->nnames; i++)
    if (strcmp(s, p->names[i]) == 0) {
      *out = (long long)i;
      return OB_OK;
    }
  char allowed[160];
  allowed_text(p, allowed, sizeof allowed);
  int64_t v = 0;
  if (ob_parse_int(s, p->min, p->max, &v) != OB_INT_OK) {
    if (!p->names)
      return ob_fail(OB_ERR_INVALID, "%s config: %s='%s' is not an integer in [%lld, %lld]",
                     f->name, p->key, s, p->min, p->max);
    char names[160] = "";
    for (size_t i = 0, len = 0; i < p->nnames && len < sizeof names; i++)
      len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "",
                              p->names[i]);
    return ob_fail(OB_ERR_INVALID, "%s config: %s='%s' is not one of %s", f->name, p->key, s,
                   names);
  }
  if (!value_allowed(p, v))
    return ob_fail(OB_ERR_INVALID, "%s config: %s=%lld is not one of %s", f->name, p->key,
                   (long long)v, allowed);
  *out = v;
  return OB_OK;
}

/* One "key=value" token (tok[0..len)) into cfg; seen[] marks the keys given. */
static ob_status parse_pair(const ob_tune_family *f, const char *tok, size_t len, void *cfg,
                            bool *seen) {
  const char *eq = memchr(tok, '=', len);
  const ob_tune_param *p = eq ? param_find(f, tok, (size_t)(eq - tok)) : NULL;
  if (!eq)
    return ob_fail(OB_ERR_INVALID, "%s config: '%.*s' is not key=value", f->name, (int)len, tok);
  if (!p) {
    char keys[256] = "";
    for (size_t i = 0, kl = 0; i < f->nparams && kl < sizeof keys; i++)
      kl += (size_t)snprintf(keys + kl, sizeof keys - kl, "%s%s", i ? ", " : "", f->params[i].key);
    return ob_fail(OB_ERR_INVALID, "%s config: unknown key '%.*s' (keys: %s)", f->name,
                   (int)(eq - tok), tok, keys);
  }
  const size_t idx = (size_t)(p - f->params);
  if (seen[idx]) return ob_fail(OB_ERR_INVALID, "%s config: %s given twice", f->name, p->key);
  seen[idx] = true;
  char value[64];
  const size_t vlen = len - (size_t)(eq - tok) - 1;
  if (vlen >= sizeof value)
    return ob_fail(OB_ERR_INVALID, "%s config: the value of %s is too long", f->name, p->key);
  memcpy(value, eq + 1, vlen);
  value[vlen] = '\0';
  long long v = 0;
  OB_TRY(parse_value(f, p, value, &v));
  field_set(p, cfg, v);
  return OB_OK;
}

ob_status ob_tune_parse(const ob_tune_family *f, const char *text, void *cfg) {
  if (f->nparams > MAX_PARAMS)
    return ob_fail(OB_ERR_INVALID, "%s config: more than %d parameters", f->name, MAX_PARAMS);
  void *work = malloc(f->size);
  if (!work) return ob_fail(OB_ERR_NOMEM, "out of memory");
  memcpy(work, cfg, f->size);
  bool seen[MAX_PARAMS] = {false};
  ob_status st = OB_OK;
  for (const char *tok = text ? text : ""; *tok && st == OB_OK;) {
    const size_t len = strcspn(tok, ",");
    if (len) st = parse_pair(f, tok, len, work, seen);
    tok += len + (tok[len] == ',');
  }
  for (size_t i = 0; st == OB_OK && i < f->nparams; i++)
    if (f->params[i].required && !seen[i])
      st = ob_fail(OB_ERR_INVALID, "%s config: %s is missing", f->name, f->params[i].key);
  if (st == OB_OK) memcpy(cfg, work, f->size);
  free(work);
  return st;
}

ob_status ob_tune_check(const ob_tune_family *f, const void *cfg, const ob_device *dev) {
  for (size_t i = 0; i < f->nparams; i++) {
    const ob_tune_param *p = &f->params[i];
    const long long v = field_get(p, cfg);
    if (value_allowed(p, v)) continue;
    char allowed[160];
    allowed_text(p, allowed, sizeof allowed);
    return ob_fail(OB_ERR_INVALID, "%s config: %s=%lld is not %s %s", f->name, p->key, v,
                   p->values ? "one of" : "in", allowed);
  }
  return f->check ? f->check(cfg, dev) : OB_OK;
}
