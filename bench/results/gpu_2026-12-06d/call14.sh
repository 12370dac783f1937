#!/bin/bash
# Device call 14: the screen built with -cl-denorms-are-zero (this tree; the exact rule meets
# no subnormal once ob_ising_scale flushes weights below 2^-102) against 0af4d0d's screen
# (oclbench_prev) and the exact decision, capped at 72 and 64, alternating; program caches.
. ./call_lib.sh
g="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2; do
  OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_r$r 120 ./oclbench $g
  for cap in 72 64; do
    OCLBENCH_CONFIG_ISING="$lay,decision=screen,regs=$cap" one prev$cap\_r$r 120 ./oclbench_prev $g
    OCLBENCH_CONFIG_ISING="$lay,decision=screen,regs=$cap" one ftz$cap\_r$r 120 ./oclbench $g
  done
done
tar czf $T/caches.tgz -C $C ftz72_r1
save
