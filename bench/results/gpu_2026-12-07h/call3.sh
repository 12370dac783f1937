#!/bin/bash
# Device call 3, 2026-12-07 (eighteenth session; never run, superseded by
# ../gpu_2026-12-07j/call1.sh; its suite step later moved into ../h200_2026-12-05f/sample_lib.sh as
# gpu_suite, the same commands): the test suite on GPU 0 with 010be6f's fixes (call 2's suite:
# test_gemm's persistent configurations did not build with NVIDIA's compiler, test_core expected a
# CPU's buffer flags; test_readme needs README.md and bench/results/, which are not packed, and runs
# on CPUs in CI), after the Ising rows tuned from an empty cache (the SCREEN builds whose "1 warning
# generated." lines 30135f0 should have removed: the count goes to rc.txt). Packed with
#   make -j2 oclbench tests-build &&
#   tar czhf build/tests.tgz $(ls build/tests/test_* | grep -v '\.[od]$') build/tests/fuzz/replay_* \
#     build/tests/libfake_nvml*.so -C /usr/lib/x86_64-linux-gnu libcmocka.so.0
#   bash ../shared/gpu/pack.sh oclbench tools tests/data tests/fuzz bench/*.c build/tests.tgz \
#     bench/results/h200_2026-12-05e/call_lib.sh bench/results/h200_2026-12-05f/sample_lib.sh \
#     bench/results/gpu_2026-12-07h/call3.sh
# and run as `bash .gpu/remote.sh bash bench/results/gpu_2026-12-07h/call3.sh`.
. bench/results/h200_2026-12-05e/call_lib.sh
. bench/results/h200_2026-12-05f/sample_lib.sh
step ising 150 ./oclbench run ising --device gpu --chains 128,320000
echo "warning lines $(grep -c 'warning generated' $T/ising.txt)" >> $T/rc.txt
gpu_suite ${1:-300}
kill %1; save
tail -3 $T/rc.txt; grep -E '^\[' $T/tests.txt | grep -v PASS; tail -1 $T/tests.txt
