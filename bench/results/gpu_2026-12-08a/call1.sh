#!/bin/bash
# Device call 1, 2026-12-08 (twentieth session): main at 50488f6 (the nineteenth session's
# gemm.cl index set-up per layout and igemm.cl's __asm__, not yet measured for rates on
# NVIDIA) with the whole device budget: every workload tuned from an empty cache (`run all
# --device gpu`, every row verified; its "warning generated" lines counted over the whole
# tuning, which the eighteenth session saw 30 times before 30135f0), the PyTorch references in
# the same call (`tools/gpu_ref_torch.py`: cuBLAS, cuDNN forward and backward, torch's fused
# Adam, the SimpleCNN step; TF32 off), then the test suite on GPU 0 (gpu_suite) with what is
# left of 580 s. Its CSVs' compile rows go through tools/lint_kernels.py afterwards, on the
# development machine. Packed with
#   make -j2 oclbench tests-build &&
#   tar czhf build/tests.tgz $(ls build/tests/test_* | grep -v '\.[od]$') build/tests/fuzz/replay_* \
#     build/tests/libfake_nvml*.so -C /usr/lib/x86_64-linux-gnu libcmocka.so.0
#   bash ../shared/gpu/pack.sh oclbench tools tests/data tests/fuzz bench/*.c build/tests.tgz \
#     bench/results/h200_2026-12-05e/call_lib.sh bench/results/h200_2026-12-05f/sample_lib.sh \
#     bench/results/gpu_2026-12-08a/call1.sh
# and run as `bash .gpu/remote.sh bash bench/results/gpu_2026-12-08a/call1.sh` (env RA_T, the
# limit of `run all`, 400 s by default).
. bench/results/h200_2026-12-05e/call_lib.sh
. bench/results/h200_2026-12-05f/sample_lib.sh
start=$(date +%s)
step run_all ${RA_T:-400} ./oclbench run all --device gpu --out $C/all
cp $C/all/*.csv $T/run_all.csv 2>/dev/null
echo "warning lines $(grep -c 'warning generated' $T/run_all.txt)" >> $T/rc.txt
mark "torch start"
timeout 90 python3 tools/gpu_ref_torch.py > $T/torch_ref.csv 2> $T/torch_ref.err
mark "torch end"; save
left=$(( 580 - $(date +%s) + start ))
gpu_suite $(( left > 10 ? left : 10 ))
kill %1; save
cat $T/rc.txt; grep -E '^\[' $T/tests.txt | grep -v PASS; tail -1 $T/tests.txt
