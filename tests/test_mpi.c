/* oclbench-mpi: two ranks on one host split the test device's platform's devices (two PoCL
 * devices with POCL_DEVICES="pthread pthread"; a rank with none idles); rank 0 gathers one CSV
 * per device; a failing rank is reported while the other finishes; an Ising batch sharded over
 * the ranks gives the single device's moments exactly. */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "results.h"

#define MPIRUN "mpirun --oversubscribe --allow-run-as-root"

static const char *mpi_binary(void) {
  const char *b = getenv("OB_TEST_MPI_BINARY");
  return b && *b ? b : "./oclbench-mpi";
}

/* Runs a shell command, stderr into err; returns the exit status. */
static int sh(const char *cmd, char *err, size_t errlen) {
  char *text = NULL;
  const int rc = ob_test_run(cmd, NULL, &text);
  snprintf(err, errlen, "%s", text);
  free(text);
  return rc;
}

typedef struct csv_facts {
  size_t rows;
  char slug[64];
  bool all_ok;
} csv_facts;

static ob_status facts(void *user, size_t line, char **f, size_t n) {
  csv_facts *c = user;
  if (n != ob_result_ncolumns) return ob_fail(OB_ERR_INVALID, "line %zu: %zu fields", line, n);
  if (line == 1) return OB_OK;
  c->rows++;
  snprintf(c->slug, sizeof c->slug, "%s", f[8]);
  c->all_ok = c->all_ok && strcmp(f[30], "ok") == 0;
  return OB_OK;
}

static size_t list_csvs(const char *dir, char names[][256], size_t max) {
  size_t n = 0;
  DIR *d = opendir(dir);
  if (!d) return 0;
  for (struct dirent *e = readdir(d); e && n < max; e = readdir(d))
    if (strstr(e->d_name, ".csv") && !strstr(e->d_name, ".tmp"))
      snprintf(names[n++], 256, "%s", e->d_name);
  closedir(d);
  return n;
}

static void two_ranks_gather_one_csv_per_device(void **state) {
  (void)state;
  char out[4200], cmd[8192], err[8192], group[1024], wrote[64];
  ob_device *devs[8];
  const size_t ndev = ob_test_device_group(devs, 8);
  ob_test_device_group_args(group, sizeof group);
  snprintf(out, sizeof out, "%s/out", ob_test_tmpdir());
  snprintf(cmd, sizeof cmd, MPIRUN " -n 2 %s run peak --quick --seconds 0.02 %s --out %s",
           mpi_binary(), group, out);
  int rc = sh(cmd, err, sizeof err);
  if (rc != 0) fail_msg("exit %d: %s", rc, err);
  snprintf(wrote, sizeof wrote, "wrote %zu CSV file", ndev);
  assert_non_null(strstr(err, wrote));
  char names[8][256];
  size_t n = list_csvs(out, names, 8);
  assert_int_equal(n, ndev);
  size_t seen = 0;
  for (size_t i = 0; i < n; i++) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", out, names[i]);
    csv_facts c = {.all_ok = true};
    OB_ASSERT_OK(ob_csv_read(path, facts, &c));
    assert_true(c.rows > 10);
    assert_true(c.all_ok);
    assert_non_null(strstr(names[i], c.slug));
    for (size_t d = 0; d < ndev; d++) seen += strcmp(c.slug, ob_device_slug(devs[d])) == 0;
  }
  assert_int_equal(seen, ndev);
}

static void a_failing_rank_is_reported_and_the_other_finishes(void **state) {
  (void)state;
  char out[4200], cmd[8192], err[8192];
  const char *empty = ob_test_tmpdir();
  snprintf(out, sizeof out, "%s/out", ob_test_tmpdir());
  /* Rank 1 sees no OpenCL platform. */
  snprintf(cmd, sizeof cmd,
           MPIRUN " -n 1 %s run peak --quick --seconds 0.02 %s --out %s : "
                  "-n 1 -x OCL_ICD_VENDORS=%s %s run peak --quick --seconds 0.02 --out %s",
           mpi_binary(), ob_test_device_args(), out, empty, mpi_binary(), out);
  int rc = sh(cmd, err, sizeof err);
  assert_int_equal(rc, 3);
  assert_non_null(strstr(err, "rank 1 failed"));
  char names[8][256];
  assert_int_equal(list_csvs(out, names, 8), 1);
}

static void bad_arguments_exit_2_once(void **state) {
  (void)state;
  char out[4200], cmd[8192], err[8192];
  snprintf(out, sizeof out, "%s/out", ob_test_tmpdir());
  snprintf(cmd, sizeof cmd, MPIRUN " -n 2 %s run nosuchworkload --out %s", mpi_binary(), out);
  assert_int_equal(sh(cmd, err, sizeof err), 2);
  const char *first = strstr(err, "nosuchworkload");
  assert_non_null(first);
  assert_null(strstr(first + 1, "unknown workload"));
  DIR *d = opendir(out);
  assert_null(d);
  /* a size no case has: rank 0 checks it against its devices' cases, before any rank runs */
  snprintf(cmd, sizeof cmd, MPIRUN " -n 2 %s run linear --sizes 999 %s --out %s", mpi_binary(),
           ob_test_device_args(), out);
  assert_int_equal(sh(cmd, err, sizeof err), 2);
  first = strstr(err, "--sizes: no case of size 999");
  assert_non_null(first);
  assert_null(strstr(first + 1, "--sizes: no case"));
  assert_null(opendir(out));
}

static void sharded_ising_moments_equal_one_device(void **state) {
  (void)state;
  char dir[4200], cmd[8192], err[8192], group[1024], *a = NULL, *b = NULL;
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  const char *model = "--graph random:40:3 --chains 500 --warmup 5 --sweeps 15 --seed 11";
  snprintf(cmd, sizeof cmd, "%s ising %s %s --moments %s/one.csv",
           getenv("OB_TEST_BINARY") ? getenv("OB_TEST_BINARY") : "./oclbench", model,
           ob_test_device_args(), dir);
  if (sh(cmd, err, sizeof err) != 0) fail_msg("one device: %s", err);
  ob_test_device_group_args(group, sizeof group);
  snprintf(cmd, sizeof cmd, MPIRUN " -n 2 %s ising --shard %s %s --moments %s/mpi.csv",
           mpi_binary(), model, group, dir);
  if (sh(cmd, err, sizeof err) != 0) fail_msg("two ranks: %s", err);
  char pa[8192], pb[8192];
  size_t la = 0, lb = 0;
  snprintf(pa, sizeof pa, "%s/one.csv", dir);
  snprintf(pb, sizeof pb, "%s/mpi.csv", dir);
  OB_ASSERT_OK(ob_read_file(pa, &a, &la));
  OB_ASSERT_OK(ob_read_file(pb, &b, &lb));
  assert_true(la > 100);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
  free(a);
  free(b);
  snprintf(cmd, sizeof cmd, MPIRUN " -n 2 %s ising %s", mpi_binary(), model);
  assert_int_equal(sh(cmd, err, sizeof err), 2); /* --shard is required */
}

/* Three ranks sample one batch; rank 1's device cannot build the sampler (a kernel directory
 * whose ising.cl does not compile): rank 1 names its build error, the others name rank 1, the
 * run exits 1 and writes no moments. */
static void a_failing_rank_of_three_is_named(void **state) {
  (void)state;
  ob_device *devs[2];
  if (ob_test_device_group(devs, 2) < 2) { /* rank 1 would get no device to fail on */
    print_message("skipped: the test device's platform has one device\n");
    skip();
  }
  char dir[4200], cmd[16384], err[8192], path[4400], group[1024];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  char *src = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_kernel_source("ising.cl", &src, &len));
  snprintf(path, sizeof path, "%s/ising.cl", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(src, 1, len, f), len);
  fputs("\nnot OpenCL C;\n", f);
  assert_int_equal(fclose(f), 0);
  free(src);
  ob_test_device_group_args(group, sizeof group);
  const char *model = "--graph random:40:3 --chains 3000 --warmup 2 --sweeps 4 --seed 11";
  /* -x goes before the program of its rank. */
  snprintf(cmd, sizeof cmd,
           MPIRUN " -n 1 %s ising --shard %s %s --moments %s/m.csv"
                  " : -n 1 -x OCLBENCH_NO_CACHE=1 -x OCLBENCH_KERNEL_DIR=%s %s ising --shard %s %s"
                  " --moments %s/m.csv : -n 1 %s ising --shard %s %s --moments %s/m.csv",
           mpi_binary(), model, group, dir, dir, mpi_binary(), model, group, dir, mpi_binary(),
           model, group, dir);
  assert_int_equal(sh(cmd, err, sizeof err), 1);
  assert_non_null(strstr(err, "oclbench-mpi[rank 1]: ising: build of ising.cl failed"));
  assert_non_null(strstr(err, "rank 1 failed to calibrate"));
  snprintf(path, sizeof path, "%s/m.csv", dir);
  assert_int_equal(access(path, F_OK), -1);
}

int main(void) {
  /* Open MPI in containers: no cross-memory attach between ranks. */
  setenv("OMPI_MCA_btl_vader_single_copy_mechanism", "none", 0);
  /* Under `make check` the ranks keep every ASan/UBSan check but leak detection: Open MPI's
   * run-time plugins leak from code LeakSanitizer cannot attribute (unknown modules). */
  if (getenv("OB_SANITIZED")) setenv("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=0", 1);
  /* Two PoCL devices on this host (ignored by other OpenCL platforms). */
  setenv("POCL_DEVICES", "pthread pthread", 0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(two_ranks_gather_one_csv_per_device),
      cmocka_unit_test(a_failing_rank_is_reported_and_the_other_finishes),
      cmocka_unit_test(a_failing_rank_of_three_is_named),
      cmocka_unit_test(bad_arguments_exit_2_once),
      cmocka_unit_test(sharded_ising_moments_equal_one_device),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
