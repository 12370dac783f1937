/* CSV: schema-1 rows, RFC 4180 round trip, locale-independent numbers, atomic writes,
 * reader errors with file:line. */
#include "support.h"

#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct collected {
  char *fields[64][OB_CSV_NCOLS];
  size_t nfields[64];
  size_t lines[64];
  size_t n;
} collected;

static ob_status collect(void *user, size_t line, char **fields, size_t n) {
  collected *c = user;
  if (c->n >= 64) return OB_OK;
  for (size_t i = 0; i < n && i < OB_CSV_NCOLS; i++) c->fields[c->n][i] = strdup(fields[i]);
  c->nfields[c->n] = n;
  c->lines[c->n] = line;
  c->n++;
  return OB_OK;
}

static void collected_free(collected *c) {
  for (size_t r = 0; r < c->n; r++)
    for (size_t i = 0; i < c->nfields[r] && i < OB_CSV_NCOLS; i++) free(c->fields[r][i]);
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static ob_row sample_row(void) {
  ob_row r;
  ob_row_init(&r);
  r.workload = "peak";
  r.variant = "fma, \"wide\"";
  r.params = "a=1;b=2\nsecond line";
  r.precision = "fp32";
  r.metric = "gflops";
  r.unit = "GFLOP/s";
  r.value = 1234.5;
  r.time_min = 0.001;
  r.time_median = 0.0015;
  r.time_max = 0.002;
  r.reps = 7;
  r.note = " leading space, trailing ";
  return r;
}

/* Writes one row into a fresh per-device file of dir; the file's path goes to path. */
static void write_one_row(const char *dir, const ob_host_info *host, const ob_row *r,
                          char *path, size_t n) {
  ob_csv_writer *w = NULL;
  OB_ASSERT_OK(ob_csv_writer_create(dir, host, ob_test_device(), &w));
  snprintf(path, n, "%s", ob_csv_writer_path(w));
  OB_ASSERT_OK(ob_csv_writer_add(w, r));
  OB_ASSERT_OK(ob_csv_writer_commit(w));
}

static void schema_row_round_trip_with_quoting(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  ob_host_info host;
  ob_host_get(&host);
  char path[4096];
  ob_row r = sample_row();
  write_one_row(dir, &host, &r, path, sizeof path);
  collected c = {0};
  OB_ASSERT_OK(ob_csv_read(path, collect, &c));
  assert_int_equal(c.n, 2);
  assert_int_equal(c.nfields[0], OB_CSV_NCOLS);
  for (size_t i = 0; i < OB_CSV_NCOLS; i++) assert_string_equal(c.fields[0][i], ob_csv_columns[i]);
  assert_int_equal(c.nfields[1], OB_CSV_NCOLS);
  assert_int_equal(c.lines[1], 2);
  assert_string_equal(c.fields[1][0], "1");
  assert_string_equal(c.fields[1][8], ob_device_slug(ob_test_device()));
  assert_string_equal(c.fields[1][16], r.variant);
  assert_string_equal(c.fields[1][17], r.params);
  assert_string_equal(c.fields[1][21], "1234.5");
  assert_string_equal(c.fields[1][25], "7");
  assert_string_equal(c.fields[1][26], ""); /* NAN flops -> empty */
  assert_string_equal(c.fields[1][29], "n/a");
  assert_string_equal(c.fields[1][30], "ok");
  assert_string_equal(c.fields[1][31], r.note);
  collected_free(&c);
  /* the file name is <host>__<slug>.csv */
  char expect[256];
  ob_slugify(expect, sizeof expect, host.hostname);
  assert_non_null(strstr(path, expect));
  assert_non_null(strstr(path, "__"));
}

static void numbers_use_a_point_under_a_comma_locale(void **state) {
  (void)state;
  if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
    /* tools/run_tests.sh builds this locale with localedef into LOCPATH. */
    fail_msg("de_DE.UTF-8 locale unavailable (LOCPATH=%s)", getenv("LOCPATH") ? getenv("LOCPATH") : "");
  }
  char check[32];
  snprintf(check, sizeof check, "%.1f", 1.5);
  assert_string_equal(check, "1,5"); /* the locale really is a comma locale */
  char buf[64];
  ob_format_double(buf, sizeof buf, 1.5);
  assert_string_equal(buf, "1.5");
  ob_format_double(buf, sizeof buf, 2.5e-7);
  assert_string_equal(buf, "2.5e-07");
  double v = 0;
  assert_true(ob_parse_double("3.25", &v) && v == 3.25);
  const char *dir = ob_test_tmpdir();
  ob_host_info host;
  ob_host_get(&host);
  char path[4096];
  ob_row r = sample_row();
  r.value = 0.125;
  write_one_row(dir, &host, &r, path, sizeof path);
  setlocale(LC_ALL, "C");
  collected c = {0};
  OB_ASSERT_OK(ob_csv_read(path, collect, &c));
  assert_string_equal(c.fields[1][21], "0.125");
  assert_string_equal(c.fields[1][22], "0.001");
  collected_free(&c);
}

static void interrupted_write_leaves_previous_file(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  ob_host_info host;
  ob_host_get(&host);
  char path[4096];
  ob_row r = sample_row();
  write_one_row(dir, &host, &r, path, sizeof path);
  struct stat before;
  assert_int_equal(stat(path, &before), 0);
  /* A child process starts a new file, writes rows and dies before committing. */
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    ob_csv_writer *cw = NULL;
    if (ob_csv_writer_create(dir, &host, ob_test_device(), &cw) != OB_OK) _exit(3);
    ob_row cr = sample_row();
    for (int i = 0; i < 100; i++) ob_csv_writer_add(cw, &cr);
    _exit(0); /* killed mid-run: no commit */
  }
  int status = 0;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  struct stat after;
  assert_int_equal(stat(path, &after), 0);
  assert_int_equal(before.st_size, after.st_size);
  collected c = {0};
  OB_ASSERT_OK(ob_csv_read(path, collect, &c));
  assert_int_equal(c.n, 2);
  collected_free(&c);
  /* destroy without commit removes the temporary file and keeps the old one */
  ob_csv_writer *w = NULL;
  OB_ASSERT_OK(ob_csv_writer_create(dir, &host, ob_test_device(), &w));
  ob_csv_writer_destroy(w);
  ob_csv_writer_destroy(NULL);
  assert_int_equal(stat(path, &after), 0);
  assert_int_equal(before.st_size, after.st_size);
}

static void reader_reports_file_and_line(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/bad.csv", dir);
  write_text(path, "a,b\n1,2\n\"multi\nline\",3\n4,\"unterminated\n");
  collected c = {0};
  ob_status st = ob_csv_read(path, collect, &c);
  assert_int_equal(st, OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "bad.csv:"));
  assert_int_equal(c.n, 3);
  assert_int_equal(c.lines[2], 3); /* the multi-line record starts on line 3 */
  assert_string_equal(c.fields[2][0], "multi\nline");
  collected_free(&c);
  snprintf(path, sizeof path, "%s/stray.csv", dir);
  write_text(path, "a,b\r\n1,x\"y\r\n");
  c = (collected){0};
  assert_int_equal(ob_csv_read(path, collect, &c), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "stray.csv:2"));
  collected_free(&c);
  snprintf(path, sizeof path, "%s/bom.csv", dir);
  write_text(path, "\xEF\xBB\xBFschema,x\r\n1,2");
  c = (collected){0};
  OB_ASSERT_OK(ob_csv_read(path, collect, &c));
  assert_int_equal(c.n, 2);
  assert_string_equal(c.fields[0][0], "schema");
  assert_string_equal(c.fields[1][1], "2");
  collected_free(&c);
  /* Lines end at LF, CRLF or a lone CR: each is counted, so errors name the right line. */
  snprintf(path, sizeof path, "%s/cr.csv", dir);
  write_text(path, "a,b\r1,2\r\n\"x\ry\",3\r4,x\"y\r5,6\n");
  c = (collected){0};
  assert_int_equal(ob_csv_read(path, collect, &c), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "cr.csv:5: malformed CSV"));
  assert_int_equal(c.n, 3);
  assert_int_equal(c.lines[1], 2);
  assert_int_equal(c.lines[2], 3); /* the record with a CR inside quotes starts on line 3 */
  assert_string_equal(c.fields[2][0], "x\ry");
  collected_free(&c);
  assert_int_equal(ob_csv_read("/nonexistent/x.csv", collect, &c), OB_ERR_IO);
}

/* A legal 254-byte name is written (the temporary name is short whatever the target's); the
 * temporary file of a killed writer is removed by the next write of the same file, that of a
 * live process is not, and nothing of the writer stays behind. */
static void atomic_files_short_temp_names_and_stale_cleanup(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char name[256], path[4400], tmp[4400], live[4400];
  memset(name, 'n', 250);
  snprintf(name + 250, sizeof name - 250, ".csv");
  snprintf(path, sizeof path, "%s/%s", dir, name);
  OB_ASSERT_OK(ob_write_file_atomic(path, "one\n", 4));
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) _exit(0);
  waitpid(pid, NULL, 0); /* a process that no longer exists */
  ob_atomic_tmp_path(path, (long)pid, tmp, sizeof tmp);
  ob_atomic_tmp_path(path, (long)getppid(), live, sizeof live);
  assert_true(strlen(strrchr(tmp, '/')) < 64);
  write_text(tmp, "stale");
  write_text(live, "live");
  OB_ASSERT_OK(ob_write_file_atomic(path, "two\n", 4));
  struct stat st;
  assert_int_not_equal(stat(tmp, &st), 0);
  assert_int_equal(stat(live, &st), 0);
  unlink(live);
  char *text = NULL;
  OB_ASSERT_OK(ob_read_file(path, &text, NULL));
  assert_string_equal(text, "two\n");
  free(text);
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t files = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) files += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  assert_int_equal(files, 1);
  snprintf(path, sizeof path, "%s/%s%s", dir, name, "xx"); /* 256 bytes: too long a name */
  assert_int_not_equal(ob_write_file_atomic(path, "x", 1), OB_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(schema_row_round_trip_with_quoting),
      cmocka_unit_test(numbers_use_a_point_under_a_comma_locale),
      cmocka_unit_test(interrupted_write_leaves_previous_file),
      cmocka_unit_test(reader_reports_file_and_line),
      cmocka_unit_test(atomic_files_short_temp_names_and_stale_cleanup),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
