#!/bin/bash
# Stream-K SGEMM against main and cuBLAS in one device call (2026-12-05, afternoon session).
# Run from .gpu/files with oclbench (a build with stream-K: d2f255d for call 1's `ab`, 2c31b08
# for call 2's `v2`; stream-K was removed after call 2) and oclbench_main (b461e4e) beside it:
#   bash .gpu/remote.sh bash call_sk.sh ab|v2
# base/main: the tuner's choice of 2026-12-05 (128x128, 8x8, bk=8) forced; sk1/sk2: the same
# with stream-K over one or two workers per SM (sk2r: registers capped at 128, so that two
# work-groups fit an SM). Alternating rounds; cuBLAS before and after. `v2`: the same after
# d2f255d. `tuned`: the tuner's own choice over all candidates (debug log: every trial, with
# registers and spills).
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/sk.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0 OCLBENCH_CACHE_DIR=$C/c
ref() { python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; [g.gemm(s,30) for s in $1]" >> $T/torch.txt 2>&1; save; }
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
one() { # label binary sizes config
  local s=$(date +%s)
  OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$4 timeout 90 ./$2 run linear --device gpu --sizes $3 --format csv > $C/$1.csv 2> $C/$1.err
  echo "$1 rc $? $(( $(date +%s)-s ))s" >> $T/rates.txt
  grep -m2 ": gemm bm=" $C/$1.err >> $T/rates.txt # this tree's binary: registers and spills
  python3 - "$1" "$C/$1.csv" >> $T/rates.txt <<'PY'
import csv,sys
for x in csv.DictReader(open(sys.argv[2])):
    if x['workload']=='linear' and x['variant']=='own' and x['metric']=='gflops':
        print(sys.argv[1], x['precision'], x['params'].split(';')[0], x['value'], x['status'])
PY
  cp $C/$1.csv $C/$1.err $T/ 2>/dev/null; save
}
case "$1" in
ab)
  ref "(4096,8192,1024,2048)"
  for r in 1 2; do
    one main$r oclbench_main 4096,8192 $B
    one sk2_$r oclbench 4096,8192 $B,streamk=2
    one sk2r_$r oclbench 4096,8192 ${B/regs=0/regs=128},streamk=2
    [ $r = 1 ] && one base$r oclbench 4096,8192 $B
    [ $r = 1 ] && one sk1_$r oclbench 4096,8192 $B,streamk=1
  done
  one main_s oclbench_main 1024,2048 $B
  one sk2_s oclbench 1024,2048 $B,streamk=2
  ref "(4096,8192)"
  ;;
v2)
  # Call 2: the segment kept in local memory (d2f255d); each run of this tree's binary logs
  # its kernel's registers and spills (OCLBENCH_LOG=debug).
  ref "(4096,8192)"
  for r in 1 2; do
    one main$r oclbench_main 4096,8192 $B
    one v2sk2_$r oclbench 4096,8192 $B,streamk=2
    [ $r = 1 ] && one base$r oclbench 4096,8192 $B
    [ $r = 1 ] && one v2sk1_$r oclbench 4096,8192 $B,streamk=1
  done
  ref "(4096,8192)"
  ;;
tuned)
  s=$(date +%s)
  OCLBENCH_LOG=debug timeout 400 ./oclbench run linear --device gpu --sizes 1024,2048,4096,8192 --format csv > $T/tuned.csv 2> $T/tuned.err
  echo "tuned rc $? $(( $(date +%s)-s ))s" >> $T/rates.txt; save
  ref "(1024,2048,4096,8192)"
  ;;
esac
echo done $1 >> $T/rates.txt; save
