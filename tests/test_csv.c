/* CSV (core): locale-independent numbers, atomic writes, reader errors with file:line. The
 * schema-1 records written and read through it are test_results'. */
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

#define MAX_FIELDS 8

typedef struct collected {
  char *fields[64][MAX_FIELDS];
  size_t nfields[64];
  size_t lines[64];
  size_t n;
} collected;

static ob_status collect(void *user, size_t line, char **fields, size_t n) {
  collected *c = user;
  if (c->n >= 64) return OB_OK;
  for (size_t i = 0; i < n && i < MAX_FIELDS; i++) c->fields[c->n][i] = strdup(fields[i]);
  c->nfields[c->n] = n;
  c->lines[c->n] = line;
  c->n++;
  return OB_OK;
}

static void collected_free(collected *c) {
  for (size_t r = 0; r < c->n; r++)
    for (size_t i = 0; i < c->nfields[r] && i < MAX_FIELDS; i++) free(c->fields[r][i]);
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static const char *const header[] = {"name", "text"};
static const char *const row[] = {"fma, \"wide\"", " leading space, trailing "};

/* Writes a header and `rows` copies of row to path through a writer, committed or not. */
static ob_status write_rows(const char *path, int rows, bool commit) {
  ob_csv_writer *w = NULL;
  OB_TRY(ob_csv_writer_create_path(path, header, 2, &w));
  ob_status st = OB_OK;
  for (int i = 0; i < rows && st == OB_OK; i++) st = ob_csv_writer_add_fields(w, row, 2);
  if (!commit) return st; /* killed mid-run: the temporary file stays behind */
  if (st != OB_OK) {
    ob_csv_writer_destroy(w);
    return st;
  }
  return ob_csv_writer_commit(w);
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
  setlocale(LC_ALL, "C");
}

static void interrupted_write_leaves_previous_file(void **state) {
  (void)state;
  char path[4200];
  snprintf(path, sizeof path, "%s/table.csv", ob_test_tmpdir());
  OB_ASSERT_OK(write_rows(path, 1, true));
  struct stat before;
  assert_int_equal(stat(path, &before), 0);
  /* A child process starts a new file, writes rows and dies before committing. */
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) _exit(write_rows(path, 100, false) == OB_OK ? 0 : 3);
  int status = 0;
  waitpid(pid, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  struct stat after;
  assert_int_equal(stat(path, &after), 0);
  assert_int_equal(before.st_size, after.st_size);
  collected c = {0};
  OB_ASSERT_OK(ob_csv_read(path, collect, &c));
  assert_int_equal(c.n, 2);
  /* RFC 4180 quoting where needed: a comma or quote, a space at either end */
  assert_string_equal(c.fields[1][0], row[0]);
  assert_string_equal(c.fields[1][1], row[1]);
  collected_free(&c);
  /* destroy without commit removes the temporary file and keeps the old one */
  ob_csv_writer *w = NULL;
  OB_ASSERT_OK(ob_csv_writer_create_path(path, header, 2, &w));
  assert_string_equal(ob_csv_writer_path(w), path);
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
      cmocka_unit_test(numbers_use_a_point_under_a_comma_locale),
      cmocka_unit_test(interrupted_write_leaves_previous_file),
      cmocka_unit_test(reader_reports_file_and_line),
      cmocka_unit_test(atomic_files_short_temp_names_and_stale_cleanup),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
