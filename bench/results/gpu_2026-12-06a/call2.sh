#!/bin/bash
# Device call 2, 2026-12-06: call 1's larger tiles again, under a lower register cap. In call 1
# NVIDIA's OpenCL built the 512-work-item tiles under -cl-nv-maxrregcount=128 but reported
# CL_KERNEL_WORK_GROUP_SIZE 256, so oclbench skipped them (as it should). Here: caps of 120
# and 112 (the debug log's ptxas line gives registers and spills), alternating with the tuner's
# choice, sustained (`run linear --sizes 4096,8192`); cuBLAS before and after, clock and power
# sampled.
#   bash .gpu/remote.sh bash call2.sh
# from .gpu/files, with var_lib.sh, ../h200_2026-12-05e/call_lib.sh and
# ../h200_2026-12-05f/sample_lib.sh beside it.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
G=tm=8,tn=8,vm=4,vn=4,strided=1,local=1,kc=0,splitk=0,pack=0,panel=0,persist=0,lm=0,ln=0
rounds base=bm=128,bn=128,vg=4,pad=4,bk=8,regs=0 \
  t128x256r120_=bm=128,bn=256,vg=2,pad=4,bk=8,regs=120 \
  t256x128r120_=bm=256,bn=128,vg=2,pad=4,bk=8,regs=120 \
  t128x256k16r120_=bm=128,bn=256,vg=4,pad=0,bk=16,regs=120 \
  t128x256r112_=bm=128,bn=256,vg=2,pad=4,bk=8,regs=112
kill %1; save
