#!/bin/sh
# The persistent CPU SGEMM with op(B)'s kc x nc block in a global scratch buffer (on huge
# pages) instead of local memory, 2026-12-07 (fourteenth session). An experiment, not in main:
# apply global_b_block.patch to a worktree of b4f3643 (`pad=1` with persist=1 selects the
# global block there), build it, and run this from that worktree's root: per round the local
# block at nc 512 (L512, the Xeon's tuned configuration), the global block at nc 512 (G512)
# and at nc 1024 (G1024, A packed once per work-group and kc at 2048^3 instead of twice).
# Usage: sh THIS ROUNDS
set -eu
. bench/results/cpu_rounds.sh
dir=$(mktemp -d)
base=bm=48,tm=6,tn=64,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,kc=512,persist=1
for r in $(seq 1 "$1"); do
  for v in L512 G512 G1024; do
    case $v in L512) c=$base,bn=512,pad=0;; G512) c=$base,bn=512,pad=1;; G1024) c=$base,bn=1024,pad=1;; esac
    x=$(CFG=$c own "$dir/$v")
    echo "round $r $(date +%H:%M:%S) $v $x"
    rm -rf "$dir/$v" "$dir/$v.cache"
  done
done
rm -rf "$dir"
