#!/bin/bash
# Device call 1, 2026-12-05 (night session): SGEMM's energy by lane grid. The tuner's choice
# (128x128 tiles, 8x8 per work-item, bk 8, lane grid = the whole 16x16 work-group: a warp's
# float4 reads of B touch 16 addresses, two shared-memory wavefronts) against the same tile
# with 4x8 and 8x4 warp tiles (one wavefront per read: a third fewer wavefronts per FMA), with
# and without the 128-register cap (the tuner's grid too), and bk 16; alternating, sustained
# (`run linear --sizes 4096,8192`, each row's mean power and clock in the CSV's sensor
# columns); cuBLAS before and after, clock and power sampled (smi.txt, marks.txt); then `run
# ising` (points 3 and 4).
#   bash .gpu/remote.sh bash call1.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh and ../h200_2026-12-05f/sample_lib.sh
# beside it.
. ./call_lib.sh
. ./sample_lib.sh
G=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,vg=4,pad=4,kc=0,splitk=0,pack=0,panel=0,persist=0
var() { # label config
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$2 one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
ref cublas_a "((8192,200),(4096,1000))"
for r in 1 2; do
  var base$r $G,bk=8,lm=0,ln=0,regs=0
  var base_c$r $G,bk=8,lm=0,ln=0,regs=128
  var w48_$r $G,bk=8,lm=4,ln=8,regs=0
  var w48c_$r $G,bk=8,lm=4,ln=8,regs=128
  var w84_$r $G,bk=8,lm=8,ln=4,regs=0
  var w48k16c_$r $G,bk=16,lm=4,ln=8,regs=128
done
ref cublas_b "((8192,200),(4096,1000))"
# points 3 and 4 on whichever GPU this is (the figures so far are from H100s)
one run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising.csv 2>/dev/null
kill %1; save
