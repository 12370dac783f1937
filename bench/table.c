/* The table writer (text wrapped to a width, Markdown, CSV, JSON) and the renderings of a
 * cross-device comparison and of a run's records. */
#include "table.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ comparison grid */

/* The comparison as a grid of owned strings: a header row, then one row per joined row. */
typedef struct grid {
  char **cells;
  size_t ncols, nrows, cap;
  bool *numeric;          /* per column: right-aligned */
  char **notes;           /* distinct "status: note" texts, numbered from 1 */
  size_t nnotes;
  size_t *note_slots;     /* hash index of notes: number (1-based) or 0 for empty */
  size_t nslots;          /* a power of two, at least twice nnotes */
} grid;

static void grid_free(grid *g) {
  for (size_t i = 0; i < g->nrows * g->ncols; i++) free(g->cells[i]);
  free(g->cells);
  free(g->numeric);
  for (size_t i = 0; i < g->nnotes; i++) free(g->notes[i]);
  free(g->notes);
  free(g->note_slots);
}

static ob_status grid_put(grid *g, size_t row, size_t col, const char *s) {
  char *copy = strdup(s);
  if (!copy) return ob_fail(OB_ERR_NOMEM, "out of memory");
  free(g->cells[row * g->ncols + col]);
  g->cells[row * g->ncols + col] = copy;
  return OB_OK;
}

/* The slot of text in the note index: its number, or 0 where it would go. */
static size_t *note_slot(const grid *g, const char *text) {
  size_t k = (size_t)ob_hash(OB_HASH_INIT, text, strlen(text)) & (g->nslots - 1);
  while (g->note_slots[k] && strcmp(g->notes[g->note_slots[k] - 1], text) != 0)
    k = (k + 1) & (g->nslots - 1);
  return &g->note_slots[k];
}

/* Number of the note "status: note", added when new; 1-based. Found by hash: rendering stays
 * linear in the cells however many distinct notes there are. */
static ob_status note_number(grid *g, const char *status, const char *note, size_t *out) {
  size_t len = strlen(status) + strlen(note) + 3;
  char *text = malloc(len);
  if (!text) return ob_fail(OB_ERR_NOMEM, "out of memory");
  snprintf(text, len, "%s: %s", status, note);
  if (2 * (g->nnotes + 1) > g->nslots) { /* the notes array holds nslots / 2 */
    size_t *old = g->note_slots, nold = g->nslots, nnew = nold ? 2 * nold : 64;
    size_t *slots = calloc(nnew, sizeof *slots);
    char **notes = slots ? realloc(g->notes, nnew / 2 * sizeof *notes) : NULL;
    if (!notes) {
      free(slots);
      free(text);
      return ob_fail(OB_ERR_NOMEM, "out of memory");
    }
    g->notes = notes;
    g->note_slots = slots;
    g->nslots = nnew;
    for (size_t i = 0; i < nold; i++)
      if (old[i]) *note_slot(g, g->notes[old[i] - 1]) = old[i];
    free(old);
  }
  size_t *slot = note_slot(g, text);
  if (*slot) {
    free(text);
    *out = *slot;
    return OB_OK;
  }
  g->notes[g->nnotes++] = text;
  *out = *slot = g->nnotes;
  return OB_OK;
}

void ob_format_human(char *buf, size_t n, double v) {
  double a = fabs(v);
  if (a >= 1e4 && a < 1e15) snprintf(buf, n, "%.0f", v);
  else snprintf(buf, n, "%.4g", v);
}

void ob_format_speedup(char *buf, size_t n, double ratio) {
  const double x = ratio >= 1.0 ? ratio : 1.0 / ratio;
  const int decimals = x < 10.0 ? 2 : x < 100.0 ? 1 : 0;
  snprintf(buf, n, "%.*fx %s", decimals, x, ratio >= 1.0 ? "faster" : "slower");
}

/* The display text of a cell (human formats) or its CSV text (raw value). */
static ob_status cell_text(grid *g, const ob_compare_cell *c, bool raw, char *buf, size_t n) {
  const ob_result *r = c->result;
  if (r->status != OB_RESULT_OK) {
    const char *status = ob_result_status_name(r->status);
    size_t note = 0;
    if (!raw && r->note[0]) OB_TRY(note_number(g, status, r->note, &note));
    if (note) snprintf(buf, n, "%s [%zu]", status, note);
    else snprintf(buf, n, "%s", status);
  } else if (raw) {
    ob_format_double(buf, n, r->value);
  } else {
    ob_format_human(buf, n, r->value);
    if (isfinite(r->peak_fraction))
      snprintf(buf + strlen(buf), n - strlen(buf), " (%.0f%%)", 100.0 * r->peak_fraction);
  }
  return OB_OK;
}

static const char *const key_head[] = {"workload", "variant", "params", "precision", "metric", "unit"};
#define NKEY (sizeof key_head / sizeof *key_head)
/* Key columns: raw tables (CSV, JSON) have the six; displayed ones (text, Markdown) show
 * "metric (unit)" in one, and head the device columns "[i]" where short (the legend names
 * them). */
static size_t nkey(bool raw) { return raw ? NKEY : NKEY - 1; }

/* The header of device column d: its label, or "[d]" when short. */
static void device_head(const ob_compare *cmp, size_t d, bool short_head, char *buf, size_t n) {
  if (short_head) snprintf(buf, n, "[%zu]", d);
  else snprintf(buf, n, "%s", ob_compare_device_get(cmp, d)->label);
}

/* The header row: key columns, one value column per device, one speedup column per other
 * device ("LABEL vs BASE"; raw: "LABEL speedup vs BASE"); raw (CSV, JSON) adds one
 * peak_fraction column per device and a notes column. */
static ob_status grid_header(const ob_compare *cmp, bool csv, bool short_head, grid *g) {
  const size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  char buf[512], a[256], b[256];
  for (size_t k = 0; k < nkey(csv); k++) OB_TRY(grid_put(g, 0, k, key_head[k]));
  if (!csv) OB_TRY(grid_put(g, 0, NKEY - 2, "metric (unit)"));
  size_t col = nkey(csv);
  for (size_t d = 0; d < nd; d++, col++) {
    device_head(cmp, d, short_head, buf, sizeof buf);
    OB_TRY(grid_put(g, 0, col, buf));
    g->numeric[col] = true;
  }
  for (size_t d = 0; d < nd; d++) {
    if (d == base) continue;
    device_head(cmp, d, short_head, a, sizeof a);
    device_head(cmp, base, short_head, b, sizeof b);
    snprintf(buf, sizeof buf, "%s %s %s", a, csv ? "speedup vs" : "vs", b);
    OB_TRY(grid_put(g, 0, col, buf));
    g->numeric[col++] = true;
  }
  for (size_t d = 0; csv && d < nd; d++, col++) {
    snprintf(buf, sizeof buf, "%s peak_fraction", ob_compare_device_get(cmp, d)->label);
    OB_TRY(grid_put(g, 0, col, buf));
    g->numeric[col] = true;
  }
  if (csv) OB_TRY(grid_put(g, 0, col, "notes"));
  return OB_OK;
}

/* Grid row r + 1 from joined row r: its key, each device's cell (and peak fraction), the
 * speedups; in CSV the notes of the failed and skipped cells go to nf. */
static ob_status grid_row(const ob_compare *cmp, bool csv, grid *g, size_t r, FILE *nf) {
  const size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  const ob_compare_row *row = ob_compare_row_get(cmp, r);
  const char *key[NKEY] = {row->workload,  row->variant, row->params,
                           row->precision, row->metric,  row->unit};
  char buf[512];
  for (size_t k = 0; k < nkey(csv); k++) OB_TRY(grid_put(g, r + 1, k, key[k]));
  if (!csv) {
    snprintf(buf, sizeof buf, "%s (%s)", row->metric, row->unit);
    OB_TRY(grid_put(g, r + 1, NKEY - 2, buf));
  }
  size_t col = nkey(csv);
  for (size_t d = 0; d < nd; d++, col++) {
    ob_compare_cell c;
    if (!ob_compare_cell_get(cmp, r, d, &c)) continue;
    OB_TRY(cell_text(g, &c, csv, buf, sizeof buf));
    OB_TRY(grid_put(g, r + 1, col, buf));
    if (csv && isfinite(c.result->peak_fraction)) {
      ob_format_double(buf, sizeof buf, c.result->peak_fraction);
      OB_TRY(grid_put(g, r + 1, NKEY + 2 * nd - 1 + d, buf));
    }
    if (nf && c.result->status != OB_RESULT_OK && c.result->note[0])
      fprintf(nf, "%s%s: %s: %s", ftell(nf) ? " | " : "", ob_compare_device_get(cmp, d)->label,
              ob_result_status_name(c.result->status), c.result->note);
  }
  for (size_t d = 0; d < nd; d++) {
    if (d == base) continue;
    ob_compare_cell c;
    if (ob_compare_cell_get(cmp, r, d, &c) && isfinite(c.ratio)) {
      if (csv) ob_format_double(buf, sizeof buf, c.ratio);
      else ob_format_speedup(buf, sizeof buf, c.ratio);
      OB_TRY(grid_put(g, r + 1, col, buf));
    }
    col++;
  }
  return OB_OK;
}

/* Fills the grid: the header, then one row per joined row (grid_header, grid_row). */
static ob_status grid_build(const ob_compare *cmp, bool csv, bool short_head, grid *g) {
  const size_t nd = ob_compare_ndevices(cmp);
  g->ncols = nkey(csv) + nd + (nd - 1) + (csv ? nd + 1 : 0);
  g->nrows = 1 + ob_compare_nrows(cmp);
  g->cells = calloc(g->ncols * g->nrows, sizeof *g->cells);
  g->numeric = calloc(g->ncols, sizeof *g->numeric);
  if (!g->cells || !g->numeric) return ob_fail(OB_ERR_NOMEM, "out of memory");
  OB_TRY(grid_header(cmp, csv, short_head, g));
  for (size_t r = 0; r < ob_compare_nrows(cmp); r++) {
    char *notes = NULL;
    size_t notes_len = 0;
    FILE *nf = csv ? open_memstream(&notes, &notes_len) : NULL;
    if (csv && !nf) return ob_fail(OB_ERR_NOMEM, "out of memory");
    ob_status st = grid_row(cmp, csv, g, r, nf);
    if (nf) {
      if (fclose(nf) != 0 && st == OB_OK) st = ob_fail(OB_ERR_NOMEM, "out of memory");
      if (st == OB_OK) st = grid_put(g, r + 1, g->ncols - 1, notes);
      free(notes);
    }
    OB_TRY(st);
  }
  return OB_OK;
}

/* ------------------------------------------------------------------ the table writer */

bool ob_format_parse(const char *name, ob_format *out) {
  static const char *const names[] = {"table", "md", "csv", "json"};
  static const ob_format formats[] = {OB_FORMAT_TEXT, OB_FORMAT_MARKDOWN, OB_FORMAT_CSV,
                                      OB_FORMAT_JSON};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) {
      *out = formats[i];
      return true;
    }
  return false;
}

/* Code points in s[0..len). */
static size_t code_points(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

/* Bytes of the first max code points of s (all of s when it is shorter). */
static size_t code_point_bytes(const char *s, size_t max) {
  size_t i = 0;
  for (size_t n = 0; s[i]; n++) {
    if (n == max) break;
    i++;
    while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

size_t ob_text_wrap_next(const char *s, size_t width, const char **next) {
  size_t fit = width ? code_point_bytes(s, width) : strlen(s);
  size_t cut = fit;
  if (s[fit]) {
    for (size_t i = fit; i > 1; i--)
      if (strchr(";, /=", s[i - 1])) {
        cut = i;
        break;
      }
  }
  *next = s + cut;
  while (**next == ' ') (*next)++;
  while (cut > 0 && s[cut - 1] == ' ') cut--;
  return cut;
}

/* Writes s[0..len) for a terminal or Markdown: control characters become spaces; in Markdown
 * the characters that would start markup are escaped. */
static void put_display(FILE *out, const char *s, size_t len, bool markdown) {
  for (size_t i = 0; i < len; i++) {
    const unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == 0x7F) {
      fputc(' ', out);
    } else {
      if (markdown && strchr("\\`*_[]<>|", c)) fputc('\\', out);
      fputc(c, out);
    }
  }
}

/* Writes prefix then text wrapped to width (0: one line), later lines indented as far as the
 * prefix reaches. */
static void put_wrapped(FILE *out, const char *prefix, const char *text, size_t width,
                        bool markdown) {
  const size_t indent = code_points(prefix, strlen(prefix));
  const size_t room = width > indent + 20 ? width - indent : 0;
  fputs(prefix, out);
  const char *s = text, *next = NULL;
  do {
    size_t len = ob_text_wrap_next(s, room, &next);
    if (s != text) fprintf(out, "\n%*s", (int)indent, "");
    put_display(out, s, len, markdown);
    s = next;
  } while (*s);
  fputc('\n', out);
}

static const char *cell_at(const ob_table *t, size_t r, size_t c) {
  const char *s = t->cells[r * t->ncols + c];
  return s ? s : "";
}

/* The longest word of column c's cells (up to ';', ',' or ' '; a number column's data cells
 * only), at least 4 code points and, in a text column, at most 16: no column narrows further. */
static size_t longest_word(const ob_table *t, size_t c) {
  size_t best = 4;
  for (size_t r = t->numeric[c] ? 1 : 0; r < t->nrows; r++) {
    const char *s = cell_at(t, r, c);
    for (size_t run = 0; *s; s++) {
      run += ((unsigned char)*s & 0xC0) != 0x80;
      if (run > best) best = run;
      if (strchr(";, ", *s)) run = 0;
    }
  }
  return t->numeric[c] || best < 16 ? best : 16;
}

/* Column widths: the widest cell of each, then, while the line is wider than width, the widest
 * column that may narrow loses one, down to its longest word (longest_word: a number is one
 * word, so numbers never break), text columns before number columns. */
static void column_widths(const ob_table *t, size_t width, size_t *w) {
  size_t *min = calloc(t->ncols, sizeof *min);
  size_t total = t->ncols ? 2 * (t->ncols - 1) : 0;
  for (size_t c = 0; c < t->ncols; c++) {
    w[c] = 0;
    for (size_t r = 0; r < t->nrows; r++) {
      const char *s = cell_at(t, r, c);
      const size_t n = code_points(s, strlen(s));
      if (n > w[c]) w[c] = n;
    }
    if (min) min[c] = longest_word(t, c) < w[c] ? longest_word(t, c) : w[c];
    if (min && min[c] == 0) min[c] = 1;
    total += w[c];
  }
  /* Text columns first: a number column wraps (its status or speedup words) only when the text
   * columns are as narrow as they go. */
  for (int numbers = 0; min && width && numbers < 2; numbers++)
    while (total > width) {
      size_t widest = t->ncols;
      for (size_t c = 0; c < t->ncols; c++)
        if (t->numeric[c] == (numbers == 1) && w[c] > min[c] &&
            (widest == t->ncols || w[c] > w[widest]))
          widest = c;
      if (widest == t->ncols) break;
      w[widest]--;
      total--;
    }
  free(min);
}

static ob_status write_text_table(const ob_table *t, size_t width, FILE *out) {
  size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof *w);
  const char **at = calloc(t->ncols ? t->ncols : 1, sizeof *at);
  if (!w || !at) {
    free(w);
    free(at);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  column_widths(t, width, w);
  for (size_t r = 0; r < t->nrows; r++) {
    bool more = true;
    for (size_t c = 0; c < t->ncols; c++) at[c] = cell_at(t, r, c);
    while (more) {
      size_t pending = 0; /* spaces owed before the next text: none at the end of a line */
      more = false;
      for (size_t c = 0; c < t->ncols; c++) {
        const char *next = at[c];
        const size_t len = *at[c] ? ob_text_wrap_next(at[c], w[c], &next) : 0;
        const size_t cp = code_points(at[c], len);
        if (c > 0) pending += 2;
        if (t->numeric[c]) pending += w[c] - cp;
        if (len) {
          fprintf(out, "%*s", (int)pending, "");
          put_display(out, at[c], len, false);
          pending = 0;
        }
        if (!t->numeric[c]) pending += w[c] - cp;
        at[c] = next;
        more = more || *next;
      }
      fputc('\n', out);
    }
  }
  free(w);
  free(at);
  return OB_OK;
}

static void write_markdown_table(const ob_table *t, FILE *out) {
  for (size_t r = 0; r < t->nrows; r++) {
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = cell_at(t, r, c);
      fputs("| ", out);
      put_display(out, s, strlen(s), true);
      fputc(' ', out);
    }
    fputs("|\n", out);
    if (r == 0) {
      for (size_t c = 0; c < t->ncols; c++) fputs(t->numeric[c] ? "| ---: " : "| --- ", out);
      fputs("|\n", out);
    }
  }
}

/* A JSON string: quotes, backslashes and control characters escaped, invalid UTF-8 as U+FFFD. */
static void put_json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 && *p >= 0xC2 ? 2 : (*p & 0xF0) == 0xE0 ? 3
               : (*p & 0xF8) == 0xF0 && *p <= 0xF4 ? 4 : 0;
    for (size_t k = 1; k < len; k++)
      if ((p[k] & 0xC0) != 0x80) len = 0;
    if (len == 0) {
      fputs("\\ufffd", out);
      p++;
    } else if (*p == '"' || *p == '\\') {
      fprintf(out, "\\%c", *p++);
    } else if (*p < 0x20 || *p == 0x7F) {
      fprintf(out, "\\u%04x", *p++);
    } else {
      fwrite(p, 1, len, out);
      p += len;
    }
  }
  fputc('"', out);
}

static void write_json_table(const ob_table *t, FILE *out) {
  fputc('[', out);
  for (size_t r = 1; r < t->nrows; r++) {
    fputs(r > 1 ? ",\n  {" : "\n  {", out);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = cell_at(t, r, c);
      double v = 0.0;
      if (c) fputs(", ", out);
      put_json_string(out, cell_at(t, 0, c));
      fputs(": ", out);
      if (t->numeric[c] && !*s) fputs("null", out);
      else if (t->numeric[c] && ob_parse_double(s, &v) && isfinite(v)) fprintf(out, "%.17g", v);
      else put_json_string(out, s);
    }
    fputc('}', out);
  }
  fputs(t->nrows > 1 ? "\n]\n" : "]\n", out);
}

ob_status ob_table_write(const ob_table *t, ob_format fmt, size_t width, FILE *out) {
  ob_status st = OB_OK;
  if (fmt == OB_FORMAT_TEXT) st = write_text_table(t, width, out);
  else if (fmt == OB_FORMAT_MARKDOWN) write_markdown_table(t, out);
  else if (fmt == OB_FORMAT_JSON) write_json_table(t, out);
  else
    for (size_t r = 0; r < t->nrows; r++)
      ob_csv_fput_fields(out, t->cells + r * t->ncols, t->ncols);
  if (st == OB_OK && ferror(out)) st = ob_fail(OB_ERR_IO, "write error");
  return st;
}

/* ------------------------------------------------------------------ comparison */

static void write_legend(const ob_compare *cmp, bool markdown, size_t width, FILE *out) {
  size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  fputs(markdown ? "Devices:\n\n" : "devices:\n", out);
  for (size_t d = 0; d < nd; d++) {
    const ob_compare_device *dev = ob_compare_device_get(cmp, d);
    char prefix[32], *line = NULL;
    size_t len = 0;
    snprintf(prefix, sizeof prefix, markdown ? "- [%zu] " : "  [%zu] ", d);
    FILE *f = open_memstream(&line, &len);
    if (!f) continue;
    fprintf(f, "%s%s: %s; %s, driver %s%s%s", dev->label,
            nd > 1 && d == base ? " (baseline of the speedups)" : "", dev->name, dev->platform,
            dev->driver, dev->source[0] ? "; " : "", dev->source);
    if (fclose(f) == 0) put_wrapped(out, prefix, line, markdown ? 0 : width, markdown);
    free(line);
  }
  if (nd > 1) {
    fputs(markdown ? "\n" : "", out);
    put_wrapped(out, markdown ? "" : "  ",
                "Speedups say how many times faster a device is than the baseline, for times "
                "(lower is better) and rates (higher is better) alike.",
                markdown ? 0 : width, markdown);
  }
  fputc('\n', out);
}

static void write_notes(const grid *g, bool markdown, size_t width, FILE *out) {
  if (g->nnotes == 0) return;
  fputs(markdown ? "\nNotes:\n\n" : "\nnotes:\n", out);
  for (size_t i = 0; i < g->nnotes; i++) {
    char prefix[32];
    snprintf(prefix, sizeof prefix, markdown ? "- [%zu] " : "  [%zu] ", i + 1);
    put_wrapped(out, prefix, g->notes[i], markdown ? 0 : width, markdown);
  }
}

ob_status ob_compare_write(const ob_compare *cmp, ob_format fmt, size_t width, FILE *out) {
  /* '.' as decimal point whatever the process locale. */
  locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  if (!c_locale) return ob_fail(OB_ERR_NOMEM, "cannot create the C locale");
  locale_t old = uselocale(c_locale);
  grid g = {0};
  const bool raw = fmt == OB_FORMAT_CSV || fmt == OB_FORMAT_JSON;
  ob_status st = grid_build(cmp, raw, fmt == OB_FORMAT_TEXT && width > 0, &g);
  const ob_table t = {(const char *const *)g.cells, g.ncols, g.nrows, g.numeric};
  if (st == OB_OK && !raw) write_legend(cmp, fmt == OB_FORMAT_MARKDOWN, width, out);
  if (st == OB_OK) st = ob_table_write(&t, fmt, width, out);
  if (st == OB_OK && !raw) write_notes(&g, fmt == OB_FORMAT_MARKDOWN, width, out);
  if (st == OB_OK && (fflush(out) != 0 || ferror(out))) st = ob_fail(OB_ERR_IO, "write error");
  grid_free(&g);
  uselocale(old);
  freelocale(c_locale);
  return st;
}

/* ------------------------------------------------------------------ a run's records */

/* The records as a table of their CSV columns. */
static ob_status write_records(const ob_results *rows, ob_format fmt, FILE *out) {
  const size_t nc = ob_result_ncolumns, nr = rows->n + 1;
  const char **cells = calloc(nc * nr, sizeof *cells);
  char *numbers = malloc(nc * nr * 32);
  bool *numeric = calloc(nc, sizeof *numeric);
  ob_status st = cells && numbers && numeric ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t c = 0; st == OB_OK && c < nc; c++) {
    const ob_column_kind k = ob_result_columns[c].kind;
    cells[c] = ob_result_columns[c].name;
    numeric[c] = k == OB_COLUMN_REAL || k == OB_COLUMN_COUNT || k == OB_COLUMN_SCHEMA;
    for (size_t r = 1; r < nr; r++)
      cells[r * nc + c] = ob_result_column_text(&rows->items[r - 1], &ob_result_columns[c],
                                                numbers + (r * nc + c) * 32, 32);
  }
  const ob_table t = {cells, nc, nr, numeric};
  if (st == OB_OK) st = ob_table_write(&t, fmt, 0, out);
  free(cells);
  free(numbers);
  free(numeric);
  return st;
}

ob_status ob_results_print(const ob_results *rows, ob_format fmt, size_t width, FILE *out) {
  if (fmt == OB_FORMAT_CSV || fmt == OB_FORMAT_JSON) {
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale) return ob_fail(OB_ERR_NOMEM, "cannot create the C locale");
    locale_t old = uselocale(c_locale);
    ob_status st = write_records(rows, fmt, out);
    if (st == OB_OK && (fflush(out) != 0 || ferror(out))) st = ob_fail(OB_ERR_IO, "write error");
    uselocale(old);
    freelocale(c_locale);
    return st;
  }
  if (rows->n == 0) return OB_OK;
  ob_compare *cmp = NULL;
  OB_TRY(ob_compare_create(&cmp));
  ob_status st = ob_compare_add_results(cmp, rows);
  if (st == OB_OK) st = ob_compare_join(cmp);
  if (st == OB_OK && ob_compare_nrows(cmp) > 0) st = ob_compare_write(cmp, fmt, width, out);
  ob_compare_destroy(cmp);
  return st;
}
