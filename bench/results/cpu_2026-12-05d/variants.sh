#!/bin/sh
# Own SGEMM on PoCL with kernel variants (RESULTS.md, "CPU SGEMM: where the time goes on this
# session's host", 2026-12-05 evening): each variant is cl_kernels/ with its .patch of this
# folder applied to gemm.cl (rA: A's rows copied without the transpose; dA: A read from global
# memory; pf: B prefetched PFK steps of k ahead, -DPFK=4|8|16 by editing the patch's default 8),
# run through OCLBENCH_KERNEL_DIR with the configuration forced, `base` the tree's kernels.
# Experiments for timing only: rA and dA are exact only where M and K are multiples of 48 and 16.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-05d/variants.sh base rA ...
set -eu
here=$(dirname "$0")
CFG=bm=48,bn=512,tm=6,tn=64,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=512,persist=1
. bench/results/cpu_rounds.sh
for v in "$@"; do
  d=$(mktemp -d)
  if [ "$v" != base ]; then
    mkdir "$d/k" && cp cl_kernels/*.cl "$d/k/" && patch -s "$d/k/gemm.cl" "$here/$v.patch"
    export OCLBENCH_KERNEL_DIR="$d/k"
  else
    unset OCLBENCH_KERNEL_DIR
  fi
  OCLBENCH_CONFIG_GEMM=$CFG XDG_CACHE_HOME="$d/cache" \
    ./oclbench run linear --sizes 1024,2048 --device pocl --out "$d/a" --force >/dev/null 2>&1
  echo "$v $(val "$d/a")"
  rm -rf "$d"
done
