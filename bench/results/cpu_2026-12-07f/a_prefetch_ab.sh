#!/bin/sh
# The next A block prefetched into L2 during the micro-tiles (a_next_prefetch.patch) against
# main, alternating, ROUNDS rounds (default 6): build/gemm_driver (cpu_2026-12-05c/gemm_driver.c),
# 30 runs each, for each case of CASES, "N TM TN KC BM BN" separated by commas (default: 2048^3,
# persistent 6x64 kc 512 with nc 256, the full-width EPYC's blocking, and 512, the Xeon's).
# Repository root, after make and building build/gemm_driver:
#   [CASES='1024 8 32 256 64 32,2048 8 32 256 128 32'] sh bench/results/cpu_2026-12-07f/a_prefetch_ab.sh [ROUNDS]
set -eu
. bench/results/cpu_rounds.sh
tmp=$(mktemp -d)
kd=$tmp/k
patched_kernels "$kd" bench/results/cpu_2026-12-07f/a_next_prefetch.patch
cases=${CASES:-2048 6 64 512 48 256,2048 6 64 512 48 512}
for r in $(seq "${1:-6}"); do
  for k in main "$kd"; do
    echo "$cases" | tr ',' '\n' | while read -r n tm tn kc bm bn; do
      printf 'round %s %s ' "$r" "$([ "$k" = main ] && echo main || echo prefetch)"
      KD=$([ "$k" = main ] || echo "$k") build/gemm_driver "$n" 30 "$tm" "$tn" "$kc" "$bm" "$bn"
    done
  done
done
rm -rf "$tmp"
