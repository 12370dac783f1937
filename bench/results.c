/* Typed results: the column table, records, the vector, CSV files, the byte encoding. */
#include "results.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COL(name, kind, field) {#name, kind, offsetof(ob_result, field), false}
#define TEXT(name) COL(name, OB_COLUMN_TEXT, name)
#define REAL(name) COL(name, OB_COLUMN_REAL, name)
#define COUNT(name) COL(name, OB_COLUMN_COUNT, name)
#define REQUIRED(name) {#name, OB_COLUMN_TEXT, offsetof(ob_result, name), true}

const ob_result_column ob_result_columns[] = {
    {"schema", OB_COLUMN_SCHEMA, 0, false},
    TEXT(timestamp_utc),
    TEXT(host),
    TEXT(os),
    TEXT(cpu),
    TEXT(platform),
    TEXT(vendor),
    TEXT(device),
    REQUIRED(device_slug),
    TEXT(device_type),
    TEXT(driver),
    TEXT(cl_version),
    COUNT(compute_units),
    COUNT(clock_mhz),
    COUNT(global_mem_bytes),
    REQUIRED(workload),
    TEXT(variant),
    TEXT(params),
    TEXT(precision),
    REQUIRED(metric),
    TEXT(unit),
    REAL(value),
    REAL(time_s_min),
    REAL(time_s_median),
    REAL(time_s_max),
    COUNT(reps),
    REAL(flops),
    REAL(bytes),
    REAL(peak_fraction),
    COL(verified, OB_COLUMN_VERIFIED, verified),
    COL(status, OB_COLUMN_STATUS, status),
    TEXT(note),
    /* Optional columns: a field in ob_result and one line each. */
    REAL(energy_j),
    TEXT(energy_method),
    REAL(power_mean_w),
    REAL(power_sampled_w),
    REAL(temp_max_c),
    REAL(clock_mean_mhz),
    REAL(clock_min_mhz),
    TEXT(throttled),
    TEXT(throttle_reason),
    REAL(busy_percent),
    REAL(driver_busy_percent),
};
const size_t ob_result_ncolumns = sizeof ob_result_columns / sizeof *ob_result_columns;
_Static_assert(sizeof ob_result_columns / sizeof *ob_result_columns >= OB_RESULT_SCHEMA_COLS,
               "the schema-1 columns come first");

static const char *const status_names[] = {"ok", "skipped", "failed"};
static const char *const verified_names[] = {"n/a", "yes", "no"};
#define NSTATUS (sizeof status_names / sizeof *status_names)
#define NVERIFIED (sizeof verified_names / sizeof *verified_names)

const char *ob_result_status_name(ob_result_status st) {
  return (size_t)st < NSTATUS ? status_names[st] : "";
}

const char *ob_result_verified_name(ob_result_verified v) {
  return (size_t)v < NVERIFIED ? verified_names[v] : "";
}

/* The index of s in names[0..n); n when none. */
static size_t name_index(const char *const *names, size_t n, const char *s) {
  size_t i = 0;
  while (i < n && strcmp(names[i], s) != 0) i++;
  return i;
}

/* ------------------------------------------------------------------ fields */

static char **text_field(ob_result *r, const ob_result_column *c) {
  return (char **)((char *)r + c->offset);
}

static double *number_field(ob_result *r, const ob_result_column *c) {
  return (double *)((char *)r + c->offset);
}

static double number_at(const ob_result *r, const ob_result_column *c) {
  return *(const double *)((const char *)r + c->offset);
}

static bool is_number(ob_column_kind k) { return k == OB_COLUMN_REAL || k == OB_COLUMN_COUNT; }

const char *ob_result_text(const ob_result *r, size_t offset) {
  const char *s = *(char *const *)((const char *)r + offset);
  return s ? s : "";
}

void ob_result_init(ob_result *r) {
  memset(r, 0, sizeof *r);
  for (size_t i = 0; i < ob_result_ncolumns; i++)
    if (is_number(ob_result_columns[i].kind)) *number_field(r, &ob_result_columns[i]) = NAN;
}

void ob_result_free(ob_result *r) {
  for (size_t i = 0; i < ob_result_ncolumns; i++)
    if (ob_result_columns[i].kind == OB_COLUMN_TEXT) free(*text_field(r, &ob_result_columns[i]));
  ob_result_init(r);
}

ob_status ob_result_set(char **field, const char *s) {
  char *copy = strdup(s ? s : "");
  if (!copy) return ob_fail(OB_ERR_NOMEM, "out of memory");
  free(*field);
  *field = copy;
  return OB_OK;
}

ob_status ob_result_fill_text(ob_result *r) {
  for (size_t c = 0; c < ob_result_ncolumns; c++)
    if (ob_result_columns[c].kind == OB_COLUMN_TEXT && !*text_field(r, &ob_result_columns[c]))
      OB_TRY(ob_result_set(text_field(r, &ob_result_columns[c]), ""));
  return OB_OK;
}

const char *ob_result_column_text(const ob_result *r, const ob_result_column *c, char *buf,
                                  size_t n) {
  switch (c->kind) {
  case OB_COLUMN_SCHEMA: snprintf(buf, n, "%d", OB_CSV_SCHEMA); return buf;
  case OB_COLUMN_TEXT: return ob_result_text(r, c->offset);
  case OB_COLUMN_REAL: ob_format_double(buf, n, number_at(r, c)); return buf;
  case OB_COLUMN_COUNT:
    /* Whole numbers below 2^53 print exactly, without a decimal point (no locale matters). */
    if (isnan(number_at(r, c))) buf[0] = '\0';
    else snprintf(buf, n, "%.0f", number_at(r, c));
    return buf;
  case OB_COLUMN_STATUS:
    return ob_result_status_name(*(const ob_result_status *)((const char *)r + c->offset));
  case OB_COLUMN_VERIFIED:
    return ob_result_verified_name(*(const ob_result_verified *)((const char *)r + c->offset));
  }
  return "";
}

/* ------------------------------------------------------------------ identity */

/* Appends s to buf unless buf already lists it ("a + b" lists). */
static void join_unique(char *buf, size_t n, const char *s) {
  for (const char *p = strstr(buf, s); p; p = strstr(p + 1, s)) {
    const size_t len = strlen(s);
    if ((p == buf || (p >= buf + 3 && memcmp(p - 3, " + ", 3) == 0)) &&
        (p[len] == '\0' || memcmp(p + len, " + ", 3) == 0))
      return;
  }
  const size_t len = strlen(buf);
  snprintf(buf + len, n - len, "%s%s", len ? " + " : "", s);
}

ob_status ob_result_set_identity(ob_result *r, const ob_host_info *host, ob_device *const *devs,
                                 size_t n) {
  char ts[32], platform[512] = "", vendor[256] = "", device[512] = "", type[64] = "";
  char driver[256] = "", clv[256] = "", slug[32];
  const time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  double cu = 0.0, mem = 0.0, clock = 0.0;
  for (size_t i = 0; i < n; i++) {
    const ob_device_props *p = ob_device_props_get(devs[i]);
    join_unique(platform, sizeof platform, p->platform);
    join_unique(vendor, sizeof vendor, p->vendor);
    join_unique(device, sizeof device, p->name);
    join_unique(type, sizeof type, p->type_name);
    join_unique(driver, sizeof driver, p->driver);
    join_unique(clv, sizeof clv, p->cl_version);
    cu += (double)p->compute_units;
    mem += (double)p->global_mem;
    if (i == 0 || p->clock_mhz < clock) clock = p->clock_mhz;
  }
  if (n == 1) {
    snprintf(slug, sizeof slug, "%s", ob_device_slug(devs[0]));
  } else {
    if (!strstr(device, " + ")) {
      char names[sizeof device];
      snprintf(names, sizeof names, "%s", device);
      snprintf(device, sizeof device, "%zu x %s", n, names);
    }
    snprintf(slug, sizeof slug, "all-%zu", n);
  }
  const char *text[] = {ts,     host->hostname, host->os, host->cpu, platform, vendor,
                        device, slug,           type,     driver,    clv};
  char **fields[] = {&r->timestamp_utc, &r->host,   &r->os,     &r->cpu,
                     &r->platform,      &r->vendor, &r->device, &r->device_slug,
                     &r->device_type,   &r->driver, &r->cl_version};
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    OB_TRY(ob_result_set(fields[i], text[i]));
  r->compute_units = cu;
  r->clock_mhz = clock;
  r->global_mem_bytes = mem;
  return OB_OK;
}

/* ------------------------------------------------------------------ checks */

ob_status ob_result_check(const ob_result *r, const char *where, size_t line) {
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    if (c->required && !ob_result_text(r, c->offset)[0])
      return ob_fail(OB_ERR_INVALID, "%s:%zu: empty %s", where, line, c->name);
  }
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    if (is_number(c->kind) && isinf(number_at(r, c)))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: %s is not a finite number", where, line, c->name);
  }
  if (r->status == OB_RESULT_OK && isnan(r->value))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: status ok without a value", where, line);
  return OB_OK;
}

/* ------------------------------------------------------------------ the vector */

ob_status ob_results_push(ob_results *v, ob_result *r) {
  ob_result *grown = ob_grow(v->items, &v->cap, v->n + 1, sizeof *v->items, 64);
  if (!grown) {
    ob_result_free(r);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  v->items = grown;
  v->items[v->n++] = *r;
  ob_result_init(r);
  return OB_OK;
}

void ob_results_clear(ob_results *v) {
  for (size_t i = 0; i < v->n; i++) ob_result_free(&v->items[i]);
  free(v->items);
  memset(v, 0, sizeof *v);
}

size_t ob_results_failed(const ob_results *v) {
  size_t n = 0;
  for (size_t i = 0; i < v->n; i++) n += v->items[i].status == OB_RESULT_FAILED;
  return n;
}

bool ob_metric_lower_is_better(const char *metric, const char *unit) {
  static const char *const time_units[] = {"ns", "us", "\xC2\xB5s", "ms", "s"};
  for (size_t i = 0; i < sizeof time_units / sizeof *time_units; i++)
    if (strcmp(unit, time_units[i]) == 0) return true;
  const size_t len = strlen(metric);
  return strcmp(metric, "latency") == 0 || (len >= 5 && strcmp(metric + len - 5, "_time") == 0);
}

/* ------------------------------------------------------------------ CSV files */

ob_status ob_results_run_dir_create(const char *root, const char *host, char *buf, size_t n) {
  OB_TRY(ob_mkdir_p(root));
  char hostslug[128], stamp[32];
  ob_slugify(hostslug, sizeof hostslug, host && *host ? host : "host");
  const time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  for (unsigned k = 1; k < 1000; k++) {
    char suffix[16] = "";
    if (k > 1) snprintf(suffix, sizeof suffix, "-%u", k);
    if (snprintf(buf, n, "%s/%s-%s%s", root, stamp, hostslug[0] ? hostslug : "host", suffix) >=
        (int)n)
      return ob_fail(OB_ERR_INVALID, "%s: path too long", root);
    if (mkdir(buf, 0777) == 0) return OB_OK;
    if (errno != EEXIST)
      return ob_fail(OB_ERR_IO, "%s: cannot create directory: %s", buf, strerror(errno));
  }
  return ob_fail(OB_ERR_IO, "%s: no free run directory name for %s", root, stamp);
}

ob_status ob_results_link_latest(const char *root, const char *dir) {
  const char *slash = strrchr(dir, '/');
  const char *name = slash ? slash + 1 : dir;
  char link[4096], tmp[4200];
  snprintf(link, sizeof link, "%s/latest", root);
  ob_atomic_tmp_path(link, (long)getpid(), tmp, sizeof tmp);
  unlink(tmp);
  if (symlink(name, tmp) != 0)
    return ob_fail(OB_ERR_IO, "%s: cannot create a symbolic link: %s", tmp, strerror(errno));
  if (rename(tmp, link) != 0) {
    const int e = errno;
    unlink(tmp);
    return ob_fail(OB_ERR_IO, "%s: cannot replace: %s", link, strerror(e));
  }
  return OB_OK;
}

bool ob_results_dir_taken(const char *dir, const char *host, const char *const *slugs, size_t n,
                          char *found, size_t fn) {
  struct stat st;
  for (size_t i = 0; host && i < n; i++) {
    ob_results_csv_path(found, fn, dir, host, slugs[i]);
    if (lstat(found, &st) == 0) return true;
  }
  DIR *d = host ? NULL : opendir(dir);
  bool taken = false;
  for (struct dirent *e = d ? readdir(d) : NULL; e && !taken; e = readdir(d)) {
    const size_t len = strlen(e->d_name);
    taken = strstr(e->d_name, "__") && len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0;
    if (taken) snprintf(found, fn, "%s/%s", dir, e->d_name);
  }
  if (d) closedir(d);
  return taken;
}

void ob_results_csv_path(char *buf, size_t n, const char *dir, const char *host,
                         const char *slug) {
  char hostslug[128];
  ob_slugify(hostslug, sizeof hostslug, host && *host ? host : "host");
  if (!hostslug[0]) snprintf(hostslug, sizeof hostslug, "host");
  snprintf(buf, n, "%s/%s__%s.csv", dir, hostslug, slug);
}

static bool same_device(const ob_result *r, const char *host, const char *slug) {
  return strcmp(ob_result_text(r, offsetof(ob_result, host)), host) == 0 &&
         strcmp(ob_result_text(r, offsetof(ob_result, device_slug)), slug) == 0;
}

ob_status ob_results_write_csv(const ob_results *v, size_t first, const char *host,
                               const char *slug, const char *path) {
  const char **fields = malloc(ob_result_ncolumns * sizeof *fields);
  char(*bufs)[48] = malloc(ob_result_ncolumns * sizeof *bufs);
  ob_csv_writer *w = NULL;
  ob_status st = fields && bufs ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; st == OB_OK && i < ob_result_ncolumns; i++)
    fields[i] = ob_result_columns[i].name;
  if (st == OB_OK) st = ob_csv_writer_create_path(path, fields, ob_result_ncolumns, &w);
  for (size_t k = first; st == OB_OK && k < v->n; k++) {
    const ob_result *r = &v->items[k];
    if (!same_device(r, host, slug)) continue;
    for (size_t i = 0; i < ob_result_ncolumns; i++)
      fields[i] = ob_result_column_text(r, &ob_result_columns[i], bufs[i], sizeof bufs[i]);
    st = ob_csv_writer_add_fields(w, fields, ob_result_ncolumns);
  }
  if (st == OB_OK) st = ob_csv_writer_commit(w);
  else ob_csv_writer_destroy(w);
  free(fields);
  free(bufs);
  return st;
}

ob_status ob_results_write_device_csvs(const ob_results *v, size_t first, const char *dir,
                                       size_t *files) {
  *files = 0;
  OB_TRY(ob_mkdir_p(dir));
  ob_status st = OB_OK;
  for (size_t k = first; k < v->n && st == OB_OK; k++) {
    const char *host = ob_result_text(&v->items[k], offsetof(ob_result, host));
    const char *slug = ob_result_text(&v->items[k], offsetof(ob_result, device_slug));
    bool seen = false; /* the device's file was written at its first record */
    for (size_t j = first; j < k && !seen; j++) seen = same_device(&v->items[j], host, slug);
    if (seen) continue;
    char path[4096];
    ob_results_csv_path(path, sizeof path, dir, host, slug);
    st = ob_results_write_csv(v, k, host, slug, path);
    if (st == OB_OK) (*files)++;
  }
  return st;
}

/* ------------------------------------------------------------------ CSV reader */

typedef struct reader {
  const char *path;
  ob_result_fn fn;
  void *user;
  size_t ncols;           /* header width; 0 before the header */
  size_t *column;         /* per header field: index in ob_result_columns, or SIZE_MAX */
  size_t records;
} reader;

static ob_status read_header(reader *rd, char **f, size_t n) {
  if (n < OB_RESULT_SCHEMA_COLS)
    return ob_fail(OB_ERR_INVALID,
                   "%s: not an oclbench schema-1 CSV (header has %zu columns, schema 1 has %d)",
                   rd->path, n, OB_RESULT_SCHEMA_COLS);
  for (size_t i = 0; i < OB_RESULT_SCHEMA_COLS; i++)
    if (strcmp(f[i], ob_result_columns[i].name) != 0)
      return ob_fail(OB_ERR_INVALID,
                     "%s: not an oclbench schema-1 CSV (header column %zu is '%.40s', expected '%s')",
                     rd->path, i + 1, f[i], ob_result_columns[i].name);
  rd->column = malloc(n * sizeof *rd->column);
  if (!rd->column) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    rd->column[i] = i < OB_RESULT_SCHEMA_COLS ? i : SIZE_MAX;
    /* An optional column is found by name; a column nobody knows is ignored. */
    for (size_t c = OB_RESULT_SCHEMA_COLS; c < ob_result_ncolumns && i >= OB_RESULT_SCHEMA_COLS;
         c++)
      if (strcmp(f[i], ob_result_columns[c].name) == 0) rd->column[i] = c;
  }
  rd->ncols = n;
  return OB_OK;
}

/* Parses one row into r, checking it in the order a reader reports problems: field count,
 * schema, required columns, numbers, status, verified, an ok row's value. */
static ob_status parse_row(const reader *rd, size_t line, char **f, size_t n, ob_result *r) {
  if (n != rd->ncols)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: %zu fields, the header has %zu", rd->path, line, n,
                   rd->ncols);
  if (strcmp(f[0], "1") != 0)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: schema '%.40s': not an oclbench schema-1 row",
                   rd->path, line, f[0]);
  for (size_t i = 0; i < n; i++)
    if (rd->column[i] != SIZE_MAX && ob_result_columns[rd->column[i]].required && !f[i][0])
      return ob_fail(OB_ERR_INVALID, "%s:%zu: empty %s", rd->path, line,
                     ob_result_columns[rd->column[i]].name);
  for (size_t i = 0; i < n; i++) {
    if (rd->column[i] == SIZE_MAX) continue;
    const ob_result_column *c = &ob_result_columns[rd->column[i]];
    if (!is_number(c->kind) || !f[i][0]) continue;
    if (!ob_parse_double(f[i], number_field(r, c)) || !isfinite(*number_field(r, c)))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: %s '%.40s' is not a number", rd->path, line,
                     c->name, f[i]);
  }
  const size_t status = name_index(status_names, NSTATUS, f[30]);
  if (status == NSTATUS)
    return ob_fail(OB_ERR_INVALID,
                   "%s:%zu: unknown status '%.40s' (expected ok, skipped or failed)", rd->path,
                   line, f[30]);
  const size_t verified = name_index(verified_names, NVERIFIED, f[29]);
  if (verified == NVERIFIED)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: unknown verified '%.40s' (expected yes, no or n/a)",
                   rd->path, line, f[29]);
  r->status = (ob_result_status)status;
  r->verified = (ob_result_verified)verified;
  for (size_t i = 0; i < n; i++)
    if (rd->column[i] != SIZE_MAX && ob_result_columns[rd->column[i]].kind == OB_COLUMN_TEXT)
      OB_TRY(ob_result_set(text_field(r, &ob_result_columns[rd->column[i]]), f[i]));
  /* Optional text columns a file does not have stay empty, not NULL. */
  OB_TRY(ob_result_fill_text(r));
  if (r->status == OB_RESULT_OK && isnan(r->value))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: status ok without a value", rd->path, line);
  return OB_OK;
}

static ob_status on_csv_record(void *user, size_t line, char **f, size_t n) {
  reader *rd = user;
  if (rd->ncols == 0) return read_header(rd, f, n);
  ob_result r;
  ob_result_init(&r);
  ob_status st = parse_row(rd, line, f, n, &r);
  if (st != OB_OK) {
    ob_result_free(&r);
    return st;
  }
  rd->records++;
  return rd->fn(rd->user, line, &r);
}

ob_status ob_results_read_csv(const char *path, ob_result_fn on_record, void *user) {
  reader rd = {.path = path, .fn = on_record, .user = user};
  ob_status st = ob_csv_read(path, on_csv_record, &rd);
  free(rd.column);
  OB_TRY(st);
  if (rd.ncols == 0)
    return ob_fail(OB_ERR_INVALID, "%s: empty file, not an oclbench schema-1 CSV", path);
  if (rd.records == 0) return ob_fail(OB_ERR_INVALID, "%s: no rows after the header", path);
  return OB_OK;
}

/* ------------------------------------------------------------------ byte encoding */

/* Per record, per column: a text as a 32-bit little-endian length and its bytes, a number as
 * the 64 bits of the double (little-endian), status and verified as one byte; the schema
 * column as nothing. */
static size_t encoded_size(const ob_result *r) {
  size_t n = 0;
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    switch (c->kind) {
    case OB_COLUMN_SCHEMA: break;
    case OB_COLUMN_TEXT: n += 4 + strlen(ob_result_text(r, c->offset)); break;
    case OB_COLUMN_REAL:
    case OB_COLUMN_COUNT: n += 8; break;
    case OB_COLUMN_STATUS:
    case OB_COLUMN_VERIFIED: n += 1; break;
    }
  }
  return n;
}

static void put_le(char *buf, uint64_t x, int bytes) {
  for (int b = 0; b < bytes; b++) buf[b] = (char)((x >> (8 * b)) & 0xff);
}

static uint64_t get_le(const char *buf, int bytes) {
  uint64_t x = 0;
  for (int b = 0; b < bytes; b++) x |= (uint64_t)(unsigned char)buf[b] << (8 * b);
  return x;
}

static size_t encode_record(const ob_result *r, char *buf) {
  size_t o = 0;
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    uint64_t bits = 0;
    double d = 0.0;
    switch (c->kind) {
    case OB_COLUMN_SCHEMA: break;
    case OB_COLUMN_TEXT: {
      const char *s = ob_result_text(r, c->offset);
      const size_t len = strlen(s);
      put_le(buf + o, len, 4);
      memcpy(buf + o + 4, s, len);
      o += 4 + len;
      break;
    }
    case OB_COLUMN_REAL:
    case OB_COLUMN_COUNT:
      d = number_at(r, c);
      memcpy(&bits, &d, sizeof bits);
      put_le(buf + o, bits, 8);
      o += 8;
      break;
    case OB_COLUMN_STATUS: buf[o++] = (char)r->status; break;
    case OB_COLUMN_VERIFIED: buf[o++] = (char)r->verified; break;
    }
  }
  return o;
}

ob_status ob_results_encode(const ob_results *v, size_t first, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  size_t n = 0;
  for (size_t k = first; k < v->n; k++) {
    const size_t rec = encoded_size(&v->items[k]);
    for (size_t i = 0; i < ob_result_ncolumns; i++)
      if (ob_result_columns[i].kind == OB_COLUMN_TEXT &&
          strlen(ob_result_text(&v->items[k], ob_result_columns[i].offset)) > UINT32_MAX)
        return ob_fail(OB_ERR_TOO_LARGE, "a text of more than 4 GiB in a record");
    n += rec;
  }
  char *buf = malloc(n ? n : 1);
  if (!buf) return ob_fail(OB_ERR_NOMEM, "out of memory encoding %zu rows", v->n - first);
  size_t o = 0;
  for (size_t k = first; k < v->n; k++) o += encode_record(&v->items[k], buf + o);
  *out = buf;
  *len = n;
  return OB_OK;
}

/* Decodes one record from buf[*o..len) into r, advancing *o. */
static ob_status decode_record(const char *buf, size_t len, size_t *o, ob_result *r) {
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    uint64_t bits = 0;
    switch (c->kind) {
    case OB_COLUMN_SCHEMA: break;
    case OB_COLUMN_TEXT: {
      if (len - *o < 4) return ob_fail(OB_ERR_INVALID, "truncated row encoding");
      const uint64_t l = get_le(buf + *o, 4);
      *o += 4;
      if (l > len - *o) return ob_fail(OB_ERR_INVALID, "truncated row encoding");
      char *s = malloc((size_t)l + 1);
      if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory decoding rows");
      memcpy(s, buf + *o, (size_t)l);
      s[l] = '\0';
      *o += (size_t)l;
      free(*text_field(r, c));
      *text_field(r, c) = s;
      break;
    }
    case OB_COLUMN_REAL:
    case OB_COLUMN_COUNT:
      if (len - *o < 8) return ob_fail(OB_ERR_INVALID, "truncated row encoding");
      bits = get_le(buf + *o, 8);
      memcpy(number_field(r, c), &bits, sizeof bits);
      *o += 8;
      break;
    case OB_COLUMN_STATUS:
    case OB_COLUMN_VERIFIED: {
      if (len - *o < 1) return ob_fail(OB_ERR_INVALID, "truncated row encoding");
      const unsigned char b = (unsigned char)buf[(*o)++];
      if (c->kind == OB_COLUMN_STATUS && b >= NSTATUS)
        return ob_fail(OB_ERR_INVALID, "row encoding: status %u", b);
      if (c->kind == OB_COLUMN_VERIFIED && b >= NVERIFIED)
        return ob_fail(OB_ERR_INVALID, "row encoding: verified %u", b);
      if (c->kind == OB_COLUMN_STATUS) r->status = (ob_result_status)b;
      else r->verified = (ob_result_verified)b;
      break;
    }
    }
  }
  return OB_OK;
}

ob_status ob_results_decode(ob_results *v, const char *buf, size_t len) {
  size_t o = 0;
  while (o < len) {
    ob_result r;
    ob_result_init(&r);
    ob_status st = decode_record(buf, len, &o, &r);
    if (st != OB_OK) {
      ob_result_free(&r);
      return st;
    }
    OB_TRY(ob_results_push(v, &r));
  }
  return OB_OK;
}
