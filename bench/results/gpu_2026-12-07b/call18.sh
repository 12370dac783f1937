#!/bin/bash
# Device call 18 (eleventh session): three builds of the stream-K call. a: main at 02b7776;
# b: the stream-K part's segments run last first (so that the work-groups of its one-wave
# launch read two K windows, not one offset each); c: b, and the stream-K part launched
# first, its segments added into C by work-groups of the data-parallel launch (no reduction
# kernel, one launch fewer). `run linear --device gpu --sizes 2048,4096,8192` with the tuner's
# 4096/8192 configuration forced at streamk=1 (2048^3: 128 tiles, all stream-K), a, b and c
# right after cuBLAS (torch, TF32 off) in four rounds, their order rotated; c from an empty
# cache (the tuner choosing at 1024-8192) after round 1, round 1's program caches kept.
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
round() { # r first second third
  cublas cublas_r$1 2048 4096 8192
  own $2 $1; own $3 $1; own $4 $1
}
round 1 a b c
tar czf $T/cache_r1.tgz -C $C a_r1 b_r1 c_r1 2>/dev/null; save
one tuned 200 ./oclbench_c run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/o_tuned
cp $C/o_tuned/*.csv $T/tuned.csv 2>/dev/null; save
cublas cublas_small 1024 2048
round 2 b c a
round 3 c a b
round 4 a c b
