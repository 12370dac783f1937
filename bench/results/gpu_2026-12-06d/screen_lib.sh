# Sourced by call7.sh and call8.sh (written out in each as they ran, moved here afterwards: the
# same commands), after ../h200_2026-12-05e/call_lib.sh and ../gpu_2026-12-06b/ab_lib.sh:
#   screen_round RUNDIR   the tuned layout forced with decision=exact and decision=screen,
#                         both sign forms, two alternating rounds; the samples of both decisions
#                         compared; program caches; main's kernels against this tree's, tuned;
#                         `run ising` into $C/RUNDIR
screen_round() {
  local r s d lay
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
  run_ising $1
  save
}
