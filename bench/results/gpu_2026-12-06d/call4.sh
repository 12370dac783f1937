#!/bin/bash
# Device call 4: the tuned layout forced with decision=exact and with decision=screen whose
# exact pass recomputes the fields and the random numbers (k_full, ising_call4_full.patch), alternating;
# program caches kept.
. ./call_lib.sh
. ./ab_lib.sh
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2 3; do
  OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_r$r 120 ./oclbench $gauss
  OCLBENCH_KERNEL_DIR=$PWD/k_full OCLBENCH_CONFIG_ISING="$lay,decision=screen" one full_r$r 120 ./oclbench $gauss
done
for s in xor mad; do for p in auto lanes; do
  OCLBENCH_KERNEL_DIR=$PWD/k_full OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=$p,decision=screen" one full_${s}_$p 120 ./oclbench $gauss
done; done
tar czf $T/caches.tgz -C $C full_r1
save
