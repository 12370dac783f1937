#!/bin/sh
# Own SGEMM against OpenBLAS on PoCL on a 2-core AMD EPYC (AVX-512), alternating, 2026-12-06:
# per round OpenBLAS as numpy's build picks its kernel (Haswell: AVX2 on this CPU), OpenBLAS
# with OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernel), own SGEMM with CFG forced (default the
# tuner's choice here, persistent 48/256, 6x64, kc 512), then both OpenBLAS runs again
# (median/best GFLOP/s at 1024 and 2048 each).
# Usage (repository root, after make): PY=python-with-numpy sh bench/results/cpu_2026-12-06b/rounds.sh ROUNDS
set -eu
dir=$(mktemp -d)
. bench/results/cpu_rounds.sh
CFG=${CFG:-bm=48,bn=256,tm=6,tn=64,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=512,persist=1}
both() { echo "$(blas) / $(OPENBLAS_CORETYPE=SkylakeX blas)"; }
for r in $(seq 1 "$1"); do
  a=$(both); o=$(CFG=$CFG own "$dir/a"); b=$(both)
  echo "round $r $(date +%H:%M) | OpenBLAS $a | own $o | OpenBLAS $b"
  rm -rf "$dir/a" "$dir/a.cache"
done
rm -rf "$dir"
