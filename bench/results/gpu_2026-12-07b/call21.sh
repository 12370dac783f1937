#!/bin/bash
# Device call 21 (eleventh session), on call 20's machine: call 20's rounds 1-3 again (they
# had reused call 19's output folders, which oclbench refuses: rc 2), labels e_r1..e_r4.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
own() { # label streamk
  OCLBENCH_CONFIG_GEMM=$CFG,streamk=$2 one $1 90 ./oclbench_d run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; save
}
for r in 1 2 3 4; do
  cublas cublas_e$r 4096 8192
  own e_r$r 1
done
