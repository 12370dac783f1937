#!/bin/bash
# Device call 3, 2026-12-06: why NVIDIA's OpenCL runs the 512-work-item tiles of calls 1-2 at
# most 256 per group (wgsize: the kernel's CL_KERNEL_WORK_GROUP_SIZE, registers and PTX under
# several options), and the larger tiles with 256 work-items instead: 128x256 as 8x16 per
# work-item and 256x128 as 16x8 (about 250 registers, one work-group and 8 warps per SM),
# alternating with the tuner's choice, sustained; cuBLAS before and after.
#   bash .gpu/remote.sh bash call3.sh
# from .gpu/files, with wgsize (cc -O2 -o wgsize wgsize.c -lOpenCL), gemm.cl, var_lib.sh,
# ../h200_2026-12-05e/call_lib.sh and ../h200_2026-12-05f/sample_lib.sh beside it.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
O="-DTA=0 -DTB=0 -DVM=4 -DVN=4 -DSTRIDED=1 -DLOCAL=1 -DBK=8 -DPAD=4 -DKC=0 -DLM=0 -DLN=0 -DUSE_FMA=1"
d() { # label options
  ./wgsize gemm.cl $T/$1.ptx "$O $2 -cl-nv-verbose" >> $T/wgsize.txt 2>&1
}
d base "-DBM=128 -DBN=128 -DTM=8 -DTN=8 -DVG=4"
d t512 "-DBM=128 -DBN=256 -DTM=8 -DTN=8 -DVG=2"
d t512r128 "-DBM=128 -DBN=256 -DTM=8 -DTN=8 -DVG=2 -cl-nv-maxrregcount=128"
d t512r96 "-DBM=128 -DBN=256 -DTM=8 -DTN=8 -DVG=2 -cl-nv-maxrregcount=96"
d t512r64 "-DBM=128 -DBN=256 -DTM=8 -DTN=8 -DVG=2 -cl-nv-maxrregcount=64"
d t8x16 "-DBM=128 -DBN=256 -DTM=8 -DTN=16 -DVG=4"
save
G=vm=4,vn=4,strided=1,local=1,kc=0,splitk=0,pack=0,panel=0,persist=0,lm=0,ln=0,vg=4,pad=4,bk=8,regs=0
rounds base=bm=128,bn=128,tm=8,tn=8 t8x16_=bm=128,bn=256,tm=8,tn=16 \
  t16x8_=bm=256,bn=128,tm=16,tn=8
kill %1; save
