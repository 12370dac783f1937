#!/bin/bash
# Device call 2, 2026-12-06 (third session): cuBLAS's SGEMM kernels by name, grid and block
# (cublas_kernels.py), then `tools/gpu_ref_torch.py`'s gemm and `run linear` (tuned from an
# empty cache) as in ../h200_2026-12-05f/sample_lib.sh's tuned_linear.
#   bash .gpu/remote.sh bash call2.sh   (from .gpu/files; call_lib.sh, sample_lib.sh beside it)
. ./call_lib.sh
python3 cublas_kernels.py > $T/cublas_kernels.txt 2>&1; save
. ./sample_lib.sh
tuned_linear
kill %1; save
