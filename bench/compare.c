/* Cross-device comparison: validated schema-1 rows joined into one column per device. */
#include "compare.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define NO_REC UINT32_MAX

typedef struct device {
  ob_compare_device pub;
  char *label;
  size_t source;          /* index of the add call it came from */
} device;

typedef struct jrow {
  ob_compare_row key;     /* strings point into record rec0, params may be merged */
  char *merged_params;    /* owned when the row absorbed others */
  uint32_t *cells;        /* per device: record index or NO_REC */
  size_t rec0;            /* the record that made the row */
  size_t next;            /* list order while joining */
  bool dead;              /* merged into another row */
} jrow;

/* A record of the comparison: entry i of a results vector (the files' records, owned by the
 * comparison, or a run's, borrowed). Indexes, not pointers: the owned vector grows. */
typedef struct rec_ref {
  const ob_results *v;
  size_t i;
} rec_ref;

struct ob_compare {
  ob_results owned;       /* the records read from files */
  rec_ref *recs;
  size_t nrecs;
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

#define F(field) offsetof(ob_result, field)

ob_status ob_compare_create(ob_compare **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return ob_fail(OB_ERR_NOMEM, "out of memory");
  return OB_OK;
}

void ob_compare_destroy(ob_compare *cmp) {
  if (!cmp) return;
  ob_results_clear(&cmp->owned);
  free(cmp->recs);
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

static const ob_result *record(const ob_compare *cmp, size_t r) {
  return &cmp->recs[r].v->items[cmp->recs[r].i];
}

/* A text field (by offset in ob_result) of record r. */
static const char *rec(const ob_compare *cmp, size_t r, size_t field) {
  return ob_result_text(record(cmp, r), field);
}

/* ------------------------------------------------------------------ reading */

/* The column of record r's (source, host, slug), created on first sight. */
static ob_status device_for(ob_compare *cmp, size_t source, size_t r, size_t *out) {
  const char *host = rec(cmp, r, F(host)), *slug = rec(cmp, r, F(device_slug));
  if (r > 0) { /* most records have the device of the record before them */
    const device *d = &cmp->devices[cmp->rec_device[r - 1]];
    if (d->source == source && strcmp(d->pub.host, host) == 0 && strcmp(d->pub.slug, slug) == 0) {
      *out = cmp->rec_device[r - 1];
      return OB_OK;
    }
  }
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
  if (cmp->ndevices == OB_COMPARE_MAX_DEVICES)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: a device column beyond the %d that compare takes "
                   "(host '%.40s', device_slug '%.40s')",
                   *cmp->sources[source] ? cmp->sources[source] : "(run)", cmp->rec_line[r],
                   OB_COMPARE_MAX_DEVICES, host, slug);
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
  d->pub.name = rec(cmp, r, F(device));
  d->pub.platform = rec(cmp, r, F(platform));
  d->pub.driver = rec(cmp, r, F(driver));
  d->pub.source = cmp->sources[source];
  *out = cmp->ndevices++;
  return OB_OK;
}

/* Takes record i of v (checked) into the comparison, for its device. */
static ob_status add_record(ob_compare *cmp, size_t source, size_t line, const ob_results *v,
                            size_t i) {
  if (cmp->nrecs >= NO_REC - 1)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: more than the %u rows compare takes",
                   cmp->sources[source], line, NO_REC - 1);
  if (cmp->nrecs == cmp->rec_cap) {
    size_t cap = cmp->rec_cap ? cmp->rec_cap * 2 : 64;
    rec_ref *refs = realloc(cmp->recs, cap * sizeof *refs);
    if (refs) cmp->recs = refs;
    size_t *a = realloc(cmp->rec_device, cap * sizeof *a);
    if (a) cmp->rec_device = a;
    size_t *b = realloc(cmp->rec_line, cap * sizeof *b);
    if (b) cmp->rec_line = b;
    size_t *c = realloc(cmp->rec_source, cap * sizeof *c);
    if (c) cmp->rec_source = c;
    if (!refs || !a || !b || !c) return ob_fail(OB_ERR_NOMEM, "out of memory");
    cmp->rec_cap = cap;
  }
  size_t r = cmp->nrecs++;
  cmp->recs[r] = (rec_ref){v, i};
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
  size_t source;
} file_reader;

static ob_status on_file_record(void *user, size_t line, ob_result *r) {
  file_reader *fr = user;
  OB_TRY(ob_results_push(&fr->cmp->owned, r));
  return add_record(fr->cmp, fr->source, line, &fr->cmp->owned, fr->cmp->owned.n - 1);
}

ob_status ob_compare_add_file(ob_compare *cmp, const char *path) {
  file_reader fr = {.cmp = cmp};
  OB_TRY(add_source(cmp, path, &fr.source));
  return ob_results_read_csv(path, on_file_record, &fr);
}

ob_status ob_compare_add_results(ob_compare *cmp, const ob_results *rows) {
  size_t source = 0;
  OB_TRY(add_source(cmp, "", &source));
  for (size_t r = 0; r < rows->n; r++) {
    OB_TRY(ob_result_check(&rows->items[r], "(run)", r + 1));
    OB_TRY(add_record(cmp, source, 0, rows, r));
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

/* The columns, "0=LABEL (FILE), 1=...", or those of them that match[] marks (match NULL: all). */
static void column_list(const ob_compare *cmp, const bool *match, char *list, size_t n) {
  size_t len = 0;
  list[0] = '\0';
  for (size_t i = 0; i < cmp->ndevices && len < n; i++) {
    if (match && !match[i]) continue;
    const char *src = cmp->devices[i].pub.source;
    len += (size_t)snprintf(list + len, n - len, "%s%zu=%s%s%s%s", len ? ", " : "", i,
                            cmp->devices[i].label, *src ? " (" : "", src, *src ? ")" : "");
  }
}

static ob_status no_match(const ob_compare *cmp, const char *sel, const char *why) {
  char list[1024];
  column_list(cmp, NULL, list, sizeof list);
  return ob_fail(OB_ERR_INVALID, "'%s' %s (columns: %s)", sel, why, list);
}

ob_status ob_compare_set_label(ob_compare *cmp, const char *source, const char *name) {
  size_t n = 0;
  for (size_t i = 0; i < cmp->ndevices; i++) n += strcmp(cmp->devices[i].pub.source, source) == 0;
  if (n == 0) return ob_fail(OB_ERR_INVALID, "'%s' is not one of the files compared", source);
  if (!*name || all_digits(name))
    return ob_fail(OB_ERR_INVALID, "'%s' cannot be a label (empty or a column index)", name);
  for (size_t i = 0; i < cmp->ndevices; i++) {
    device *d = &cmp->devices[i];
    if (strcmp(d->pub.source, source) != 0) continue;
    const size_t len = strlen(name) + strlen(d->pub.slug) + 2;
    char *label = malloc(len);
    if (!label) return ob_fail(OB_ERR_NOMEM, "out of memory");
    snprintf(label, len, "%s%s%s", name, n > 1 ? "/" : "", n > 1 ? d->pub.slug : "");
    free(d->label);
    d->label = label;
    d->pub.label = label;
  }
  for (size_t i = 0; i < cmp->ndevices; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(cmp->devices[i].label, cmp->devices[j].label) == 0)
        return ob_fail(OB_ERR_INVALID, "columns %zu and %zu would both be labelled '%s'", j, i,
                       cmp->devices[i].label);
  return OB_OK;
}

ob_status ob_compare_set_baseline(ob_compare *cmp, const char *sel) {
  if (all_digits(sel)) {
    uint64_t i = 0;
    if (ob_parse_uint(sel, UINT64_MAX, &i) != OB_INT_OK || i >= cmp->ndevices)
      return no_match(cmp, sel, "is not a device column");
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
  bool *match = calloc(cmp->ndevices + 1, sizeof *match);
  if (!match) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < cmp->ndevices; i++) {
    const ob_compare_device *d = &cmp->devices[i].pub;
    match[i] = colon ? strncmp(d->host, sel, (size_t)(colon - sel)) == 0 &&
                           d->host[colon - sel] == '\0' && strcmp(d->slug, colon + 1) == 0
                     : strcmp(d->slug, sel) == 0;
    if (!match[i]) continue;
    if (found == NONE) found = i;
    count++;
  }
  char list[1024];
  column_list(cmp, match, list, sizeof list);
  free(match);
  if (count == 0) return no_match(cmp, sel, "matches no device column");
  if (count > 1)
    return ob_fail(OB_ERR_INVALID,
                   "'%s' matches %zu device columns: %s; pick one by its index (--baseline %zu) "
                   "or label (--baseline '%s'), or name the columns with --label FILE=NAME",
                   sel, count, list, found, cmp->devices[found].label);
  cmp->baseline = found;
  return OB_OK;
}

/* ------------------------------------------------------------------ join */

/* The columns of the exact join key, of a merge group (rows that differ in params only) and of
 * the output order (by workload). */
static const size_t exact_cols[] = {F(workload), F(variant), F(params), F(precision), F(metric)};
static const size_t group_cols[] = {F(workload), F(variant), F(precision), F(metric), F(unit)};
static const size_t workload_cols[] = {F(workload)};
#define NCOLS(a) (sizeof a / sizeof *a)

/* A hash index of items (rows, groups) by the key columns of a record that represents each. */
typedef struct key_slot {
  size_t rec, item;       /* rec NONE: empty */
} key_slot;

typedef struct key_index {
  key_slot *slots;
  size_t mask;
  const size_t *cols;     /* fields (offsets in ob_result) */
  size_t ncols;
} key_index;

static ob_status index_init(key_index *ix, size_t items, const size_t *cols, size_t ncols) {
  size_t n = 64;
  while (n < 2 * items) n *= 2;
  ix->slots = malloc(n * sizeof *ix->slots);
  if (!ix->slots) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) ix->slots[i] = (key_slot){NONE, NONE};
  ix->mask = n - 1;
  ix->cols = cols;
  ix->ncols = ncols;
  return OB_OK;
}

/* The slot of record r's key: the item found, or an empty slot (rec NONE) to fill. At most
 * half the slots are ever filled, so the probe ends. */
static key_slot *index_slot(const ob_compare *cmp, const key_index *ix, size_t r) {
  uint64_t h = OB_HASH_INIT;
  for (size_t i = 0; i < ix->ncols; i++) {
    const char *s = rec(cmp, r, ix->cols[i]);
    h = ob_hash(h, s, strlen(s) + 1);
  }
  for (size_t k = (size_t)h & ix->mask;; k = (k + 1) & ix->mask) {
    key_slot *slot = &ix->slots[k];
    if (slot->rec == NONE) return slot;
    size_t c = 0;
    while (c < ix->ncols && strcmp(rec(cmp, slot->rec, ix->cols[c]), rec(cmp, r, ix->cols[c])) == 0)
      c++;
    if (c == ix->ncols) return slot;
  }
}

static void key_from_record(const ob_compare *cmp, jrow *row, size_t r) {
  row->rec0 = r;
  row->key.workload = rec(cmp, r, F(workload));
  row->key.variant = rec(cmp, r, F(variant));
  row->key.params = rec(cmp, r, F(params));
  row->key.precision = rec(cmp, r, F(precision));
  row->key.metric = rec(cmp, r, F(metric));
  row->key.unit = rec(cmp, r, F(unit));
}

typedef struct join_state {
  jrow *rows;
  size_t nrows, cap;
  size_t head, tail;
} join_state;

static ob_status new_row(ob_compare *cmp, join_state *js, size_t r, size_t *out) {
  jrow *grown = ob_grow(js->rows, &js->cap, js->nrows + 1, sizeof *js->rows, 64);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  js->rows = grown;
  jrow *row = &js->rows[js->nrows];
  memset(row, 0, sizeof *row);
  row->cells = malloc(cmp->ndevices * sizeof *row->cells);
  if (!row->cells) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t d = 0; d < cmp->ndevices; d++) row->cells[d] = NO_REC;
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
  const size_t n = cmp->nrecs;
  key_index ix = {0};
  size_t *anchor = malloc((cmp->ndevices ? cmp->ndevices : 1) * sizeof *anchor);
  ob_status st = anchor ? index_init(&ix, n, exact_cols, NCOLS(exact_cols))
                        : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t d = 0; d < cmp->ndevices && st == OB_OK; d++) anchor[d] = NONE;
  for (size_t r = 0; r < n && st == OB_OK; r++) {
    if (strcmp(rec(cmp, r, F(metric)), "compile_time") == 0) continue;
    const size_t dev = cmp->rec_device[r];
    key_slot *slot = index_slot(cmp, &ix, r);
    size_t i = slot->item;
    char a[4200], b[4200];
    if (i == NONE) {
      st = new_row(cmp, js, r, &i);
      if (st != OB_OK) break;
      *slot = (key_slot){r, i};
      link_row(js, i, anchor[dev]);
    } else if (js->rows[i].cells[dev] != NO_REC) {
      ob_log(OB_LOG_WARN, "%s: same workload, variant, params, precision and metric as %s; ignored",
             where(cmp, r, a, sizeof a), where(cmp, js->rows[i].cells[dev], b, sizeof b));
      continue;
    } else if (strcmp(js->rows[i].key.unit, rec(cmp, r, F(unit))) != 0) {
      st = ob_fail(OB_ERR_INVALID, "%s: unit '%.40s' differs from '%.40s' in %s for the same metric",
                   where(cmp, r, a, sizeof a), rec(cmp, r, F(unit)), js->rows[i].key.unit,
                   where(cmp, js->rows[i].rec0, b, sizeof b));
      break;
    }
    js->rows[i].cells[dev] = (uint32_t)r;
    anchor[dev] = i;
  }
  free(anchor);
  free(ix.slots);
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

/* The params shared by every member row, "key=*" for keys whose value differs. The text is
 * sized from the keys it lists (a bare "k" of one member may come out as "k=*"). */
static ob_status merge_params(const jrow *rows, const size_t *members, size_t nm, char **out) {
  pair all[MAX_PAIRS * 2];
  size_t nall = 0, cap = 1;
  for (size_t m = 0; m < nm; m++) {
    pair p[MAX_PAIRS];
    size_t np = split_pairs(rows[members[m]].key.params, p, MAX_PAIRS);
    for (size_t i = 0; i < np && nall < MAX_PAIRS * 2; i++)
      if (!find_pair(all, nall, &p[i])) all[nall++] = p[i];
  }
  for (size_t i = 0; i < nall; i++) cap += all[i].klen + (all[i].vlen > 1 ? all[i].vlen : 1) + 2;
  char *s = malloc(cap);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s[0] = '\0';
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

/* The last members of a group whose rows have no device in common: the suffix
 * members[k..nm) with the smallest k; marks[] (per device) is left all false. */
static size_t disjoint_suffix(const ob_compare *cmp, const jrow *rows, const size_t *members,
                              size_t nm, bool *marks) {
  size_t k = nm;
  while (k > 0) {
    const uint32_t *cells = rows[members[k - 1]].cells;
    bool clash = false;
    for (size_t d = 0; d < cmp->ndevices && !clash; d++) clash = cells[d] != NO_REC && marks[d];
    if (clash) break;
    for (size_t d = 0; d < cmp->ndevices; d++) marks[d] |= cells[d] != NO_REC;
    k--;
  }
  for (size_t m = k; m < nm; m++)
    for (size_t d = 0; d < cmp->ndevices; d++) marks[d] = false;
  return k;
}

/* Merges the rows of one (workload, variant, precision, metric, unit) when each device has at
 * most one of them: per-device parameters then do not split one measurement over several rows.
 * Where devices repeat, the first rows stay apart and the last ones that do not repeat a device
 * merge. Groups are found by hash, so the whole pass is linear in the rows. */
static ob_status merge_groups(ob_compare *cmp, join_state *js) {
  key_index ix = {0};
  size_t *first = malloc((js->nrows + 1) * sizeof *first);   /* per group: first member */
  size_t *last = malloc((js->nrows + 1) * sizeof *last);     /* per group: last member */
  size_t *next = malloc((js->nrows + 1) * sizeof *next);     /* per row: next in its group */
  size_t *members = malloc((js->nrows + 1) * sizeof *members);
  bool *marks = calloc(cmp->ndevices + 1, sizeof *marks);
  size_t ngroups = 0;
  ob_status st = first && last && next && members && marks
                     ? index_init(&ix, js->nrows, group_cols, NCOLS(group_cols))
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = js->head; i != NONE && st == OB_OK; i = js->rows[i].next) {
    key_slot *slot = index_slot(cmp, &ix, js->rows[i].rec0);
    next[i] = NONE;
    if (slot->rec == NONE) {
      *slot = (key_slot){js->rows[i].rec0, ngroups};
      first[ngroups] = last[ngroups] = i;
      ngroups++;
    } else {
      next[last[slot->item]] = i;
      last[slot->item] = i;
    }
  }
  for (size_t g = 0; g < ngroups && st == OB_OK; g++) {
    size_t nm = 0;
    for (size_t i = first[g]; i != NONE; i = next[i]) members[nm++] = i;
    const size_t k = disjoint_suffix(cmp, js->rows, members, nm, marks);
    if (nm - k < 2) continue;
    jrow *keep = &js->rows[members[k]];
    st = merge_params(js->rows, members + k, nm - k, &keep->merged_params);
    if (st != OB_OK) break;
    keep->key.params = keep->merged_params;
    for (size_t m = k + 1; m < nm; m++) {
      jrow *other = &js->rows[members[m]];
      for (size_t d = 0; d < cmp->ndevices; d++)
        if (other->cells[d] != NO_REC) keep->cells[d] = other->cells[d];
      other->dead = true;
    }
  }
  free(ix.slots);
  free(first);
  free(last);
  free(next);
  free(members);
  free(marks);
  return st;
}

/* Moves the live rows into cmp->rows, grouped by workload in order of first appearance (a
 * stable counting sort by the workload's rank). */
static ob_status order_rows(ob_compare *cmp, join_state *js) {
  key_index ix = {0};
  size_t *rank = malloc((js->nrows + 1) * sizeof *rank);    /* per row: its workload's rank */
  size_t *start = calloc(js->nrows + 2, sizeof *start);     /* per rank: first output index */
  cmp->rows = calloc(js->nrows ? js->nrows : 1, sizeof *cmp->rows);
  size_t nranks = 0;
  ob_status st = rank && start && cmp->rows
                     ? index_init(&ix, js->nrows, workload_cols, NCOLS(workload_cols))
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = js->head; i != NONE && st == OB_OK; i = js->rows[i].next) {
    if (js->rows[i].dead) continue;
    key_slot *slot = index_slot(cmp, &ix, js->rows[i].rec0);
    if (slot->rec == NONE) *slot = (key_slot){js->rows[i].rec0, nranks++};
    rank[i] = slot->item;
    start[rank[i] + 1]++;
  }
  for (size_t k = 0; k < nranks && st == OB_OK; k++) start[k + 1] += start[k];
  for (size_t i = js->head; i != NONE && st == OB_OK; i = js->rows[i].next) {
    if (js->rows[i].dead) continue;
    cmp->rows[start[rank[i]]++] = js->rows[i];
    cmp->nrows++;
    js->rows[i].cells = NULL;
    js->rows[i].merged_params = NULL;
  }
  free(ix.slots);
  free(rank);
  free(start);
  return st;
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

/* The value of an ok cell; NAN otherwise. */
static double ok_value(const ob_compare *cmp, uint32_t r) {
  if (r == NO_REC || record(cmp, r)->status != OB_RESULT_OK) return NAN;
  return record(cmp, r)->value;
}

bool ob_compare_cell_get(const ob_compare *cmp, size_t row, size_t dev, ob_compare_cell *out) {
  const uint32_t r = cmp->rows[row].cells[dev];
  if (r == NO_REC) return false;
  out->result = record(cmp, r);
  out->source = cmp->sources[cmp->rec_source[r]];
  out->line = cmp->rec_line[r];
  double base = ok_value(cmp, cmp->rows[row].cells[cmp->baseline]);
  double v = ok_value(cmp, r);
  const ob_compare_row *k = &cmp->rows[row].key;
  const bool lower = ob_metric_lower_is_better(k->metric, k->unit);
  out->ratio = dev != cmp->baseline && isfinite(v) && isfinite(base) && base != 0.0 && v != 0.0
                   ? (lower ? base / v : v / base)
                   : NAN;
  return true;
}
