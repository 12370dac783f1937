#!/bin/bash
# Device call 2 (exp-ak's binary, call 1's machine): SGEMM with cp.async slices whose A
# copies run along k (k_kf: ASYNC=3, ASYNC_KF=1 for every local fp32 build: a float per
# copy, BK consecutive work-items per row of A) against main's kernels (k_base), the tuner's
# 4096/8192 configuration forced, alternating, then cuBLAS.
. ./call_lib.sh
. ./sample_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,async=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
var base_r1 k_base; var kf_r1 k_kf; var base_r2 k_base; var kf_r2 k_kf
ref cublas "((4096,1000),(8192,200))"
cp -r $C/kf_r1 $T/bins_kf 2>/dev/null
var kf_r3 k_kf; var base_r3 k_base
kill %1; save
