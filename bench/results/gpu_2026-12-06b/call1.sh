#!/bin/bash
# Device call 1, 2026-12-06 (second session): the gaussian Ising kernel's variants on
# pegasus:14, 320,000 chains, 100 sweeps, one binary, the kernels through OCLBENCH_KERNEL_DIR:
#   k_base  cl_kernels/ising.cl of main (8a9fece)
#   k_rot   units dealt round-robin across colours and work-groups (the tail of a colour
#           phase on other work-items each time)
#   k_fun   the decision's sign bits gathered by funnel shifts (fma(u, 2^t, u - 1) < 0)
#   k_both  both
# each with the layout forced (32 chains per word, local path, sign=mad, philox=lanes) at
# work-groups of 64, 128 and 256 and 1 or 2 words per work-group, two alternating rounds.
#   bash .gpu/remote.sh bash call1.sh     (from .gpu/files, call_lib.sh beside it)
. ./call_lib.sh
G="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
for r in 1 2; do
  for wg in 128 64 256; do
    for ww in 1 2; do
      for k in base rot fun both; do
        export OCLBENCH_KERNEL_DIR=$PWD/k_$k
        export OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=$wg,wg_words=$ww,schedule=global,update=float,resident=off,sign=mad,philox=lanes"
        one ${k}_${wg}_${ww}_r$r 60 ./oclbench $G
      done
    done
  done
done
unset OCLBENCH_CONFIG_ISING
for k in base both; do mkdir -p $T/ptx/$k; cp $C/${k}_128_1_r1/*.bin $T/ptx/$k/ 2>/dev/null; done
export OCLBENCH_KERNEL_DIR=$PWD/k_base; one tuned_base 120 ./oclbench $G
export OCLBENCH_KERNEL_DIR=$PWD/k_rot; one tuned_rot 120 ./oclbench $G
save
