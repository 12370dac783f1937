/* Shared pieces of the fuzz targets (tests/fuzz/fuzz_*.c). Each target defines the libFuzzer
 * entry point LLVMFuzzerTestOneInput; fuzz_util.c defines LLVMFuzzerInitialize for all. Built with
 * clang's -fsanitize=fuzzer by `make fuzz`, and with replay.c instead of the fuzzer runtime by
 * `make tests-build`, so that `make test` replays the corpora and the regression inputs through
 * the same entry points. */
#ifndef OB_FUZZ_H
#define OB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "oclbench.h"

/* Silences the code under test: its stdio stderr and stdout go to /dev/null (the file
 * descriptors stay, so sanitizer reports and libFuzzer's own output are kept); the scratch
 * files are removed at exit. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Runs one input through the code under test; always returns 0 (a failure traps). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input cut at its NUL bytes into at most max NUL-terminated parts (copies in one
 * malloc'ed block, *block, owned by the caller); returns how many. */
size_t fuzz_split(const uint8_t *data, size_t size, char **parts, size_t max, char **block);

/* Writes len bytes to this process's scratch file number k (k < 4, in TMPDIR, removed at exit)
 * and returns its path. */
const char *fuzz_file(size_t k, const void *data, size_t len);

#endif
