#!/bin/bash
# Device call 12 (eighth session): where a work-group of the tuned SGEMM (256x128 tiles, 16x8
# per work-item, k-slices of 8) spends its time. tilestamps (tilestamps.c, built here) runs
# cl_kernels/gemm.cl with stamps.patch (k_stamp/gemm.cl): the plain kernel at M = N = 2048,
# 4096, 8192 against K = 256 ... 8192, and the stamped kernel at 2048^3, 4096^3, 8192^3
# (stamps_N.csv); and persist.patch's kernel (k_stamp/gemm_p.cl): the same tile loop in
# persistent work-groups, one per compute unit (PGPU=1; PGPU=2 also loads the next tile's
# first slice before the epilogue), and launched with one work-group per tile (the control),
# over the same sizes; then cuBLAS (torch, TF32 off) over the same M, N and K.
# Run from .gpu/files with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
./tilestamps k_stamp/gemm.cl $T k_stamp/gemm_p.cl > $T/tilestamps.txt 2>&1; echo "tilestamps rc $?" >> $T/rc.txt; save
timeout 200 python3 - > $T/cublas_k.txt 2>&1 <<'PY'
import sys
sys.path.insert(0, 'tools')
import gpu_ref_torch as g
import torch
print("kind,M,N,K,seconds,gflops")
for mn in (2048, 4096, 8192):
    for k in (256, 512, 1024, 2048, 4096, 8192):
        a = torch.randn(mn, k, device="cuda")
        b = torch.randn(k, mn, device="cuda")
        reps = max(20, int(4e12 / (2 * mn * mn * k)))
        t = g.timed(lambda: a @ b, reps)
        print(f"cublas,{mn},{mn},{k},{t:.9f},{2 * mn * mn * k / t / 1e9:.1f}", flush=True)
PY
echo "cublas_k rc $?" >> $T/rc.txt
save
