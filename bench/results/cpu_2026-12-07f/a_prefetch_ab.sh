#!/bin/sh
# The next A block prefetched into L2 during the micro-tiles (a_next_prefetch.patch) against
# main, alternating, ROUNDS rounds (default 6): build/gemm_driver (cpu_2026-12-05c/gemm_driver.c)
# at 2048^3, 30 runs each, persistent 6x64 kc 512 with nc 256 (the full-width EPYC's blocking)
# and 512 (the Xeon's). Repository root, after make and building build/gemm_driver:
#   sh bench/results/cpu_2026-12-07f/a_prefetch_ab.sh [ROUNDS]
set -eu
kd=$(mktemp -d)
cp cl_kernels/* "$kd"
(cd "$kd" && patch -s -p2 < "$OLDPWD/bench/results/cpu_2026-12-07f/a_next_prefetch.patch")
for r in $(seq "${1:-6}"); do
  for k in main "$kd"; do
    for bn in 256 512; do
      printf 'round %s %s ' "$r" "$([ "$k" = main ] && echo main || echo prefetch)"
      KD=$([ "$k" = main ] || echo "$k") build/gemm_driver 2048 30 6 64 512 48 "$bn"
    done
  done
done
rm -rf "$kd"
