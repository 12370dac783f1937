#!/bin/bash
# Device call 19 (eleventh session): a, main at 02b7776, against d: main with the stream-K
# reduction (gemm_splitk.cl's gemm_streamk) reading four elements of a row per work-item as
# one vector, in work-groups of 256 (a: one element per work-item, work-groups of 64: at
# 4096^3 475,136 of them). `run linear --device gpu --sizes 2048,4096,8192` with the tuner's
# 4096/8192 configuration forced at streamk=1 (2048^3: 128 tiles, all stream-K), a and d right
# after cuBLAS (torch, TF32 off) in three rounds, their order swapped each round; d from an
# empty cache (the tuner choosing at 1024-8192) after round 1.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,streamk=1
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
own() { # binary round
  OCLBENCH_CONFIG_GEMM=$CFG one $1_r$2 90 ./oclbench_$1 run linear --device gpu --sizes 2048,4096,8192 --out $C/o_$1_r$2
  cp $C/o_$1_r$2/*.csv $T/$1_r$2.csv 2>/dev/null; save
}
round() { # r first second
  cublas cublas_r$1 2048 4096 8192
  own $2 $1; own $3 $1
}
round 1 a d
one tuned 200 ./oclbench_d run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/o_tuned
cp $C/o_tuned/*.csv $T/tuned.csv 2>/dev/null; save
cublas cublas_small 1024 2048
round 2 d a
round 3 a d
