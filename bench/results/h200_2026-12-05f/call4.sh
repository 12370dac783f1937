#!/bin/bash
# Device call 4, 2026-12-05 (evening session): the gaussian update under a register cap.
# oclbench: main (84f5b05); oclbench_rNN: the same with "-cl-nv-maxrregcount=NN" appended to
# the float update's build options (an experiment, not in the tree: one line in
# models/ising/ising_sampler.c's build_kernels), NN = 64, 56, 48: fewer registers than the
# 72 of philox=lanes, so that more work-groups of 128 share an SM. pegasus:14 gaussian,
# 320,000 chains, the tuned configuration forced (local path, 32 chains per word, work-group
# 128, sign=mad, philox=lanes), alternating, two rounds; the programs' PTX kept (ptx_*/).
#   bash .gpu/remote.sh bash call4.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) beside it.
. ./call_lib.sh
GA="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
export OCLBENCH_CONFIG_ISING=path=local,spin_bits=32,wg_size=128,sign=mad,philox=lanes
for r in 1 2; do
  for v in base r64 r56 r48; do
    b=./oclbench_$v; [ $v = base ] && b=./oclbench
    one gau_${v}_$r 60 $b $GA --tune
  done
done
for v in base r64 r56 r48; do mkdir -p $T/ptx_$v; cp $C/gau_${v}_1/*.bin $T/ptx_$v/ 2>/dev/null; done; save
