#!/bin/sh
# Two oclbench binaries as a user gets them (`oclbench run linear`, each with the tuner's choice
# from its own cache, no configuration forced) against OpenBLAS through numpy, alternating per
# size: for each round and size, OpenBLAS, binary A, binary B, OpenBLAS, each printed as
# median/best GFLOP/s, then A and B over the mean of the two OpenBLAS medians.
# OB_A, OB_B: the binaries; CACHE_A, CACHE_B: cache directories (XDG_CACHE_HOME) in which each
# binary's tuner has already searched at these sizes; they are copied, so rounds never tune.
# SIZES default "1024 2048"; PY: a python with numpy. Through ../cpu_rounds.sh (blas; own with
# CFG=tuned). Usage (repository root, after make):
#   OB_A=... CACHE_A=... OB_B=... CACHE_B=... PY=... sh bench/results/cpu_2026-12-08a/ab_rounds.sh ROUNDS
set -eu
. bench/results/cpu_rounds.sh
dir=$(mktemp -d)
cp -r "$CACHE_A" "$dir/a.cache"
cp -r "$CACHE_B" "$dir/b.cache"
for r in $(seq 1 "$1"); do
  for n in ${SIZES:-1024 2048}; do
    x=$(blas "$n")
    a=$(OB=$OB_A CFG=tuned SIZES=$n own "$dir/a")
    b=$(OB=$OB_B CFG=tuned SIZES=$n own "$dir/b")
    y=$(blas "$n")
    ratios=$(echo "$x $a $b $y" | awk '{split($1,p,"/"); split($2,q,"/"); split($3,s,"/");
      split($4,t,"/"); m=(p[1]+t[1])/2; printf "A %.2f B %.2f", q[1]/m, s[1]/m}')
    echo "round $r $(date +%H:%M) $n | OpenBLAS $x | A $a | B $b | OpenBLAS $y | $ratios"
  done
done
rm -rf "$dir"
