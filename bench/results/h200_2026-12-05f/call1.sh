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
tuned_linear
step run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null
kill %1; save
