#!/bin/bash
# Device call 15 (eighth session): where in the slice the next slice is stored. early.patch
# (k_stamp/gemm_e.cl) stores slice t+1 into the other buffer at step EARLY of slice t (that
# buffer is free from the barrier that ended slice t-1) and issues slice t+2's loads right
# after, leaving the barrier alone at the last step; main stores at the last step, just before
# the barrier. EARLY = 0, 3, 5, 7 against main's kernel (the plain sweep), over the same
# shapes as call 12; every program's PTX kept (plain.bin, stamped.bin, v0-v3.bin); then
# cuBLAS at 4096^3 and 8192^3. Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
TS_OPTS="-DEARLY=0;-DEARLY=3;-DEARLY=5;-DEARLY=7" ./tilestamps k_stamp/gemm.cl $T k_stamp/gemm_e.cl > $T/tilestamps.txt 2>&1
echo "tilestamps rc $?" >> $T/rc.txt; save
timeout 100 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(4096, 1000); g.gemm(8192, 200)" > $T/torch.txt 2>&1
echo "cublas rc $?" >> $T/rc.txt; save
