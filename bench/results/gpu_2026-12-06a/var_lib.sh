# Sourced by call1.sh, call2.sh and call3.sh after ../h200_2026-12-05e/call_lib.sh and
# ../h200_2026-12-05f/sample_lib.sh (all beside them in .gpu/files; the calls ran with this
# function written out in each script, the same text):
#   var LABEL CONFIG   OCLBENCH_CONFIG_GEMM=CONFIG ./oclbench run linear --device gpu --sizes
#                      4096,8192 (debug log: the build's registers and spills), between marks
#                      "LABEL start" and "LABEL end", its CSV kept as $T/LABEL.csv
var() { # label config
  mark "$1 start"
  OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$2 one $1 100 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
