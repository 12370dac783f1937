#!/bin/bash
# Device call 3 (exp-ak's binary; its Ising code is main's b91119d): pegasus:14 gaussian at
# growing batches, the tuned layout of 2026-12-06 (screen, PTX 2^t, cap 64) forced, two rounds.
. ./call_lib.sh
export OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes,decision=screen,exp2=ptx,regs=64"
for r in 1 2; do
  for n in 320000 1280000 2560000 5120000; do
    one p${n}_r$r 120 ./oclbench ising --device gpu --graph pegasus:14 --chains $n --sweeps 100 --tune
  done
done
save
