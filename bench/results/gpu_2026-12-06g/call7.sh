#!/bin/bash
# Device call 7 (seventh session; prep7.sh makes its kernel folders; main's binary at 4b465d6):
#   (1) pegasus:14 gaussian, 320,000 chains, the tuned layout forced, two rounds alternating:
#       signs by select at register caps 72 and 80 (and 96 for k_as), and by multiply-add at
#       64 (k_base, k_s), for main's kernels (k_base), the screen component by component
#       (k_s), the neighbour loop one ahead (k_a), and both (k_as);
#       and k_as in work-groups of 64 and 256 (a colour of pegasus:14 is 1,066 units: 9 rounds
#       of 128 work-items for 8.3 rounds of work, 17 of 64 for 16.7);
#   (2) the best batch (5,120,000 chains) of k_base and k_as;
#   (3) samples of k_as (select) against k_base (multiply-add) compared, and k_as's program
#       (NVIDIA's PTX) kept for counting.
. ./call_lib.sh
IS="path=local,spin_bits=32,wg_words=1,schedule=global,philox=lanes,decision=screen,exp2=ptx"
pg() { # label kernels sign cap chains sweeps [extra...]
  local l=$1 k=$2 sign=$3 cap=$4 n=$5 s=$6; shift 6
  OCLBENCH_KERNEL_DIR=$PWD/k_$k OCLBENCH_CONFIG_ISING="$IS,wg_size=${WG:-128},sign=$sign,regs=$cap" \
    one $l 150 ./oclbench ising --device ${DEV:-gpu} --graph pegasus:14 --chains $n --sweeps $s --tune "$@"
}
for r in 1 2; do
  for k in base s a as; do
    for cap in 72 80; do pg ${k}_sel_${cap}_r$r $k sel $cap 320000 100; done
  done
  pg as_sel_96_r$r as sel 96 320000 100
  for k in base s; do pg ${k}_mad_64_r$r $k mad 64 320000 100; done
  for wg in 64 256; do WG=$wg pg as_sel_72_wg${wg}_r$r as sel 72 320000 100; done
  WG=64 pg as_sel_80_wg64_r$r as sel 80 320000 100
done
for r in 1 2; do
  pg big_base_sel_72_r$r base sel 72 5120000 100
  pg big_as_sel_72_r$r as sel 72 5120000 100
  pg big_as_sel_80_r$r as sel 80 5120000 100
done
pg samples_as_sel as sel 72 4096 50 --samples $C/s_as.csv
pg samples_base_mad base mad 64 4096 50 --samples $C/s_base.csv
{ cmp $C/s_as.csv $C/s_base.csv && echo "identical"; ls -l $C/s_as.csv $C/s_base.csv; } > $T/samples_cmp.txt 2>&1
mkdir -p $T/ptx && cp $C/as_sel_72_r1/*.bin $C/base_sel_72_r1/*.bin $T/ptx/ 2>/dev/null
ls -l $C/as_sel_72_r1 > $T/ptx/ls_as.txt 2>&1; ls -l $C/base_sel_72_r1 > $T/ptx/ls_base.txt 2>&1
save
