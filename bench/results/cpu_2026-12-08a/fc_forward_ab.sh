#!/bin/sh
# The fc1024 forward pass (m=128, n=1024, k=1024, B transposed) with one configuration forced
# (CFG), two binaries alternating (OB_A, OB_B), ROUNDS rounds: own fp32 GFLOP/s (median/best)
# of each, through ../cpu_rounds.sh's own (the forward pass is the first of fc1024's rows).
# Usage (repository root): OB_A=... OB_B=... CFG=... sh fc_forward_ab.sh ROUNDS
set -eu
. bench/results/cpu_rounds.sh
d=$(mktemp -d)
fc() { OB=$1 SIZES=fc1024 own "$d/$2" | cut -d' ' -f1; }
for r in $(seq 1 "$1"); do
  echo "round $r $(date +%H:%M) A $(fc "$OB_A" a) B $(fc "$OB_B" b) A $(fc "$OB_A" a) B $(fc "$OB_B" b)"
done
rm -rf "$d"
