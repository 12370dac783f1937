#!/bin/sh
# Forced own SGEMM configurations against OpenBLAS on PoCL, alternating (same host as
# rounds.sh): per round OpenBLAS through numpy, then each configuration below (median/best
# GFLOP/s at 1024 and 2048 each), PoCL's program cache kept across rounds.
# Usage (repository root, after make): PY=python-with-numpy sh bench/results/cpu_2026-12-07/configs.sh ROUNDS
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
C=bm=64,bn=32,tm=8,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0
P=tm=6,tn=64,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,persist=1
set -- "$1" \
  "tuned:$C,kc=256,panel=2" \
  "panel-kc512:$C,kc=512,panel=2" \
  "persist-48/256-kc512:bm=48,bn=256,$P,kc=512" \
  "persist-48/512-kc256:bm=48,bn=512,$P,kc=256" \
  "persist-96/256-kc256:bm=96,bn=256,$P,kc=256"
rounds=$1; shift
for r in $(seq 1 "$rounds"); do
  line="round $r $(date +%H:%M) | OpenBLAS $(blas)"
  for c in "$@"; do
    line="$line | ${c%%:*} $(CFG=${c#*:} own "$dir/${c%%:*}")"
  done
  echo "$line | OpenBLAS $(blas)"
done
rm -rf "$dir"
