/* Tables for people and programs: one writer of a grid of cells as aligned text (wrapped to a
 * width), Markdown, CSV or JSON, and the renderings built on it: the cross-device comparison
 * (the runner's summary and the compare command print the same table) and a run's records. */
#ifndef OB_TABLE_H
#define OB_TABLE_H

#include "compare.h"

/* The width text tables fit by default (--wide: no limit). */
#define OB_TABLE_WIDTH 100

typedef enum ob_format {
  OB_FORMAT_TEXT,     /* aligned columns, cells wrapped to fit the width; legend and notes */
  OB_FORMAT_MARKDOWN, /* a pipe table; legend and notes */
  OB_FORMAT_CSV,      /* RFC 4180, raw values */
  OB_FORMAT_JSON,     /* an array of objects keyed by the CSV header; numbers as numbers */
} ob_format;

/* The format called name ("table", "md", "csv", "json"); false when there is none. */
bool ob_format_parse(const char *name, ob_format *out);

/* A grid of text: row 0 the header, cells row-major (NULL: empty). numeric[c]: column c is
 * right-aligned and, in JSON, a number where its text is one (empty: null). */
typedef struct ob_table {
  const char *const *cells;
  size_t ncols, nrows;
  const bool *numeric;
} ob_table;

/* Writes t in fmt to out. Text: no line wider than width code points (0: no limit) as long as
 * the columns' narrowest widths allow it: the widest columns are narrowed first and their cells
 * wrapped inside the cell (after ';', ',', ' ', '/' or '=' where one falls in the line);
 * numbers are never wrapped. OB_ERR_IO on a write error. */
ob_status ob_table_write(const ob_table *t, ob_format fmt, size_t width, FILE *out);

/* The next line of s that fits width code points (0: all of s): its length in bytes; *next is
 * where the rest begins. It ends after the last ';', ',', ' ', '/' or '=' that fits, else
 * (one long word) at the width; spaces at the break are dropped. */
size_t ob_text_wrap_next(const char *s, size_t width, const char **next);

/* Formats v for reading: whole numbers from 1e4 up (no exponent), 4 significant digits
 * below. Uses the calling thread's locale (the renderers switch to "C"). */
void ob_format_human(char *buf, size_t n, double v);

/* A speedup (ob_compare_cell.ratio) for reading: "2.31x faster" from 1 up, "1.80x slower"
 * (the inverse) below. */
void ob_format_speedup(char *buf, size_t n, double ratio);

/* Writes a joined comparison (ob_compare_join done) to out: text and Markdown with the device
 * legend, the table and numbered notes (text wrapped to width, 0: no limit); CSV and JSON the
 * wide table (raw values, speedups, peak fractions, notes). Numbers use '.' as decimal point
 * whatever the locale. Failed and skipped cells show their status, absent cells are empty.
 * OB_ERR_IO when out reports a write error. */
ob_status ob_compare_write(const ob_compare *cmp, ob_format fmt, size_t width, FILE *out);

/* Prints a run's records to out: text and Markdown as the cross-device table (one column per
 * device; what `oclbench run` ends with), CSV and JSON as the records with every CSV column. */
ob_status ob_results_print(const ob_results *rows, ob_format fmt, size_t width, FILE *out);

#endif
