/* An in-memory table of schema-1 rows (text fields), as written to or read from CSV files,
 * and the renderings of a cross-device comparison (aligned text, Markdown, wide CSV): the
 * runner's summary and the compare command print the same table. */
#ifndef OB_TABLE_H
#define OB_TABLE_H

#include "oclbench.h"

/* Schema-1 column indices, in ob_csv_columns order. */
enum ob_csv_col {
  OB_COL_SCHEMA, OB_COL_TIMESTAMP, OB_COL_HOST, OB_COL_OS, OB_COL_CPU, OB_COL_PLATFORM,
  OB_COL_VENDOR, OB_COL_DEVICE, OB_COL_DEVICE_SLUG, OB_COL_DEVICE_TYPE, OB_COL_DRIVER,
  OB_COL_CL_VERSION, OB_COL_COMPUTE_UNITS, OB_COL_CLOCK_MHZ, OB_COL_GLOBAL_MEM, OB_COL_WORKLOAD,
  OB_COL_VARIANT, OB_COL_PARAMS, OB_COL_PRECISION, OB_COL_METRIC, OB_COL_UNIT, OB_COL_VALUE,
  OB_COL_TIME_MIN, OB_COL_TIME_MEDIAN, OB_COL_TIME_MAX, OB_COL_REPS, OB_COL_FLOPS, OB_COL_BYTES,
  OB_COL_PEAK_FRACTION, OB_COL_VERIFIED, OB_COL_STATUS, OB_COL_NOTE
};

typedef struct ob_table {
  char **cells;   /* nrows * OB_CSV_NCOLS strings, owned */
  size_t nrows, cap;
} ob_table;

/* Index of a schema-1 column by name; -1 when unknown. */
int ob_column_index(const char *name);

/* Appends a copy of fields[0..OB_CSV_NCOLS). */
ob_status ob_table_add(ob_table *t, const char *const *fields);
/* Cell of a row by column index ("" when out of range). */
const char *ob_table_cell(const ob_table *t, size_t row, int col);
/* Frees every cell; the table is empty and reusable afterwards. */
void ob_table_clear(ob_table *t);

/* Encodes rows [first, nrows) as bytes (malloc'ed, owned by the caller) for another process. */
ob_status ob_table_encode(const ob_table *t, size_t first, char **out, size_t *len);
/* Appends the rows of an encoding made by ob_table_encode. */
ob_status ob_table_decode(ob_table *t, const char *buf, size_t len);
/* Writes one schema-1 CSV per (host, device_slug) of the table into dir, atomically, named as
 * `oclbench run` names them; *files counts them. */
ob_status ob_table_write_device_csvs(const ob_table *t, const char *dir, size_t *files);

/* Formats v for reading: whole numbers from 1e4 up (no exponent), 4 significant digits
 * below. Uses the calling thread's locale (the renderers switch to "C"). */
void ob_format_human(char *buf, size_t n, double v);

typedef struct ob_compare ob_compare;

typedef enum ob_compare_format {
  OB_FORMAT_TEXT,     /* legend, aligned columns, numbered notes */
  OB_FORMAT_MARKDOWN, /* legend, a pipe table, numbered notes */
  OB_FORMAT_CSV,      /* wide RFC 4180 table: raw values, ratios, peak fractions, notes */
} ob_compare_format;

/* Writes a joined comparison (ob_compare_join done) to out. Numbers use '.' as decimal point
 * whatever the locale. Failed and skipped cells show their status, absent cells are empty.
 * OB_ERR_IO when out reports a write error. */
ob_status ob_compare_write(const ob_compare *cmp, ob_compare_format fmt, FILE *out);

/* Prints the aligned cross-device table of rows (the runner's rows, one column per device)
 * to out: the summary `oclbench run` ends with. */
ob_status ob_table_print_summary(const ob_table *rows, FILE *out);

#endif
