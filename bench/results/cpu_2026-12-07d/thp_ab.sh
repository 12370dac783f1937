#!/bin/sh
# Transparent huge pages for everything (THP "always") against the default "madvise", where
# only oclbench's large CPU buffers (core/buffer.c) get huge pages, 2026-12-07 (fourteenth
# session): own SGEMM (CFG forced, default the Xeon's tuned 48/512 6x64 kc 512, cpu_rounds.sh)
# at 1024 and 2048, the two modes alternating. Writes the system-wide THP setting (root) and
# puts back "madvise" at the end. Usage (repository root, after make): sh THIS ROUNDS
set -eu
. bench/results/cpu_rounds.sh
T=/sys/kernel/mm/transparent_hugepage/enabled
dir=$(mktemp -d)
for r in $(seq 1 "$1"); do
  for mode in $( [ $((r % 2)) -eq 1 ] && echo "madvise always" || echo "always madvise"); do
    echo $mode > $T
    v=$(own "$dir/$mode")
    echo "round $r $(date +%H:%M:%S) $mode $v"
    rm -rf "$dir/$mode" "$dir/$mode.cache"
  done
done
echo madvise > $T
rm -rf "$dir"
