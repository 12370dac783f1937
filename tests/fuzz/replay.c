/* Runs a fuzz target's entry point over files and directories of inputs, without the fuzzer
 * runtime: `make test` replays the committed corpora and regression inputs this way.
 * Usage: replay_TARGET PATH...; exit 0 when every input ran (a crash aborts). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Runs one file through the target; returns 0, or 1 when it cannot be read. */
static int run_file(const char *path) {
  char *data = NULL;
  size_t len = 0;
  if (ob_read_file(path, &data, &len) != OB_OK) return 1;
  LLVMFuzzerTestOneInput((const uint8_t *)data, len);
  free(data);
  return 0;
}

int main(int argc, char **argv) {
  FILE *report = fdopen(dup(2), "w");
  LLVMFuzzerInitialize(&argc, &argv);
  size_t inputs = 0;
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(report, "replay: %s: no such file or directory\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      failed |= run_file(argv[i]);
      inputs++;
      continue;
    }
    struct dirent **names = NULL;
    int n = scandir(argv[i], &names, NULL, alphasort);
    for (int k = 0; k < n; k++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
      if (names[k]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        failed |= run_file(path);
        inputs++;
      }
      free(names[k]);
    }
    free(names);
  }
  fprintf(report, "replay: %zu inputs%s\n", inputs, failed ? ", some unreadable" : "");
  return failed;
}
