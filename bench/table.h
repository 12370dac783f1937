/* An in-memory table of schema-1 rows (text fields), as written to or read from CSV files:
 * the runner's summary and the compare command work on it. */
#ifndef OB_TABLE_H
#define OB_TABLE_H

#include "oclbench.h"

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

/* Prints the rows as an aligned text table: device, workload, variant, params, metric,
 * value with unit, peak fraction, status. */
void ob_table_print_summary(const ob_table *t, FILE *out);

#endif
