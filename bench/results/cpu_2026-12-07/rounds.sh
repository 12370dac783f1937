#!/bin/sh
# Own SGEMM against OpenBLAS on PoCL, alternating, on a 2-core AMD EPYC with AVX-512 on
# 256-bit units (2026-12-07: family 25 model 17, 32 KiB L1d and 1 MiB L2 per core, FMA peak
# probe 221 GFLOP/s): per round OpenBLAS through numpy (its default here is its SkylakeX
# kernel: OPENBLAS_VERBOSE=2 says "Core: SkylakeX"), own SGEMM with CFG forced (default the
# tuner's choice on this host at 1024^3 and 2048^3: B-panel tiles 64/32, 8x32, kc 256), then
# OpenBLAS again (median/best GFLOP/s at 1024 and 2048 each). PoCL's program cache is kept
# across rounds (compiling is never timed).
# Usage (repository root, after make): PY=python-with-numpy sh bench/results/cpu_2026-12-07/rounds.sh ROUNDS
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
CFG=${CFG:-bm=64,bn=32,tm=8,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=256,panel=2}
for r in $(seq 1 "$1"); do
  a=$(blas); o=$(CFG=$CFG own "$dir/a"); b=$(blas)
  echo "round $r $(date +%H:%M) | OpenBLAS $a | own $o | OpenBLAS $b"
done
rm -rf "$dir"
