#!/bin/sh
# Huge pages for CPU buffers (core/buffer.c), 2026-12-07 (thirteenth session): per round
# OpenBLAS through numpy (its arrays on transparent huge pages: numpy advises them), own SGEMM
# with the binary before the change (OLD) and after (./oclbench), alternating which goes first,
# then OpenBLAS again; median/best GFLOP/s at 1024 and 2048 each, CFG forced (cpu_rounds.sh).
# Usage (repository root, after make): OLD=path PY=python-with-numpy sh bench/results/cpu_2026-12-07c/ab.sh ROUNDS
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
for r in $(seq 1 "$1"); do
  a=$(blas)
  if [ $((r % 2)) -eq 1 ]; then
    o=$(OB=$OLD own "$dir/o"); n=$(own "$dir/n")
  else
    n=$(own "$dir/n"); o=$(OB=$OLD own "$dir/o")
  fi
  b=$(blas)
  echo "round $r $(date +%H:%M) | OpenBLAS $a | before $o | after $n | OpenBLAS $b"
  rm -rf "$dir/o" "$dir/o.cache" "$dir/n" "$dir/n.cache"
done
rm -rf "$dir"
