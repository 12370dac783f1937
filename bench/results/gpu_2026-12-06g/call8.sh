#!/bin/bash
# Device call 8 (seventh session): main's binary at 9e759c8 (signs by select with the loop one
# ahead and the screen chain by chain), its own kernels:
#   (1) pegasus:14 gaussian, 320,000 chains, tuned from an empty cache (debug log);
#   (2) `run ising` (its default batches: grid:20x20 at 128, pegasus:14 at 320,000, the pm1 and
#       lattice rows);
#   (3) the tuned layout forced at 5,120,000 chains, two rounds.
. ./call_lib.sh
OCLBENCH_LOG=debug one tuned 240 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
one run_ising 300 ./oclbench run ising --device gpu --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
IS="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=sel,philox=lanes,decision=screen,exp2=ptx,regs=72"
for r in 1 2; do
  for n in 5120000; do
    OCLBENCH_CONFIG_ISING="$IS" one big_${n}_r$r 120 ./oclbench ising --device gpu --graph pegasus:14 --chains $n --sweeps 100 --tune
  done
done
save
