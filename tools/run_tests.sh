#!/bin/sh
# Runs the cmocka test binaries given, with a shared program cache and a comma locale
# available; prints one line per binary (its name as it starts, PASS or FAIL and the time as it
# ends, the log of a failure) and fails if any failed.
# Usage: sh tools/run_tests.sh BUILD_DIR TEST_BINARY...
set -u
build=$1; shift
top=$(pwd)
export OCLBENCH_CACHE_DIR="$top/$build/cache"
# `make check` builds its own sanitized binary into its build directory.
export OB_TEST_BINARY="$top/oclbench"
[ -x "$top/$build/oclbench" ] && OB_TEST_BINARY="$top/$build/oclbench"
export OB_TEST_MPI_BINARY="$top/oclbench-mpi"
[ -x "$top/$build/oclbench-mpi" ] && OB_TEST_MPI_BINARY="$top/$build/oclbench-mpi"
export OCLBENCH_PROGRESS=0
export OB_SOURCE_DIR="$top"
# A German locale (comma decimal point) for the CSV tests, built without root when missing.
if [ ! -d "$top/$build/locale/de_DE.UTF-8" ] && command -v localedef >/dev/null 2>&1; then
  mkdir -p "$top/$build/locale"
  localedef -i de_DE -f UTF-8 "$top/$build/locale/de_DE.UTF-8" >/dev/null 2>&1 || true
fi
export LOCPATH="$top/$build/locale"
if [ -n "${OB_SANITIZED:-}" ]; then
  # Leaks are checked in oclbench's code; the OpenCL driver's own (PoCL/LLVM) are suppressed.
  export ASAN_OPTIONS=abort_on_error=1
  export LSAN_OPTIONS="suppressions=$top/tools/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
failed=0
start=$(date +%s)
i=0
for t in "$@"; do
  name=$(basename "$t")
  i=$((i + 1))
  t0=$(date +%s)
  # The name when the program starts, its result on the same line when it ends.
  printf '[%d/%d] %-22s ' "$i" "$#" "$name"
  if "$t" > "$top/$build/$name.log" 2>&1; then
    echo "PASS ($(( $(date +%s) - t0 )) s)"
  else
    echo "FAIL ($(( $(date +%s) - t0 )) s); log:"
    sed 's/^/    /' "$top/$build/$name.log"
    failed=$((failed + 1))
  fi
done
echo "$# test programs, $failed failed, $(( $(date +%s) - start )) s"
[ "$failed" -eq 0 ]
