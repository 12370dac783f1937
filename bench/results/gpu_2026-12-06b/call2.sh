#!/bin/bash
# Device call 2, 2026-12-06 (second session): call 1's round-robin deal again with the rotation
# in whole SELL slices (k_rot32: SLICE x words-per-group units, so that a warp's lanes keep
# reading whole slices), against main's kernels (k_base), the layout forced as in call 1.
. ./call_lib.sh
G="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
for r in 1 2 3; do
  for cfg in 128_1 256_2 64_1; do
    for k in base rot32; do
      export OCLBENCH_KERNEL_DIR=$PWD/k_$k
      export OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=${cfg%_*},wg_words=${cfg#*_},schedule=global,update=float,resident=off,sign=mad,philox=lanes"
      one ${k}_${cfg}_r$r 60 ./oclbench $G
    done
  done
done
save
