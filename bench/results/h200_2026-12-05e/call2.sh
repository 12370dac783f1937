#!/bin/bash
# Device call 2, 2026-12-05 (night session). Run from .gpu/files with oclbench (main, 17b5394)
# and oclbench_V beside it for the multispin decision's variants (branches ms-mad, ms-v3..v6):
#   mad: sign bits packed by minus * two + (d >> 31), prefix term by a multiply-add by -128
#        (two = 2 and -128 read from the threshold buffer, so that they stay multiplies);
#   v3:  mad, thresholds through a pointer to the position's table (no z + m per chain);
#   v4:  v3, the sign bit as mul_hi(d, two) (a multiply instead of a shift);
#   v5:  v3, the middle 4-bit count fields by a multiply and a shift instead of shift and mask;
#   v6:  v4 and v5.
#   bash .gpu/remote.sh bash call2.sh
# Each forced to path global, 32 chains per word, work-groups of 64 and of 128, pegasus:14 pm1
# with 320,000 chains and grid:1024x1024:periodic pm1 with 1,024, 100 sweeps, variants
# alternated, two rounds; the program caches kept (PTX).
. ./call_lib.sh
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100"
V=${V:-main mad v3 v4 v5 v6} # call3.sh sets its own
for r in 1 2; do for wg in 64 128; do for v in $V; do
  b=./oclbench_$v; [ $v = main ] && b=./oclbench
  cfg=update=multispin,path=global,spin_bits=32,wg_size=$wg
  OCLBENCH_CONFIG_ISING=$cfg one peg_${v}_${wg}_$r 60 $b $PG --tune
  OCLBENCH_CONFIG_ISING=$cfg one tor_${v}_${wg}_$r 60 $b $TO --tune
done; done; done
for v in $V; do mkdir -p $T/ptx_$v; cp $C/peg_${v}_64_1/*.bin $T/ptx_$v/ 2>/dev/null; done; save
