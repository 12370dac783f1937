#!/bin/bash
# Device call 1 (exp-ak's binary): SGEMM with A's slice m-major (AK: one 16-byte store or
# cp.async per A vector, k read four steps at a time) against main's kernels, the tuner's
# 4096/8192 configuration forced, alternating, then cuBLAS.
#   k_base: main's cl_kernels; k_ak: AK=1 with slices through registers (3-slice ring);
#   k_aka: AK=1 with cp.async (ASYNC=3) for fp32 operands.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
var base_r1 k_base; var ak_r1 k_ak; var aka_r1 k_aka
var base_r2 k_base; var ak_r2 k_ak; var aka_r2 k_aka
ref cublas "((4096,1000),(8192,200))"
cp -r $C/aka_r1 $T/bins_aka 2>/dev/null; cp -r $C/ak_r1 $T/bins_ak 2>/dev/null
var aka_r3 k_aka; var base_r3 k_base
kill %1; save
