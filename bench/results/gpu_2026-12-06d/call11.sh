#!/bin/bash
# Device call 11: the screened decision of screen.patch (binary oclbench_screen, built from it
# with an experiment-only OB_EXP_REGCAP=N that appends -cl-nv-maxrregcount=N to the Ising build
# options) under register caps, against main's exact decision, alternating; program caches.
. ./call_lib.sh
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
g="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
for r in 1 2; do
  OCLBENCH_CONFIG_ISING="$lay" one exact_r$r 120 ./oclbench $g
  OCLBENCH_CONFIG_ISING="$lay,decision=screen" one screen_r$r 120 ./oclbench_screen $g
  for cap in 80 72 64; do
    OB_EXP_REGCAP=$cap OCLBENCH_CONFIG_ISING="$lay,decision=screen" one cap${cap}_r$r 120 ./oclbench_screen $g
  done
done
tar czf $T/caches.tgz -C $C cap80_r1 cap72_r1 cap64_r1
save
