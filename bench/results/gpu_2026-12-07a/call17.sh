#!/bin/bash
# Device call 17 (tenth session): the stream-K part's partial products stored unguarded
# (cl_kernels/gemm.cl, STREAMK == 2: one float4 store per vector, no bounds, no beta path),
# measured as oclbench runs it: `run linear --device gpu --sizes 4096,8192` with the tuner's
# 4096/8192 configuration forced, streamk = 1 and 0 after cuBLAS (torch, TF32 off) in a
# round; round 1, streamk = 2 once (the program caches kept: the PTX, for ptxas's register
# count here), `run linear --device gpu` from an empty cache (the tuner choosing at every
# size, 1024 to 8192; the 8192 class now timed at 8192 x 8192 x 4096), cuBLAS at 1024 and
# 2048, rounds 2 and 3.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
cublas() { # label sizes...
  local l=$1; shift
  timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g
for n in map(int, sys.argv[1:]): g.gemm(n, {1024: 4000, 2048: 2000, 4096: 1000, 8192: 200}[n])" "$@" > $T/$l.txt 2>&1
  echo "$l rc $?" >> $T/rc.txt; save
}
round() { # r
  cublas cublas_r$1 4096 8192
  for s in 1 0; do
    OCLBENCH_CONFIG_GEMM=$CFG,streamk=$s one sk${s}_r$1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_sk${s}_r$1
    cp $C/o_sk${s}_r$1/*.csv $T/sk${s}_r$1.csv 2>/dev/null; save
  done
}
round 1
OCLBENCH_CONFIG_GEMM=$CFG,streamk=2 one sk2 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_sk2
cp $C/o_sk2/*.csv $T/sk2.csv 2>/dev/null
tar czf $T/cache_sk.tgz -C $C sk1_r1 sk2 2>/dev/null; save
one tuned 200 ./oclbench run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/o_tuned
cp $C/o_tuned/*.csv $T/tuned.csv 2>/dev/null; save
cublas cublas_small 1024 2048
round 2
round 3
