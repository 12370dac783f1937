#!/bin/bash
# Device call 23 (twelfth session): main at 67b85a0 (a: the data-parallel part, the stream-K
# part and the reduction, three launches) against the one-launch stream-K (f: the stream-K
# work-groups first, the data-parallel ones after them in the same launch, then the
# reduction) and cuBLAS (torch, TF32 off) on whatever GPU came: `run linear --device gpu
# --sizes 4096,8192` with the tuner's 4096/8192 configuration forced at streamk=1, right
# after cuBLAS, in four rounds, the order of a and f alternating; first a kernel trace of
# each at 4096 (the phases' times and the gaps between launches), last f tuned from an
# empty cache at 1024-8192. Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,streamk=1
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
own() { # binary round
  OCLBENCH_CONFIG_GEMM=$CFG one $1_r$2 90 ./oclbench_$1 run linear --device gpu --sizes 4096,8192 --out $C/o23_$1_r$2
  cp $C/o23_$1_r$2/*.csv $T/$1_r$2.csv 2>/dev/null; save
}
for b in a f; do
  OCLBENCH_CONFIG_GEMM=$CFG one trace_$b 90 ./oclbench_$b run linear --device gpu --sizes 4096 --out $C/o23_trace_$b --trace $T/trace_$b.json --trace-summary
  gzip -f $T/trace_$b.json; save
done
cublas cublas_r1 4096 8192; own a 1; own f 1
cublas cublas_r2 4096 8192; own f 2; own a 2
cublas cublas_r3 4096 8192; own a 3; own f 3
cublas cublas_r4 4096 8192; own f 4; own a 4
one tuned_f 200 ./oclbench_f run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/o23_tuned_f
cp $C/o23_tuned_f/*.csv $T/tuned_f.csv 2>/dev/null; save
cublas cublas_small 1024 2048
