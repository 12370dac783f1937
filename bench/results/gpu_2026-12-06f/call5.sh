#!/bin/bash
# Device call 5 (exp-ak's binary): B's slices by cp.async (16 bytes a copy, 2 stages), A's
# through registers as in main (k_hyb: ASYNC=2, ASYNC_AREG=1 for every local fp32 build)
# against main's kernels (k_base); the tuner's 4096/8192 configuration forced, alternating.
. ./call_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,async=0
var() { # label kernel-dir
  OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; save
}
var base_r1 k_base; var hyb_r1 k_hyb; var base_r2 k_base; var hyb_r2 k_hyb
save
