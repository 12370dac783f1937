#!/bin/bash
# Device call 22 (eleventh session): main at e03e8af (the stream-K reduction by vectors of
# four) against cuBLAS (torch, TF32 off) on whatever GPU came: `run linear --device gpu
# --sizes 4096,8192` with the tuner's 4096/8192 configuration forced at streamk=1, right after
# cuBLAS, in three rounds (call 19 ran the tuned run of this code).
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,streamk=1
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
own() { # round
  OCLBENCH_CONFIG_GEMM=$CFG one f_r$1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o22_f_r$1
  cp $C/o22_f_r$1/*.csv $T/f_r$1.csv 2>/dev/null; save
}
cublas cublas_r1 4096 8192; own 1
cublas cublas_r2 4096 8192; own 2
cublas cublas_r3 4096 8192; own 3
