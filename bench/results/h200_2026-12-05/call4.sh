#!/bin/bash
# Call 4 of 2026-12-05: (1) SGEMM wave quantization: the tuner's choice forced, full against a kernel
# that runs only whole waves of 264 work-groups (kd_skip: results wrong, times meaningful);
# (2) main's conv on every shape with cuDNN in the same call; (3) main's run ising.
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/call4.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0 OCLBENCH_CACHE_DIR=$C/c
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
for r in 1 2; do for v in base skip; do
  if [ $v = skip ]; then export OCLBENCH_KERNEL_DIR=$PWD/kd_skip; else unset OCLBENCH_KERNEL_DIR; fi
  OCLBENCH_CONFIG_GEMM=$B timeout 45 ./oclbench run linear --device gpu --sizes 4096,8192 --format csv > $C/$v$r.csv 2>/dev/null
  python3 - $v$r $C/$v$r.csv >> $T/rates.txt <<'PY'
import csv,sys
for x in csv.DictReader(open(sys.argv[2])):
    if x['workload']=='linear' and x['variant']=='own' and x['metric']=='gflops' and x['precision']=='fp32':
        print(sys.argv[1], x['params'].split(';')[0], 'median_s', x['time_s_median'], 'min_s', x['time_s_min'], x['status'])
PY
  save
done; done
unset OCLBENCH_KERNEL_DIR
s=$(date +%s)
timeout 200 ./oclbench run conv --device gpu --sizes simplecnn_3x224,resnet_64x56,resnet_128x28,resnet_256x14,resnet_512x7 --out $C/conv > $T/conv.txt 2>&1
echo "conv exit $? $(( $(date +%s)-s ))s" >> $T/rates.txt; cp $C/conv/*.csv $T/conv.csv; save
timeout 90 python3 tools/gpu_ref_torch.py > $T/torch.txt 2>&1; echo "torch exit $?" >> $T/rates.txt; save
s=$(date +%s)
timeout 60 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ising > $T/ising.txt 2>&1
echo "ising exit $? $(( $(date +%s)-s ))s" >> $T/rates.txt; cp $C/ising/*.csv $T/ising.csv; save
