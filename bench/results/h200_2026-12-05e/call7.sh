#!/bin/bash
# Device call 7, 2026-12-05 (night session): Philox's 64-bit products split by as_uintN (the
# halves as .even/.odd lanes) instead of convert_uint* (NVIDIA's is inline assembly again).
# Binaries: oclbench_ups (branch philox-ups: main's 4e985d0 Philox, upsample widening, convert_uint*
# narrowing), oclbench_pairs (branch philox-pairs: as_uintN halves), oclbench_pl (branch pairs-lanes: that
# and the philox=lanes tuning key), oclbench_cast8 (call 5's scalar-lanes reference: 323).
#   bash .gpu/remote.sh bash call7.sh
# (1) gaussian pegasus:14 320,000 chains, local path, 32 chains per word, work-group 128,
#     sign=mad (philox=lanes for pl), alternated, two rounds; pm1 multispin (global path, 64)
#     and grid:20x20 128 chains tuned, ups against pairs;
# (2) pl tuned on the gaussian (trials logged); (3) `run ising` of pairs and of pl.
. ./call_lib.sh
GA="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
SM="ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100"
FL=path=local,spin_bits=32,wg_size=128,sign=mad
MS=update=multispin,path=global,spin_bits=32,wg_size=64
for r in 1 2; do
  for v in ups pairs pl cast8; do
    x=; [ $v = pl ] && x=,philox=lanes
    OCLBENCH_CONFIG_ISING=$FL$x one gau_${v}_$r 60 ./oclbench_$v $GA --tune
  done
  for v in ups pairs; do
    OCLBENCH_CONFIG_ISING=$MS one peg_${v}_$r 60 ./oclbench_$v $PG --tune
    one sm_${v}_$r 100 ./oclbench_$v $SM --tune
  done
done
for v in ups pairs pl cast8; do mkdir -p $T/ptx_$v; cp $C/gau_${v}_1/*.bin $T/ptx_$v/ 2>/dev/null; done; save
OCLBENCH_LOG=debug one gau_pl_tuned 200 ./oclbench_pl $GA --tune
for v in pairs pl; do
  one run_$v 200 ./oclbench_$v run ising --device gpu --chains 128,320000,1024 --out $C/r_$v
  cp $C/r_$v/*.csv $T/run_$v.csv 2>/dev/null; save
done
