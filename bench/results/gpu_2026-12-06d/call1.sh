#!/bin/bash
# Device call 1, 2026-12-06 (fourth session): the screened decision (decision=screen).
# main's kernels (k_base, HEAD before the change) against this tree's, tuned from empty caches,
# alternating (../gpu_2026-12-06b/ab_lib.sh); the tuned layout forced with each decision,
# alternating; the samples of both decisions compared byte for byte; `run ising`.
#   bash .gpu/remote.sh bash call1.sh   (from .gpu/files; call_lib.sh, ab_lib.sh, k_base beside it)
. ./call_lib.sh
. ./ab_lib.sh
ab 2 gauss
lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes"
for r in 1 2 3; do
  for d in exact screen; do
    OCLBENCH_CONFIG_ISING="$lay,decision=$d" one forced_${d}_r$r 120 ./oclbench $gauss
  done
done
for d in exact screen; do
  OCLBENCH_CONFIG_ISING="$lay,decision=$d" one samples_$d 120 ./oclbench ising --device gpu \
    --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_$d.csv
done
cmp /tmp/samples_exact.csv /tmp/samples_screen.csv > $T/samples_cmp.txt 2>&1 && echo identical >> $T/samples_cmp.txt
ls -l /tmp/samples_*.csv >> $T/samples_cmp.txt
OCLBENCH_LOG=debug one tune_debug 200 ./oclbench $gauss
run_ising o_ising1
save
