#!/bin/bash
# Device call 6, prepared on 2026-12-06 (sixth session) and not yet run (prep6.sh makes its
# kernel folders; main's binary at d1ee766 or later, which has sign=sel):
#   (1) pegasus:14 gaussian, the tuned layout forced at register caps 64 and 72, alternating,
#       two rounds: signs by multiply-add (main's choice) against signs by select (sign=sel,
#       d1ee766), each with main's neighbour loop (k_base) and with the loop reading
#       neighbour k + 1 before summing k (k_ahead, ising_ahead.patch);
#   (2) samples of the two sign forms compared (4,096 chains, 50 sweeps); the same row tuned from an empty cache (what the tuner picks now), and the run ising
#       rows;
#   (3) call 5's SGEMM A/B: B alone by cp.async (k_hyb) against main, the tuner's 4096/8192
#       configuration forced, alternating.
. ./call_lib.sh
IS="path=local,spin_bits=32,wg_size=128,wg_words=1,schedule=global,philox=lanes,decision=screen,exp2=ptx"
for r in 1 2; do
  for k in base ahead; do
    for sign in mad sel; do
      for cap in 64 72; do
        OCLBENCH_KERNEL_DIR=$PWD/k_$k OCLBENCH_CONFIG_ISING="$IS,sign=$sign,regs=$cap" \
          one is_${k}_${sign}_${cap}_r$r 120 \
          ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
      done
    done
  done
done
for sign in mad sel; do
  OCLBENCH_CONFIG_ISING="$IS,sign=$sign,regs=64" one samples_$sign 120 ./oclbench ising --device gpu \
    --graph pegasus:14 --chains 4096 --sweeps 50 --tune --samples $C/s_$sign.csv
done
{ cmp $C/s_mad.csv $C/s_sel.csv && echo "identical"; ls -l $C/s_mad.csv $C/s_sel.csv; } > $T/samples_cmp.txt 2>&1
OCLBENCH_LOG=debug one is_tuned 200 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
CFG=bm=256,bn=128,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,splitk=0,pack=0,panel=0,persist=0
for r in 1 2; do
  for k in base hyb; do
    OCLBENCH_KERNEL_DIR=$PWD/k_$k OCLBENCH_CONFIG_GEMM=$CFG one gemm_${k}_r$r 90 \
      ./oclbench run linear --device gpu --sizes 4096,8192 --out $C/o_${k}_r$r
    cp $C/o_${k}_r$r/*.csv $T/gemm_${k}_r$r.csv 2>/dev/null; save
  done
done
save
