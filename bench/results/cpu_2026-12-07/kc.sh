#!/bin/sh
# The tuner's B-panel configuration on this host (64/32, 8x32) at kc 256 and 512, alternating,
# own SGEMM only (median/best GFLOP/s at 1024 and 2048 each), PoCL's cache kept.
# Usage (repository root, after make): sh bench/results/cpu_2026-12-07/kc.sh ROUNDS
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
C=bm=64,bn=32,tm=8,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,panel=2
for r in $(seq 1 "$1"); do
  echo "round $r $(date +%H:%M) | kc256 $(CFG=$C,kc=256 own "$dir/a") | kc512 $(CFG=$C,kc=512 own "$dir/b") | kc256 $(CFG=$C,kc=256 own "$dir/a")"
done
rm -rf "$dir"
