#!/bin/sh
# Runs each libFuzzer target for a fixed time on its committed corpus and regression inputs and
# prints one line per target (seconds, executions, coverage, features); fails if any found a
# crash, leak, timeout or out-of-memory. New corpus entries go to BUILD/corpus/TARGET (the
# committed corpora stay small); findings to BUILD/findings/TARGET/ (to keep one as a
# regression input, copy it to tests/fuzz/regressions/TARGET/).
# Usage: sh tools/fuzz.sh BUILD SECONDS TARGET...
set -u
build=$1 seconds=$2; shift 2
failed=0
# The file targets write their input to a scratch file per run: in memory when possible.
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
for t in "$@"; do
  mkdir -p "$build/corpus/$t" "$build/findings/$t" "tests/fuzz/regressions/$t"
  log="$build/fuzz_$t.log"
  start=$(date +%s)
  "$build/fuzz/fuzz_$t" "$build/corpus/$t" "tests/fuzz/corpus/$t" "tests/fuzz/regressions/$t" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$t/" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    echo "PASS fuzz_$t: $(( $(date +%s) - start )) s, ${execs:-?} executions, $cov"
  else
    echo "FAIL fuzz_$t (exit $rc): $(( $(date +%s) - start )) s, ${execs:-?} executions, $cov; log $log:"
    grep -A30 'ERROR\|==[0-9]*==\|SUMMARY\|Test unit written' "$log" | head -60 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
echo "$# fuzz targets, $failed failed"
[ "$failed" -eq 0 ]
