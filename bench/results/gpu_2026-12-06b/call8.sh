#!/bin/bash
# Device call 8: the funnel-shift decision on top of the committed deal (k_dealfun:
# kernels/dealfun.patch on 7b5c070's cl_kernels) against this tree's own kernels, pegasus:14
# gaussian, tuned and with the 128 x 1 layout forced, alternating, three rounds. Data only.
. ./call_lib.sh
. ./ab_lib.sh
for r in 1 2 3; do
  for k in new dealfun; do
    if [ $k = new ]; then unset OCLBENCH_KERNEL_DIR; else export OCLBENCH_KERNEL_DIR=$PWD/k_dealfun; fi
    one tuned_${k}_r$r 120 ./oclbench $gauss
    OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,update=float,resident=off,sign=mad,philox=lanes" \
      one forced_${k}_r$r 60 ./oclbench $gauss
  done
done
unset OCLBENCH_KERNEL_DIR
save
