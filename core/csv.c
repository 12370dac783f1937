/* CSV: locale-independent numbers, atomic files written with RFC 4180 quoting, a libcsv
 * reader. */
#include "oclbench.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static locale_t the_c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) { the_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

/* The "C" locale, for formatting and parsing numbers whatever the process locale is. */
static locale_t c_locale(void) {
  pthread_once(&c_locale_once, make_c_locale);
  return the_c_locale;
}

static void format_double(char *buf, size_t n, double v, int digits) {
  if (isnan(v)) {
    if (n) buf[0] = '\0';
    return;
  }
  locale_t old = uselocale(c_locale());
  snprintf(buf, n, "%.*g", digits, v);
  uselocale(old);
}

void ob_format_double(char *buf, size_t n, double v) { format_double(buf, n, v, 10); }

void ob_format_double_exact(char *buf, size_t n, double v) { format_double(buf, n, v, 17); }

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

struct ob_csv_writer {
  ob_atomic_file file;
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
