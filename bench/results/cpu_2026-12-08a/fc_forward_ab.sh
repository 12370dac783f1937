#!/bin/sh
# The fc1024 forward pass (m=128, n=1024, k=1024, B transposed) with one configuration forced
# (CFG), two binaries alternating (OB_A, OB_B), ROUNDS rounds: own fp32 GFLOP/s (median/best)
# of each. Usage (repository root): OB_A=... OB_B=... CFG=... sh fc_forward_ab.sh ROUNDS
set -eu
d=$(mktemp -d)
fc() {
  OCLBENCH_CONFIG_GEMM=$CFG XDG_CACHE_HOME=$d/$2.cache "$1" run linear --sizes fc1024 \
    --device pocl --out "$d/$2" --force >/dev/null 2>&1
  python3 -c "
import csv, glob
for r in csv.DictReader(open(glob.glob('$d/$2/*.csv')[0])):
    if r['variant'] == 'own' and r['precision'] == 'fp32' and 'pass=forward' in r['params']:
        print('%.0f/%.0f' % (float(r['value']), float(r['flops']) / float(r['time_s_min']) / 1e9))"
}
for r in $(seq 1 "$1"); do
  echo "round $r $(date +%H:%M) A $(fc "$OB_A" a) B $(fc "$OB_B" b) A $(fc "$OB_A" a) B $(fc "$OB_B" b)"
done
rm -rf "$d"
