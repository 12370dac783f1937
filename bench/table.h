/* The renderings of a cross-device comparison (aligned text, Markdown, wide CSV): the
 * runner's summary and the compare command print the same table. */
#ifndef OB_TABLE_H
#define OB_TABLE_H

#include "compare.h"

/* Formats v for reading: whole numbers from 1e4 up (no exponent), 4 significant digits
 * below. Uses the calling thread's locale (the renderers switch to "C"). */
void ob_format_human(char *buf, size_t n, double v);

typedef enum ob_compare_format {
  OB_FORMAT_TEXT,     /* legend, aligned columns, numbered notes */
  OB_FORMAT_MARKDOWN, /* legend, a pipe table, numbered notes */
  OB_FORMAT_CSV,      /* wide RFC 4180 table: raw values, ratios, peak fractions, notes */
} ob_compare_format;

/* Writes a joined comparison (ob_compare_join done) to out. Numbers use '.' as decimal point
 * whatever the locale. Failed and skipped cells show their status, absent cells are empty.
 * OB_ERR_IO when out reports a write error. */
ob_status ob_compare_write(const ob_compare *cmp, ob_compare_format fmt, FILE *out);

/* Prints the aligned cross-device table of a run's records (one column per device) to out:
 * the summary `oclbench run` ends with. */
ob_status ob_results_print_summary(const ob_results *rows, FILE *out);

#endif
