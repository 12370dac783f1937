/* The text, Markdown and wide-CSV renderings of a cross-device comparison. */
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

static const char *grid_at(const grid *g, size_t row, size_t col) {
  const char *s = g->cells[row * g->ncols + col];
  return s ? s : "";
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

/* The header row: key columns, one value column per device, one ratio column per other
 * device; CSV adds one peak_fraction column per device and a notes column. */
static ob_status grid_header(const ob_compare *cmp, bool csv, grid *g) {
  const size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  char buf[512];
  for (size_t k = 0; k < NKEY; k++) OB_TRY(grid_put(g, 0, k, key_head[k]));
  size_t col = NKEY;
  for (size_t d = 0; d < nd; d++, col++) {
    OB_TRY(grid_put(g, 0, col, ob_compare_device_get(cmp, d)->label));
    g->numeric[col] = true;
  }
  for (size_t d = 0; d < nd; d++) {
    if (d == base) continue;
    snprintf(buf, sizeof buf, "%s ratio", ob_compare_device_get(cmp, d)->label);
    OB_TRY(grid_put(g, 0, col, buf));
    g->numeric[col++] = true;
  }
  for (size_t d = 0; csv && d < nd; d++, col++) {
    snprintf(buf, sizeof buf, "%s peak_fraction", ob_compare_device_get(cmp, d)->label);
    OB_TRY(grid_put(g, 0, col, buf));
  }
  if (csv) OB_TRY(grid_put(g, 0, col, "notes"));
  return OB_OK;
}

/* Grid row r + 1 from joined row r: its key, each device's cell (and peak fraction), the
 * ratios; in CSV the notes of the failed and skipped cells go to nf. */
static ob_status grid_row(const ob_compare *cmp, bool csv, grid *g, size_t r, FILE *nf) {
  const size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  const ob_compare_row *row = ob_compare_row_get(cmp, r);
  const char *key[NKEY] = {row->workload,  row->variant, row->params,
                           row->precision, row->metric,  row->unit};
  for (size_t k = 0; k < NKEY; k++) OB_TRY(grid_put(g, r + 1, k, key[k]));
  char buf[512];
  size_t col = NKEY;
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
      else {
        ob_format_human(buf, sizeof buf, c.ratio);
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "x");
      }
      OB_TRY(grid_put(g, r + 1, col, buf));
    }
    col++;
  }
  return OB_OK;
}

/* Fills the grid: the header, then one row per joined row (grid_header, grid_row). */
static ob_status grid_build(const ob_compare *cmp, bool csv, grid *g) {
  const size_t nd = ob_compare_ndevices(cmp);
  g->ncols = NKEY + nd + (nd - 1) + (csv ? nd + 1 : 0);
  g->nrows = 1 + ob_compare_nrows(cmp);
  g->cells = calloc(g->ncols * g->nrows, sizeof *g->cells);
  g->numeric = calloc(g->ncols, sizeof *g->numeric);
  if (!g->cells || !g->numeric) return ob_fail(OB_ERR_NOMEM, "out of memory");
  OB_TRY(grid_header(cmp, csv, g));
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

/* Writes s for a terminal or Markdown: control characters become spaces; in Markdown the
 * characters that would start markup are escaped. Returns the width in code points. */
static size_t put_display(FILE *out, const char *s, bool markdown) {
  size_t width = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p & 0xC0) != 0x80) width++;
    if (*p < 0x20 || *p == 0x7F) {
      fputc(' ', out);
    } else {
      if (markdown && strchr("\\`*_[]<>|", *p)) fputc('\\', out);
      fputc(*p, out);
    }
  }
  return width;
}

/* Width of s in code points. */
static size_t display_width(const char *s) {
  size_t width = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) width += (*p & 0xC0) != 0x80;
  return width;
}

static void write_legend(const ob_compare *cmp, bool markdown, FILE *out) {
  size_t nd = ob_compare_ndevices(cmp), base = ob_compare_baseline(cmp);
  fputs(markdown ? "Devices:\n\n" : "devices:\n", out);
  for (size_t d = 0; d < nd; d++) {
    const ob_compare_device *dev = ob_compare_device_get(cmp, d);
    fprintf(out, markdown ? "- [%zu] " : "  [%zu] ", d);
    put_display(out, dev->label, markdown);
    if (nd > 1 && d == base) fputs(" (baseline of the ratios)", out);
    fputs(": ", out);
    put_display(out, dev->name, markdown);
    fputs("; ", out);
    put_display(out, dev->platform, markdown);
    fputs(", driver ", out);
    put_display(out, dev->driver, markdown);
    if (dev->source[0]) {
      fputs("; ", out);
      put_display(out, dev->source, markdown);
    }
    fputc('\n', out);
  }
  fputc('\n', out);
}

static void write_notes(const grid *g, bool markdown, FILE *out) {
  if (g->nnotes == 0) return;
  fputs(markdown ? "\nNotes:\n\n" : "\nnotes:\n", out);
  for (size_t i = 0; i < g->nnotes; i++) {
    fprintf(out, markdown ? "- [%zu] " : "  [%zu] ", i + 1);
    put_display(out, g->notes[i], markdown);
    fputc('\n', out);
  }
}

static ob_status write_text(const ob_compare *cmp, const grid *g, FILE *out) {
  size_t *width = calloc(g->ncols, sizeof *width);
  if (!width) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t r = 0; r < g->nrows; r++)
    for (size_t c = 0; c < g->ncols; c++) {
      size_t w = display_width(grid_at(g, r, c));
      if (w > width[c]) width[c] = w;
    }
  write_legend(cmp, false, out);
  for (size_t r = 0; r < g->nrows; r++) {
    for (size_t c = 0; c < g->ncols; c++) {
      const char *s = grid_at(g, r, c);
      size_t pad = width[c] - display_width(s);
      bool last = c + 1 == g->ncols;
      if (g->numeric[c]) fprintf(out, "%*s", (int)pad, "");
      put_display(out, s, false);
      if (!g->numeric[c] && !last) fprintf(out, "%*s", (int)pad, "");
      fputs(last ? "\n" : "  ", out);
    }
  }
  write_notes(g, false, out);
  free(width);
  return OB_OK;
}

static void write_markdown(const ob_compare *cmp, const grid *g, FILE *out) {
  write_legend(cmp, true, out);
  for (size_t r = 0; r < g->nrows; r++) {
    for (size_t c = 0; c < g->ncols; c++) {
      fputs("| ", out);
      put_display(out, grid_at(g, r, c), true);
      fputc(' ', out);
    }
    fputs("|\n", out);
    if (r == 0) {
      for (size_t c = 0; c < g->ncols; c++) fputs(g->numeric[c] ? "| ---: " : "| --- ", out);
      fputs("|\n", out);
    }
  }
  write_notes(g, true, out);
}

static ob_status write_csv(const grid *g, FILE *out) {
  const char **fields = malloc(g->ncols * sizeof *fields);
  if (!fields) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t r = 0; r < g->nrows; r++) {
    for (size_t c = 0; c < g->ncols; c++) fields[c] = grid_at(g, r, c);
    ob_csv_fput_fields(out, fields, g->ncols);
  }
  free(fields);
  return OB_OK;
}

ob_status ob_compare_write(const ob_compare *cmp, ob_compare_format fmt, FILE *out) {
  /* '.' as decimal point whatever the process locale. */
  locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  if (!c_locale) return ob_fail(OB_ERR_NOMEM, "cannot create the C locale");
  locale_t old = uselocale(c_locale);
  grid g = {0};
  ob_status st = grid_build(cmp, fmt == OB_FORMAT_CSV, &g);
  if (st == OB_OK) {
    if (fmt == OB_FORMAT_TEXT) st = write_text(cmp, &g, out);
    else if (fmt == OB_FORMAT_MARKDOWN) write_markdown(cmp, &g, out);
    else st = write_csv(&g, out);
  }
  if (st == OB_OK && (fflush(out) != 0 || ferror(out))) st = ob_fail(OB_ERR_IO, "write error");
  grid_free(&g);
  uselocale(old);
  freelocale(c_locale);
  return st;
}

ob_status ob_results_print_summary(const ob_results *rows, FILE *out) {
  if (rows->n == 0) return OB_OK;
  ob_compare *cmp = NULL;
  OB_TRY(ob_compare_create(&cmp));
  ob_status st = ob_compare_add_results(cmp, rows);
  if (st == OB_OK) st = ob_compare_join(cmp);
  if (st == OB_OK && ob_compare_nrows(cmp) > 0) st = ob_compare_write(cmp, OB_FORMAT_TEXT, out);
  ob_compare_destroy(cmp);
  return st;
}
