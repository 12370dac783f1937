#!/bin/sh
# Own SGEMM on PoCL with kernel variants (RESULTS.md, "CPU SGEMM: where the time goes on this
# session's host", 2026-12-05 evening): each variant is cl_kernels/ with its .patch of this
# folder applied to gemm.cl (rA: A's rows copied without the transpose; dA: A read from global
# memory; pf: B prefetched PFK steps of k ahead, -DPFK=4|8|16 by editing the patch's default 8),
# run through OCLBENCH_KERNEL_DIR with the configuration forced, `base` the tree's kernels.
# Experiments for timing only: rA and dA are exact only where M and K are multiples of 48 and 16.
# rA and dA apply to gemm.cl up to 64d5d5f (dbeec3e packs a row-major A as rows, rA's copy):
# for them, put `git show 64d5d5f:cl_kernels/gemm.cl` in cl_kernels/ first.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-05d/variants.sh base rA ...
set -eu
here=$(dirname "$0")
. bench/results/cpu_rounds.sh
for v in "$@"; do
  d=$(mktemp -d)
  if [ "$v" != base ]; then
    mkdir "$d/k" && cp cl_kernels/*.cl "$d/k/" && patch -s "$d/k/gemm.cl" "$here/$v.patch"
    echo "$v $(own "$d/a" "$d/k")"
  else
    echo "$v $(own "$d/a")"
  fi
  rm -rf "$d"
done
