#!/bin/bash
# Device call 4: this tree's binary (the round-robin deal in whole slices in
# cl_kernels/ising.cl) against main's kernels before it (k_base through OCLBENCH_KERNEL_DIR),
# tuned, alternating, on the gaussian and +-1 pegasus:14 rows and the torus; then `run ising`.
. ./call_lib.sh
P="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
M="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100 --tune"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100 --tune"
SM="ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100 --tune"
for r in 1 2; do
  for k in base new; do
    if [ $k = base ]; then export OCLBENCH_KERNEL_DIR=$PWD/k_base; else unset OCLBENCH_KERNEL_DIR; fi
    one gauss_${k}_r$r 120 ./oclbench $P
    one pm1_${k}_r$r 120 ./oclbench $M
    one torus_${k}_r$r 120 ./oclbench $TO
    one small_${k}_r$r 120 ./oclbench $SM
  done
done
unset OCLBENCH_KERNEL_DIR
one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising.csv 2>/dev/null
save
