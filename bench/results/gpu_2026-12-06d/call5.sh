#!/bin/bash
# Device call 5 (an experiment, not a correct sampler): the screen alone, without the exact pass
# (k_nofb: ising_call5_nofb.patch), against decision=exact, alternating.
. ./call_lib.sh
. ./ab_lib.sh
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2; do
  OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_r$r 120 ./oclbench $gauss
  OCLBENCH_KERNEL_DIR=$PWD/k_nofb OCLBENCH_CONFIG_ISING="$lay,decision=screen" one nofb_r$r 120 ./oclbench $gauss
done
OCLBENCH_KERNEL_DIR=$PWD/k_nofb OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=xor,philox=lanes,decision=screen" one nofb_xor 120 ./oclbench $gauss
tar czf $T/caches.tgz -C $C nofb_r1
save
