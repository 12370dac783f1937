#!/bin/bash
# Device call 5, 2026-12-06: the tuner with the 16x8 candidates (256x128 and 128x128 tiles)
# against cuBLAS: cuBLAS at every size, `run linear --sizes 1024,2048,4096,8192` (tuned from an
# empty cache), cuBLAS again, `run linear --sizes 4096,8192` with the same tuning; then forced:
# the old tuner's choice, 256x128 16x8, and 16x8 with 4x8 and 8x4 lane grids (one
# shared-memory wavefront per fragment read) and with bk 16 (pad 0: 48 KiB of local memory).
#   bash .gpu/remote.sh bash call5.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh and ../h200_2026-12-05f/sample_lib.sh
# beside it.
. ./call_lib.sh
. ./sample_lib.sh
tuned_linear
G=vm=4,vn=4,strided=1,local=1,kc=0,splitk=0,pack=0,panel=0,persist=0,vg=4,regs=0
var() { # label config
  mark "$1 start"
  OCLBENCH_CONFIG_GEMM=$2 one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
T16=$G,bm=256,bn=128,tm=16,tn=8
var base $G,bm=128,bn=128,tm=8,tn=8,lm=0,ln=0,pad=4,bk=8
var t16x8 $T16,lm=0,ln=0,pad=4,bk=8
var t16x8w48 $T16,lm=4,ln=8,pad=4,bk=8
var t16x8w84 $T16,lm=8,ln=4,pad=4,bk=8
var t16x8k16 $T16,lm=0,ln=0,pad=0,bk=16
kill %1; save
