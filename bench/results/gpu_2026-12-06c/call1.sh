#!/bin/bash
# Device call 1, 2026-12-06 (third session): the gaussian decision without the clamp of t.
# This tree's kernels (k_base) against k_noclamp through OCLBENCH_KERNEL_DIR: 2^t without
# the clamp of t to [-125, 125] (the same bits wherever |t| <= 125, as on this model, whose
# |ht| + sum |wt| per node stays far below 125; 64 fewer instructions per warp-unit in the
# clang-15 stand-in's SASS), pegasus:14, 320,000 chains, 100 sweeps, the tuned layout forced,
# alternating, four rounds; then `run ising` with this tree's binary.
#   bash .gpu/remote.sh bash call1.sh      (from .gpu/files, call_lib.sh and ab_lib.sh beside it)
. ./call_lib.sh
. ./ab_lib.sh
export OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,update=float,resident=off,sign=mad,philox=lanes"
for r in 1 2 3 4; do
  for v in base noclamp; do
    OCLBENCH_KERNEL_DIR=$PWD/k_$v one gauss_${v}_r$r 120 ./oclbench $gauss
  done
done
unset OCLBENCH_CONFIG_ISING
run_ising o_ising
