/* Shared test fixture. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static ob_registry *registry;
static ob_device *device;

ob_registry *ob_test_registry(void) {
  if (!registry) {
    ob_status st = ob_registry_create(&registry);
    if (st != OB_OK) fail_msg("no OpenCL device for the tests: %s", ob_error_detail());
  }
  return registry;
}

ob_device *ob_test_device(void) {
  if (device) return device;
  ob_registry *reg = ob_test_registry();
  size_t n = ob_registry_count(reg);
  const char *sel = getenv("OCLBENCH_TEST_DEVICE");
  bool *mask = calloc(n, sizeof *mask);
  assert_non_null(mask);
  if (sel && *sel) {
    if (ob_registry_select(reg, sel, mask) == 0) fail_msg("OCLBENCH_TEST_DEVICE=%s matches nothing", sel);
  } else {
    mask[0] = true;
  }
  for (size_t i = 0; i < n && !device; i++)
    if (mask[i]) device = ob_registry_device(reg, i);
  free(mask);
  OB_ASSERT_OK(ob_device_open(device));
  return device;
}

int ob_test_teardown(void **state) {
  (void)state;
  ob_registry_destroy(registry);
  registry = NULL;
  device = NULL;
  return 0;
}

const char *ob_test_tmpdir(void) {
  static char path[4096];
  const char *base = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/oclbench-test-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(path)) fail_msg("mkdtemp failed");
  return path;
}

int ob_test_cli(const char *args, char *err, size_t errlen) {
  const char *bin = getenv("OB_TEST_BINARY");
  char errfile[4200], cmd[8192];
  snprintf(errfile, sizeof errfile, "%s/stderr.txt", ob_test_tmpdir());
  snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>%s", bin && *bin ? bin : "./oclbench", args,
           errfile);
  int rc = system(cmd);
  if (err && errlen) {
    err[0] = '\0';
    FILE *f = fopen(errfile, "r");
    if (f) {
      size_t n = fread(err, 1, errlen - 1, f);
      err[n] = '\0';
      fclose(f);
    }
  }
  remove(errfile);
  if (rc == -1 || !WIFEXITED(rc)) return -1;
  return WEXITSTATUS(rc);
}

char *ob_test_cli_stdout(const char *args, int *rc) {
  const char *bin = getenv("OB_TEST_BINARY");
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", bin && *bin ? bin : "./oclbench", args);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 16, n = 0, got = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  while ((got = fread(out + n, 1, cap - 1 - n, p)) > 0) {
    n += got;
    if (n + 1 == cap) {
      cap *= 2;
      out = realloc(out, cap);
      assert_non_null(out);
    }
  }
  out[n] = '\0';
  const int status = pclose(p);
  *rc = status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
  return out;
}
