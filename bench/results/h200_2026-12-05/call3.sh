#!/bin/bash
# Call 3 of 2026-12-05: SGEMM at 4096/8192 against cuBLAS in the same call: the tuner's 128x128 8x8
# choice forced, with and without a grouped work-group order (kd_swz*: GROUP_M 4/8/16), and knobs.
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/call3.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0 OCLBENCH_CACHE_DIR=$C/c
ref() { python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; g.gemm(4096,30); g.gemm(8192,30)" >> $T/torch.txt 2>&1; save; }
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
one() { # label kerneldir sizes config
  local s=$(date +%s)
  if [ -n "$2" ]; then export OCLBENCH_KERNEL_DIR=$PWD/$2; else unset OCLBENCH_KERNEL_DIR; fi
  OCLBENCH_CONFIG_GEMM=$4 timeout 60 ./oclbench run linear --device gpu --sizes $3 --format csv > $C/$1.csv 2> $C/$1.err
  echo "$1 rc $? $(( $(date +%s)-s ))s" >> $T/rates.txt
  grep "^.*,linear,own," $C/$1.csv | grep ",fp32,gflops," | awk -F, -v l=$1 '{print l, $0}' | cut -c1-40 >> $T/rates.txt
  python3 - "$1" "$C/$1.csv" >> $T/rates.txt <<'PY'
import csv,sys
for x in csv.DictReader(open(sys.argv[2])):
    if x['workload']=='linear' and x['variant']=='own' and x['metric']=='gflops':
        print(sys.argv[1], x['precision'], x['params'].split(';')[0], x['value'], x['status'])
PY
  save
}
ref
for r in 1 2; do
  one base$r "" 4096,8192 $B
  one swz8_$r kd_swz 4096,8192 $B
done
one swz4 kd_swz4 4096 $B
one swz16 kd_swz16 4096 $B
one pad0 "" 4096 ${B/pad=4/pad=0}
one pad8 "" 4096 ${B/pad=4/pad=8}
one lm8ln4 "" 4096 ${B/lm=0,ln=0/lm=8,ln=4}
one lm2ln16 "" 4096 ${B/lm=0,ln=0/lm=2,ln=16}
one bk16 "" 4096 ${B/bk=8/bk=16}
one base3 "" 4096 $B
ref
echo done >> $T/rates.txt; save
