/* The portable bundle: `make bundle` into a temporary directory, unpacked elsewhere, run with
 * a clean environment (env -i), the system ICD directory hidden (OCLBENCH_ICD_DIR pointing at
 * an empty directory) so that PoCL is found through the launcher's own search. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char root[4096];   /* the unpacked oclbench-VERSION/ */
static char empty[4096];  /* an empty directory */
static char work[4096];   /* scratch */

/* Builds the bundle with the project's Makefile (outside any make running the tests) and
 * unpacks it. */
static int build_and_unpack(void **state) {
  (void)state;
  const char *src = getenv("OB_SOURCE_DIR");
  if (!src || !*src) src = ".";
  char dist[4096], cmd[16384];
  snprintf(dist, sizeof dist, "%s", ob_test_tmpdir());
  snprintf(empty, sizeof empty, "%s", ob_test_tmpdir());
  snprintf(work, sizeof work, "%s", ob_test_tmpdir());
  char unpack[4096];
  snprintf(unpack, sizeof unpack, "%s", ob_test_tmpdir());
  snprintf(cmd, sizeof cmd,
           "cd %s && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s bundle BUNDLE_DIR=%s >%s/make.log 2>&1"
           " && tar -C %s -xzf %s/oclbench-%s-linux-x86_64.tar.gz",
           src, dist, work, unpack, dist, OB_VERSION);
  if (system(cmd) != 0) {
    char log[4200];
    snprintf(log, sizeof log, "%s/make.log", work);
    char *text = NULL;
    ob_read_file(log, &text, NULL);
    fprintf(stderr, "make bundle failed:\n%s\n", text ? text : "");
    free(text);
    return -1;
  }
  snprintf(root, sizeof root, "%s/oclbench-%s", unpack, OB_VERSION);
  return 0;
}

static void bundle_layout_and_linking(void **state) {
  (void)state;
  static const char *const files[] = {"oclbench", "bin/oclbench", "lib/libOpenCL.so.1",
                                      "kernels/peak.cl", "README.txt"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", root, files[i]);
    if (stat(path, &st) != 0) fail_msg("bundle lacks %s", files[i]);
    if (i < 2) assert_true(st.st_mode & S_IXUSR);
  }
  char cmd[8400], *out = NULL, *err = NULL;
  /* CLBlast, hwloc and libcsv linked in; the loader found in the bundle through the rpath */
  snprintf(cmd, sizeof cmd, "objdump -p %s/bin/oclbench", root);
  assert_int_equal(ob_test_run(cmd, &out, &err), 0);
  assert_null(strstr(out, "libclblast"));
  assert_null(strstr(out, "libhwloc"));
  assert_null(strstr(out, "libcsv"));
  assert_non_null(strstr(out, "RUNPATH              $ORIGIN/../lib"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "env -i LD_TRACE_LOADED_OBJECTS=1 %s/bin/oclbench", root);
  assert_int_equal(ob_test_run(cmd, &out, &err), 0);
  char expect[4300];
  snprintf(expect, sizeof expect, "libOpenCL.so.1 => %s/bin/../lib/libOpenCL.so.1", root);
  if (!strstr(out, expect)) fail_msg("loader not from the bundle:\n%s", out);
  free(out);
  free(err);
}

static void devices_through_the_launcher_search(void **state) {
  (void)state;
  char cmd[8400], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd, "env -i OCLBENCH_ICD_DIR=%s %s/oclbench devices", empty, root);
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("devices: rc %d\n%s", rc, err);
  assert_non_null(strstr(out, "pocl-cpu-0"));
  char expect[4300];
  snprintf(expect, sizeof expect, "no usable ICD file in %s", empty);
  assert_non_null(strstr(err, expect));
  assert_non_null(strstr(err, "found    PoCL (any CPU): "));
  assert_non_null(strstr(err, "libpocl.so.2"));
  assert_non_null(strstr(err, "missing  NVIDIA: libnvidia-opencl.so.1"));
  assert_non_null(strstr(err, "OCL_ICD_VENDORS="));
  free(out);
  free(err);

  /* an ICD directory with one working and one broken ICD file is used as it is */
  char icd[4200];
  snprintf(icd, sizeof icd, "%s/icd", work);
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s && echo libpocl.so.2 > %s/pocl.icd && echo libgone.so > %s/gone.icd", icd,
           icd, icd);
  assert_int_equal(system(cmd), 0);
  snprintf(cmd, sizeof cmd, "env -i OCLBENCH_ICD_DIR=%s %s/oclbench devices", icd, root);
  rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("devices with an ICD dir: rc %d\n%s", rc, err);
  assert_non_null(strstr(out, "pocl-cpu-0"));
  assert_non_null(strstr(err, "using the ICD files in"));
  assert_non_null(strstr(err, "gone.icd: libgone.so not found"));
  free(out);
  free(err);

  /* nothing anywhere: the launcher says what is missing, oclbench exits 3 with its diagnosis */
  snprintf(cmd, sizeof cmd, "env -i OCLBENCH_ICD_DIR=%s OCLBENCH_DRIVER_PATH=%s %s/oclbench devices",
           empty, empty, root);
  assert_int_equal(ob_test_run(cmd, &out, &err), 3);
  assert_non_null(strstr(err, "no OpenCL driver found"));
  assert_non_null(strstr(err, "missing  PoCL (any CPU): libpocl.so.2"));
  assert_non_null(strstr(err, "no OpenCL platform"));
  free(out);
  free(err);

  /* bad settings are exit 2 */
  snprintf(cmd, sizeof cmd, "env -i OCLBENCH_ICD_DIR=/nonexistent %s/oclbench devices", root);
  assert_int_equal(ob_test_run(cmd, &out, &err), 2);
  assert_non_null(strstr(err, "OCLBENCH_ICD_DIR='/nonexistent' is not a directory"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "env -i OCLBENCH_DRIVER_PATH=/nonexistent %s/oclbench run", root);
  assert_int_equal(ob_test_run(cmd, &out, &err), 2);
  free(out);
  free(err);
}

static void quick_run_and_compare_through_the_launcher(void **state) {
  (void)state;
  char cmd[8400], *out = NULL, *err = NULL;
  snprintf(cmd, sizeof cmd,
           "cd %s && env -i OCLBENCH_ICD_DIR=%s OCLBENCH_PROGRESS=0 %s/oclbench run peak --quick "
           "--seconds 0.05 --out results",
           work, empty, root);
  int rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("run: rc %d\n%s", rc, err);
  assert_non_null(strstr(out, "fma_float4"));
  assert_non_null(strstr(err, "using the drivers found"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "cd %s && env -i %s/oclbench compare results/*.csv --svg plot.svg",
           work, root);
  rc = ob_test_run(cmd, &out, &err);
  if (rc != 0) fail_msg("compare: rc %d\n%s", rc, err);
  assert_non_null(strstr(out, "pocl-cpu-0"));
  free(out);
  free(err);
  snprintf(cmd, sizeof cmd, "xmllint --noout %s/plot.svg", work);
  assert_int_equal(system(cmd), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bundle_layout_and_linking),
      cmocka_unit_test(devices_through_the_launcher_search),
      cmocka_unit_test(quick_run_and_compare_through_the_launcher),
  };
  return cmocka_run_group_tests(tests, build_and_unpack, NULL);
}
