/* Shared test fixture: one registry and device per test process, so a program built for one
 * test is reused by the next (and by later processes through the on-disk binary cache). */
#ifndef OB_TEST_SUPPORT_H
#define OB_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "oclbench.h"

/* Every test program runs only the tests that CMOCKA_TEST_FILTER matches (a name, or a pattern
 * with * and ?) when it is set (tests/support.c). */

/* Every test program starts with the core configured from the environment, as the CLI does it
 * (ob_cli_check_env): the shared cache directory of tools/run_tests.sh, OCLBENCH_LOG, ... */

/* Reads cl_kernels/ files from dir instead of the built-in copies (NULL: the built-in ones
 * again); programs already built stay as they are (a fresh registry builds anew). */
void ob_test_kernel_dir(const char *dir);

/* The registry of this process (created on first use; fails the test when none). */
ob_registry *ob_test_registry(void);

/* The device under test: the first device OCLBENCH_TEST_DEVICE (a selector, as --device takes)
 * matches, or the registry's first device. Opened. Every test that needs a device gets it
 * here, and a test that runs the CLI passes ob_test_device_args() to it. */
ob_device *ob_test_device(void);

/* "--device SLUG" for the device under test, for a CLI command line (static storage). */
const char *ob_test_device_args(void);

/* The devices of the test device's platform, the test device first (for tests over several
 * devices: PoCL gives two with POCL_DEVICES="pthread pthread"); returns how many, >= 1. */
size_t ob_test_device_group(ob_device **out, size_t max);

/* "--device SLUG" for each device of ob_test_device_group, for a CLI command line. */
void ob_test_device_group_args(char *buf, size_t n);

/* Sets the environment variable name to value (NULL: unsets it) and returns its previous value
 * (malloc'ed, NULL when it was unset), for ob_test_env_restore. */
char *ob_test_env_set(const char *name, const char *value);
/* Restores name to saved (as ob_test_env_set returned it) and frees saved. */
void ob_test_env_restore(const char *name, char *saved);

/* cmocka group teardown that frees the shared registry. */
int ob_test_teardown(void **state);

/* A fresh empty temporary directory (mkdtemp under TMPDIR); the path is static storage. */
const char *ob_test_tmpdir(void);

/* Runs a shell command with stdout and stderr captured into malloc'ed NUL-terminated strings
 * (owned by the caller; out or err may be NULL to discard them); returns the exit status, -1
 * when it did not exit. */
int ob_test_run(const char *cmd, char **out, char **err);

/* Runs the oclbench binary (OB_TEST_BINARY or ./oclbench) with a shell command line suffix,
 * capturing stderr into err (may be NULL); returns the exit status, -1 when it did not exit. */
int ob_test_cli(const char *args, char *err, size_t errlen);

/* Runs the oclbench binary like ob_test_cli (stderr discarded) and returns its stdout,
 * malloc'ed and NUL-terminated (owned by the caller); *rc gets the exit status as ob_test_cli
 * returns it. */
char *ob_test_cli_stdout(const char *args, int *rc);

/* Fails the test with the error detail when st is not OB_OK. */
#define OB_ASSERT_OK(st)                                                                         \
  do {                                                                                           \
    ob_status ob_assert_st_ = (st);                                                              \
    if (ob_assert_st_ != OB_OK)                                                                  \
      fail_msg("%s: %s: %s", #st, ob_strerror(ob_assert_st_), ob_error_detail());                \
  } while (0)

#endif
