#!/bin/bash
# Device call 3 (0d4efbd's binary + the kernels beside): (1) cp.async into local memory, address forms
# (probe2.c, every error code); (2) SGEMM with the slices copied by cp.async into a ring of
# three stages (kd_async: immediate offsets in the copies, kd_async0: addresses computed) against
# this tree's kernels (k_base), the tuner's 4096/8192 choice forced, alternating, two rounds
# (kd_async0 in the first only), after cuBLAS; (3) the landed exp2=ptx screen against
# exp2=native, cap 64, samples compared (program caches kept). (Cut down to fit the device
# time left after many failed starts.)

. ./call_lib.sh
. ./sample_lib.sh
. ./ab_lib.sh
PTXOUT=$T/probe2.bin ./probe2 > $T/probe2.txt 2>&1; save
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 120 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
ref cublas_a "((4096,1000),(8192,200))"
var base_r1 k_base; var async_r1 kd_async; var async0_r1 kd_async0; var base_r2 k_base; var async_r2 kd_async
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes,decision=screen"
for r in 1; do
  for cap in 64; do
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
tar czf $T/caches.tgz -C $C native64_r1 ptx64_r1 async_r1 base_r1 2>/dev/null; save
kill %1; save
