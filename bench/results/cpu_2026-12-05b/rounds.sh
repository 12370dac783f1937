#!/bin/sh
# Own SGEMM against OpenBLAS on PoCL, the same cores, alternating (RESULTS.md, "CPU SGEMM on a
# second CPU kind", 2026-12-05 afternoon): per round OpenBLAS (numpy `a @ b`, median/best
# GFLOP/s at 1024 and 2048), own SGEMM with the configuration forced (CFG, default the
# persistent 48/512, 6x64, kc 512 candidate), OpenBLAS again.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-05b/rounds.sh ROUNDS
# PY: a python with numpy (default python3).
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
for r in $(seq 1 "$1"); do
  a=$(blas); o=$(own "$dir/a"); b=$(blas)
  echo "round $r $(date +%H:%M) | OpenBLAS $a | own $o | OpenBLAS $b"
done
rm -rf "$dir"
