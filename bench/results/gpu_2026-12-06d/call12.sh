#!/bin/bash
# Device call 12: as call 11 with sign=xor, and both signs at 2 sweeps per run (a tuning trial's
# length): main's exact decision against the screened one capped at 72 and 64 registers.
. ./call_lib.sh
g="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
short="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 2 --tune"
for r in 1 2; do
  for s in xor mad; do
    lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=lanes"
    OCLBENCH_CONFIG_ISING="$lay" one exact_${s}_r$r 120 ./oclbench $g
    OCLBENCH_CONFIG_ISING="$lay" one short_exact_${s}_r$r 120 ./oclbench $short
    for cap in 72 64; do
      OB_EXP_REGCAP=$cap OCLBENCH_CONFIG_ISING="$lay,decision=screen" one cap${cap}_${s}_r$r 120 ./oclbench_screen $g
      OB_EXP_REGCAP=$cap OCLBENCH_CONFIG_ISING="$lay,decision=screen" one short_cap${cap}_${s}_r$r 120 ./oclbench_screen $short
    done
  done
done
save
