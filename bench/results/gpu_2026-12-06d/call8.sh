#!/bin/bash
# Device call 8: call 7 again, the exact pass now a call after each batch of 32 units and the
# exact build unchanged from main (the tree then: screen.patch), against decision=exact,
# alternating, both sign forms; samples compared; main's kernels (k_base) against the tree's,
# tuned from empty caches; `run ising`; program caches.
. ./call_lib.sh
. ./ab_lib.sh
for r in 1 2; do
  for s in mad xor; do
    lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=lanes"
    for d in exact screen; do
      OCLBENCH_CONFIG_ISING="$lay,decision=$d" one ${d}_${s}_r$r 120 ./oclbench $gauss
    done
  done
done
for d in exact screen; do
  OCLBENCH_CONFIG_ISING="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=xor,philox=lanes,decision=$d" \
    one samples_$d 120 ./oclbench ising --device gpu --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples /tmp/samples_$d.csv
done
cmp /tmp/samples_exact.csv /tmp/samples_screen.csv > $T/samples_cmp.txt 2>&1 && echo identical >> $T/samples_cmp.txt
ls -l /tmp/samples_*.csv >> $T/samples_cmp.txt
tar czf $T/caches.tgz -C $C screen_xor_r1 screen_mad_r1
save
ab 1 gauss
OCLBENCH_LOG=debug one tune_debug 200 ./oclbench $gauss
run_ising o_ising8
save
