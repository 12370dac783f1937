#!/bin/sh
# Own SGEMM on PoCL, the tree's kernel against a patched one, between OpenBLAS runs, the same
# cores, alternating (RESULTS.md, "Issue 18, 2026-12-05 (night)"): per round OpenBLAS (numpy
# `a @ b`, median/best GFLOP/s at 1024 and 2048), own SGEMM with the configuration forced
# (the persistent 48/512, 6x64, kc 512 candidate) from cl_kernels/, then from cl_kernels/ with
# PATCH applied (through OCLBENCH_KERNEL_DIR), then OpenBLAS again.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-05e/rounds_ab.sh PATCH ROUNDS
# u4.patch applies to the tree before c00f95d (which landed it); u8.patch to 1281c0b on (it ran
# against c00f95d: the same code, an older comment).
# PY: a python with numpy (default python3).
set -eu
dir=$(mktemp -d)
mkdir "$dir/k" && cp cl_kernels/*.cl "$dir/k/" && patch -s "$dir/k/gemm.cl" "$1"
. bench/results/cpu_rounds.sh
for r in $(seq 1 "$2"); do
  a=$(blas); o=$(own "$dir/a"); p=$(own "$dir/b" "$dir/k"); b=$(blas)
  echo "round $r $(date +%H:%M) | OpenBLAS $a | own $o | patched $p | OpenBLAS $b"
done
rm -rf "$dir"
