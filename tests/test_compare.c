/* compare: validation, the join (merged params, missing, failed and skipped cells), baseline
 * selection, the text/Markdown/CSV tables, the SVG (xmllint), and real CSVs of a quick run. */
#include "support.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "json_check.h"
#include "svg.h"
#include "table.h"

static char laptop[4096], server[4096];

static int setup_paths(void **state) {
  (void)state;
  const char *src = getenv("OB_SOURCE_DIR");
  snprintf(laptop, sizeof laptop, "%s/tests/data/compare/laptop.csv", src && *src ? src : ".");
  snprintf(server, sizeof server, "%s/tests/data/compare/server.csv", src && *src ? src : ".");
  return 0;
}

static const char *binary(void) {
  const char *bin = getenv("OB_TEST_BINARY");
  return bin && *bin ? bin : "./oclbench";
}

static ob_compare *load_two(void) {
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, laptop));
  OB_ASSERT_OK(ob_compare_add_file(cmp, server));
  return cmp;
}

/* Index of the row with this workload, variant and (merged) params; fails when absent. */
static size_t find_row(const ob_compare *cmp, const char *workload, const char *variant,
                       const char *params) {
  for (size_t r = 0; r < ob_compare_nrows(cmp); r++) {
    const ob_compare_row *row = ob_compare_row_get(cmp, r);
    if (strcmp(row->workload, workload) == 0 && strcmp(row->variant, variant) == 0 &&
        strcmp(row->params, params) == 0)
      return r;
  }
  fail_msg("no row %s %s %s", workload, variant, params);
  return 0;
}

static void joins_devices_with_merged_missing_failed_and_skipped_cells(void **state) {
  (void)state;
  ob_compare *cmp = load_two();
  OB_ASSERT_OK(ob_compare_join(cmp));
  assert_int_equal(ob_compare_ndevices(cmp), 2);
  const ob_compare_device *a = ob_compare_device_get(cmp, 0), *b = ob_compare_device_get(cmp, 1);
  assert_string_equal(a->label, "laptop/pocl-cpu-0");
  assert_string_equal(b->label, "server/nvidia-gpu-0");
  assert_string_equal(b->name, "NVIDIA H200, \"SXM\"\nrev 1");
  assert_string_equal(b->source, server);
  assert_int_equal(ob_compare_baseline(cmp), 0);
  /* 3 peak (merged across calibrated params), 2 linear, 1 conv, 1 adam, 2 x 9 ising; no
   * compile_time row. */
  assert_int_equal(ob_compare_nrows(cmp), 25);
  ob_compare_cell c;

  size_t r = find_row(cmp, "peak", "fma_float4", "width=4;global=*;rounds=*");
  assert_int_equal(r, 0);
  assert_true(ob_compare_cell_get(cmp, r, 0, &c));
  assert_true(c.result->value == 50.0 && isnan(c.ratio));
  assert_string_equal(c.result->params, "width=4;global=1024;rounds=100");
  assert_int_equal(c.line, 3);
  assert_true(ob_compare_cell_get(cmp, r, 1, &c));
  assert_true(c.result->value == 50000.0 && c.ratio == 1000.0);
  r = find_row(cmp, "peak", "copy", "bytes=*");
  assert_true(ob_compare_cell_get(cmp, r, 1, &c) && c.ratio == 200.0);
  r = find_row(cmp, "peak", "queue_to_start", "kernel=empty");
  /* a time: 4 us against 8 us is twice as fast, as 1000x the GFLOP/s is 1000 times */
  assert_true(ob_compare_cell_get(cmp, r, 1, &c) && c.ratio == 2.0);

  r = find_row(cmp, "linear", "own", "m=1024;n=1024;k=1024");
  assert_true(ob_compare_cell_get(cmp, r, 0, &c));
  assert_true(c.result->value == 45.0 && fabs(c.result->peak_fraction - 0.9) < 1e-12);
  assert_true(ob_compare_cell_get(cmp, r, 1, &c));
  assert_int_equal(c.result->status, OB_RESULT_FAILED);
  assert_string_equal(c.result->note, "CL_OUT_OF_RESOURCES, at \"clEnqueueNDRangeKernel\"");
  assert_true(isnan(c.ratio));

  r = find_row(cmp, "conv", "own", "n=1;c=64;h=56;w=56");
  assert_false(ob_compare_cell_get(cmp, r, 0, &c));
  assert_true(ob_compare_cell_get(cmp, r, 1, &c));
  assert_int_equal(c.result->status, OB_RESULT_SKIPPED);
  r = find_row(cmp, "adam", "fused", "params=10485760");
  assert_false(ob_compare_cell_get(cmp, r, 1, &c));

  /* ising rows stay apart per chains (each device has several) and are grouped together */
  r = find_row(cmp, "ising", "naive", "graph=grid:20x20;chains=1024;sweeps=100");
  assert_true(ob_compare_cell_get(cmp, r, 1, &c) && fabs(c.ratio - 10.0) < 1e-9);
  r = find_row(cmp, "ising", "naive", "graph=grid:20x20;chains=65536;sweeps=100");
  assert_false(ob_compare_cell_get(cmp, r, 0, &c));
  for (size_t i = 7; i < 25; i++) assert_string_equal(ob_compare_row_get(cmp, i)->workload, "ising");
  ob_compare_destroy(cmp);
}

static void baseline_selection(void **state) {
  (void)state;
  static const char *const to_server[] = {"1", "server/nvidia-gpu-0", "server:nvidia-gpu-0",
                                          "nvidia-gpu-0"};
  for (size_t i = 0; i < sizeof to_server / sizeof *to_server; i++) {
    ob_compare *cmp = load_two();
    OB_ASSERT_OK(ob_compare_set_baseline(cmp, to_server[i]));
    OB_ASSERT_OK(ob_compare_join(cmp));
    assert_int_equal(ob_compare_baseline(cmp), 1);
    ob_compare_cell c;
    assert_true(ob_compare_cell_get(cmp, 0, 0, &c) && fabs(c.ratio - 0.001) < 1e-15);
    ob_compare_destroy(cmp);
  }
  static const char *const bad[] = {"2", "nope", "laptop:nvidia-gpu-0", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ob_compare *cmp = load_two();
    assert_int_equal(ob_compare_set_baseline(cmp, bad[i]), OB_ERR_INVALID);
    assert_non_null(strstr(ob_error_detail(), "0=laptop/pocl-cpu-0 ("));
    assert_non_null(strstr(ob_error_detail(), "), 1=server/nvidia-gpu-0 ("));
    ob_compare_destroy(cmp);
  }
}

static void same_host_and_slug_twice_gets_a_numbered_column(void **state) {
  (void)state;
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, laptop));
  OB_ASSERT_OK(ob_compare_add_file(cmp, laptop));
  assert_int_equal(ob_compare_set_baseline(cmp, "pocl-cpu-0"), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "matches 2 device columns"));
  OB_ASSERT_OK(ob_compare_set_baseline(cmp, "laptop/pocl-cpu-0#2"));
  OB_ASSERT_OK(ob_compare_join(cmp));
  assert_string_equal(ob_compare_device_get(cmp, 1)->label, "laptop/pocl-cpu-0#2");
  /* identical files: exact joins, every ratio 1 */
  assert_int_equal(ob_compare_nrows(cmp), 18);
  ob_compare_cell c;
  assert_true(ob_compare_cell_get(cmp, 0, 0, &c) && c.ratio == 1.0);
  ob_compare_destroy(cmp);
}

/* Renders a format into a malloc'ed string. */
static char *render(const ob_compare *cmp, int fmt) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  if (fmt < 0) OB_ASSERT_OK(ob_svg_write(cmp, NULL, f));
  else OB_ASSERT_OK(ob_compare_write(cmp, (ob_format)fmt, 0, f));
  assert_int_equal(fclose(f), 0);
  return buf;
}

/* Appends a record read from a CSV to the results vector user. */
static ob_status collect_record(void *user, size_t line, ob_result *r) {
  (void)line;
  return ob_results_push(user, r);
}

typedef struct csv_grid {
  char cells[32][16][128];
  size_t nrec, ncols[32];
} csv_grid;

static ob_status collect(void *user, size_t line, char **fields, size_t n) {
  (void)line;
  csv_grid *g = user;
  if (g->nrec == 32) return OB_OK;
  g->ncols[g->nrec] = n;
  for (size_t i = 0; i < n && i < 16; i++)
    snprintf(g->cells[g->nrec][i], sizeof g->cells[g->nrec][i], "%s", fields[i]);
  g->nrec++;
  return OB_OK;
}

static void tables_in_text_markdown_and_csv(void **state) {
  (void)state;
  /* A comma decimal locale must not leak into any output. */
  bool german = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
  ob_compare *cmp = load_two();
  OB_ASSERT_OK(ob_compare_join(cmp));

  char *text = render(cmp, OB_FORMAT_TEXT);
  assert_non_null(strstr(text, "[1] server/nvidia-gpu-0: NVIDIA H200, \"SXM\" rev 1; NVIDIA CUDA"));
  assert_non_null(strstr(text, "laptop/pocl-cpu-0  server/nvidia-gpu-0  "
                              "server/nvidia-gpu-0 vs laptop/pocl-cpu-0"));
  assert_non_null(strstr(text, "2.00x faster"));
  assert_non_null(strstr(text, "1000x faster"));
  assert_non_null(strstr(text, "45 (90%)"));
  assert_non_null(strstr(text, "failed [1]"));
  assert_non_null(strstr(text, "skipped [2]"));
  assert_non_null(strstr(text, "[1] failed: CL_OUT_OF_RESOURCES, at \"clEnqueueNDRangeKernel\""));
  /* aligned: device columns end at the same offset in the header and in every row */
  const char *head = strstr(text, "workload  ");
  const char *line = strstr(text, "\nlinear") + 1;
  size_t head_end = (size_t)(strstr(head, "laptop/pocl-cpu-0") - head) + strlen("laptop/pocl-cpu-0");
  size_t line_end = (size_t)(strstr(line, "40 (80%)") - line) + strlen("40 (80%)");
  assert_int_equal(head_end, line_end);
  free(text);

  char *md = render(cmp, OB_FORMAT_MARKDOWN);
  assert_non_null(strstr(md, "| workload | variant | params |"));
  assert_non_null(strstr(md, "| precision | metric (unit) | laptop/pocl-cpu-0 |"));
  assert_non_null(strstr(md, "| --- | --- | --- | --- | --- | ---: | ---: | ---: |"));
  assert_non_null(strstr(md, "| fma\\_float4 | width=4;global=\\*;rounds=\\* |"));
  assert_non_null(strstr(md, "NVIDIA H200, \"SXM\" rev 1"));
  free(md);

  char *csv = render(cmp, OB_FORMAT_CSV);
  char path[4200];
  snprintf(path, sizeof path, "%s/wide.csv", ob_test_tmpdir());
  OB_ASSERT_OK(ob_write_file_atomic(path, csv, strlen(csv)));
  free(csv);
  csv_grid *g = calloc(1, sizeof *g);
  OB_ASSERT_OK(ob_csv_read(path, collect, g));
  assert_int_equal(g->nrec, 26);
  assert_int_equal(g->ncols[0], 12);
  assert_string_equal(g->cells[0][6], "laptop/pocl-cpu-0");
  assert_string_equal(g->cells[0][8], "server/nvidia-gpu-0 speedup vs laptop/pocl-cpu-0");
  assert_string_equal(g->cells[0][10], "server/nvidia-gpu-0 peak_fraction");
  assert_string_equal(g->cells[1][2], "width=4;global=*;rounds=*");
  assert_string_equal(g->cells[1][7], "50000");
  assert_string_equal(g->cells[1][8], "1000");
  assert_string_equal(g->cells[3][8], "2");
  assert_string_equal(g->cells[4][10], "0.04");
  assert_string_equal(g->cells[5][6], "45");
  assert_string_equal(g->cells[5][7], "failed");
  assert_string_equal(g->cells[5][8], "");
  assert_string_equal(g->cells[5][11],
                      "server/nvidia-gpu-0: failed: CL_OUT_OF_RESOURCES, at \"clEnqueueNDRangeKernel\"");
  assert_string_equal(g->cells[6][6], "");
  assert_string_equal(g->cells[6][7], "skipped");
  free(g);
  ob_compare_destroy(cmp);
  if (german) setlocale(LC_ALL, "C");
}

/* Writes text to DIR/name and returns the path (static storage, one per call site). */
static void write_text(char *path, size_t n, const char *dir, const char *name, const char *text) {
  snprintf(path, n, "%s/%s", dir, name);
  OB_ASSERT_OK(ob_write_file_atomic(path, text, strlen(text)));
}

/* The laptop file's header and first row (lines 1-2), the base for the malformed cases. */
static void good_lines(char *buf, size_t n) {
  char *all = NULL;
  OB_ASSERT_OK(ob_read_file(laptop, &all, NULL));
  const char *second = strstr(strstr(all, "\r\n") + 2, "\r\n");
  assert_non_null(second);
  snprintf(buf, n, "%.*s", (int)(second + 2 - all), all);
  free(all);
}

typedef struct bad_case {
  const char *name;
  char text[8192];
  const char *expect;
} bad_case;

/* Replaces the first `from` in s (which must hold it) by `to`. */
static void replace_once(char *s, size_t n, const char *from, const char *to) {
  char *at = strstr(s, from);
  assert_non_null(at);
  char tail[8192];
  snprintf(tail, sizeof tail, "%s", at + strlen(from));
  snprintf(at, n - (size_t)(at - s), "%s%s", to, tail);
}

static void malformed_csvs_exit_2_with_file_and_line_and_write_nothing(void **state) {
  (void)state;
  static char base[8192]; /* header + the laptop's compile_time row (line 2) */
  good_lines(base, sizeof base);
  const char *row = strstr(base, "\r\n") + 2;
  static bad_case cases[7];
  size_t nc = 0;
  cases[nc] = (bad_case){"status.csv", "", "status.csv:3: unknown status 'xx'"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s%s", base, row);
  replace_once(cases[nc].text + strlen(base), sizeof cases[nc].text - strlen(base), ",n/a,ok,", ",n/a,xx,");
  nc++;
  cases[nc] = (bad_case){"number.csv", "", "number.csv:3: value '0,5' is not a number"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s%s", base, row);
  replace_once(cases[nc].text + strlen(base), sizeof cases[nc].text - strlen(base), ",s,0.5,", ",s,\"0,5\",");
  nc++;
  /* a record whose quoted note spans lines 3-4, then a short record on line 5 */
  cases[nc] = (bad_case){"count.csv", "", "count.csv:5: 3 fields, the header has 32"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s%s", base, row);
  replace_once(cases[nc].text + strlen(base), sizeof cases[nc].text - strlen(base), ",n/a,ok,\r\n",
               ",n/a,ok,\"two\nlines, \"\"quoted\"\"\"\r\n1,2,3\r\n");
  nc++;
  cases[nc] = (bad_case){"quote.csv", "", "quote.csv:3: malformed CSV"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s\"unterminated,\r\n", base);
  nc++;
  cases[nc] = (bad_case){"schema2.csv", "", "schema2.csv:3: schema '2'"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s2%s", base, row + 1);
  nc++;
  cases[nc] = (bad_case){"okempty.csv", "", "okempty.csv:3: status ok without a value"};
  snprintf(cases[nc].text, sizeof cases[nc].text, "%s%s", base, row);
  replace_once(cases[nc].text + strlen(base), sizeof cases[nc].text - strlen(base), ",s,0.5,", ",s,,");
  nc++;
  cases[nc] = (bad_case){"header.csv", "a,b,c\r\n1,2,3\r\n", "header.csv: not an oclbench schema-1 CSV"};
  nc++;

  char dir[4096];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  for (size_t i = 0; i < nc; i++) {
    char path[4200], cmd[16384], *out = NULL, *err = NULL;
    write_text(path, sizeof path, dir, cases[i].name, cases[i].text);
    snprintf(cmd, sizeof cmd, "cd %s && %s compare %s %s --out o.csv --md o.md --svg o.svg", dir,
             binary(), laptop, cases[i].name);
    int rc = ob_test_run(cmd, &out, &err);
    if (rc != 2 || !strstr(err, cases[i].expect))
      fail_msg("%s: rc %d, stderr '%s', expected '%s'", cases[i].name, rc, err, cases[i].expect);
    assert_string_equal(out, "");
    free(out);
    free(err);
    struct stat sb;
    snprintf(path, sizeof path, "%s/o.csv", dir);
    assert_int_not_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/o.svg", dir);
    assert_int_not_equal(stat(path, &sb), 0);
  }
  /* and through the API: empty file, header only */
  char path[4200];
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  write_text(path, sizeof path, dir, "empty.csv", "");
  assert_int_equal(ob_compare_add_file(cmp, path), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "empty.csv: empty file"));
  *strstr(base, "\r\n") = '\0';
  write_text(path, sizeof path, dir, "header_only.csv", base);
  assert_int_equal(ob_compare_add_file(cmp, path), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "header_only.csv: no rows"));
  assert_int_equal(ob_compare_add_file(cmp, "/nonexistent/x.csv"), OB_ERR_IO);
  ob_compare_destroy(cmp);
}

static void cli_arguments_are_validated(void **state) {
  (void)state;
  char args[16384], err[4096];
  /* {} stands for the laptop CSV */
  struct { const char *args, *expect; } cases[] = {
      {"compare", "no CSV files"},
      {"compare {} --bogus", "unknown option '--bogus'"},
      {"compare {} --baseline 7", "--baseline '7' is not a device column"},
      {"compare {} --out /nonexistent-dir/x.csv", "directory '/nonexistent-dir' does not exist"},
      {"compare {} --out {}", "would overwrite an input file"},
      {"compare {} --md x.md --svg x.md", "name the same file"},
      {"compare {} --out", "--out needs a value"},
      {"compare /nonexistent.csv", "/nonexistent.csv: cannot open"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t len = 0;
    for (const char *p = cases[i].args; *p && len + 1 < sizeof args;) {
      if (strncmp(p, "{}", 2) == 0) {
        len += (size_t)snprintf(args + len, sizeof args - len, "%s", laptop);
        p += 2;
      } else {
        args[len++] = *p++;
      }
    }
    args[len] = '\0';
    int rc = ob_test_cli(args, err, sizeof err);
    if (rc != 2 || !strstr(err, cases[i].expect))
      fail_msg("'%s': rc %d, stderr '%s', expected '%s'", args, rc, err, cases[i].expect);
  }
}

static bool xml_valid(const char *path) {
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
  return system(cmd) == 0;
}

static void svg_is_valid_xml_with_bars_curves_and_escaped_text(void **state) {
  (void)state;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  char cmd[16384], svg[4200], *out = NULL, *err = NULL;
  snprintf(svg, sizeof svg, "%s/plot.svg", dir);
  snprintf(cmd, sizeof cmd, "%s compare %s %s --svg %s", binary(), laptop, server, svg);
  assert_int_equal(ob_test_run(cmd, &out, &err), 0);
  assert_non_null(strstr(err, "wrote"));
  free(out);
  free(err);
  /* plot.svg is the index of one figure per workload family, each valid on its own */
  assert_true(xml_valid(svg));
  char *doc = NULL;
  OB_ASSERT_OK(ob_read_file(svg, &doc, NULL));
  static const char *const families[] = {"peak", "linear", "conv", "adam", "ising"};
  for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
    char href[64], file[4300];
    snprintf(href, sizeof href, "href=\"plot-%s.svg\"", families[i]);
    assert_non_null(strstr(doc, href));
    snprintf(file, sizeof file, "%s/plot-%s.svg", dir, families[i]);
    assert_true(xml_valid(file));
  }
  free(doc);
  snprintf(cmd, sizeof cmd, "cat %s/plot-*.svg", dir);
  assert_int_equal(ob_test_run(cmd, &doc, &err), 0);
  free(err);
  assert_non_null(strstr(doc, "NVIDIA H200, &quot;SXM&quot; rev 1"));
  assert_non_null(strstr(doc, "peak: gflops"));
  assert_non_null(strstr(doc, "GFLOP/s, log scale (higher is better)")); /* 50 vs 50000 */
  assert_non_null(strstr(doc, "us (lower is better)"));                 /* 8 vs 4: linear */
  assert_non_null(strstr(doc, "ising: flips_per_ns vs parallel chains, graph=grid:20x20;sweeps=100"));
  assert_non_null(strstr(doc, "ising: flips_per_ns vs parallel chains, graph=pegasus:14;sweeps=100"));
  assert_non_null(strstr(doc, "parallel chains, log scale"));
  assert_non_null(strstr(doc, "388 @ 65536 chains"));
  assert_non_null(strstr(doc, ">failed</text>"));
  assert_non_null(strstr(doc, ">skipped</text>"));
  /* one curve per device and graph: 4 polylines; the server's grid curve has 9 points */
  size_t lines = 0;
  for (const char *p = strstr(doc, "<polyline"); p; p = strstr(p + 1, "<polyline")) lines++;
  assert_int_equal(lines, 4);
  assert_non_null(strstr(doc, "server/nvidia-gpu-0: 38.8 flips/ns at 65536 chains"));
  free(doc);

  /* invalid UTF-8, control characters and markup in a device name still make valid XML */
  char *bad = NULL;
  OB_ASSERT_OK(ob_read_file(server, &bad, NULL));
  char *name = strstr(bad, "NVIDIA H200");
  memcpy(name, "<a&\xff\x01\xc3", 6);
  char path[4200];
  write_text(path, sizeof path, dir, "bad-utf8.csv", bad);
  free(bad);
  snprintf(cmd, sizeof cmd, "%s compare %s %s --svg %s", binary(), laptop, path, svg);
  assert_int_equal(ob_test_run(cmd, &out, &err), 0);
  free(out);
  free(err);
  assert_true(xml_valid(svg));
}

static void real_csvs_of_a_quick_run(void **state) {
  (void)state;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  char cmd[16384], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd, "%s run peak --quick --seconds 0.05 %s --out %s", binary(),
           ob_test_device_args(), dir);
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("run: rc %d: %s", rc, err);
  /* run prints the cross-device table too */
  assert_non_null(strstr(out, "devices:\n  [0] "));
  assert_non_null(strstr(out, "workload  variant"));
  assert_non_null(strstr(out, "fma_float4"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "ls %s/*.csv", dir);
  char *list = NULL;
  assert_int_equal(ob_test_run(cmd, &list, &err), 0);
  free(err);
  char *nl = strchr(list, '\n');
  assert_non_null(nl);
  *nl = '\0';
  /* the same device "on another host", as when CSVs are copied together */
  snprintf(cmd, sizeof cmd,
           "awk -F, 'BEGIN{OFS=\",\"} NR>1{$3=\"otherhost\"} {print}' %s > %s/other.txt", list, dir);
  assert_int_equal(system(cmd), 0);
  snprintf(cmd, sizeof cmd,
           "cd %s && %s compare %s other.txt %s --wide --svg plot.svg --md t.md --out t.csv",
           dir, binary(), list, server);
  rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("compare: rc %d: %s", rc, err);
  assert_non_null(strstr(out, "otherhost/"));
  /* the PoCL and the server FMA rows are joined: params that differ are merged */
  assert_non_null(strstr(out, "width=4;chains=*;global=*;rounds=*"));
  free(out);
  free(err);
  char svg[4200];
  snprintf(svg, sizeof svg, "%s/plot.svg", dir);
  assert_true(xml_valid(svg));
  free(list);
}

/* The schema-1 header line. */
static void header_line(char *buf, size_t n) {
  size_t len = 0;
  for (size_t i = 0; i < OB_RESULT_SCHEMA_COLS; i++)
    len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "," : "", ob_result_columns[i].name);
  snprintf(buf + len, n - len, "\r\n");
}

/* A per-device CSV of one peak fma_float4 row of host/slug with these params and value. */
static void device_csv(char *path, size_t n, const char *dir, const char *name, const char *host,
                       const char *slug, const char *params, const char *value) {
  char text[4096];
  header_line(text, sizeof text);
  size_t len = strlen(text);
  snprintf(text + len, sizeof text - len,
           "1,2025-01-01T00:00:00Z,%s,Linux,cpu,plat,vendor,dev,%s,cpu,drv,OpenCL 3.0,8,3000,"
           "16000000000,peak,fma_float4,%s,fp32,gflops,GFLOP/s,%s,0.001,0.001,0.001,10,,,,n/a,ok,"
           "\r\n", host, slug, params, value);
  write_text(path, n, dir, name, text);
}

/* Regression (issue 16): two valid files whose rows join on workload, variant, precision and
 * metric but differ in their params keys and in how many are device-chosen (key=*): the merged
 * params ("k=*" for a bare "k") are longer than the inputs, which overflowed the buffer. */
static void merged_params_longer_than_their_inputs(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char a[4200], b[4200];
  device_csv(a, sizeof a, dir, "a.csv", "hosta", "dev-a",
             "k0;k1;k2;k3;k4;k5;k6;k7;k8;k9;k10;k11;k12;k13;k14;k15;rounds=*", "50");
  device_csv(b, sizeof b, dir, "b.csv", "hostb", "dev-b", "width=4;rounds=*;global=*", "5000");
  const char *want = "k0=*;k1=*;k2=*;k3=*;k4=*;k5=*;k6=*;k7=*;k8=*;k9=*;k10=*;k11=*;k12=*;"
                     "k13=*;k14=*;k15=*;rounds=*;width=*;global=*";
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, a));
  OB_ASSERT_OK(ob_compare_add_file(cmp, b));
  OB_ASSERT_OK(ob_compare_join(cmp));
  assert_int_equal(ob_compare_nrows(cmp), 1);
  assert_string_equal(ob_compare_row_get(cmp, 0)->params, want);
  ob_compare_cell c;
  assert_true(ob_compare_cell_get(cmp, 0, 1, &c) && c.ratio == 100.0);
  ob_compare_destroy(cmp);
  char cmd[16384], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd,
           "cd %s && %s compare a.csv b.csv --wide --out o.csv --md o.md --svg o.svg", dir,
           binary());
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("rc %d: %s", rc, err);
  assert_non_null(strstr(out, want));
  free(out);
  free(err);
}

/* A subnormal number is a number. */
static void subnormal_values_are_numbers(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char a[4200];
  device_csv(a, sizeof a, dir, "tiny.csv", "h", "d", "width=4", "1e-308");
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, a));
  OB_ASSERT_OK(ob_compare_join(cmp));
  ob_compare_cell c;
  assert_true(ob_compare_cell_get(cmp, 0, 0, &c) && c.result->value > 0.0 && c.result->value < 1e-307);
  ob_compare_destroy(cmp);
}

/* In-memory records of one device: n rows of one workload with distinct params, every other
 * one failed with a distinct note. */
static void many_rows(ob_results *t, size_t n, size_t ndev) {
  for (size_t i = 0; i < n; i++) {
    char params[64], note[64], slug[32];
    snprintf(params, sizeof params, "graph=grid:20x20;chains=%zu", i + 1);
    snprintf(note, sizeof note, "note %zu", i);
    snprintf(slug, sizeof slug, "dev-%zu", i % ndev);
    ob_result r;
    ob_result_init(&r);
    for (size_t c = 0; c < ob_result_ncolumns; c++)
      if (ob_result_columns[c].kind == OB_COLUMN_TEXT)
        OB_ASSERT_OK(ob_result_set((char **)((char *)&r + ob_result_columns[c].offset), ""));
    OB_ASSERT_OK(ob_result_set(&r.host, "host"));
    OB_ASSERT_OK(ob_result_set(&r.device_slug, slug));
    OB_ASSERT_OK(ob_result_set(&r.workload, "ising"));
    OB_ASSERT_OK(ob_result_set(&r.variant, "gibbs"));
    OB_ASSERT_OK(ob_result_set(&r.params, params));
    OB_ASSERT_OK(ob_result_set(&r.precision, "fp32"));
    OB_ASSERT_OK(ob_result_set(&r.metric, "flips_per_ns"));
    OB_ASSERT_OK(ob_result_set(&r.unit, "flips/ns"));
    OB_ASSERT_OK(ob_result_set(&r.note, i % 2 ? note : ""));
    r.value = (double)(1 + i % 97);
    r.status = i % 2 ? OB_RESULT_FAILED : OB_RESULT_OK;
    OB_ASSERT_OK(ob_results_push(t, &r));
  }
}

/* Joining, merging and rendering take time linear in the rows (issue 16: grouping was O(n^2),
 * a 50 MB file did not finish): 100,000 rows, each key, note and group distinct, must be done
 * long before the alarm (quadratic work would take hours). */
static void join_and_tables_are_linear_in_the_rows(void **state) {
  (void)state;
  ob_results t = {0};
  many_rows(&t, 100000, 1);
  alarm(300);
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_results(cmp, &t));
  OB_ASSERT_OK(ob_compare_join(cmp));
  assert_int_equal(ob_compare_nrows(cmp), 100000);
  assert_string_equal(ob_compare_row_get(cmp, 99999)->params, "graph=grid:20x20;chains=100000");
  char *text = render(cmp, OB_FORMAT_TEXT);
  assert_non_null(strstr(text, "[50000] failed: note 99999"));
  free(text);
  free(render(cmp, OB_FORMAT_CSV));
  char *svg = render(cmp, -1);
  assert_non_null(strstr(svg, "90000 more rows not drawn"));
  free(svg);
  alarm(0);
  ob_compare_destroy(cmp);
  ob_results_clear(&t);
}

/* At most OB_COMPARE_MAX_DEVICES device columns: the cells are one per row and column. */
static void device_columns_are_bounded(void **state) {
  (void)state;
  ob_results t = {0};
  many_rows(&t, OB_COMPARE_MAX_DEVICES + 1, OB_COMPARE_MAX_DEVICES + 1);
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  assert_int_equal(ob_compare_add_results(cmp, &t), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "a device column beyond the 128 that compare takes"));
  ob_compare_destroy(cmp);
  ob_results_clear(&t);
}


/* ------------------------------------------------------------------ issue 15 */

/* A comparison of the CSV files paths[0..n) (paths relative to the source tree), joined. */
static ob_compare *load_files(const char *const *paths, size_t n) {
  const char *src = getenv("OB_SOURCE_DIR");
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  for (size_t i = 0; i < n; i++) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", src && *src ? src : ".", paths[i]);
    OB_ASSERT_OK(ob_compare_add_file(cmp, path));
  }
  OB_ASSERT_OK(ob_compare_join(cmp));
  return cmp;
}

/* Code points of the longest line of text. */
static size_t widest_line(const char *text) {
  size_t widest = 0, w = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p == '\n') w = 0;
    else w += (*p & 0xC0) != 0x80;
    if (w > widest) widest = w;
  }
  return widest;
}

/* Real runs (a PoCL quick run, and it against an H200's full run): the table fits 100 columns,
 * every row is there (a row starts at column 0, its wrapped lines are indented), and --wide
 * would not have fitted. */
static void tables_fit_100_columns_for_real_runs(void **state) {
  (void)state;
  static const char *const files[] = {"bench/results/pocl/quick.csv",
                                      "bench/results/h200x2/all_gpu0.csv"};
  for (size_t n = 1; n <= 2; n++) {
    ob_compare *cmp = load_files(files, n);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    OB_ASSERT_OK(ob_compare_write(cmp, OB_FORMAT_TEXT, OB_TABLE_WIDTH, f));
    assert_int_equal(fclose(f), 0);
    if (widest_line(buf) > OB_TABLE_WIDTH) fail_msg("%zu columns:\n%s", widest_line(buf), buf);
    size_t rows = 0;
    const char *table = strstr(buf, "\nworkload  variant");
    assert_non_null(table);
    for (const char *l = strchr(table + 1, '\n'); l && l[1] && l[1] != '\n';
         l = strchr(l + 1, '\n'))
      rows += l[1] != ' ';
    assert_int_equal(rows, ob_compare_nrows(cmp));
    free(buf);
    char *wide = render(cmp, OB_FORMAT_TEXT); /* width 0 */
    assert_true(widest_line(wide) > OB_TABLE_WIDTH);
    free(wide);
    ob_compare_destroy(cmp);
  }
}

/* The keys of each object of a JSON array of flat objects (strings, numbers, null), in order,
 * joined by '|', one line per object; the values of key `want` (its raw JSON text) into got. */
static char *json_keys(const char *s, const char *want, char *got, size_t gn) {
  char *keys = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&keys, &len);
  assert_non_null(f);
  got[0] = '\0';
  const char *p = strchr(s, '[');
  assert_non_null(p);
  for (p++; *p;) {
    while (*p && strchr(" \n,", *p)) p++;
    if (*p == ']') break;
    assert_int_equal(*p, '{');
    for (p++; *p && *p != '}';) {
      while (*p == ' ' || *p == ',') p++;
      assert_int_equal(*p, '"');
      char key[512];
      size_t k = 0;
      for (p++; *p != '"'; p++) {
        if (*p == '\\') p++;
        if (k < sizeof key - 1) key[k++] = *p;
      }
      key[k] = '\0';
      p++;
      assert_int_equal(*p, ':');
      p += 2;
      const char *v = p;
      if (*p == '"') {
        for (p++; *p != '"'; p++)
          if (*p == '\\') p++;
        p++;
      } else {
        while (*p && !strchr(",}", *p)) p++;
      }
      if (strcmp(key, want) == 0 && !got[0]) snprintf(got, gn, "%.*s", (int)(p - v), v);
      fprintf(f, "%s|", key);
    }
    assert_int_equal(*p++, '}');
    fputc('\n', f);
  }
  assert_int_equal(fclose(f), 0);
  return keys;
}

/* --format json is an array of objects keyed by the CSV header (values typed), md and csv have
 * the right columns; for compare and for a run's records. */
static void json_markdown_and_csv_columns(void **state) {
  (void)state;
  ob_compare *cmp = load_two();
  OB_ASSERT_OK(ob_compare_join(cmp));
  char *json = render(cmp, OB_FORMAT_JSON), *csv = render(cmp, OB_FORMAT_CSV);
  size_t where = 0;
  assert_true(ob_json_valid(json, strlen(json), &where));
  /* every object has the CSV header's keys, in order */
  char header[4096] = "", got[256];
  size_t hl = 0;
  for (const char *c = csv; *c != '\r' && *c != '\n'; c++) {
    if (*c == '"') continue;
    header[hl++] = *c == ',' ? '|' : *c;
  }
  header[hl++] = '|';
  header[hl] = '\0';
  char *keys = json_keys(json, "server/nvidia-gpu-0 speedup vs laptop/pocl-cpu-0", got, sizeof got);
  size_t objects = 0;
  for (char *line = keys, *nl; (nl = strchr(line, '\n')); line = nl + 1, objects++) {
    *nl = '\0';
    assert_string_equal(line, header);
  }
  assert_int_equal(objects, ob_compare_nrows(cmp));
  assert_string_equal(got, "1000"); /* a number, not a string */
  assert_non_null(strstr(json, "\"workload\": \"peak\""));
  assert_non_null(strstr(json, "\"server/nvidia-gpu-0\": \"failed\""));
  free(keys);
  free(json);
  free(csv);
  ob_compare_destroy(cmp);

  /* a run's records: JSON and CSV with exactly the CSV contract's columns, Markdown the table */
  ob_results rows = {0};
  OB_ASSERT_OK(ob_results_read_csv(laptop, collect_record, &rows));
  char *out[3] = {NULL};
  size_t len[3];
  const ob_format fmts[3] = {OB_FORMAT_JSON, OB_FORMAT_CSV, OB_FORMAT_MARKDOWN};
  for (int i = 0; i < 3; i++) {
    FILE *f = open_memstream(&out[i], &len[i]);
    OB_ASSERT_OK(ob_results_print(&rows, fmts[i], 0, f));
    assert_int_equal(fclose(f), 0);
  }
  assert_true(ob_json_valid(out[0], len[0], &where));
  char want[4096] = "";
  for (size_t c = 0; c < ob_result_ncolumns; c++)
    snprintf(want + strlen(want), sizeof want - strlen(want), "%s|", ob_result_columns[c].name);
  keys = json_keys(out[0], "value", got, sizeof got);
  objects = 0;
  for (char *line = keys, *nl; (nl = strchr(line, '\n')); line = nl + 1, objects++) {
    *nl = '\0';
    assert_string_equal(line, want);
  }
  assert_int_equal(objects, rows.n);
  assert_true(got[0] != '"' && strtod(got, NULL) == rows.items[0].value); /* a number */
  free(keys);
  /* the CSV reads back as the same records */
  char path[4200];
  snprintf(path, sizeof path, "%s/records.csv", ob_test_tmpdir());
  OB_ASSERT_OK(ob_write_file_atomic(path, out[1], len[1]));
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_read_csv(path, collect_record, &back));
  assert_int_equal(back.n, rows.n);
  assert_string_equal(back.items[0].params, rows.items[0].params);
  assert_non_null(strstr(out[2], "| workload | variant | params | precision | metric (unit) |"));
  for (int i = 0; i < 3; i++) free(out[i]);
  ob_results_clear(&back);
  ob_results_clear(&rows);
}

/* A time (queue_to_start, us: 8 against 4) and a rate (GFLOP/s: 50 against 50000) read the same
 * way: the faster device is "faster" whichever way its metric is better. */
static void speedups_read_the_same_way_for_times_and_rates(void **state) {
  (void)state;
  assert_true(ob_metric_lower_is_better("latency", "us"));
  assert_true(ob_metric_lower_is_better("step_time", "us"));
  assert_true(ob_metric_lower_is_better("compile_time", "s"));
  assert_false(ob_metric_lower_is_better("gflops", "GFLOP/s"));
  assert_false(ob_metric_lower_is_better("flips_per_ns", "flips/ns"));
  static const char *const baselines[] = {"laptop/pocl-cpu-0", "server/nvidia-gpu-0"};
  static const char *const word[] = {"faster", "slower"};
  for (size_t b = 0; b < 2; b++) {
    ob_compare *cmp = load_two();
    OB_ASSERT_OK(ob_compare_set_baseline(cmp, baselines[b]));
    OB_ASSERT_OK(ob_compare_join(cmp));
    const size_t other = 1 - b;
    ob_compare_cell c;
    size_t rate = find_row(cmp, "peak", "fma_float4", "width=4;global=*;rounds=*");
    size_t time = find_row(cmp, "peak", "queue_to_start", "kernel=empty");
    assert_true(ob_compare_cell_get(cmp, rate, other, &c));
    assert_true(fabs(c.ratio - (b ? 0.001 : 1000.0)) < 1e-9);
    assert_true(ob_compare_cell_get(cmp, time, other, &c));
    assert_true(fabs(c.ratio - (b ? 0.5 : 2.0)) < 1e-12);
    char *text = render(cmp, OB_FORMAT_TEXT);
    char want[64];
    const char *line = strstr(text, "queue_to_start");
    assert_non_null(line);
    snprintf(want, sizeof want, "2.00x %s\n", word[b]);
    assert_non_null(strstr(line, want));
    line = strstr(text, "fma_float4");
    snprintf(want, sizeof want, "1000x %s\n", word[b]);
    assert_non_null(strstr(line, want));
    free(text);
    ob_compare_destroy(cmp);
  }
  char buf[64];
  ob_format_speedup(buf, sizeof buf, 2.3);
  assert_string_equal(buf, "2.30x faster");
  ob_format_speedup(buf, sizeof buf, 1 / 1.8);
  assert_string_equal(buf, "1.80x slower");
}

/* Two runs of one host and device (two machines both called laptop): the slug is ambiguous and
 * says which columns and how to pick one; --label names a column, and the baseline by it. */
static void labels_and_ambiguous_baselines(void **state) {
  (void)state;
  char dir[4096], copy[4200], *text = NULL;
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  OB_ASSERT_OK(ob_read_file(laptop, &text, NULL));
  write_text(copy, sizeof copy, dir, "other.csv", text);
  free(text);
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, laptop));
  OB_ASSERT_OK(ob_compare_add_file(cmp, copy));
  assert_int_equal(ob_compare_set_baseline(cmp, "pocl-cpu-0"), OB_ERR_INVALID);
  const char *e = ob_error_detail();
  char want[8400];
  snprintf(want, sizeof want, "'pocl-cpu-0' matches 2 device columns: 0=laptop/pocl-cpu-0 (%s), "
           "1=laptop/pocl-cpu-0#2 (%s); pick one by its index (--baseline 0) or label "
           "(--baseline 'laptop/pocl-cpu-0'), or name the columns with --label FILE=NAME",
           laptop, copy);
  assert_string_equal(e, want);
  assert_int_equal(ob_compare_set_label(cmp, "/nonexistent.csv", "x"), OB_ERR_INVALID);
  assert_int_equal(ob_compare_set_label(cmp, copy, "12"), OB_ERR_INVALID);
  OB_ASSERT_OK(ob_compare_set_label(cmp, copy, "rerun"));
  assert_string_equal(ob_compare_device_get(cmp, 1)->label, "rerun");
  OB_ASSERT_OK(ob_compare_set_baseline(cmp, "rerun"));
  assert_int_equal(ob_compare_baseline(cmp), 1);
  assert_int_equal(ob_compare_set_label(cmp, laptop, "rerun"), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "would both be labelled 'rerun'"));
  ob_compare_destroy(cmp);

  /* the CLI: labels in the header, the baseline by label; the ambiguous one exits 2 */
  char cmd[16384], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd, "cd %s && %s compare %s other.csv --label other.csv=second "
           "--label %s=first --baseline second --format csv", dir, binary(), laptop, laptop);
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("rc %d: %s", rc, err);
  assert_non_null(strstr(out, ",first,second,first speedup vs second,"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "cd %s && %s compare %s other.csv --baseline pocl-cpu-0", dir,
           binary(), laptop);
  assert_int_equal(ob_test_run(cmd, &out, &err), 2);
  assert_string_equal(out, "");
  assert_non_null(strstr(err, "--label FILE=NAME"));
  assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
  free(out);
  free(err);
}

/* A label far longer than a line is drawn in full over several lines, never cut; each bar has
 * an error bar from its fastest to its slowest repetition, converted to its metric. */
static void svg_labels_in_full_and_error_bars(void **state) {
  (void)state;
  char head[2048], path[4200];
  header_line(head, sizeof head);
  const char *params = "shape=resnet_64x56;n=32;c=64;h=56;w=56;k=64;r=3;s=3;stride=1;pad=1;"
                       "pass=backward_weight;layout=nchw;split=4;tile=128x128x8";
  char text[8192];
  /* value 10 at the median 1 s; repetitions from 0.5 to 4 s */
  snprintf(text, sizeof text,
           "%s1,t,h,,,,,,dev-a,gpu,,,,,,conv,own,%s,fp32,gflops,GFLOP/s,10,0.5,1,4,3,,,,yes,ok,\r\n"
           "1,t,h,,,,,,dev-a,gpu,,,,,,conv,own,%s,fp32,step_time,us,10,0.5,1,4,3,,,,yes,ok,\r\n",
           head, params, params);
  write_text(path, sizeof path, ob_test_tmpdir(), "long.csv", text);
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, path));
  OB_ASSERT_OK(ob_compare_join(cmp));
  char *svg = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&svg, &len);
  OB_ASSERT_OK(ob_svg_write(cmp, "conv", f));
  assert_int_equal(fclose(f), 0);
  assert_null(strstr(svg, "\xE2\x80\xA6")); /* no ellipsis anywhere */
  /* the label's lines, joined, are the whole label: one <text> of several <tspan>s */
  const char *label = strstr(svg, "class=\"row-label\"");
  assert_non_null(label);
  char joined[4096] = "";
  size_t lines = 0;
  for (const char *t = strstr(label, "<tspan"); t && t < strstr(label, "</text>");
       t = strstr(t + 1, "<tspan")) {
    const char *start = strchr(t, '>') + 1, *end = strstr(start, "</tspan>");
    snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%.*s",
             (int)(end - start), start);
    lines++;
  }
  char full[2048];
  snprintf(full, sizeof full, "ownfp32%s", params);
  for (char *r = joined, *w = joined;; r++) /* the spaces at line breaks are dropped */
    if (*r != ' ' && !(*w++ = *r)) break;
  assert_string_equal(joined, full);
  assert_true(lines >= 3);
  /* error bars: GFLOP/s 10 * 1/4 .. 10 * 1/0.5; us 10 * 0.5 .. 10 * 4 */
  size_t bars = 0;
  for (const char *b = strstr(svg, "error-bar"); b; b = strstr(b + 1, "error-bar")) bars++;
  assert_int_equal(bars, 2);
  assert_non_null(strstr(svg, "<title>2.5 .. 20 (slowest .. fastest repetition)</title>"));
  assert_non_null(strstr(svg, "<title>5 .. 40 (slowest .. fastest repetition)</title>"));
  free(svg);
  ob_compare_destroy(cmp);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(joins_devices_with_merged_missing_failed_and_skipped_cells),
      cmocka_unit_test(baseline_selection),
      cmocka_unit_test(same_host_and_slug_twice_gets_a_numbered_column),
      cmocka_unit_test(tables_in_text_markdown_and_csv),
      cmocka_unit_test(malformed_csvs_exit_2_with_file_and_line_and_write_nothing),
      cmocka_unit_test(cli_arguments_are_validated),
      cmocka_unit_test(svg_is_valid_xml_with_bars_curves_and_escaped_text),
      cmocka_unit_test(real_csvs_of_a_quick_run),
      cmocka_unit_test(merged_params_longer_than_their_inputs),
      cmocka_unit_test(subnormal_values_are_numbers),
      cmocka_unit_test(join_and_tables_are_linear_in_the_rows),
      cmocka_unit_test(device_columns_are_bounded),
      cmocka_unit_test(tables_fit_100_columns_for_real_runs),
      cmocka_unit_test(json_markdown_and_csv_columns),
      cmocka_unit_test(speedups_read_the_same_way_for_times_and_rates),
      cmocka_unit_test(labels_and_ambiguous_baselines),
      cmocka_unit_test(svg_labels_in_full_and_error_bars),
  };
  return cmocka_run_group_tests(tests, setup_paths, NULL);
}
