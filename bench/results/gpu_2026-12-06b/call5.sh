#!/bin/bash
# Device call 5: call 4 again after the deal's arithmetic was written as call 2's k_rot32 had
# it (32-bit, the group's start from the sum of the deals): this tree's binary against main's
# kernels (k_base), tuned, alternating; then `run ising`.
. ./call_lib.sh
P="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
M="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100 --tune"
for r in 1 2; do
  for k in base new; do
    if [ $k = base ]; then export OCLBENCH_KERNEL_DIR=$PWD/k_base; else unset OCLBENCH_KERNEL_DIR; fi
    one gauss_${k}_r$r 120 ./oclbench $P
    one pm1_${k}_r$r 120 ./oclbench $M
  done
done
unset OCLBENCH_KERNEL_DIR
one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising.csv 2>/dev/null
save
