# Sourced by call1.sh, call2.sh and call5.sh (and later folders' calls) after
# ../h200_2026-12-05e/call_lib.sh (both beside them in .gpu/files): starts nvidia-smi sampling the
# SM clock, board power and temperature every 100 ms into $T/smi.txt (the caller kills it, `kill
# %1`, at its end), and defines
#   mark TEXT        appends "epoch-seconds TEXT" to $T/marks.txt (a step's start or end)
#   ref LABEL LIST   cuBLAS SGEMM (tools/gpu_ref_torch.py) for LIST, a Python tuple of
#                    (size, repetitions), between marks "LABEL start" and "LABEL end"
#   step LABEL TIMEOUT COMMAND...   one() between marks "LABEL start" and "LABEL end"
#   tuned_linear     cuBLAS at 4096-8192 and 1024-2048 (cublas_a), `run linear` at 1024-8192
#                    tuned from an empty cache (linear_a), cuBLAS at 4096 and 8192 (cublas_b),
#                    `run linear` at 4096 and 8192 with linear_a's tuning (linear_b); the CSVs
#                    kept as $T/linear_a.csv and $T/linear_b.csv
#   gpu_suite TIMEOUT  the packed test programs (build/tests.tgz, the cmocka library beside
#                    them) on GPU 0 but those that need the repository or MPI, between marks
#                    "tests start" and "tests end", into $T/tests.txt; "tests rc N" to rc.txt
# (step and tuned_linear were written out in call1.sh here and in
# ../gpu_2026-12-06a/call5.sh as they ran; moved here afterwards, the same commands)
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu --format=csv,noheader,nounits -lms 100 > $T/smi.txt 2>&1 &
mark() { echo "$(date +%s.%N) $1" >> $T/marks.txt; }
ref() {
  mark "$1 start"
  python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; [(print('# $1 %d' % s, flush=True), g.gemm(s, r)) for s, r in $2]" >> $T/torch.txt 2>&1
  mark "$1 end"; save
}
step() { mark "$1 start"; one "$@"; mark "$1 end"; }
tuned_linear() {
  ref cublas_a "((4096,1000),(8192,200),(1024,2000),(2048,1000))"
  step linear_a 300 ./oclbench run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/la
  cp $C/la/*.csv $T/linear_a.csv 2>/dev/null
  cp -r $C/linear_a $C/linear_b # linear_a's program and tuning cache
  ref cublas_b "((4096,1000),(8192,200))"
  step linear_b 200 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/lb
  cp $C/lb/*.csv $T/linear_b.csv 2>/dev/null
}
gpu_suite() {
  mkdir -p build && tar xzf build/tests.tgz && mv libcmocka.so.0 build/
  local tests
  tests=$(ls build/tests/test_* | grep -v -e '\.[od]$' -e test_cli -e test_bundle -e test_mpi \
    -e test_compare -e test_csv -e test_flops_dot -e test_readme)
  mark "tests start"
  LD_LIBRARY_PATH="$PWD/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OCLBENCH_TEST_DEVICE=0 \
    timeout $1 sh tools/run_tests.sh build $tests > $T/tests.txt 2>&1
  echo "tests rc $?" >> $T/rc.txt
  mark "tests end"
}
