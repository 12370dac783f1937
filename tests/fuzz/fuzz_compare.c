/* Fuzz target: compare's CSV reader, the join and the renderings. Input: up to three parts cut
 * at NUL bytes: a CSV file, an optional second CSV file, an optional --baseline selector. The
 * files that read are joined and written as text, Markdown, wide CSV, JSON and SVG (to memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "fuzz.h"
#include "svg.h"
#include "table.h"

/* Renders one output into memory and frees it. */
static void render(const ob_compare *cmp, int format) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) abort();
  if (format < 0) ob_svg_write(cmp, NULL, f);
  else ob_compare_write(cmp, (ob_format)format, format == OB_FORMAT_TEXT ? OB_TABLE_WIDTH : 0, f);
  fclose(f);
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *parts[3], *block = NULL;
  const size_t n = fuzz_split(data, size, parts, 3, &block);
  ob_compare *cmp = NULL;
  if (ob_compare_create(&cmp) != OB_OK) abort();
  bool ok = true;
  for (size_t i = 0; i < n && i < 2 && ok; i++)
    ok = ob_compare_add_file(cmp, fuzz_file(i, parts[i], strlen(parts[i]))) == OB_OK;
  if (ok && n == 3) ok = ob_compare_set_baseline(cmp, parts[2]) == OB_OK;
  if (ok && ob_compare_join(cmp) == OB_OK) {
    for (size_t r = 0; r < ob_compare_nrows(cmp); r++)
      for (size_t d = 0; d < ob_compare_ndevices(cmp); d++) {
        ob_compare_cell c;
        if (ob_compare_cell_get(cmp, r, d, &c) && !ob_result_status_name(c.result->status)[0])
          __builtin_trap();
      }
    render(cmp, OB_FORMAT_TEXT);
    render(cmp, OB_FORMAT_MARKDOWN);
    render(cmp, OB_FORMAT_CSV);
    render(cmp, OB_FORMAT_JSON);
    render(cmp, -1);
  }
  ob_compare_destroy(cmp);
  free(block);
  return 0;
}
