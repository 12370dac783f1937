#!/bin/bash
# Device call 3: tuned runs (empty tuning cache each) with main's kernels and with k_rot32,
# then `run ising` with k_rot32 (every row verified).
. ./call_lib.sh
G="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
for r in 1 2; do
  export OCLBENCH_KERNEL_DIR=$PWD/k_base; one tuned_base_r$r 120 ./oclbench $G
  export OCLBENCH_KERNEL_DIR=$PWD/k_rot32; one tuned_rot32_r$r 120 ./oclbench $G
done
one run_ising_rot32 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising_rot32.csv 2>/dev/null
save
