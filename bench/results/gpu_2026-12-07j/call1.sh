#!/bin/bash
# Device call 1, 2026-12-07 (nineteenth session): ../gpu_2026-12-07h/call3.sh's checks (the Ising
# rows tuned from an empty cache, counting NVIDIA's "warning generated" lines, which 30135f0
# should have removed; the suite on GPU 0 with 010be6f's fixes), with this session's kernels
# (gemm.cl's index set-up per layout, igemm.cl's PTX dot product through __asm__), and `run
# linear --quick` between them: its int8 rows say which dot product the handle chose (ptx
# when the __asm__ spelling builds and is exact). Its CSVs' compile rows go through
# tools/lint_kernels.py afterwards, on the development machine. Packed with
#   make -j2 oclbench tests-build &&
#   tar czhf build/tests.tgz $(ls build/tests/test_* | grep -v '\.[od]$') build/tests/fuzz/replay_* \
#     build/tests/libfake_nvml*.so -C /usr/lib/x86_64-linux-gnu libcmocka.so.0
#   bash ../shared/gpu/pack.sh oclbench tools tests/data tests/fuzz bench/*.c build/tests.tgz \
#     bench/results/h200_2026-12-05e/call_lib.sh bench/results/h200_2026-12-05f/sample_lib.sh \
#     bench/results/gpu_2026-12-07j/call1.sh
# and run as `bash .gpu/remote.sh bash bench/results/gpu_2026-12-07j/call1.sh`.
. bench/results/h200_2026-12-05e/call_lib.sh
. bench/results/h200_2026-12-05f/sample_lib.sh
step ising ${IS_T:-120} ./oclbench run ising --device gpu --chains 128,320000 --out $C/is
cp $C/is/*.csv $T/ising.csv 2>/dev/null
echo "warning lines $(grep -c 'warning generated' $T/ising.txt)" >> $T/rc.txt
step linear ${LI_T:-90} ./oclbench run linear --device gpu --quick --out $C/li
cp $C/li/*.csv $T/linear.csv 2>/dev/null
echo "dot modes $(grep -o 'dot=[a-z]*' $T/linear.csv | sort | uniq -c | tr '\n' ' ')" >> $T/rc.txt
gpu_suite ${1:-280}
kill %1; save
cat $T/rc.txt; grep -E '^\[' $T/tests.txt | grep -v PASS; tail -1 $T/tests.txt
