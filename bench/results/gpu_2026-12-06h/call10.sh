#!/bin/bash
# Device call 10 (eighth session): main's binary at 6fa3b13, its own kernels, on the GPU the
# session got (an H200 asked for: the GPU).
#   (1) Ising, as call 8 of ../gpu_2026-12-06g: pegasus:14 gaussian at 320,000 chains tuned
#       from an empty cache (debug log); `run ising` (its default batches); the tuned layout
#       forced at 5,120,000 chains, two rounds;
#   (2) SGEMM, call 9 of ../gpu_2026-12-06g as prepared there: five rounds of `run linear` at
#       4096 and 8192 with the tuner's configuration forced, each followed by cuBLAS
#       (tools/gpu_ref_torch.py, TF32 off), the SM clock and board power sampled.
# Run from .gpu/files after pack.sh with ../h200_2026-12-05e/call_lib.sh,
# ../h200_2026-12-05f/sample_lib.sh, ../gpu_2026-12-06f/var_lib.sh beside it and main's
# cl_kernels/ copied as k_base.
. ./call_lib.sh
. ./sample_lib.sh
. ./var_lib.sh
OCLBENCH_LOG=debug step tuned 240 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
step run_ising 300 ./oclbench run ising --device gpu --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
IS="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=sel,philox=lanes,decision=screen,exp2=ptx,regs=72"
for r in 1 2; do
  OCLBENCH_CONFIG_ISING="$IS" step big_5120000_r$r 120 ./oclbench ising --device gpu --graph pegasus:14 --chains 5120000 --sweeps 100 --tune
done
CFG=${CFG%,async=0} # var_lib's configuration without the async key (main has none)
for r in 1 2 3 4 5; do
  var main_r$r k_base
  ref cublas_r$r "((4096,1000),(8192,200))"
done
kill %1; save
