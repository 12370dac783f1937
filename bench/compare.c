/* Cross-device comparison: validated schema-1 rows joined into one column per device. */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

typedef struct device {
  ob_compare_device pub;
  char *label;
  size_t source;          /* index of the add call it came from */
} device;

typedef struct jrow {
  ob_compare_row key;     /* strings point into the first record, params may be merged */
  char *merged_params;    /* owned when the row absorbed others */
  size_t *cells;          /* per device: record index or NONE */
  size_t next;            /* list order while joining */
  bool dead;              /* merged into another row */
} jrow;

struct ob_compare {
  ob_table records;
  size_t *rec_device, *rec_line;
  size_t *rec_source;     /* index into sources */
  size_t rec_cap;
  char **sources;         /* file paths ("" for in-memory rows) */
  size_t nsources;
  device *devices;
  size_t ndevices;
  jrow *rows;             /* final order after the join */
  size_t nrows;
  size_t baseline;
  bool joined;
};

static const int numeric_cols[] = {OB_COL_COMPUTE_UNITS, OB_COL_CLOCK_MHZ, OB_COL_GLOBAL_MEM,
                                   OB_COL_VALUE,         OB_COL_TIME_MIN,  OB_COL_TIME_MEDIAN,
                                   OB_COL_TIME_MAX,      OB_COL_REPS,      OB_COL_FLOPS,
                                   OB_COL_BYTES,         OB_COL_PEAK_FRACTION};
static const int required_cols[] = {OB_COL_DEVICE_SLUG, OB_COL_WORKLOAD, OB_COL_METRIC};

ob_status ob_compare_create(ob_compare **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return ob_fail(OB_ERR_NOMEM, "out of memory");
  return OB_OK;
}

void ob_compare_destroy(ob_compare *cmp) {
  if (!cmp) return;
  ob_table_clear(&cmp->records);
  free(cmp->rec_device);
  free(cmp->rec_line);
  free(cmp->rec_source);
  for (size_t i = 0; i < cmp->nsources; i++) free(cmp->sources[i]);
  free(cmp->sources);
  for (size_t i = 0; i < cmp->ndevices; i++) free(cmp->devices[i].label);
  free(cmp->devices);
  for (size_t i = 0; i < cmp->nrows; i++) {
    free(cmp->rows[i].merged_params);
    free(cmp->rows[i].cells);
  }
  free(cmp->rows);
  free(cmp);
}

static const char *rec(const ob_compare *cmp, size_t r, int col) {
  return ob_table_cell(&cmp->records, r, col);
}

/* ------------------------------------------------------------------ reading */

static bool is_one_of(const char *s, const char *const *set) {
  for (; *set; set++)
    if (strcmp(s, *set) == 0) return true;
  return false;
}

/* Checks one data record; the detail names where and why. */
static ob_status check_record(const char *where, size_t line, char **f, size_t n, size_t ncols) {
  static const char *const statuses[] = {"ok", "skipped", "failed", NULL};
  static const char *const verdicts[] = {"yes", "no", "n/a", NULL};
  if (n != ncols)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: %zu fields, the header has %zu", where, line, n, ncols);
  if (strcmp(f[OB_COL_SCHEMA], "1") != 0)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: schema '%.40s': not an oclbench schema-1 row", where,
                   line, f[OB_COL_SCHEMA]);
  for (size_t i = 0; i < sizeof required_cols / sizeof *required_cols; i++)
    if (!f[required_cols[i]][0])
      return ob_fail(OB_ERR_INVALID, "%s:%zu: empty %s", where, line,
                     ob_csv_columns[required_cols[i]]);
  for (size_t i = 0; i < sizeof numeric_cols / sizeof *numeric_cols; i++) {
    const char *s = f[numeric_cols[i]];
    double v = 0.0;
    if (*s && (!ob_parse_double(s, &v) || !isfinite(v)))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: %s '%.40s' is not a number", where, line,
                     ob_csv_columns[numeric_cols[i]], s);
  }
  if (!is_one_of(f[OB_COL_STATUS], statuses))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: unknown status '%.40s' (expected ok, skipped or failed)",
                   where, line, f[OB_COL_STATUS]);
  if (!is_one_of(f[OB_COL_VERIFIED], verdicts))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: unknown verified '%.40s' (expected yes, no or n/a)",
                   where, line, f[OB_COL_VERIFIED]);
  if (strcmp(f[OB_COL_STATUS], "ok") == 0 && !f[OB_COL_VALUE][0])
    return ob_fail(OB_ERR_INVALID, "%s:%zu: status ok without a value", where, line);
  return OB_OK;
}

/* The column of record r's (source, host, slug), created on first sight. */
static ob_status device_for(ob_compare *cmp, size_t source, size_t r, size_t *out) {
  const char *host = rec(cmp, r, OB_COL_HOST), *slug = rec(cmp, r, OB_COL_DEVICE_SLUG);
  size_t same = 0;
  for (size_t i = 0; i < cmp->ndevices; i++) {
    const device *d = &cmp->devices[i];
    if (strcmp(d->pub.host, host) != 0 || strcmp(d->pub.slug, slug) != 0) continue;
    if (d->source == source) {
      *out = i;
      return OB_OK;
    }
    same++;
  }
  device *grown = realloc(cmp->devices, (cmp->ndevices + 1) * sizeof *grown);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  cmp->devices = grown;
  device *d = &cmp->devices[cmp->ndevices];
  memset(d, 0, sizeof *d);
  size_t len = strlen(host) + strlen(slug) + 32;
  d->label = malloc(len);
  if (!d->label) return ob_fail(OB_ERR_NOMEM, "out of memory");
  int n = snprintf(d->label, len, "%s%s%s", host, *host ? "/" : "", slug);
  if (same) snprintf(d->label + n, len - (size_t)n, "#%zu", same + 1);
  d->source = source;
  d->pub.label = d->label;
  d->pub.host = host;
  d->pub.slug = slug;
  d->pub.name = rec(cmp, r, OB_COL_DEVICE);
  d->pub.platform = rec(cmp, r, OB_COL_PLATFORM);
  d->pub.driver = rec(cmp, r, OB_COL_DRIVER);
  d->pub.source = cmp->sources[source];
  *out = cmp->ndevices++;
  return OB_OK;
}

/* Appends one validated record for its device. */
static ob_status add_record(ob_compare *cmp, size_t source, size_t line, char **f) {
  if (cmp->records.nrows == cmp->rec_cap) {
    size_t cap = cmp->rec_cap ? cmp->rec_cap * 2 : 64;
    size_t *a = realloc(cmp->rec_device, cap * sizeof *a);
    if (a) cmp->rec_device = a;
    size_t *b = realloc(cmp->rec_line, cap * sizeof *b);
    if (b) cmp->rec_line = b;
    size_t *c = realloc(cmp->rec_source, cap * sizeof *c);
    if (c) cmp->rec_source = c;
    if (!a || !b || !c) return ob_fail(OB_ERR_NOMEM, "out of memory");
    cmp->rec_cap = cap;
  }
  size_t r = cmp->records.nrows;
  OB_TRY(ob_table_add(&cmp->records, (const char *const *)f));
  cmp->rec_line[r] = line;
  cmp->rec_source[r] = source;
  return device_for(cmp, source, r, &cmp->rec_device[r]);
}

static ob_status add_source(ob_compare *cmp, const char *path, size_t *out) {
  if (cmp->joined) return ob_fail(OB_ERR_INVALID, "rows added after the join");
  char **grown = realloc(cmp->sources, (cmp->nsources + 1) * sizeof *grown);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  cmp->sources = grown;
  cmp->sources[cmp->nsources] = strdup(path);
  if (!cmp->sources[cmp->nsources]) return ob_fail(OB_ERR_NOMEM, "out of memory");
  *out = cmp->nsources++;
  return OB_OK;
}

typedef struct file_reader {
  ob_compare *cmp;
  const char *path;
  size_t source;
  size_t ncols;           /* header width; 0 before the header */
  size_t records;
} file_reader;

static ob_status check_header(const char *path, char **f, size_t n) {
  if (n < OB_CSV_NCOLS)
    return ob_fail(OB_ERR_INVALID,
                   "%s: not an oclbench schema-1 CSV (header has %zu columns, schema 1 has %d)",
                   path, n, OB_CSV_NCOLS);
  for (size_t i = 0; i < OB_CSV_NCOLS; i++)
    if (strcmp(f[i], ob_csv_columns[i]) != 0)
      return ob_fail(OB_ERR_INVALID,
                     "%s: not an oclbench schema-1 CSV (header column %zu is '%.40s', expected '%s')",
                     path, i + 1, f[i], ob_csv_columns[i]);
  return OB_OK;
}

static ob_status on_file_record(void *user, size_t line, char **f, size_t n) {
  file_reader *fr = user;
  if (fr->ncols == 0) {
    OB_TRY(check_header(fr->path, f, n));
    fr->ncols = n;
    return OB_OK;
  }
  OB_TRY(check_record(fr->path, line, f, n, fr->ncols));
  fr->records++;
  return add_record(fr->cmp, fr->source, line, f);
}

ob_status ob_compare_add_file(ob_compare *cmp, const char *path) {
  file_reader fr = {.cmp = cmp, .path = path};
  OB_TRY(add_source(cmp, path, &fr.source));
  OB_TRY(ob_csv_read(path, on_file_record, &fr));
  if (fr.ncols == 0)
    return ob_fail(OB_ERR_INVALID, "%s: empty file, not an oclbench schema-1 CSV", path);
  if (fr.records == 0) return ob_fail(OB_ERR_INVALID, "%s: no rows after the header", path);
  return OB_OK;
}

ob_status ob_compare_add_table(ob_compare *cmp, const ob_table *rows) {
  size_t source = 0;
  OB_TRY(add_source(cmp, "", &source));
  for (size_t r = 0; r < rows->nrows; r++) {
    char **f = rows->cells + r * OB_CSV_NCOLS;
    OB_TRY(check_record("(run)", r + 1, f, OB_CSV_NCOLS, OB_CSV_NCOLS));
    OB_TRY(add_record(cmp, source, 0, f));
  }
  return OB_OK;
}

/* ------------------------------------------------------------------ baseline */

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

static ob_status no_match(const ob_compare *cmp, const char *sel, const char *why) {
  char list[1024] = "";
  size_t len = 0;
  for (size_t i = 0; i < cmp->ndevices && len < sizeof list; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%zu=%s", i ? ", " : "", i,
                            cmp->devices[i].label);
  return ob_fail(OB_ERR_INVALID, "'%s' %s (columns: %s)", sel, why, list);
}

ob_status ob_compare_set_baseline(ob_compare *cmp, const char *sel) {
  if (all_digits(sel)) {
    char *end = NULL;
    unsigned long long i = strtoull(sel, &end, 10);
    if (i >= cmp->ndevices) return no_match(cmp, sel, "is not a device column");
    cmp->baseline = (size_t)i;
    return OB_OK;
  }
  for (size_t i = 0; i < cmp->ndevices; i++) {
    if (strcmp(cmp->devices[i].label, sel) == 0) {
      cmp->baseline = i;
      return OB_OK;
    }
  }
  const char *colon = strchr(sel, ':');
  size_t found = NONE, count = 0;
  for (size_t i = 0; i < cmp->ndevices; i++) {
    const ob_compare_device *d = &cmp->devices[i].pub;
    bool match = colon ? strncmp(d->host, sel, (size_t)(colon - sel)) == 0 &&
                             d->host[colon - sel] == '\0' && strcmp(d->slug, colon + 1) == 0
                       : strcmp(d->slug, sel) == 0;
    if (!match) continue;
    if (found == NONE) found = i;
    count++;
  }
  if (count == 0) return no_match(cmp, sel, "matches no device column");
  if (count > 1) return no_match(cmp, sel, "matches several device columns; give an index or label");
  cmp->baseline = found;
  return OB_OK;
}

/* ------------------------------------------------------------------ join */

static bool same_key(const ob_compare *cmp, size_t a, size_t b, bool with_params) {
  static const int cols[] = {OB_COL_WORKLOAD, OB_COL_VARIANT, OB_COL_PRECISION, OB_COL_METRIC,
                             OB_COL_PARAMS};
  size_t n = sizeof cols / sizeof *cols - (with_params ? 0 : 1);
  for (size_t i = 0; i < n; i++)
    if (strcmp(rec(cmp, a, cols[i]), rec(cmp, b, cols[i])) != 0) return false;
  return true;
}

static uint64_t key_hash(const ob_compare *cmp, size_t r) {
  static const int cols[] = {OB_COL_WORKLOAD, OB_COL_VARIANT, OB_COL_PARAMS, OB_COL_PRECISION,
                             OB_COL_METRIC};
  uint64_t h = OB_HASH_INIT;
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) {
    const char *s = rec(cmp, r, cols[i]);
    h = ob_hash(h, s, strlen(s) + 1);
  }
  return h;
}

/* The first record of a row (any of its cells). */
static size_t row_record(const ob_compare *cmp, const jrow *row) {
  for (size_t d = 0; d < cmp->ndevices; d++)
    if (row->cells[d] != NONE) return row->cells[d];
  return NONE;
}

static void key_from_record(const ob_compare *cmp, jrow *row, size_t r) {
  row->key.workload = rec(cmp, r, OB_COL_WORKLOAD);
  row->key.variant = rec(cmp, r, OB_COL_VARIANT);
  row->key.params = rec(cmp, r, OB_COL_PARAMS);
  row->key.precision = rec(cmp, r, OB_COL_PRECISION);
  row->key.metric = rec(cmp, r, OB_COL_METRIC);
  row->key.unit = rec(cmp, r, OB_COL_UNIT);
}

typedef struct join_state {
  jrow *rows;
  size_t nrows, cap;
  size_t *slots;          /* hash slots: row index or NONE */
  size_t nslots;
  size_t head, tail;
} join_state;

static ob_status new_row(ob_compare *cmp, join_state *js, size_t r, size_t *out) {
  if (js->nrows == js->cap) {
    size_t cap = js->cap ? js->cap * 2 : 64;
    jrow *grown = realloc(js->rows, cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    js->rows = grown;
    js->cap = cap;
  }
  jrow *row = &js->rows[js->nrows];
  memset(row, 0, sizeof *row);
  row->cells = malloc(cmp->ndevices * sizeof *row->cells);
  if (!row->cells) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t d = 0; d < cmp->ndevices; d++) row->cells[d] = NONE;
  key_from_record(cmp, row, r);
  row->next = NONE;
  *out = js->nrows++;
  return OB_OK;
}

/* Links row i after `after` (NONE: at the end of the list). */
static void link_row(join_state *js, size_t i, size_t after) {
  if (js->head == NONE) {
    js->head = js->tail = i;
  } else if (after == NONE || after == js->tail) {
    js->rows[js->tail].next = i;
    js->tail = i;
  } else {
    js->rows[i].next = js->rows[after].next;
    js->rows[after].next = i;
  }
}

static const char *where(const ob_compare *cmp, size_t r, char *buf, size_t n) {
  const char *src = cmp->sources[cmp->rec_source[r]];
  if (*src) snprintf(buf, n, "%s:%zu", src, cmp->rec_line[r]);
  else snprintf(buf, n, "(run) %s", cmp->devices[cmp->rec_device[r]].label);
  return buf;
}

/* Puts every record into its row by exact key, in the order rows first appear: a row new to
 * a later device goes after that device's previous row. */
static ob_status join_exact(ob_compare *cmp, join_state *js) {
  size_t n = cmp->records.nrows;
  js->nslots = 64;
  while (js->nslots < 2 * n) js->nslots *= 2;
  js->slots = malloc(js->nslots * sizeof *js->slots);
  size_t *anchor = malloc((cmp->ndevices ? cmp->ndevices : 1) * sizeof *anchor);
  if (!js->slots || !anchor) {
    free(anchor);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  for (size_t i = 0; i < js->nslots; i++) js->slots[i] = NONE;
  for (size_t d = 0; d < cmp->ndevices; d++) anchor[d] = NONE;
  ob_status st = OB_OK;
  for (size_t r = 0; r < n && st == OB_OK; r++) {
    if (strcmp(rec(cmp, r, OB_COL_METRIC), "compile_time") == 0) continue;
    size_t dev = cmp->rec_device[r];
    size_t slot = (size_t)key_hash(cmp, r) & (js->nslots - 1);
    while (js->slots[slot] != NONE && !same_key(cmp, row_record(cmp, &js->rows[js->slots[slot]]), r, true))
      slot = (slot + 1) & (js->nslots - 1);
    size_t i = js->slots[slot];
    char a[4200], b[4200];
    if (i == NONE) {
      st = new_row(cmp, js, r, &i);
      if (st != OB_OK) break;
      js->slots[slot] = i;
      link_row(js, i, anchor[dev]);
    } else if (js->rows[i].cells[dev] != NONE) {
      ob_log(OB_LOG_WARN, "%s: same workload, variant, params, precision and metric as %s; ignored",
             where(cmp, r, a, sizeof a), where(cmp, js->rows[i].cells[dev], b, sizeof b));
      continue;
    } else if (strcmp(js->rows[i].key.unit, rec(cmp, r, OB_COL_UNIT)) != 0) {
      st = ob_fail(OB_ERR_INVALID, "%s: unit '%.40s' differs from '%.40s' in %s for the same metric",
                   where(cmp, r, a, sizeof a), rec(cmp, r, OB_COL_UNIT), js->rows[i].key.unit,
                   where(cmp, row_record(cmp, &js->rows[i]), b, sizeof b));
      break;
    }
    js->rows[i].cells[dev] = r;
    anchor[dev] = i;
  }
  free(anchor);
  return st;
}

/* "k=v" pairs of params: the key of pair i in [*k, *klen) and its value after '='. */
typedef struct pair {
  const char *key, *value;
  size_t klen, vlen;
  bool has_value;       /* "k=v" rather than a bare "k" */
} pair;

static size_t split_pairs(const char *s, pair *out, size_t max) {
  size_t n = 0;
  while (*s && n < max) {
    const char *end = strchr(s, ';');
    size_t len = end ? (size_t)(end - s) : strlen(s);
    const char *eq = memchr(s, '=', len);
    out[n].key = s;
    out[n].klen = eq ? (size_t)(eq - s) : len;
    out[n].value = eq ? eq + 1 : "";
    out[n].vlen = eq ? len - out[n].klen - 1 : 0;
    out[n].has_value = eq != NULL;
    n++;
    s += len;
    if (*s == ';') s++;
  }
  return n;
}

static const pair *find_pair(const pair *p, size_t n, const pair *key) {
  for (size_t i = 0; i < n; i++)
    if (p[i].klen == key->klen && memcmp(p[i].key, key->key, key->klen) == 0) return &p[i];
  return NULL;
}

#define MAX_PAIRS 32

/* The params shared by every member row, "key=*" for keys whose value differs. */
static ob_status merge_params(const jrow *rows, const size_t *members, size_t nm, char **out) {
  pair all[MAX_PAIRS * 2];
  size_t nall = 0, cap = 1;
  for (size_t m = 0; m < nm; m++) cap += strlen(rows[members[m]].key.params) + 3;
  char *s = malloc(cap);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s[0] = '\0';
  for (size_t m = 0; m < nm; m++) {
    pair p[MAX_PAIRS];
    size_t np = split_pairs(rows[members[m]].key.params, p, MAX_PAIRS);
    for (size_t i = 0; i < np && nall < MAX_PAIRS * 2; i++)
      if (!find_pair(all, nall, &p[i])) all[nall++] = p[i];
  }
  size_t len = 0;
  for (size_t i = 0; i < nall; i++) {
    bool same = true;
    for (size_t m = 0; m < nm && same; m++) {
      pair p[MAX_PAIRS];
      size_t np = split_pairs(rows[members[m]].key.params, p, MAX_PAIRS);
      const pair *q = find_pair(p, np, &all[i]);
      same = q && q->has_value == all[i].has_value && q->vlen == all[i].vlen &&
             memcmp(q->value, all[i].value, q->vlen) == 0;
    }
    const char *value = same ? all[i].value : "*";
    int vlen = same ? (int)all[i].vlen : 1;
    bool eq = !same || all[i].has_value;
    len += (size_t)snprintf(s + len, cap - len, "%s%.*s%s%.*s", len ? ";" : "", (int)all[i].klen,
                            all[i].key, eq ? "=" : "", vlen, value);
  }
  *out = s;
  return OB_OK;
}

/* Merges the rows of one (workload, variant, precision, metric) when each device has at most
 * one of them: per-device parameters then do not split one measurement over several rows. */
static ob_status merge_groups(ob_compare *cmp, join_state *js) {
  size_t *members = malloc(js->nrows * sizeof *members);
  size_t *count = malloc((cmp->ndevices ? cmp->ndevices : 1) * sizeof *count);
  ob_status st = OB_OK;
  if (!members || !count) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = js->head; i != NONE && st == OB_OK; i = js->rows[i].next) {
    jrow *first = &js->rows[i];
    if (first->dead) continue;
    size_t r0 = row_record(cmp, first), nm = 0;
    for (size_t j = i; j != NONE; j = js->rows[j].next) {
      if (js->rows[j].dead || !same_key(cmp, r0, row_record(cmp, &js->rows[j]), false)) continue;
      if (strcmp(js->rows[j].key.unit, first->key.unit) != 0) continue;
      members[nm++] = j;
    }
    if (nm < 2) continue;
    memset(count, 0, cmp->ndevices * sizeof *count);
    bool unique = true;
    for (size_t m = 0; m < nm; m++) {
      for (size_t d = 0; d < cmp->ndevices; d++) {
        if (js->rows[members[m]].cells[d] != NONE) count[d]++;
        if (count[d] > 1) unique = false;
      }
    }
    if (!unique) continue;
    st = merge_params(js->rows, members, nm, &first->merged_params);
    if (st != OB_OK) break;
    first->key.params = first->merged_params;
    for (size_t m = 1; m < nm; m++) {
      jrow *other = &js->rows[members[m]];
      for (size_t d = 0; d < cmp->ndevices; d++)
        if (other->cells[d] != NONE) first->cells[d] = other->cells[d];
      other->dead = true;
    }
  }
  free(members);
  free(count);
  return st;
}

/* Moves the live rows into cmp->rows, grouped by workload in order of first appearance. */
static ob_status order_rows(ob_compare *cmp, join_state *js) {
  size_t live = 0;
  for (size_t i = js->head; i != NONE; i = js->rows[i].next) live += !js->rows[i].dead;
  cmp->rows = calloc(live ? live : 1, sizeof *cmp->rows);
  bool *taken = calloc(js->nrows ? js->nrows : 1, sizeof *taken);
  if (!cmp->rows || !taken) {
    free(taken);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  for (size_t i = js->head; i != NONE; i = js->rows[i].next) {
    if (js->rows[i].dead || taken[i]) continue;
    for (size_t j = i; j != NONE; j = js->rows[j].next) {
      if (js->rows[j].dead || taken[j] ||
          strcmp(js->rows[j].key.workload, js->rows[i].key.workload) != 0)
        continue;
      taken[j] = true;
      cmp->rows[cmp->nrows++] = js->rows[j];
      js->rows[j].cells = NULL;
      js->rows[j].merged_params = NULL;
    }
  }
  free(taken);
  return OB_OK;
}

ob_status ob_compare_join(ob_compare *cmp) {
  if (cmp->joined) return ob_fail(OB_ERR_INVALID, "comparison already joined");
  if (cmp->ndevices == 0) return ob_fail(OB_ERR_INVALID, "no rows to compare");
  join_state js = {.head = NONE, .tail = NONE};
  ob_status st = join_exact(cmp, &js);
  if (st == OB_OK) st = merge_groups(cmp, &js);
  if (st == OB_OK) st = order_rows(cmp, &js);
  for (size_t i = 0; i < js.nrows; i++) {
    free(js.rows[i].cells);
    free(js.rows[i].merged_params);
  }
  free(js.rows);
  free(js.slots);
  if (st == OB_OK) cmp->joined = true;
  return st;
}

/* ------------------------------------------------------------------ accessors */

size_t ob_compare_ndevices(const ob_compare *cmp) { return cmp->ndevices; }

const ob_compare_device *ob_compare_device_get(const ob_compare *cmp, size_t i) {
  return &cmp->devices[i].pub;
}

size_t ob_compare_baseline(const ob_compare *cmp) { return cmp->baseline; }

size_t ob_compare_nrows(const ob_compare *cmp) { return cmp->nrows; }

const ob_compare_row *ob_compare_row_get(const ob_compare *cmp, size_t r) {
  return &cmp->rows[r].key;
}

static double number(const char *s) {
  double v = NAN;
  return ob_parse_double(s, &v) ? v : NAN;
}

/* The value of an ok cell; NAN otherwise. */
static double ok_value(const ob_compare *cmp, size_t r) {
  if (r == NONE || strcmp(rec(cmp, r, OB_COL_STATUS), "ok") != 0) return NAN;
  return number(rec(cmp, r, OB_COL_VALUE));
}

bool ob_compare_cell_get(const ob_compare *cmp, size_t row, size_t dev, ob_compare_cell *out) {
  size_t r = cmp->rows[row].cells[dev];
  if (r == NONE) return false;
  out->status = rec(cmp, r, OB_COL_STATUS);
  out->value_text = rec(cmp, r, OB_COL_VALUE);
  out->value = number(out->value_text);
  out->peak_fraction = number(rec(cmp, r, OB_COL_PEAK_FRACTION));
  out->params = rec(cmp, r, OB_COL_PARAMS);
  out->note = rec(cmp, r, OB_COL_NOTE);
  out->source = cmp->sources[cmp->rec_source[r]];
  out->line = cmp->rec_line[r];
  double base = ok_value(cmp, cmp->rows[row].cells[cmp->baseline]);
  double v = ok_value(cmp, r);
  out->ratio = dev != cmp->baseline && isfinite(v) && isfinite(base) && base != 0.0 ? v / base : NAN;
  return true;
}
