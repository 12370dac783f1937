#!/bin/bash
# Device call 6, prepared on 2026-12-06 (sixth session) and not yet run (prep6.sh makes its
# kernel folders): (1) the Ising neighbour loop reading neighbour k + 1 before summing k
# (k_ahead) against main's (k_base), pegasus:14 gaussian, the tuned layout forced at register
# caps 64 and 72, alternating, two rounds; (2) call 5's SGEMM A/B: B alone by cp.async
# (k_hyb) against main, the tuner's 4096/8192 configuration forced, alternating.
. ./call_lib.sh
IS="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,sign=mad,philox=lanes,decision=screen,exp2=ptx"
for r in 1 2; do
  for k in base ahead; do
    for cap in 64 72; do
      OCLBENCH_KERNEL_DIR=$PWD/k_$k OCLBENCH_CONFIG_ISING="$IS,regs=$cap" one is_${k}_${cap}_r$r 120 \
        ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
    done
  done
done
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
for r in 1 2; do
  for k in base hyb; do
    OCLBENCH_KERNEL_DIR=$PWD/k_$k OCLBENCH_CONFIG_GEMM=$CFG one gemm_${k}_r$r 90 \
      ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_${k}_r$r
    cp $C/o_${k}_r$r/*.csv $T/gemm_${k}_r$r.csv 2>/dev/null; save
  done
done
save
