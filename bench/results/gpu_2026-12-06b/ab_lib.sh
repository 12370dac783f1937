# Sourced by call4.sh, call5.sh and call6.sh after ../h200_2026-12-05e/call_lib.sh (both beside
# them in .gpu/files; written out in each script as they ran, moved here afterwards, the same
# commands):
#   ab ROUNDS CASE...   per round, main's kernels (k_base, through OCLBENCH_KERNEL_DIR) and then
#                       this binary's own, each CASE (a variable below) tuned: label CASE_base_rR
#                       or CASE_new_rR
#   run_ising DIR       `run ising` into $C/DIR, its CSV kept as run_ising.csv
gauss="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune"
pm1="ising --device gpu --graph pegasus:14 --weights pm1 --chains 320000 --sweeps 100 --tune"
torus="ising --device gpu --graph grid:1024x1024:periodic --weights pm1 --chains 1024 --sweeps 100 --tune"
small="ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100 --tune"
ab() {
  local rounds=$1 r k c; shift
  for r in $(seq 1 "$rounds"); do
    for k in base new; do
      if [ $k = base ]; then export OCLBENCH_KERNEL_DIR=$PWD/k_base; else unset OCLBENCH_KERNEL_DIR; fi
      for c in "$@"; do one ${c}_${k}_r$r 120 ./oclbench ${!c}; done
    done
  done
  unset OCLBENCH_KERNEL_DIR
}
run_ising() {
  one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/$1
  cp $C/$1/*.csv $T/run_ising.csv 2>/dev/null
  save
}
