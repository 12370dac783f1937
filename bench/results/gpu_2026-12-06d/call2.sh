#!/bin/bash
# Device call 2: the tuned layout forced with decision=exact, decision=screen (this tree) and
# decision=screen with a fallback per vector of 16 chains (k_vb, ising_call2_vb.patch), alternating;
# the program caches of round 1 kept (NVIDIA's PTX, for ptxas here).
. ./call_lib.sh
. ./ab_lib.sh
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2 3; do
  OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_r$r 120 ./oclbench $gauss
  OCLBENCH_CONFIG_ISING="$lay,decision=screen" one screen_r$r 120 ./oclbench $gauss
  OCLBENCH_KERNEL_DIR=$PWD/k_vb OCLBENCH_CONFIG_ISING="$lay,decision=screen" one vb_r$r 120 ./oclbench $gauss
done
tar czf $T/caches.tgz -C $C exact_r1 screen_r1 vb_r1
save
