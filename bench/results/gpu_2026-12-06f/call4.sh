#!/bin/bash
# Device call 4 (exp-ak's binary): is the cp.async kernels' loss the 37.6 KB of local memory
# of a 3-slice ring? main's kernels (k_base, 25.1 KB) against the same with its two local
# arrays declared for three slices (k_bigsm, 37.6 KB, the third unused), and cp.async with
# A's copies along k in a ring of 2 (k_kf2, 25.1 KB) and 3 (k_kf3, 37.6 KB) slices, each
# slice t + S copied into slice t's stage right after the barrier of slice t; the tuner's
# 4096/8192 configuration forced, alternating, then cuBLAS.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
var base_r1 k_base; var bigsm_r1 k_bigsm; var kf2_r1 k_kf2; var kf3_r1 k_kf3; var kf2_r2 k_kf2; var base_r2 k_base
ref cublas "((4096,1000),(8192,200))"
cp -r $C/kf2_r1 $T/bins_kf2 2>/dev/null
kill %1; save
