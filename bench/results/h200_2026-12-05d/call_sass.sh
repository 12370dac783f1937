#!/bin/bash
# One device call, 2026-12-05 (evening session): (1) the Ising sampler tuned on pegasus:14 with
# gaussian and +-1 couplings and the SGEMM (the tuner's 128x128 choice forced, 4096^3), each
# with its own program cache, whose binaries are the PTX NVIDIA's OpenCL compiler made (counted
# here afterwards by pipe: ptxas for sm_90, nvdisasm); (2) the workloads whose kernel arguments
# moved onto ob_kernel_set_args (b202505: adam, conv, peak, train), --quick, every row verified.
# Run from .gpu/files:  bash .gpu/remote.sh bash call_sass.sh
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/sass.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0
one() { # label timeout command...
  local l=$1 to=$2; shift 2; local s=$(date +%s)
  OCLBENCH_CACHE_DIR=$C/$l timeout $to "$@" > $T/$l.txt 2>&1
  echo "$l rc $? $(( $(date +%s)-s ))s" >> $T/rc.txt
  mkdir -p $T/ptx_$l; cp $C/$l/*.bin $T/ptx_$l/ 2>/dev/null; save
}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm > $T/gpu.txt 2>&1
one gauss 150 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
one pm1 150 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --weights pm1 --tune
B=bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,regs=0,splitk=0,pack=0,panel=0,persist=0
OCLBENCH_LOG=debug OCLBENCH_CONFIG_GEMM=$B one sgemm 90 ./oclbench run linear --device gpu --sizes 4096
one regress 400 ./oclbench run adam conv peak train --device gpu --quick --out $C/regress_out
cp $C/regress_out/*.csv $T/ 2>/dev/null; save
