#!/bin/sh
# ../cpu_2026-12-07f/a_next_prefetch.patch (the next A block asked into L2 during the
# persistent kernel's micro-tiles) against main through `oclbench run linear`, the way users
# run it, on this session's host (2-core Zen 4 class EPYC, 1 MiB L2 per core). Per round and
# size (each size a run of its own, the configuration forced): the persistent 48/256, 6x64, kc
# 512 configuration (the tuner's choice at 1024^3 in this session's `make run`) with main's
# kernels, the same with the patched ones (OCLBENCH_KERNEL_DIR), and main's B-panel 64/32, 8x32,
# kc 256 (the choice at 2048^3), the patch's competitor there; prints each run's own fp32
# median/best GFLOP/s. Repository root, after make:
#   sh bench/results/cpu_2026-12-07i/prefetch_ab.sh ROUNDS
set -eu
. bench/results/cpu_rounds.sh
dir=$(mktemp -d)
patched_kernels "$dir/k" bench/results/cpu_2026-12-07f/a_next_prefetch.patch
rest=vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0
persist=bm=48,bn=256,tm=6,tn=64,$rest,kc=512,persist=1
panel=bm=64,bn=32,tm=8,tn=32,$rest,kc=256,panel=2
for r in $(seq 1 "$1"); do
  for n in 1024 2048; do
    m=$(SIZES=$n CFG=$persist own "$dir/m$n")
    p=$(SIZES=$n CFG=$persist own "$dir/p$n" "$dir/k")
    b=$(SIZES=$n CFG=$panel own "$dir/b$n")
    echo "round $r $(date +%H:%M) $n^3 | persistent: main $m, prefetch $p | B-panel $b"
  done
done
rm -rf "$dir"
