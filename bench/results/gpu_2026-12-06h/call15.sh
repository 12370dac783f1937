#!/bin/bash
# Device call 15 (eighth session), two questions about the k loop of main's SGEMM kernel,
# through early.patch (k_stamp/gemm_e.cl):
#   EARLY=S: slice t+1 stored into the other buffer at step S of slice t (that buffer is free
#     from the barrier that ended slice t-1) and slice t+2's loads issued right after, leaving
#     the barrier alone at the last step (main stores at the last step, just before the
#     barrier): S = 0, 3, 5, 7 (v0-v3);
#   PREF=D: at each slice's first step every work-item asks for its loads of slice t+D to be
#     brought into L2 (prefetch.global.L2: more slack for the loads without registers):
#     D = 2, 3, 4 (v4-v6); and both, PREF=3 with EARLY=5 and PREF=2 with EARLY=0 (v7, v8);
# against main's kernel (the plain sweep) over the same shapes as call 12; every program's PTX
# kept (plain.bin, stamped.bin, v0-v8.bin); then the same sweep with A read as stored k x m
# (k_stamp/gemm_ta.cl: gemm_e.cl with ta.patch, TA 1, TS_VTA=1: coalesced A loads and vector
# local stores; in ta/: v0 as main's kernel, v1 EARLY=5, v2 EARLY=0); then cuBLAS at 4096^3
# and 8192^3.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
TS_OPTS="-DEARLY=0;-DEARLY=3;-DEARLY=5;-DEARLY=7;-DPREF=2 -DPREF_PTX=1;-DPREF=3 -DPREF_PTX=1;-DPREF=4 -DPREF_PTX=1;-DPREF=3 -DPREF_PTX=1 -DEARLY=5;-DPREF=2 -DPREF_PTX=1 -DEARLY=0" ./tilestamps k_stamp/gemm.cl $T k_stamp/gemm_e.cl > $T/tilestamps.txt 2>&1
echo "tilestamps rc $?" >> $T/rc.txt; save
mkdir -p $T/ta
TS_VTA=1 TS_OPTS="-DV=0;-DEARLY=5;-DEARLY=0" ./tilestamps k_stamp/gemm.cl $T/ta k_stamp/gemm_ta.cl > $T/ta/tilestamps.txt 2>&1
echo "tilestamps ta rc $?" >> $T/rc.txt; save
timeout 100 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(4096, 1000); g.gemm(8192, 200)" > $T/torch.txt 2>&1
echo "cublas rc $?" >> $T/rc.txt; save
