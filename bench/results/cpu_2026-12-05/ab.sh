#!/bin/sh
# The before/after rounds of RESULTS.md "CPU SGEMM against OpenBLAS, 2026-12-05 (day)": per
# round, OpenBLAS (numpy `a @ b`, median/best GFLOP/s at 1024 and 2048), then the same oclbench
# binary with the kernels of commit f4202c4 (OCLBENCH_KERNEL_DIR) and with its own, the
# configuration forced to the tuned persistent 48/512/512 both times, then OpenBLAS again.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-05/ab.sh ROUNDS
# PY: a python with numpy (default python3).
set -eu
dir=$(mktemp -d)
mkdir "$dir/before"
for f in $(git ls-tree --name-only f4202c4 cl_kernels/); do
  git show "f4202c4:$f" > "$dir/before/$(basename "$f")"
done
CFG="bm=48,bn=512,tm=12,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=512,persist=1"
. bench/results/cpu_rounds.sh
for r in $(seq 1 "$1"); do
  a=$(blas)
  l0=$(cut -d' ' -f1 /proc/loadavg)
  before=$(own "$dir/b" "$dir/before"); after=$(own "$dir/a")
  b=$(blas)
  echo "round $r $(date +%H:%M) load $l0-$(cut -d' ' -f1 /proc/loadavg) | OpenBLAS $a |" \
       "before $before | after $after | OpenBLAS $b"
done
rm -rf "$dir"
