/* CSV (schema 1): locale-independent numbers, atomic per-device files, a libcsv reader. */
#include "device_impl.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const ob_csv_columns[OB_CSV_NCOLS] = {
    "schema",         "timestamp_utc", "host",          "os",           "cpu",
    "platform",       "vendor",        "device",        "device_slug",  "device_type",
    "driver",         "cl_version",    "compute_units", "clock_mhz",    "global_mem_bytes",
    "workload",       "variant",       "params",        "precision",    "metric",
    "unit",           "value",         "time_s_min",    "time_s_median", "time_s_max",
    "reps",           "flops",         "bytes",         "peak_fraction", "verified",
    "status",         "note"};

static locale_t the_c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) { the_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

/* The "C" locale, for formatting and parsing numbers whatever the process locale is. */
static locale_t c_locale(void) {
  pthread_once(&c_locale_once, make_c_locale);
  return the_c_locale;
}

void ob_format_double(char *buf, size_t n, double v) {
  if (isnan(v)) {
    if (n) buf[0] = '\0';
    return;
  }
  locale_t old = uselocale(c_locale());
  snprintf(buf, n, "%.10g", v);
  uselocale(old);
}

bool ob_parse_double(const char *s, double *out) {
  if (!s || !*s || isspace((unsigned char)*s)) return false;
  char *end = NULL;
  errno = 0;
  double v = strtod_l(s, &end, c_locale());
  /* ERANGE with a finite result is an underflow (a subnormal like 1e-308): still a number. */
  if (end == s || *end != '\0' || isnan(v) || (errno == ERANGE && isinf(v))) return false;
  *out = v;
  return true;
}

/* "[+-]digits": the sign and the magnitude (*overflow when it needs more than 64 bits). */
static bool split_integer(const char *s, bool *neg, uint64_t *mag, bool *overflow) {
  *neg = *s == '-';
  if (*s == '-' || *s == '+') s++;
  if (!isdigit((unsigned char)*s)) return false;
  *mag = 0;
  *overflow = false;
  for (; isdigit((unsigned char)*s); s++) {
    const uint64_t d = (uint64_t)(*s - '0');
    if (*mag > (UINT64_MAX - d) / 10) *overflow = true;
    else *mag = *mag * 10 + d;
  }
  return *s == '\0';
}

ob_int_result ob_parse_uint(const char *s, uint64_t max, uint64_t *out) {
  bool neg = false, overflow = false;
  uint64_t mag = 0;
  if (!s || !split_integer(s, &neg, &mag, &overflow)) return OB_INT_NOT_INTEGER;
  if (overflow || (neg && mag) || mag > max) return OB_INT_OUT_OF_RANGE;
  *out = mag;
  return OB_INT_OK;
}

ob_int_result ob_parse_int(const char *s, int64_t min, int64_t max, int64_t *out) {
  bool neg = false, overflow = false;
  uint64_t mag = 0;
  if (!s || !split_integer(s, &neg, &mag, &overflow)) return OB_INT_NOT_INTEGER;
  if (overflow || mag > (uint64_t)INT64_MAX + neg) return OB_INT_OUT_OF_RANGE;
  const int64_t v = !neg ? (int64_t)mag : mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
  if (v < min || v > max) return OB_INT_OUT_OF_RANGE;
  *out = v;
  return OB_INT_OK;
}

void ob_row_init(ob_row *row) {
  memset(row, 0, sizeof *row);
  row->value = row->time_min = row->time_median = row->time_max = NAN;
  row->flops = row->bytes = row->peak_fraction = NAN;
  row->reps = -1;
  row->verified = "n/a";
  row->status = "ok";
}

struct ob_csv_writer {
  ob_atomic_file file;
  const ob_host_info *host;
  ob_device *dev;
};

static ob_status writer_open(const char *path, ob_csv_writer **out) {
  *out = NULL;
  ob_csv_writer *w = calloc(1, sizeof *w);
  if (!w) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = ob_atomic_open(&w->file, path);
  if (st != OB_OK) {
    free(w);
    return st;
  }
  *out = w;
  return OB_OK;
}

/* Writes one field, quoted by libcsv only when RFC 4180 requires it. */
static void put_field(FILE *f, const char *s) {
  if (!s) s = "";
  size_t len = strlen(s);
  bool quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
  for (const char *p = s; *p && !quote; p++)
    quote = *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
  if (quote) csv_fwrite(f, s, len);
  else fputs(s, f);
}

void ob_csv_fput_fields(FILE *f, const char *const *fields, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', f);
    put_field(f, fields[i]);
  }
  fputs("\r\n", f);
}

ob_status ob_csv_writer_add_fields(ob_csv_writer *w, const char *const *fields, size_t n) {
  ob_csv_fput_fields(w->file.f, fields, n);
  if (ferror(w->file.f)) return ob_fail(OB_ERR_IO, "%s: write error", w->file.path);
  return OB_OK;
}

ob_status ob_csv_writer_create_path(const char *path, const char *const *header, size_t ncols,
                                    ob_csv_writer **out) {
  OB_TRY(writer_open(path, out));
  ob_status st = ob_csv_writer_add_fields(*out, header, ncols);
  if (st != OB_OK) {
    ob_csv_writer_destroy(*out);
    *out = NULL;
  }
  return st;
}

void ob_csv_device_path(char *buf, size_t n, const char *dir, const char *hostname,
                        const char *slug) {
  char hostslug[128];
  ob_slugify(hostslug, sizeof hostslug, hostname && *hostname ? hostname : "host");
  if (!hostslug[0]) snprintf(hostslug, sizeof hostslug, "host");
  snprintf(buf, n, "%s/%s__%s.csv", dir, hostslug, slug);
}

ob_status ob_csv_writer_create(const char *dir, const ob_host_info *host, ob_device *dev,
                               ob_csv_writer **out) {
  *out = NULL;
  OB_TRY(ob_mkdir_p(dir));
  char path[4096];
  ob_csv_device_path(path, sizeof path, dir, host->hostname, ob_device_slug(dev));
  OB_TRY(ob_csv_writer_create_path(path, ob_csv_columns, OB_CSV_NCOLS, out));
  (*out)->host = host;
  (*out)->dev = dev;
  return OB_OK;
}

void ob_row_format(const ob_host_info *host, const ob_device *dev, const ob_row *r,
                   ob_row_text *t) {
  const ob_device_props *p = ob_device_props_get(dev);
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(t->ts, sizeof t->ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
  snprintf(t->schema, sizeof t->schema, "%d", OB_CSV_SCHEMA);
  snprintf(t->cu, sizeof t->cu, "%u", p->compute_units);
  snprintf(t->clock, sizeof t->clock, "%u", p->clock_mhz);
  snprintf(t->mem, sizeof t->mem, "%llu", (unsigned long long)p->global_mem);
  if (r->reps >= 0) snprintf(t->reps, sizeof t->reps, "%ld", r->reps);
  else t->reps[0] = '\0';
  ob_format_double(t->value, sizeof t->value, r->value);
  ob_format_double(t->tmin, sizeof t->tmin, r->time_min);
  ob_format_double(t->tmed, sizeof t->tmed, r->time_median);
  ob_format_double(t->tmax, sizeof t->tmax, r->time_max);
  ob_format_double(t->flops, sizeof t->flops, r->flops);
  ob_format_double(t->bytes, sizeof t->bytes, r->bytes);
  ob_format_double(t->frac, sizeof t->frac, r->peak_fraction);
  const char *f[OB_CSV_NCOLS] = {
      t->schema,     t->ts,          host->hostname, host->os,       host->cpu,
      p->platform,   p->vendor,      p->name,        ob_device_slug(dev), p->type_name,
      p->driver,     p->cl_version,  t->cu,          t->clock,       t->mem,
      r->workload,   r->variant,     r->params,      r->precision,   r->metric,
      r->unit,       t->value,       t->tmin,        t->tmed,        t->tmax,
      t->reps,       t->flops,       t->bytes,       t->frac,        r->verified,
      r->status,     r->note};
  for (size_t i = 0; i < OB_CSV_NCOLS; i++) t->fields[i] = f[i] ? f[i] : "";
}

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

void ob_row_format_group(const ob_host_info *host, ob_device *const *devs, size_t n,
                         const ob_row *r, ob_row_text *t) {
  ob_row_format(host, devs[0], r, t);
  if (n < 2) return;
  cl_ulong cu = 0, mem = 0;
  cl_uint clock = 0;
  t->platform[0] = t->vendor[0] = t->device[0] = t->type[0] = t->driver[0] = t->clv[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    const ob_device_props *p = ob_device_props_get(devs[i]);
    join_unique(t->platform, sizeof t->platform, p->platform);
    join_unique(t->vendor, sizeof t->vendor, p->vendor);
    join_unique(t->device, sizeof t->device, p->name);
    join_unique(t->type, sizeof t->type, p->type_name);
    join_unique(t->driver, sizeof t->driver, p->driver);
    join_unique(t->clv, sizeof t->clv, p->cl_version);
    cu += p->compute_units;
    mem += p->global_mem;
    if (i == 0 || p->clock_mhz < clock) clock = p->clock_mhz;
  }
  char names[sizeof t->device];
  snprintf(names, sizeof names, "%s", t->device);
  if (!strstr(names, " + ")) snprintf(t->device, sizeof t->device, "%zu x %s", n, names);
  snprintf(t->slug, sizeof t->slug, "all-%zu", n);
  snprintf(t->cu, sizeof t->cu, "%llu", (unsigned long long)cu);
  snprintf(t->clock, sizeof t->clock, "%u", clock);
  snprintf(t->mem, sizeof t->mem, "%llu", (unsigned long long)mem);
  t->fields[5] = t->platform;
  t->fields[6] = t->vendor;
  t->fields[7] = t->device;
  t->fields[8] = t->slug;
  t->fields[9] = t->type;
  t->fields[10] = t->driver;
  t->fields[11] = t->clv;
}

ob_status ob_csv_writer_add(ob_csv_writer *w, const ob_row *r) {
  if (!w->dev || !w->host) return ob_fail(OB_ERR_INVALID, "schema-1 row on a free-form table");
  ob_row_text t;
  ob_row_format(w->host, w->dev, r, &t);
  return ob_csv_writer_add_fields(w, t.fields, OB_CSV_NCOLS);
}

const char *ob_csv_writer_path(const ob_csv_writer *w) { return w->file.path; }

ob_status ob_csv_writer_commit(ob_csv_writer *w) {
  ob_status st = ob_atomic_commit(&w->file);
  free(w);
  return st;
}

void ob_csv_writer_destroy(ob_csv_writer *w) {
  if (!w) return;
  ob_atomic_discard(&w->file);
  free(w);
}

/* ------------------------------------------------------------------ reader */

typedef struct reader {
  const char *path;
  ob_csv_record_fn fn;
  void *user;
  char *text;         /* the record's fields, each NUL-terminated, one after the other */
  size_t len, cap;
  size_t *offs;       /* start of each field in text */
  char **fields;      /* the pointers handed to the callback */
  size_t n, fcap;
  size_t line;        /* line of the byte being parsed (1-based) */
  size_t newlines;    /* line breaks inside the current record's fields */
  ob_status st;
} reader;

/* Room for one more field of len bytes; false when out of memory. */
static bool reserve(reader *r, size_t len) {
  if (len >= SIZE_MAX / 4 - r->len) return false;
  if (r->len + len + 1 > r->cap) {
    size_t cap = r->cap ? r->cap : 256;
    while (cap < r->len + len + 1) cap *= 2;
    char *text = realloc(r->text, cap);
    if (!text) return false;
    r->text = text;
    r->cap = cap;
  }
  if (r->n == r->fcap) {
    size_t cap = r->fcap ? r->fcap * 2 : 64;
    size_t *offs = realloc(r->offs, cap * sizeof *offs);
    if (offs) r->offs = offs;
    char **fields = offs ? realloc(r->fields, cap * sizeof *fields) : NULL;
    if (!fields) return false;
    r->fields = fields;
    r->fcap = cap;
  }
  return true;
}

static void on_field(void *s, size_t len, void *data) {
  reader *r = data;
  if (r->st != OB_OK) return;
  if (!reserve(r, len)) {
    r->st = ob_fail(OB_ERR_NOMEM, "%s:%zu: out of memory", r->path, r->line);
    return;
  }
  char *copy = r->text + r->len;
  if (len) memcpy(copy, s, len);
  copy[len] = '\0';
  for (size_t i = 0; i < len; i++)
    if (copy[i] == '\n' || (copy[i] == '\r' && (i + 1 == len || copy[i + 1] != '\n')))
      r->newlines++;
  r->offs[r->n++] = r->len;
  r->len += len + 1;
}

static void on_record(int c, void *data) {
  (void)c;
  reader *r = data;
  if (r->st == OB_OK) {
    for (size_t i = 0; i < r->n; i++) r->fields[i] = r->text + r->offs[i];
    size_t start = r->line > r->newlines ? r->line - r->newlines : 1;
    r->st = r->fn(r->user, start, r->fields, r->n);
  }
  r->n = r->len = r->newlines = 0;
}

/* Parses one piece of the file (ending at a line break or at the end of a block). */
static void parse_piece(reader *r, struct csv_parser *p, const char *s, size_t len) {
  if (r->st == OB_OK && len && csv_parse(p, s, len, on_field, on_record, r) != len &&
      r->st == OB_OK)
    r->st = ob_fail(OB_ERR_INVALID, "%s:%zu: malformed CSV: %s", r->path, r->line,
                    csv_strerror(csv_error(p)));
}

ob_status ob_csv_read(const char *path, ob_csv_record_fn fn, void *user) {
  FILE *f = fopen(path, "rb");
  if (!f) return ob_fail(OB_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    fclose(f);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  reader r = {.path = path, .fn = fn, .user = user, .line = 1, .st = OB_OK};
  /* Lines end at LF, CRLF or a lone CR: the pieces handed to libcsv end at each break, so
   * that r.line is right whatever the convention. */
  static const size_t block = 1 << 16;
  char *buf = malloc(block);
  bool prev_cr = false, first = true, line_start = true;
  size_t got = 0;
  if (!buf) r.st = ob_fail(OB_ERR_NOMEM, "out of memory");
  while (r.st == OB_OK && (got = fread(buf, 1, block, f)) > 0) {
    size_t i = 0, from = 0;
    if (first && got >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = from = 3; /* UTF-8 BOM */
    first = false;
    for (; i < got && r.st == OB_OK; i++) {
      const char c = buf[i];
      if (c == '\0') {
        r.st = ob_fail(OB_ERR_INVALID, "%s:%zu: NUL byte: not a text CSV file", path, r.line);
        break;
      }
      line_start = false;
      if (c != '\n' && c != '\r') {
        prev_cr = false;
        continue;
      }
      parse_piece(&r, &p, buf + from, i + 1 - from);
      from = i + 1;
      if (c == '\r' || !prev_cr) r.line++;
      prev_cr = c == '\r';
      line_start = true;
    }
    if (r.st == OB_OK) parse_piece(&r, &p, buf + from, got - from);
  }
  if (r.st == OB_OK && ferror(f)) r.st = ob_fail(OB_ERR_IO, "%s: read error", path);
  if (line_start && r.line > 1) r.line--; /* the file ended with a line break */
  if (r.st == OB_OK && csv_fini(&p, on_field, on_record, &r) != 0)
    r.st = ob_fail(OB_ERR_INVALID, "%s:%zu: malformed CSV: %s", path, r.line,
                   csv_strerror(csv_error(&p)));
  free(buf);
  free(r.text);
  free(r.offs);
  free(r.fields);
  csv_free(&p);
  fclose(f);
  return r.st;
}
