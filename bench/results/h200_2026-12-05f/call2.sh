#!/bin/bash
# Device call 2, 2026-12-05 (evening session): SGEMM's energy. Own SGEMM with the tuner's
# choice forced (B) against two kernel variants (OCLBENCH_KERNEL_DIR, experiments not in the
# tree: kd_zz, the 8x8 outer product's rows in zig-zag column order, so that each row's first
# multiply-add reuses the previous row's last B operand; kd_g8, work-groups in groups of 8
# tile rows walked column by column; each is cl_kernels/ with its .patch of this folder applied
# to gemm.cl), alternating, at 4096^3 and 8192^3, each row with its
# mean power and clock (the CSV's sensor columns); cuBLAS before and after with the clock and
# power sampled every 100 ms (smi.txt, marks.txt), and the board's power limits (power.txt).
#   bash .gpu/remote.sh bash call2.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) and
# sample_lib.sh (clock and power sampling, cuBLAS) beside it.
. ./call_lib.sh
nvidia-smi -q -d POWER > $T/power.txt 2>&1
. ./sample_lib.sh
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
var() { # label kernel-dir
  mark "$1 start"
  if [ -n "$2" ]; then export OCLBENCH_KERNEL_DIR=$PWD/$2; else unset OCLBENCH_KERNEL_DIR; fi
  OCLBENCH_CONFIG_GEMM=$B one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
ref cublas_a "((8192,200),(4096,1000))"
for r in 1 2; do var base$r ""; var zz$r kd_zz; var g8_$r kd_g8; done
ref cublas_b "((8192,200),(4096,1000))"
kill %1; save
