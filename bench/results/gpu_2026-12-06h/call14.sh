#!/bin/bash
# Device call 14 (eighth session): the order in which work-groups take their tiles, against
# call 12's finding that only M = N = 4096 pays more per k-slice than cuBLAS as K grows.
# tilestamps (tilestamps.c) runs main's kernel (k_stamp/gemm.cl: the plain sweep, as call 12)
# and order.patch's kernel (k_stamp/gemm_o.cl) with ORDER = 1 (m fastest), 2, 4 and 8 (groups
# of that many tile rows, down the rows first); then cuBLAS at 4096^3 and 8192^3.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
TS_OPTS="-DORDER=1;-DORDER=2;-DORDER=4;-DORDER=8" ./tilestamps k_stamp/gemm.cl $T k_stamp/gemm_o.cl > $T/tilestamps.txt 2>&1
echo "tilestamps rc $?" >> $T/rc.txt; save
timeout 100 python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(4096, 1000); g.gemm(8192, 200)" > $T/torch.txt 2>&1
echo "cublas rc $?" >> $T/rc.txt; save
