#!/bin/bash
# Device call 6: decision=screen with the exact pass as a call (__attribute__((noinline)):
# k_call, ising_call6_call.patch) against decision=exact, alternating, both sign forms; program caches.
. ./call_lib.sh
. ./ab_lib.sh
for r in 1 2; do
  for s in mad xor; do
    lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=lanes"
    OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_${s}_r$r 120 ./oclbench $gauss
    OCLBENCH_KERNEL_DIR=$PWD/k_call OCLBENCH_CONFIG_ISING="$lay,decision=screen" one call_${s}_r$r 120 ./oclbench $gauss
  done
done
tar czf $T/caches.tgz -C $C call_mad_r1 call_xor_r1
save
