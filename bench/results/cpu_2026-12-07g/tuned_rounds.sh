#!/bin/sh
# Own SGEMM as a user gets it (`oclbench run linear`, the tuner's choice from its cache, no
# configuration forced) against OpenBLAS through numpy, alternating per size: for each round
# and size, OpenBLAS, own, OpenBLAS, each printed as median/best GFLOP/s, then own over the
# mean of the two OpenBLAS medians. Comparing one size at a time keeps each ratio within
# about 20 s, shorter than the stretches in which a shared host's neighbours come and go.
# CACHE: a cache directory (XDG_CACHE_HOME) in which the tuner has already searched at these
# sizes (`XDG_CACHE_HOME=CACHE ./oclbench run linear --sizes 1024,2048 --device pocl`); it
# is copied, so rounds never tune. SIZES default "1024 2048"; PY: a python with numpy. Both
# sides through cpu_rounds.sh (blas; own with CFG=tuned). Usage (repository root, after make):
#   CACHE=DIR PY=... sh bench/results/cpu_2026-12-07g/tuned_rounds.sh ROUNDS
set -eu
. bench/results/cpu_rounds.sh
dir=$(mktemp -d)
cp -r "$CACHE" "$dir/own.cache"
sizes=${SIZES:-1024 2048}
for r in $(seq 1 "$1"); do
  for n in $sizes; do
    a=$(blas "$n"); o=$(CFG=tuned SIZES=$n own "$dir/own"); b=$(blas "$n")
    ratio=$(echo "$a $o $b" |
      awk '{split($1,x,"/"); split($2,y,"/"); split($3,z,"/"); printf "%.2f", 2*y[1]/(x[1]+z[1])}')
    echo "round $r $(date +%H:%M) $n | OpenBLAS $a | own $o | OpenBLAS $b | own/OpenBLAS $ratio"
  done
done
rm -rf "$dir"
