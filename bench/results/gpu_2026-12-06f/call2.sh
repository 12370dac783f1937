#!/bin/bash
# Device call 2 (exp-ak's binary, call 1's machine): SGEMM with cp.async slices whose A
# copies run along k (k_kf: ASYNC=3, ASYNC_KF=1 for every local fp32 build: a float per
# copy, BK consecutive work-items per row of A) against main's kernels (k_base), the tuner's
# 4096/8192 configuration forced, alternating, then cuBLAS.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
var base_r1 k_base; var kf_r1 k_kf; var base_r2 k_base; var kf_r2 k_kf
ref cublas "((4096,1000),(8192,200))"
cp -r $C/kf_r1 $T/bins_kf 2>/dev/null
var kf_r3 k_kf; var base_r3 k_base
kill %1; save
