/* Fuzz target: the environment variables oclbench validates at start-up (ob_cli_check_env).
 * Input: parts cut at NUL bytes, each one byte choosing a variable and its value; the variables
 * are set, checked and unset again. The directory variables (OCLBENCH_KERNEL_DIR,
 * OCLBENCH_CACHE_DIR) are left out: checking them touches the file system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

static const char *const vars[] = {"OCLBENCH_LOG",          "OCLBENCH_PROGRESS",
                                   "OCLBENCH_TUNE",         "OCLBENCH_CONFIG_GEMM",
                                   "OCLBENCH_CONFIG_ISING", "OCLBENCH_CONFIG_CONV",
                                   "OCLBENCH_NO_CACHE"};
#define NVARS (sizeof vars / sizeof *vars)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *parts[NVARS], *block = NULL;
  const size_t n = fuzz_split(data, size, parts, NVARS, &block);
  unsetenv("OCLBENCH_KERNEL_DIR");
  unsetenv("OCLBENCH_CACHE_DIR");
  /* putenv with buffers of our own: setenv keeps every value it was ever given (glibc), which
   * millions of runs turn into gigabytes. */
  static char assignments[NVARS][4200];
  for (size_t i = 0; i < n; i++) {
    if (!parts[i][0]) continue;
    const size_t v = (unsigned char)parts[i][0] % NVARS;
    snprintf(assignments[v], sizeof assignments[v], "%s=%s", vars[v], parts[i] + 1);
    putenv(assignments[v]);
  }
  ob_cli_check_env();
  for (size_t i = 0; i < NVARS; i++) unsetenv(vars[i]);
  ob_config defaults;
  ob_config_default(&defaults);
  ob_configure(&defaults);
  free(block);
  return 0;
}
