#!/bin/bash
# Device call 1: does NVIDIA's OpenCL take inline PTX (probe.c: ex2.approx.ftz.f32 and cp.async
# into local memory, checked)? Then the screened Ising decision with ex2.approx.ftz.f32 by
# inline PTX (kd_ex2: ising.cl with SCREEN_EXP2) against main's native_exp2, the tuned layout
# forced, caps 72 and 64, alternating, and the samples of both compared.
. ./call_lib.sh
. ./ab_lib.sh
PTXOUT=$T/probe.bin ./probe > $T/probe.txt 2>&1
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes,decision=screen"
for r in 1 2; do
  for cap in 72 64; do
    OCLBENCH_CONFIG_ISING="$lay,regs=$cap" one main${cap}_r$r 120 ./oclbench $gauss
    OCLBENCH_KERNEL_DIR=$PWD/kd_ex2 OCLBENCH_CONFIG_ISING="$lay,regs=$cap" one ex2_${cap}_r$r 120 ./oclbench $gauss
  done
done
OCLBENCH_CONFIG_ISING="$lay,regs=72" one samples_main 120 ./oclbench ising --device gpu \
  --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_main.csv
OCLBENCH_LOG=debug OCLBENCH_KERNEL_DIR=$PWD/kd_ex2 OCLBENCH_CONFIG_ISING="$lay,regs=72" one samples_ex2 120 ./oclbench ising --device gpu \
  --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_ex2.csv
cmp /tmp/samples_main.csv /tmp/samples_ex2.csv > $T/samples_cmp.txt 2>&1 && echo identical >> $T/samples_cmp.txt
ls -l /tmp/samples_*.csv >> $T/samples_cmp.txt
save
