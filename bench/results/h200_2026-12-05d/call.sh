#!/bin/bash
# One device call, 2026-12-05 (evening session). Run from .gpu/files, with oclbench (this tree:
# the float update's sign=mad) and oclbench_main (82771d8, before it) beside it:
#   bash .gpu/remote.sh bash call.sh
# (1) pegasus:14 gaussian, 320,000 chains: --tune with this tree's binary (it logs every
#     trial: each layout with sign=xor and sign=mad); then the layout it chose, forced with
#     sign=xor and sign=mad, alternating, two rounds; after (2), main's binary (xor only) tuned;
# (2) this tree's `run ising` (every row verified against the host loop and exact enumeration);
# (3) the program caches of the gaussian and the SGEMM runs kept: on NVIDIA
#     their binaries are the PTX NVIDIA's OpenCL compiler made (sass_pipes.py counts them);
# (4) the workloads whose kernel arguments moved onto ob_kernel_set_args (b202505), --quick.
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/t.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0
one() { # label timeout command... (a program and tuning cache of its own)
  local l=$1 to=$2; shift 2; local s=$(date +%s)
  OCLBENCH_CACHE_DIR=$C/$l timeout $to "$@" > $T/$l.txt 2>&1
  echo "$l rc $? $(( $(date +%s)-s ))s" >> $T/rc.txt
  save
}
keep_ptx() { mkdir -p $T/ptx_$1; cp $C/$1/*.bin $T/ptx_$1/ 2>/dev/null; save; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm > $T/gpu.txt 2>&1
P="ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100"
OCLBENCH_LOG=debug one tune_new 200 ./oclbench $P --tune
keep_ptx tune_new
line=$(grep -m1 "^device " $T/tune_new.txt)
path=$(echo "$line" | sed -n 's/.*, path \([a-z]*\),.*/\1/p')
bits=$(echo "$line" | sed -n 's/.* \([0-9]*\) chains\{0,1\} per word.*/\1/p')
wg=$(echo "$line" | sed -n 's/.*work-group \([0-9]*\).*/\1/p')
sched=$(echo "$line" | sed -n 's/.*schedule in \([a-z]*\) memory.*/\1/p')
cfg=path=$path,spin_bits=$bits,wg_size=$wg${sched:+,schedule=$sched}
echo "forced: $cfg" >> $T/rc.txt
for r in 1 2; do for sg in xor mad; do
  OCLBENCH_CONFIG_ISING=$cfg,sign=$sg one ab_${sg}_$r 60 ./oclbench $P --tune
done; done
one run_ising 150 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
one tune_main 120 ./oclbench_main $P --tune
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
OCLBENCH_CONFIG_GEMM=$B one sgemm 60 ./oclbench run linear --device gpu --sizes 4096
keep_ptx sgemm
one regress 120 ./oclbench run adam conv peak train --device gpu --quick --out $C/rg
cp $C/rg/*.csv $T/regress.csv 2>/dev/null; save
