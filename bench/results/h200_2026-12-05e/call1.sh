#!/bin/bash
# Device call 1, 2026-12-05 (night session). Run from .gpu/files with oclbench (main, 17b5394),
# oclbench_mad (branch ms-mad: the multispin decision's sign bits packed by a multiply-add with
# a factor 2 read from memory, and the prefix term 128a as a multiply-add by -128 read from
# memory) and oclbench_pack (branch ms-pack: only the packing) beside it:
#   bash .gpu/remote.sh bash call1.sh
# The multispin update forced to the tuner's choice of the last runs (path global, 32 chains
# per word, work-group 64), pegasus:14 pm1 with 320,000 chains and grid:1024x1024:periodic pm1
# with 1,024, 100 sweeps, variants alternated, two rounds; then each variant tuned; the program
# caches kept (on NVIDIA a .bin is the PTX NVIDIA's OpenCL compiler made).
. ./call_lib.sh
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100"
cfg=update=multispin,path=global,spin_bits=32,wg_size=64
for r in 1 2; do for v in main mad pack; do
  b=./oclbench_$v; [ $v = main ] && b=./oclbench
  OCLBENCH_CONFIG_ISING=$cfg one peg_${v}_$r 60 $b $PG --tune
  OCLBENCH_CONFIG_ISING=$cfg one tor_${v}_$r 60 $b $TO --tune
done; done
for v in main mad pack; do mkdir -p $T/ptx_$v; cp $C/peg_${v}_1/*.bin $C/tor_${v}_1/*.bin $T/ptx_$v/ 2>/dev/null; done; save
for v in main mad pack; do
  b=./oclbench_$v; [ $v = main ] && b=./oclbench
  OCLBENCH_LOG=debug one peg_${v}_tuned 150 $b $PG --tune
  OCLBENCH_LOG=debug one tor_${v}_tuned 150 $b $TO --tune
done
