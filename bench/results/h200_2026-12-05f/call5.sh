#!/bin/bash
# Device call 5, 2026-12-05 (evening session): SGEMM's energy by tile shape. The tuner's choice
# (B: 128x128 tiles, 8x8 per work-item, 256 work-items) against the same tile with 8x16 per
# work-item (B16: 128 work-items, a quarter fewer local-memory loads per multiply-add, about
# 250 registers), alternating, at 4096^3 and 8192^3, each row with its mean power and clock (the
# CSV's sensor columns); cuBLAS before and after, clock and power sampled (smi.txt, marks.txt).
#   bash .gpu/remote.sh bash call5.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) and
# sample_lib.sh (clock and power sampling, cuBLAS) beside it.
. ./call_lib.sh
. ./sample_lib.sh
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
B16=bm=128,bn=128,tm=8,tn=16,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=4,ln=8,regs=0,splitk=0,pack=0,panel=0,persist=0
var() { # label config
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$2 one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
ref cublas_a "((8192,200),(4096,1000))"
for r in 1 2; do var base$r $B; var t816_$r $B16; done
ref cublas_b "((8192,200),(4096,1000))"
kill %1; save
