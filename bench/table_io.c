/* Tables across process boundaries and onto disk: a flat byte encoding (for MPI gathers) and
 * one schema-1 CSV per (host, device) found in a table. */
#include "table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Encoding: for each row, for each of the OB_CSV_NCOLS cells, a 32-bit little-endian length and
 * the bytes. */
ob_status ob_table_encode(const ob_table *t, size_t first, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  size_t n = 0;
  for (size_t r = first; r < t->nrows; r++)
    for (int c = 0; c < OB_CSV_NCOLS; c++) n += 4 + strlen(ob_table_cell(t, r, c));
  char *buf = malloc(n ? n : 1);
  if (!buf) return ob_fail(OB_ERR_NOMEM, "out of memory encoding %zu rows", t->nrows - first);
  size_t o = 0;
  for (size_t r = first; r < t->nrows; r++)
    for (int c = 0; c < OB_CSV_NCOLS; c++) {
      const char *s = ob_table_cell(t, r, c);
      uint32_t l = (uint32_t)strlen(s);
      for (int b = 0; b < 4; b++) buf[o++] = (char)((l >> (8 * b)) & 0xff);
      memcpy(buf + o, s, l);
      o += l;
    }
  *out = buf;
  *len = n;
  return OB_OK;
}

ob_status ob_table_decode(ob_table *t, const char *buf, size_t len) {
  size_t o = 0;
  const char *fields[OB_CSV_NCOLS];
  char *cells[OB_CSV_NCOLS] = {0};
  ob_status st = OB_OK;
  while (o < len && st == OB_OK) {
    int c = 0;
    for (; c < OB_CSV_NCOLS; c++) {
      if (len - o < 4) break;
      uint32_t l = 0;
      for (int b = 0; b < 4; b++) l |= (uint32_t)(unsigned char)buf[o + (size_t)b] << (8 * b);
      o += 4;
      if (l > len - o) break;
      cells[c] = malloc((size_t)l + 1);
      if (!cells[c]) {
        st = ob_fail(OB_ERR_NOMEM, "out of memory decoding rows");
        break;
      }
      memcpy(cells[c], buf + o, l);
      cells[c][l] = '\0';
      fields[c] = cells[c];
      o += l;
    }
    if (st == OB_OK && c < OB_CSV_NCOLS) st = ob_fail(OB_ERR_INVALID, "truncated row encoding");
    if (st == OB_OK) st = ob_table_add(t, fields);
    for (int k = 0; k < OB_CSV_NCOLS; k++) {
      free(cells[k]);
      cells[k] = NULL;
    }
  }
  return st;
}

ob_status ob_table_write_device_csvs(const ob_table *t, const char *dir, size_t *files) {
  *files = 0;
  OB_TRY(ob_mkdir_p(dir));
  bool *done = calloc(t->nrows ? t->nrows : 1, sizeof *done);
  if (!done) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_OK;
  for (size_t r = 0; r < t->nrows && st == OB_OK; r++) {
    if (done[r]) continue;
    const char *host = ob_table_cell(t, r, OB_COL_HOST);
    const char *slug = ob_table_cell(t, r, OB_COL_DEVICE_SLUG);
    char path[4096];
    ob_csv_device_path(path, sizeof path, dir, host, slug);
    ob_csv_writer *w = NULL;
    st = ob_csv_writer_create_path(path, ob_csv_columns, OB_CSV_NCOLS, &w);
    for (size_t k = r; k < t->nrows && st == OB_OK; k++) {
      if (done[k] || strcmp(ob_table_cell(t, k, OB_COL_HOST), host) != 0 ||
          strcmp(ob_table_cell(t, k, OB_COL_DEVICE_SLUG), slug) != 0)
        continue;
      done[k] = true;
      st = ob_csv_writer_add_fields(w, (const char *const *)(t->cells + k * OB_CSV_NCOLS),
                                    OB_CSV_NCOLS);
    }
    if (st == OB_OK) {
      st = ob_csv_writer_commit(w);
      if (st == OB_OK) (*files)++;
    } else {
      ob_csv_writer_destroy(w);
    }
  }
  free(done);
  return st;
}
