#!/bin/bash
# Device call 24 (twelfth session), on call 23's machine (warm): main at 67b85a0 (a) tuned from
# an empty cache at 1024-8192 after cuBLAS at the same sizes, then two more rounds of cuBLAS
# and a with call 23's forced configuration at 4096 and 8192.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,streamk=1
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
cublas cublas_all 1024 2048 4096 8192
one tuned_a 200 ./oclbench_a run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/o24_tuned_a
cp $C/o24_tuned_a/*.csv $T/tuned_a.csv 2>/dev/null; save
for r in 5 6; do
  cublas cublas_r$r 4096 8192
  OCLBENCH_CONFIG_GEMM=$CFG one a_r$r 90 ./oclbench_a run linear --device gpu --sizes 4096,8192 --out $C/o24_a_r$r
  cp $C/o24_a_r$r/*.csv $T/a_r$r.csv 2>/dev/null; save
done
