#!/bin/bash
# Device call 1, 2026-12-06: SGEMM with larger work-group tiles. The tuner's choice (128x128,
# 8x8 per work-item, 256 work-items, bk 8) reads 1 / 64 float per FMA from L2 into shared
# memory; 128x256 and 256x128 tiles (512 work-items of the same 8x8 register tile, capped at
# 128 registers so that one work-group fits an SM: the same 16 warps per SM) read a quarter
# less, which may lower the board's power below its 700 W cap at 8192^3, where the tuner's
# choice loses its clock. Alternating, sustained (`run linear --sizes 4096,8192`, each row's
# mean power and clock in the CSV's sensor columns); cuBLAS before and after, clock and power
# sampled (smi.txt, marks.txt); then `run ising` (points 3 and 4 on whichever GPU this is).
#   bash .gpu/remote.sh bash call1.sh
# from .gpu/files, with var_lib.sh, ../h200_2026-12-05e/call_lib.sh and
# ../h200_2026-12-05f/sample_lib.sh beside it.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
G=tm=8,tn=8,vm=4,vn=4,strided=1,local=1,kc=0,splitk=0,pack=0,panel=0,persist=0,lm=0,ln=0
rounds base=bm=128,bn=128,vg=4,pad=4,bk=8,regs=0 \
  t128x256_=bm=128,bn=256,vg=2,pad=4,bk=8,regs=128 \
  t256x128_=bm=256,bn=128,vg=2,pad=4,bk=8,regs=128 \
  t128x256k16_=bm=128,bn=256,vg=4,pad=0,bk=16,regs=128
one run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising.csv 2>/dev/null
kill %1; save
