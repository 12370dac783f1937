# Sourced by call1.sh, call2.sh and call3.sh after ../h200_2026-12-05e/call_lib.sh and
# ../h200_2026-12-05f/sample_lib.sh (all beside them in .gpu/files; the calls ran with this
# function written out in each script, the same text):
#   var LABEL CONFIG   OCLBENCH_CONFIG_GEMM=CONFIG ./oclbench run linear --device gpu --sizes
#                      4096,8192 (debug log: the build's registers and spills), between marks
#                      "LABEL start" and "LABEL end", its CSV kept as $T/LABEL.csv
#   rounds LABEL=CONFIG...   cuBLAS at 8192 and 4096 (cublas_a), two alternating rounds of
#                      var LABELr $G,CONFIG for each pair (r = 1, 2; G set by the caller),
#                      cuBLAS again (cublas_b)
# (rounds was written out in each of calls 1-3; moved here afterwards, the same steps)
var() { # label config
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$2 one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
rounds() { # label=config...
  ref cublas_a "((8192,200),(4096,1000))"
  local r lc
  for r in 1 2; do
    for lc in "$@"; do var ${lc%%=*}$r $G,${lc#*=}; done
  done
  ref cublas_b "((8192,200),(4096,1000))"
}
