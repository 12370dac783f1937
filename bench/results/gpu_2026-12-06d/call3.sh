#!/bin/bash
# Device call 3: the tuned layout forced with decision=exact and decision=screen, the screen's
# exact pass now drawing its random numbers again (this tree), alternating; program caches kept.
. ./call_lib.sh
. ./ab_lib.sh
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2 3; do
  for d in exact screen; do
    OCLBENCH_CONFIG_ISING="$lay,decision=$d" one ${d}_r$r 120 ./oclbench $gauss
  done
done
for p in auto lanes; do for s in xor mad; do
  OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=$p,decision=screen" one screen_${s}_$p 120 ./oclbench $gauss
done; done
tar czf $T/caches.tgz -C $C exact_r1 screen_r1
save
