#!/bin/bash
# Device call 6, 2026-12-05 (night session): this session's Ising work against its start.
# oclbench: main with the multispin decision's multiply-adds (1508902), Philox by upsample
# (the next commit) and the philox=lanes tuning key (working tree); oclbench_old: 17b5394.
#   bash .gpu/remote.sh bash call6.sh
# (1) each binary tuned (own caches; the new one logs its trials) on pegasus:14 gaussian and
#     pm1 with 320,000 chains, grid:1024x1024:periodic pm1 with 1,024 and grid:20x20 with 128;
# (2) the gaussian layout the new tuner chose, forced on both binaries (the old one without
#     the philox key), alternated, two rounds;
# (3) the new binary's `run ising` (every row verified); the program caches kept (PTX).
. ./call_lib.sh
GA="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100"
SM="ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100"
for v in new old; do
  b=./oclbench; [ $v = old ] && b=./oclbench_old
  OCLBENCH_LOG=debug one gau_${v} 200 $b $GA --tune
  one peg_${v} 150 $b $PG --tune
  one tor_${v} 150 $b $TO --tune
  one sm_${v} 150 $b $SM --tune
done
mkdir -p $T/ptx_new; cp $C/gau_new/*.bin $T/ptx_new/ 2>/dev/null; save
line=$(grep -m1 "^device " $T/gau_new.txt)
path=$(echo "$line" | sed -n 's/.*, path \([a-z]*\),.*/\1/p')
bits=$(echo "$line" | sed -n 's/.* \([0-9]*\) chains\{0,1\} per word.*/\1/p')
wg=$(echo "$line" | sed -n 's/.*work-group \([0-9]*\).*/\1/p')
sign=xor; echo "$line" | grep -q "multiply-add" && sign=mad
ph=vector; echo "$line" | grep -q "Philox by lanes" && ph=lanes
cfg=path=$path,spin_bits=$bits,wg_size=$wg,sign=$sign
echo "forced: $cfg,philox=$ph" >> $T/rc.txt
for r in 1 2; do
  OCLBENCH_CONFIG_ISING=$cfg,philox=$ph one ab_new_$r 60 ./oclbench $GA --tune
  OCLBENCH_CONFIG_ISING=$cfg one ab_old_$r 60 ./oclbench_old $GA --tune
done
one run_ising 200 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
