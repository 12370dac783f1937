/* The CLI contract: bad input exits 2 with a one-line message and writes nothing; no platform
 * exits 3 with a diagnosis; a quick run writes one valid schema-1 CSV per device; a run never
 * replaces another run's files. */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static size_t count_lines(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

/* Runs `before OUT after` with OUT a fresh directory path; expects exit 2, one line on stderr
 * naming the problem (needle), and nothing created at OUT. */
static void expect_usage_error(const char *before, const char *after, const char *needle) {
  char out[4200], args[8192], err[4096];
  snprintf(out, sizeof out, "%s/out", ob_test_tmpdir());
  snprintf(args, sizeof args, "%s %s %s", before, out, after);
  int rc = ob_test_cli(args, err, sizeof err);
  if (rc != 2) fail_msg("'%s' exited %d, expected 2; stderr: %s", args, rc, err);
  if (count_lines(err) != 1) fail_msg("'%s': expected one line on stderr, got: %s", args, err);
  if (needle && !strstr(err, needle)) fail_msg("'%s': stderr lacks '%s': %s", args, needle, err);
  if (exists(out)) fail_msg("'%s' created %s", args, out);
}

static void bad_usage_exits_2_and_writes_nothing(void **state) {
  (void)state;
  expect_usage_error("frobnicate --out", "", "unknown command");
  expect_usage_error("run --bogus --out", "", "--bogus");
  expect_usage_error("run nosuchworkload --out", "", "nosuchworkload");
  expect_usage_error("run peak --device nosuch-device --out", "", "nosuch-device");
  expect_usage_error("run peak --device 999 --out", "", "999");
  expect_usage_error("run peak --seconds abc --out", "", "not a number");
  expect_usage_error("run peak --seconds -1 --out", "", "out of range");
  expect_usage_error("run peak --seconds 1e999 --out", "", "--seconds");
  expect_usage_error("run peak --out", "--seconds", "needs a value");
  expect_usage_error("run peak --device --out", "", NULL);
  expect_usage_error("devices --bogus --out", "", "--bogus");
  expect_usage_error("run peak --out '' --device", "", "empty");
}

static void device_error_lists_existing_devices(void **state) {
  (void)state;
  char err[4096];
  assert_int_equal(ob_test_cli("run peak --device nosuch", err, sizeof err), 2);
  assert_non_null(strstr(err, ob_device_slug(ob_test_device())));
}

static void bad_environment_exits_2(void **state) {
  (void)state;
  char err[4096];
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 0);
  setenv("OCLBENCH_LOG", "loud", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_LOG"));
  unsetenv("OCLBENCH_LOG");
  setenv("OCLBENCH_KERNEL_DIR", "/nonexistent/kernels", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_KERNEL_DIR"));
  unsetenv("OCLBENCH_KERNEL_DIR");
  setenv("OCLBENCH_PROGRESS", "maybe", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  setenv("OCLBENCH_PROGRESS", "0", 1);
}

static void out_path_that_is_a_file_exits_2(void **state) {
  (void)state;
  char file[4200], args[8192], err[4096];
  snprintf(file, sizeof file, "%s/plain-file", ob_test_tmpdir());
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  snprintf(args, sizeof args, "run peak --quick --out %s", file);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "--out"));
}

/* How many entries dir has besides ".", ".." and latest; the last of them that is not skip
 * (NULL: any) into name. */
static size_t run_dirs(const char *dir, const char *skip, char *name, size_t n) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t count = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0) continue;
    count++;
    if (!skip || strcmp(e->d_name, skip) != 0) snprintf(name, n, "%s", e->d_name);
  }
  closedir(d);
  return count;
}

/* Issue 15: a run without --out never replaces another run's file; --out refuses to. */
static void runs_never_replace_each_other(void **state) {
  (void)state;
  char work[4096], cmd[16384], *out = NULL, *err = NULL;
  snprintf(work, sizeof work, "%s", ob_test_tmpdir());
  const char *bin = getenv("OB_TEST_BINARY") ? getenv("OB_TEST_BINARY") : "./oclbench";
  snprintf(cmd, sizeof cmd, "cd %s && %s run peak --quick --seconds 0.05 %s", work, bin,
           ob_test_device_args());
  /* the first run */
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("run 1: exit %d: %s", rc, err);
  free(out);
  free(err);
  char results[4200], first[256] = "", second[256] = "", csv[256] = "", path[8192];
  snprintf(results, sizeof results, "%s/results", work);
  assert_int_equal(run_dirs(results, NULL, first, sizeof first), 1);
  snprintf(path, sizeof path, "%s/%s", results, first);
  assert_int_equal(run_dirs(path, NULL, csv, sizeof csv), 1);
  assert_non_null(strstr(csv, "__"));
  char *before = NULL, *after = NULL;
  snprintf(path, sizeof path, "%s/%s/%s", results, first, csv);
  OB_ASSERT_OK(ob_read_file(path, &before, NULL));
  /* the second: a directory of its own, and results/latest follows it */
  rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("run 2: exit %d: %s", rc, err);
  assert_non_null(strstr(err, "results/latest"));
  free(out);
  free(err);
  assert_int_equal(run_dirs(results, first, second, sizeof second), 2);
  assert_string_not_equal(first, second);
  char link[4300], target[256] = "";
  snprintf(link, sizeof link, "%s/latest", results);
  assert_true(readlink(link, target, sizeof target - 1) > 0);
  assert_string_equal(target, second);
  snprintf(path, sizeof path, "%s/latest/%s", results, csv);
  assert_true(exists(path));
  snprintf(path, sizeof path, "%s/%s/%s", results, first, csv);
  OB_ASSERT_OK(ob_read_file(path, &after, NULL));
  assert_string_equal(before, after);
  free(after);
  /* --out into the first run's directory: refused before any work, the file untouched */
  snprintf(cmd, sizeof cmd, "cd %s && %s run peak --quick %s --out results/%s", work, bin,
           ob_test_device_args(), first);
  assert_int_equal(ob_test_run(cmd, &out, &err), 2);
  assert_string_equal(out, "");
  assert_int_equal(count_lines(err), 1);
  assert_non_null(strstr(err, "exists (an earlier run's)"));
  assert_non_null(strstr(err, "--force"));
  free(out);
  free(err);
  OB_ASSERT_OK(ob_read_file(path, &after, NULL));
  assert_string_equal(before, after);
  free(after);
  free(before);
}

static void no_platform_exits_3_with_diagnosis(void **state) {
  (void)state;
  char err[8192], args[8192];
  const char *empty = ob_test_tmpdir();
  snprintf(args, sizeof args, "devices");
  char *vendors = ob_test_env_set("OCL_ICD_VENDORS", empty);
  char *filenames = ob_test_env_set("OCL_ICD_FILENAMES", NULL);
  int rc = ob_test_cli(args, err, sizeof err);
  ob_test_env_restore("OCL_ICD_VENDORS", vendors);
  ob_test_env_restore("OCL_ICD_FILENAMES", filenames);
  assert_int_equal(rc, 3);
  assert_non_null(strstr(err, "no OpenCL platform"));
  assert_non_null(strstr(err, "OCL_ICD_VENDORS"));
  assert_non_null(strstr(err, "apt-get install"));
}

static void help_and_version(void **state) {
  (void)state;
  char err[1024];
  assert_int_equal(ob_test_cli("--help", err, sizeof err), 0);
  assert_int_equal(ob_test_cli("--version", err, sizeof err), 0);
  assert_int_equal(ob_test_cli("", err, sizeof err), 2);
}

static ob_status count_records(void *user, size_t line, char **fields, size_t n) {
  (void)line;
  size_t *c = user;
  if (n != ob_result_ncolumns) return ob_fail(OB_ERR_INVALID, "%zu fields", n);
  if (*c == 0 && strcmp(fields[0], "schema") != 0) return ob_fail(OB_ERR_INVALID, "no header");
  if (*c > 0 && strcmp(fields[30], "ok") != 0) return ob_fail(OB_ERR_INVALID, "status %s: %s", fields[30], fields[31]);
  (*c)++;
  return OB_OK;
}

static void quick_peak_run_writes_a_valid_csv_per_device(void **state) {
  (void)state;
  char out[4200], args[8192], err[8192];
  snprintf(out, sizeof out, "%s/results", ob_test_tmpdir());
  snprintf(args, sizeof args, "run peak --quick --seconds 0.05 %s --out %s", ob_test_device_args(),
           out);
  char *saved = ob_test_env_set("OCLBENCH_PROGRESS", "1");
  int rc = ob_test_cli(args, err, sizeof err);
  ob_test_env_restore("OCLBENCH_PROGRESS", saved);
  if (rc != 0) fail_msg("exit %d: %s", rc, err);
  /* Progress (stderr is not a terminal): one line per step saying what runs, the time spent
   * and left; the device once per line; a closing line. */
  char want[256];
  const char *slug = ob_device_slug(ob_test_device());
  snprintf(want, sizeof want, "[%s 1/12, 0s elapsed, ~", slug);
  assert_non_null(strstr(err, want));
  assert_non_null(strstr(err, " left] peak fma_float1 fp32\n"));
  assert_non_null(strstr(err, "/12, "));
  assert_non_null(strstr(err, " left] peak host_to_device\n"));
  snprintf(want, sizeof want, "[%s] 12 steps in ", slug);
  assert_non_null(strstr(err, want));
  for (const char *line = err; *line;) {
    const size_t len = strcspn(line, "\n");
    char text[512];
    snprintf(text, sizeof text, "%.*s", (int)len, line);
    const char *close = strchr(text, ']');
    if (text[0] == '[' && close) assert_null(strstr(close, slug)); /* the slug once */
    line += len + (line[len] != '\0');
  }
  DIR *d = opendir(out);
  assert_non_null(d);
  size_t files = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    files++;
    assert_non_null(strstr(e->d_name, "__"));
    assert_non_null(strstr(e->d_name, ob_device_slug(ob_test_device())));
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", out, e->d_name);
    size_t records = 0;
    OB_ASSERT_OK(ob_csv_read(path, count_records, &records));
    assert_true(records > 10);
  }
  closedir(d);
  assert_int_equal(files, 1);
}

/* run --list prints the cases and runs nothing; --sizes and --chains choose cases, and a value
 * no case has is exit 2 naming those there are. */
static void run_list_and_chosen_cases(void **state) {
  (void)state;
  char args[8192], err[8192], out[4200];
  snprintf(out, sizeof out, "%s/never", ob_test_tmpdir());
  snprintf(args, sizeof args, "run linear ising --list --quick --sizes 1024,grid:20x20 "
           "--chains 8,128 --out %s %s", out, ob_test_device_args());
  int rc = 0;
  char *text = ob_test_cli_stdout(args, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(text, "m=1024;n=1024;k=1024"));
  assert_non_null(strstr(text, "graph=grid:20x20;chains=8;"));
  assert_non_null(strstr(text, "graph=grid:20x20;chains=128;"));
  assert_non_null(strstr(text, " peak ")); /* the probes they need */
  assert_null(strstr(text, "fc1024"));
  assert_null(strstr(text, "chains=16;"));
  assert_null(strstr(text, "pegasus"));
  assert_non_null(strstr(text, "cases on 1 device: about "));
  free(text);
  assert_int_equal(access(out, F_OK), -1); /* nothing written */
  snprintf(args, sizeof args, "run linear --sizes 999 %s", ob_test_device_args());
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "--sizes: no case of size 999 in this run (its sizes: 1024, 2048"));
  snprintf(args, sizeof args, "run ising --quick --chains 8,7 %s", ob_test_device_args());
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "--chains: no case with 7 chains in this run (its chain counts: 8, 16"));
  assert_int_equal(ob_test_cli("run --sizes 1024,,2048", err, sizeof err), 2);
  assert_int_equal(ob_test_cli("run --chains x", err, sizeof err), 2);
}

/* Entries of dir other than . and .. */
static size_t entries(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  size_t n = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d))
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

/* Issue 16: a legal 254-byte --moments name is written (the temporary name no longer adds to
 * it), the largest seed is accepted, and a run killed with SIGKILL leaves the previous file
 * intact and its temporary file is removed by the next run writing the same file. */
static void long_names_and_killed_runs(void **state) {
  (void)state;
  char dir[4096], name[256], path[4400], args[8192], err[8192];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  memset(name, 'm', 250);
  snprintf(name + 250, sizeof name - 250, ".csv");
  snprintf(path, sizeof path, "%s/%s", dir, name);
  snprintf(args, sizeof args, "ising --graph grid:2x2 --chains 8 --sweeps 2 --device 0 "
           "--seed 18446744073709551615 --moments %s", path);
  int rc = ob_test_cli(args, err, sizeof err);
  if (rc != 0) fail_msg("exit %d: %s", rc, err);
  char *moments = NULL;
  OB_ASSERT_OK(ob_read_file(path, &moments, NULL));
  assert_int_equal(count_lines(moments), 1 + 4 + 4 + 2); /* header, nodes, edges, E, m */
  assert_int_equal(entries(dir), 1);
  /* A long run, killed once its temporary file exists. */
  const char *bin = getenv("OB_TEST_BINARY");
  char tmp_glob[4400], cmd[16384];
  snprintf(tmp_glob, sizeof tmp_glob, "%s/.*.oclbench-tmp", dir);
  snprintf(cmd, sizeof cmd,
           "%s ising --graph grid:2x2 --chains 8 --sweeps 1000000000 --device 0 --moments %s "
           ">/dev/null 2>&1 & pid=$!; i=0; while ! ls %s >/dev/null 2>&1 && [ $i -lt 600 ]; do "
           "sleep 0.1; i=$((i+1)); done; kill -9 $pid; wait $pid; ls %s | wc -l",
           bin && *bin ? bin : "./oclbench", path, tmp_glob, tmp_glob);
  char *out = NULL;
  ob_test_run(cmd, &out, NULL);
  assert_int_equal(atoi(out), 1); /* the killed run's temporary file */
  free(out);
  char *after = NULL;
  OB_ASSERT_OK(ob_read_file(path, &after, NULL)); /* the previous file, intact */
  assert_string_equal(after, moments);
  free(after);
  free(moments);
  rc = ob_test_cli(args, err, sizeof err);
  if (rc != 0) fail_msg("exit %d: %s", rc, err);
  assert_int_equal(entries(dir), 1); /* the stale temporary file is gone */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_usage_exits_2_and_writes_nothing),
      cmocka_unit_test(device_error_lists_existing_devices),
      cmocka_unit_test(bad_environment_exits_2),
      cmocka_unit_test(out_path_that_is_a_file_exits_2),
      cmocka_unit_test(no_platform_exits_3_with_diagnosis),
      cmocka_unit_test(help_and_version),
      cmocka_unit_test(quick_peak_run_writes_a_valid_csv_per_device),
      cmocka_unit_test(runs_never_replace_each_other),
      cmocka_unit_test(long_names_and_killed_runs),
      cmocka_unit_test(run_list_and_chosen_cases),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
