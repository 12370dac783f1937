#!/bin/sh
# Why own SGEMM and OpenBLAS both stopped near half the FMA peak on the GPU machine's 16-core
# CPU (the fifteenth session's question; measured in the sixteenth, 2026-12-07): the same
# measurements on 1, 2, 4, 8 and 16 of its cores. Per core count t, pinned to cores 0..t-1
# (taskset), PoCL held to t threads (POCL_MAX_PTHREAD_COUNT), OpenBLAS to t (OPENBLAS_NUM_THREADS):
#   the FMA probe (fma_float16) and read bandwidth of `oclbench run peak --quick`,
#   own SGEMM through build/gemm_driver (cpu_2026-12-05c/gemm_driver.c, packed by pack.sh:
#   persistent 48/256 6x64 kc 512, the tuner's 2048^3 choice on this CPU; median/best of 20
#   runs at 2048^3, 5 at 4096^3; the same kernel is verified by the `oclbench run linear`
#   rounds of gpuhost.sh),
#   OpenBLAS through numpy at 2048^3 (8 runs) and 4096^3 (3), median/best,
#   and the steal time the hypervisor reported (/proc/stat) over the three.
# Runs after gpuhost.sh in the same call (it unpacks PoCL and registers it):
#   bash .gpu/remote.sh sh -c 'sh bench/results/cpu_2026-12-07e/gpuhost.sh;
#     sh bench/results/cpu_2026-12-07f/scaling.sh'
# COUNTS and PAIRS: other core counts and pairs than 1 2 4 8 16 and 0,1 0,4 0,8 0,12 0,15.
# Writes $OUT/scaling.txt.
set -u
o=${OUT:-/tmp/out}
pr=/tmp/pocl-root
export LD_LIBRARY_PATH="$pr/usr/lib/x86_64-linux-gnu:$pr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XDG_CACHE_HOME=/tmp/cache PY=${PY:-/opt/torch/.venv/bin/python3}
# the driver opens device 0: a vendor directory with PoCL alone (NVIDIA's driver comes first)
mkdir -p /tmp/pocl-icd && cp /tmp/gpu-icd/pocl.icd /tmp/pocl-icd/
steal() { awk '/^cpu /{print $9}' /proc/stat; }
blas() { taskset -c "$1" "$PY" bench/results/cpu_2026-12-05/openblas.py 2048:8 4096:3; } # CORES
# peak CORES THREADS: the FMA probe (fma_float16, GFLOP/s) and read bandwidth (GB/s) on those cores
peak() {
  POCL_MAX_PTHREAD_COUNT=$2 taskset -c "$1" ./oclbench run peak --quick --device pocl \
    --out /tmp/peak --force >/dev/null 2>&1
  python3 -c "
import csv, glob
v = {r['variant']: float(r['value']) for r in csv.DictReader(open(glob.glob('/tmp/peak/*.csv')[0]))
     if r['status'] == 'ok'}
print('%.0f | %.1f' % (v.get('fma_float16', 0), v.get('read', 0)))"
}
echo "cores | fma_float16 GFLOP/s | read GB/s | own 2048 / 4096 median/best | OpenBLAS 2048 / 4096 | steal ticks" > "$o/scaling.txt"
for t in ${COUNTS:-1 2 4 8 16}; do
  c="0-$((t - 1))"
  s0=$(steal)
  pk=$(peak "$c" "$t")
  own=""
  for n in 2048 4096; do
    r=$([ $n = 2048 ] && echo 20 || echo 5)
    own="$own $(OCL_ICD_VENDORS=/tmp/pocl-icd POCL_MAX_PTHREAD_COUNT=$t taskset -c "$c" build/gemm_driver $n $r 6 64 512 48 256 2>&1 |
      sed -n 's/.*median \([0-9.]*\) best \([0-9.]*\).*/\1\/\2/p')"
  done
  b=$(OPENBLAS_NUM_THREADS=$t blas "$c")
  echo "$t | $pk |$own | $b | $(($(steal) - s0))" >> "$o/scaling.txt"
done
# Two threads on pairs of cores: if two of the VM's cores shared one physical core (the VM
# reports one thread per core), the FMA probe would halve on that pair.
echo "pair | fma_float16 GFLOP/s | read GB/s" >> "$o/scaling.txt"
for c in ${PAIRS:-0,1 0,4 0,8 0,12 0,15}; do
  echo "$c | $(peak "$c" 2)" >> "$o/scaling.txt"
done
