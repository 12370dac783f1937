#!/bin/bash
# Device call 2 (0d4efbd): cp.async into local memory, address forms (probe2.c, every error
# code); the landed exp2=ptx screen against exp2=native, the tuned layout forced, caps 56, 64
# and 72, alternating; the samples of both compared; the tuned row from an empty cache (with
# the tuner's trials); `run ising`.
. ./call_lib.sh
. ./ab_lib.sh
PTXOUT=$T/probe2.bin ./probe2 > $T/probe2.txt 2>&1
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes,decision=screen"
for r in 1 2; do
  for cap in 64 72 56; do
    for e in native ptx; do
      OCLBENCH_CONFIG_ISING="$lay,exp2=$e,regs=$cap" one ${e}${cap}_r$r 120 ./oclbench $gauss
    done
  done
done
for e in native ptx; do
  OCLBENCH_CONFIG_ISING="$lay,exp2=$e,regs=64" one samples_$e 120 ./oclbench ising --device gpu \
    --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_$e.csv
done
cmp /tmp/samples_native.csv /tmp/samples_ptx.csv > $T/samples_cmp.txt 2>&1 && echo identical >> $T/samples_cmp.txt
OCLBENCH_LOG=debug one tune_debug 200 ./oclbench $gauss
run_ising o_ising2
save
