/* Shared pieces of the fuzz targets. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char paths[4][4096];

/* Removes the scratch files at exit. */
static void remove_files(void) {
  for (size_t k = 0; k < 4; k++)
    if (paths[k][0]) remove(paths[k]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  FILE *null = fopen("/dev/null", "w");
  if (!null) abort();
  stderr = null;
  stdout = null;
  atexit(remove_files);
  return 0;
}

size_t fuzz_split(const uint8_t *data, size_t size, char **parts, size_t max, char **block) {
  *block = malloc(size + 1);
  if (!*block) abort();
  if (size) memcpy(*block, data, size);
  (*block)[size] = '\0';
  size_t n = 0;
  for (char *p = *block; n < max; p += strlen(p) + 1) {
    parts[n++] = p;
    if (p + strlen(p) >= *block + size) break;
  }
  return n;
}

const char *fuzz_file(size_t k, const void *data, size_t len) {
  if (k >= 4) abort();
  const char *base = getenv("TMPDIR");
  snprintf(paths[k], sizeof paths[k], "%s/oclbench-fuzz-%ld-%zu.csv", base && *base ? base : "/tmp",
           (long)getpid(), k);
  FILE *f = fopen(paths[k], "wb");
  if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) abort();
  return paths[k];
}
