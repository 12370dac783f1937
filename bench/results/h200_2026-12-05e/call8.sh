#!/bin/bash
# Device call 8, 2026-12-05 (night session): the session's end against its start, same call.
# oclbench: main at 1f87796 (multispin decision by multiply-adds, Philox by upsample and
# as_uintN halves, the philox=lanes key); oclbench_old: 17b5394.
#   bash .gpu/remote.sh bash call8.sh
# Each tuned with its own caches (the old one first, then the new one, then the old one
# again): pegasus:14 gaussian and pm1 with 320,000 chains, grid:1024x1024:periodic pm1 with
# 1,024, grid:20x20 with 128; then the new binary's `run ising` (every row verified).
. ./call_lib.sh
GA="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100"
SM="ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100"
for v in old new old2; do
  b=./oclbench; [ $v != new ] && b=./oclbench_old
  one gau_$v 150 $b $GA --tune
  one peg_$v 150 $b $PG --tune
  one tor_$v 150 $b $TO --tune
  one sm_$v 150 $b $SM --tune
done
one run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
