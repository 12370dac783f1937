#!/bin/bash
# Device call 9: as call 8, with the exact pass after each batch inline (k_inl,
# ising_call9_inline_redo.patch) as a third form; the forced layouts run 100 sweeps (the benchmark) and 2
# sweeps (a tuning trial's length), alternating; program caches.
. ./call_lib.sh
. ./ab_lib.sh
short="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 2 --tune"
for r in 1 2; do
  for s in mad xor; do
    lay="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=$s,philox=lanes"
    OCLBENCH_CONFIG_ISING="$lay,decision=exact" one exact_${s}_r$r 120 ./oclbench $gauss
    OCLBENCH_CONFIG_ISING="$lay,decision=screen" one call_${s}_r$r 120 ./oclbench $gauss
    OCLBENCH_KERNEL_DIR=$PWD/k_inl OCLBENCH_CONFIG_ISING="$lay,decision=screen" one inl_${s}_r$r 120 ./oclbench $gauss
    OCLBENCH_CONFIG_ISING="$lay,decision=exact" one short_exact_${s}_r$r 120 ./oclbench $short
    OCLBENCH_CONFIG_ISING="$lay,decision=screen" one short_call_${s}_r$r 120 ./oclbench $short
    OCLBENCH_KERNEL_DIR=$PWD/k_inl OCLBENCH_CONFIG_ISING="$lay,decision=screen" one short_inl_${s}_r$r 120 ./oclbench $short
  done
done
tar czf $T/caches.tgz -C $C inl_xor_r1 inl_mad_r1
save
