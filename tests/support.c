/* Shared test fixture. */
#include "support.h"

#include "cli_tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static ob_registry *registry;
static ob_device *device;

/* CMOCKA_TEST_FILTER (a test name, or a pattern with * and ?) runs only the matching tests of
 * a program; cmocka 1.1.5 reads no such variable itself. Runs before main, so before
 * cmocka_run_group_tests picks the tests. */
__attribute__((constructor)) static void test_filter_from_environment(void) {
  const char *pattern = getenv("CMOCKA_TEST_FILTER");
  if (pattern && *pattern) cmocka_set_test_filter(pattern);
}

ob_registry *ob_test_registry(void) {
  if (!registry) {
    /* The tuning settings of the environment, as the CLI installs them (OCLBENCH_TUNE=off in
     * tools/oclgrind_check.sh). */
    ob_tune_settings tune;
    if (ob_cli_tune_settings(&tune) != OB_OK) fail_msg("%s", ob_error_detail());
    ob_tune_settings_install(&tune);
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

const char *ob_test_device_args(void) {
  static char args[64];
  snprintf(args, sizeof args, "--device %s", ob_device_slug(ob_test_device()));
  return args;
}

size_t ob_test_device_group(ob_device **out, size_t max) {
  ob_registry *reg = ob_test_registry();
  ob_device *first = ob_test_device();
  size_t n = 0;
  if (max == 0) return 0;
  out[n++] = first;
  for (size_t i = 0; i < ob_registry_count(reg) && n < max; i++) {
    ob_device *d = ob_registry_device(reg, i);
    if (d != first && ob_device_platform(d) == ob_device_platform(first)) {
      OB_ASSERT_OK(ob_device_open(d));
      out[n++] = d;
    }
  }
  return n;
}

void ob_test_device_group_args(char *buf, size_t n) {
  ob_device *devs[16];
  const size_t nd = ob_test_device_group(devs, 16);
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < nd && used < n; i++)
    used += (size_t)snprintf(buf + used, n - used, "%s--device %s", i ? " " : "",
                             ob_device_slug(devs[i]));
}

char *ob_test_env_set(const char *name, const char *value) {
  const char *old = getenv(name);
  char *saved = old ? strdup(old) : NULL;
  if (value)
    setenv(name, value, 1);
  else
    unsetenv(name);
  return saved;
}

void ob_test_env_restore(const char *name, char *saved) {
  if (saved)
    setenv(name, saved, 1);
  else
    unsetenv(name);
  free(saved);
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

int ob_test_run(const char *cmd, char **out, char **err) {
  /* A directory of its own: ob_test_tmpdir()'s path is static and may be the caller's. */
  const char *base = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/oclbench-run-XXXXXX", base && *base ? base : "/tmp");
  if (!mkdtemp(dir)) fail_msg("mkdtemp failed");
  char full[16384], out_path[4200], err_path[4200];
  snprintf(out_path, sizeof out_path, "%s/stdout", dir);
  snprintf(err_path, sizeof err_path, "%s/stderr", dir);
  snprintf(full, sizeof full, "%s >%s 2>%s", cmd, out_path, err_path);
  const int rc = system(full);
  if (out) OB_ASSERT_OK(ob_read_file(out_path, out, NULL));
  if (err) OB_ASSERT_OK(ob_read_file(err_path, err, NULL));
  remove(out_path);
  remove(err_path);
  rmdir(dir);
  return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* The oclbench binary followed by args, as a shell command. */
static void cli_command(char *buf, size_t n, const char *args) {
  const char *bin = getenv("OB_TEST_BINARY");
  snprintf(buf, n, "%s %s", bin && *bin ? bin : "./oclbench", args);
}

int ob_test_cli(const char *args, char *err, size_t errlen) {
  char cmd[8192], *text = NULL;
  cli_command(cmd, sizeof cmd, args);
  const int rc = ob_test_run(cmd, NULL, err && errlen ? &text : NULL);
  if (err && errlen) snprintf(err, errlen, "%s", text);
  free(text);
  return rc;
}

char *ob_test_cli_stdout(const char *args, int *rc) {
  char cmd[8192], *out = NULL;
  cli_command(cmd, sizeof cmd, args);
  *rc = ob_test_run(cmd, &out, NULL);
  return out;
}
