#!/bin/bash
# Device call 5 (8487e09's binary, on call 4's warm machine): SGEMM with cp.async slices
# (kd_async: gemm_async.patch's gemm.cl defaulting to ASYNC=3) against main's kernels (k_base),
# the tuner's 4096/8192 choice forced, alternating, then cuBLAS.
. ./call_lib.sh
. ./sample_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 60 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
var base_r1 k_base; var async_r1 kd_async; var base_r2 k_base; var async_r2 kd_async
ref cublas "((4096,1000),(8192,200))"
kill %1; save
