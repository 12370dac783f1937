#!/bin/bash
# Device call 9, prepared in the seventh session and not yet run: point 2's standing against
# cuBLAS settled by alternation rather than by one pair per call: five rounds of main's SGEMM
# (`run linear` at 4096 and 8192, the tuner's configuration forced, its own kernels) each
# followed by cuBLAS (tools/gpu_ref_torch.py, TF32 off, 1,000 / 200 repetitions), with
# nvidia-smi sampling the SM clock and board power (the power cap was one explanation of the
# last 1-3%). Run from .gpu/files after pack.sh, with ../h200_2026-12-05e/call_lib.sh,
# ../h200_2026-12-05f/sample_lib.sh and ../gpu_2026-12-06f/var_lib.sh beside it and main's
# cl_kernels/ copied as k_base (about 4 minutes of device time).
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
CFG=${CFG%,async=0} # var_lib's configuration without the exp-ak binary's async key (main has none)
for r in 1 2 3 4 5; do
  var main_r$r k_base
  ref cublas_r$r "((4096,1000),(8192,200))"
done
kill %1; save
