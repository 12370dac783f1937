#!/bin/bash
# Device call 1, 2026-12-07 (seventeenth session): main on the GPU after the kernels' common
# prelude (f7f5150) and the tuner's binary-cache change (fe037eb), neither measured on NVIDIA
# before: every workload tuned from an empty cache (`./oclbench run all --device gpu`, every
# row verified) and, in the same call, the PyTorch references (`tools/gpu_ref_torch.py`:
# cuBLAS, cuDNN forward and backward, torch's fused Adam, the SimpleCNN step; TF32 off), then
# the test suite on GPU 0 (tools/gpu_bench.sh's selection), the SM clock and board power
# sampled throughout. Packed here with
#   make -j2 oclbench tests-build &&
#   tar czhf build/tests.tgz $(ls build/tests/test_* | grep -v '\.[od]$') build/tests/fuzz/replay_* \
#     build/tests/libfake_nvml*.so -C /usr/lib/x86_64-linux-gnu libcmocka.so.0
#   bash ../shared/gpu/pack.sh oclbench tools tests/data tests/fuzz bench/*.c build/tests.tgz \
#     bench/results/h200_2026-12-05e/call_lib.sh bench/results/h200_2026-12-05f/sample_lib.sh \
#     bench/results/gpu_2026-12-07h/call1.sh
# and run as `bash .gpu/remote.sh bash bench/results/gpu_2026-12-07h/call1.sh` with the whole
# 600 s of a call: `run all` from empty caches took longer than 330 s on a fresh machine (call1/,
# run under a 330 s limit with `run all` given 330 s), so it has 420 s, PyTorch 60 (29 s in the
# eighth session) and the suite what is left of 570.
. bench/results/h200_2026-12-05e/call_lib.sh
. bench/results/h200_2026-12-05f/sample_lib.sh
start=$(date +%s)
step run_all 420 ./oclbench run all --device gpu --out $C/all
cp $C/all/*.csv $T/run_all.csv 2>/dev/null
cat $C/run_all/*tune*.txt > $T/tuning.txt 2>/dev/null
mark "torch start"
timeout 60 python3 tools/gpu_ref_torch.py > $T/torch_ref.csv 2> $T/torch_ref.err
mark "torch end"; save
mkdir -p build && tar xzf build/tests.tgz && mv libcmocka.so.0 build/
tests=$(ls build/tests/test_* |
  grep -v -e test_cli -e test_bundle -e test_mpi -e test_compare -e test_csv -e test_flops_dot)
mark "tests start"
left=$(( 570 - $(date +%s) + start ))
LD_LIBRARY_PATH="$PWD/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OCLBENCH_TEST_DEVICE=0 \
  timeout $(( left > 10 ? left : 10 )) sh tools/run_tests.sh build $tests > $T/tests.txt 2>&1
echo "tests rc $?" >> $T/rc.txt
mark "tests end"
kill %1; save
tail -3 $T/rc.txt; tail -2 $T/tests.txt
