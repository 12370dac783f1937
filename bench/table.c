/* In-memory table of schema-1 rows and its aligned text summary. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

int ob_column_index(const char *name) {
  for (int i = 0; i < OB_CSV_NCOLS; i++)
    if (strcmp(ob_csv_columns[i], name) == 0) return i;
  return -1;
}

ob_status ob_table_add(ob_table *t, const char *const *fields) {
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    char **grown = realloc(t->cells, cap * OB_CSV_NCOLS * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    t->cells = grown;
    t->cap = cap;
  }
  char **row = t->cells + t->nrows * OB_CSV_NCOLS;
  for (size_t i = 0; i < OB_CSV_NCOLS; i++) {
    row[i] = strdup(fields[i] ? fields[i] : "");
    if (!row[i]) {
      for (size_t j = 0; j < i; j++) free(row[j]);
      return ob_fail(OB_ERR_NOMEM, "out of memory");
    }
  }
  t->nrows++;
  return OB_OK;
}

const char *ob_table_cell(const ob_table *t, size_t row, int col) {
  if (row >= t->nrows || col < 0 || col >= OB_CSV_NCOLS) return "";
  return t->cells[row * OB_CSV_NCOLS + (size_t)col];
}

void ob_table_clear(ob_table *t) {
  for (size_t i = 0; i < t->nrows * OB_CSV_NCOLS; i++) free(t->cells[i]);
  free(t->cells);
  memset(t, 0, sizeof *t);
}

void ob_table_print_summary(const ob_table *t, FILE *out) {
  enum { NCOL = 7 };
  static const char *const head[NCOL] = {"device", "workload", "variant", "params",
                                         "metric", "value",    "status"};
  const int src[NCOL] = {ob_column_index("device_slug"), ob_column_index("workload"),
                         ob_column_index("variant"),     ob_column_index("params"),
                         ob_column_index("metric"),      -1,
                         ob_column_index("status")};
  const int value_col = ob_column_index("value"), unit_col = ob_column_index("unit");
  const int frac_col = ob_column_index("peak_fraction");
  size_t width[NCOL];
  for (int c = 0; c < NCOL; c++) width[c] = strlen(head[c]);
  char cell[96];
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      for (int c = 0; c < NCOL; c++) fprintf(out, "%-*s%s", (int)width[c], head[c], c + 1 < NCOL ? "  " : "\n");
    }
    for (size_t r = 0; r < t->nrows; r++) {
      if (strcmp(ob_table_cell(t, r, ob_column_index("metric")), "compile_time") == 0) continue;
      for (int c = 0; c < NCOL; c++) {
        const char *s = src[c] >= 0 ? ob_table_cell(t, r, src[c]) : "";
        if (c == 5) {
          const char *frac = ob_table_cell(t, r, frac_col);
          double v = 0.0, f = 0.0;
          if (ob_parse_double(ob_table_cell(t, r, value_col), &v)) {
            if (ob_parse_double(frac, &f))
              snprintf(cell, sizeof cell, "%.4g %s (%.0f%%)", v, ob_table_cell(t, r, unit_col), 100.0 * f);
            else snprintf(cell, sizeof cell, "%.4g %s", v, ob_table_cell(t, r, unit_col));
          } else {
            snprintf(cell, sizeof cell, "-");
          }
          s = cell;
        }
        size_t len = strlen(s);
        if (c == 3 && len > 48) len = 48;
        if (pass == 0) {
          if (len > width[c]) width[c] = len;
        } else {
          fprintf(out, "%-*.*s%s", (int)width[c], (int)len, s, c + 1 < NCOL ? "  " : "\n");
        }
      }
    }
  }
}
