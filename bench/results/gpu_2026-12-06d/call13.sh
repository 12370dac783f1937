#!/bin/bash
# Device call 13: the landed screen with the register cap (this tree): the tuned pegasus:14
# row from an empty cache (with the tuner's trials), the tuned layout forced with the exact
# decision and with the capped screen, alternating, the samples of both compared; `run ising`.
. ./call_lib.sh
. ./ab_lib.sh
OCLBENCH_LOG=debug one tune_debug 200 ./oclbench $gauss
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2; do
  OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_r$r 120 ./oclbench $gauss
  OCLBENCH_CONFIG_ISING="$lay,decision=screen,regs=72" one screen72_r$r 120 ./oclbench $gauss
done
for d in "decision=exact" "decision=screen,regs=72"; do
  OCLBENCH_CONFIG_ISING="$lay,$d" one samples_${d%%,*} 120 ./oclbench ising --device gpu \
    --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_${d%%,*}.csv
done
cmp /tmp/samples_decision=exact.csv /tmp/samples_decision=screen.csv > $T/samples_cmp.txt 2>&1 && echo identical >> $T/samples_cmp.txt
run_ising o_ising13
save
