#!/bin/bash
# Device call 1, 2026-12-05 (evening session): main (fd51f24) on the GPU the tool lends, with
# the SM clock and board power sampled every 100 ms throughout (smi.txt; marks.txt gives the
# start and end of each step, so cuBLAS's clock and power can be read beside oclbench's):
# cuBLAS SGEMM (sustained: seconds per size), `run linear` at 1024-8192 (tuned), cuBLAS
# again, then `run ising` (every row verified).
#   bash .gpu/remote.sh bash call1.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) and
# sample_lib.sh (clock and power sampling, cuBLAS) beside it.
. ./call_lib.sh
. ./sample_lib.sh
step() { mark "$1 start"; one "$@"; mark "$1 end"; }
ref cublas_a "((4096,1000),(8192,200),(1024,2000),(2048,1000))"
step linear_a 300 ./oclbench run linear --device gpu --sizes 1024,2048,4096,8192 --out $C/la
cp $C/la/*.csv $T/linear_a.csv 2>/dev/null
cp -r $C/linear_a $C/linear_b
ref cublas_b "((4096,1000),(8192,200))"
step linear_b 200 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/lb  # linear_a's tuning (cache copied)
cp $C/lb/*.csv $T/linear_b.csv 2>/dev/null
step run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null
kill %1; save
