#!/bin/bash
# Device call 16 (ninth session): a stream-K tail for main's SGEMM kernel (sk.patch,
# k_stamp/gemm_sk.cl): the full waves of tiles (a multiple of the compute units) by the same
# kernel with tiles numbered row-major in a 1-D launch (-DLINEAR=1), the remaining tiles'
# K-slices dealt out evenly to one work-group per compute unit (-DSK=1, each writing its
# segments' partial products), and sk_fixup adding them into C: sk0; sk1 the same with one
# full wave fewer data-parallel. Timed from the first launch's start to the last one's end,
# against main's kernel (the plain sweep) over call 12's shapes; then cuBLAS at 2048^3,
# 4096^3 and 8192^3.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
TS_SK=1 ./tilestamps k_stamp/gemm.cl $T k_stamp/gemm_sk.cl > $T/tilestamps.txt 2>&1
echo "tilestamps rc $?" >> $T/rc.txt; save
timeout 100 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(2048, 2000); g.gemm(4096, 1000); g.gemm(8192, 200)" > $T/torch.txt 2>&1
echo "cublas rc $?" >> $T/rc.txt; save
# Then oclbench with the streamk key (branch streamk at the time, built here as oclbench_sk):
# `run linear` at 4096 and 8192 with the tuner's configuration forced, streamk = 0, 1, 2.
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
for s in 0 1 2; do
  OCLBENCH_CONFIG_GEMM=$CFG,streamk=$s one sk$s 90 ./oclbench_sk run linear --device gpu --sizes 4096,8192 --out $C/o_sk$s
  cp $C/o_sk$s/*.csv $T/sk$s.csv 2>/dev/null; save
done
timeout 60 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(4096, 1000); g.gemm(8192, 200)" > $T/torch2.txt 2>&1
echo "cublas2 rc $?" >> $T/rc.txt; save
