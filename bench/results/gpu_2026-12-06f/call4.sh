#!/bin/bash
# Device call 4 (exp-ak's binary): is the cp.async kernels' loss the 37.6 KB of local memory
# of a 3-slice ring? main's kernels (k_base, 25.1 KB) against the same with its two local
# arrays declared for three slices (k_bigsm, 37.6 KB, the third unused), and cp.async with
# A's copies along k in a ring of 2 (k_kf2, 25.1 KB) and 3 (k_kf3, 37.6 KB) slices, each
# slice t + S copied into slice t's stage right after the barrier of slice t; the tuner's
# 4096/8192 configuration forced, alternating, then cuBLAS.
. ./call_lib.sh
. ./sample_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,async=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
var base_r1 k_base; var bigsm_r1 k_bigsm; var kf2_r1 k_kf2; var kf3_r1 k_kf3; var kf2_r2 k_kf2; var base_r2 k_base
ref cublas "((4096,1000),(8192,200))"
cp -r $C/kf2_r1 $T/bins_kf2 2>/dev/null
kill %1; save
