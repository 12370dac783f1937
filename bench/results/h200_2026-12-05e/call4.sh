#!/bin/bash
# Device call 4, 2026-12-05 (night session): the Philox multiply. NVIDIA's OpenCL compiler
# widens with convert_ulong* (inline assembly), so it emits a 64-bit multiply that ptxas
# turns into IMAD.WIDE.U32 plus an integer add of zero. Binaries beside oclbench (main,
# 1508902): oclbench_hilo (branch philox-mulhi: mul_hi and mul), oclbench_cast (philox-cast:
# the multispin update's Philox as four scalar calls widened by C casts), oclbench_cast8
# (philox-cast8: that, and the float update's 32-chain words' Philox as eight such calls).
#   bash .gpu/remote.sh bash call4.sh
# Multispin: path global, 32 chains per word, work-group 64, pegasus:14 pm1 320,000 chains and
# grid:1024x1024:periodic pm1 1,024 chains; gaussian pegasus:14 320,000 chains: local path, 32
# chains per word, work-group 128, sign=mad (the tuner's choice on the H100 in call 1); 100
# sweeps, variants alternated, two rounds; the program caches kept (PTX).
. ./call_lib.sh
PG="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100"
TO="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100"
GA="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
MS=update=multispin,path=global,spin_bits=32,wg_size=64
FL=path=local,spin_bits=32,wg_size=128,sign=mad
V=${V:-main hilo cast cast8} # call5.sh sets its own
for r in 1 2; do for v in $V; do
  b=./oclbench_$v; [ $v = main ] && b=./oclbench
  [ $v != cast8 ] && OCLBENCH_CONFIG_ISING=$MS one peg_${v}_$r 60 $b $PG --tune
  [ $v != cast8 ] && OCLBENCH_CONFIG_ISING=$MS one tor_${v}_$r 60 $b $TO --tune
  [ $v != cast ] && OCLBENCH_CONFIG_ISING=$FL one gau_${v}_$r 60 $b $GA --tune
done; done
for v in $V; do mkdir -p $T/ptx_$v; cp $C/*_${v}_1/*.bin $T/ptx_$v/ 2>/dev/null; done; save
