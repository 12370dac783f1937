#!/bin/bash
# Device call 4, 2026-12-06 (third session): the local-memory SGEMM's slice loop unrolled by
# two by hand (`kd_u2.patch`: the buffer of each slice a constant, so that its offsets fold
# into the addresses; in the clang-15 stand-in's SASS 1,095.5 instructions per slice of 8
# steps instead of 1,110, 218 registers instead of 244) against this tree's kernels, the
# tuner's choice at 4096^3 and 8192^3 forced (256x128, 16x8 per work-item, bk 8), through
# OCLBENCH_KERNEL_DIR, alternating, two rounds, between cuBLAS runs; each variant's build log
# (registers) from OCLBENCH_LOG=debug.
#   bash .gpu/remote.sh bash call4.sh   (from .gpu/files; call_lib.sh, sample_lib.sh beside it)
. ./call_lib.sh
. ./sample_lib.sh
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 120 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
ref cublas_a "((4096,1000),(8192,200))"
for r in 1 2; do var base_r$r k_base; var u2_r$r k_u2; done
ref cublas_b "((4096,1000),(8192,200))"
kill %1; save
