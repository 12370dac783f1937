#!/bin/bash
# Device call 3, 2026-12-06 (third session): every workload on the GPU with this tree
# (`./oclbench run all --device gpu`, tuned from an empty cache) and, in the same call, the
# PyTorch references (`tools/gpu_ref_torch.py`: cuBLAS, cuDNN forward and backward, torch's
# fused Adam, the SimpleCNN step; TF32 off), the SM clock and board power sampled throughout.
#   bash .gpu/remote.sh bash call3.sh   (from .gpu/files; call_lib.sh, sample_lib.sh beside it)
. ./call_lib.sh
. ./sample_lib.sh
step run_all 420 ./oclbench run all --device gpu --out $C/all
cp $C/all/*.csv $T/run_all.csv 2>/dev/null
cat $C/run_all/*tune*.txt > $T/tuning.txt 2>/dev/null
mark "torch start"
timeout 150 python3 tools/gpu_ref_torch.py > $T/torch_ref.csv 2> $T/torch_ref.err
mark "torch end"
kill %1; save
