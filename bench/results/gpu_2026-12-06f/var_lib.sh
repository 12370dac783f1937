# Sourced by call1.sh, call2.sh and call4.sh after ../h200_2026-12-05e/call_lib.sh and
# ../h200_2026-12-05f/sample_lib.sh (all beside them in .gpu/files; written out in each script
# as they ran, moved here afterwards, the same commands):
#   var LABEL KERNEL-DIR   `run linear` at 4096 and 8192 with the kernels of KERNEL-DIR
#                          (OCLBENCH_KERNEL_DIR) and the tuner's 4096/8192 configuration
#                          forced, between marks "LABEL start" and "LABEL end"; its CSV kept
#                          as $T/LABEL.csv
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0,async=0
var() { # label kernel-dir
  mark "$1 start"
  OCLBENCH_KERNEL_DIR=$PWD/$2 OCLBENCH_CONFIG_GEMM=$CFG one $1 90 ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_$1
  cp $C/o_$1/*.csv $T/$1.csv 2>/dev/null; mark "$1 end"; save
}
