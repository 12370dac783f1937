#!/bin/sh
# Point 5 (own SGEMM on PoCL against OpenBLAS on the same cores) on the CPU of the GPU machine
# (16 cores), in one device call (pack.sh first):
#   bash .gpu/remote.sh sh bench/results/cpu_2026-12-07e/gpuhost.sh
# Writes to $OUT: host.txt (lscpu, cgroup limit, OpenBLAS's threads and kernel), devices.txt,
# cold/ and cold.txt (the first run: the tuner searches, empty caches), rounds.txt (alternating
# rounds until DEADLINE (default 500) s have passed: OpenBLAS through numpy, own SGEMM with the tuned
# configuration from the cache, OpenBLAS again; median/best GFLOP/s at 1024 and 2048), tune.txt
# (the tuning cache), last/ (the last round's CSVs). With CFG1024 and CFG2048 (gemm
# configurations, as OCLBENCH_CONFIG_GEMM takes them) there is no cold run: own SGEMM runs
# with them forced, one size per run.
set -u
o=${OUT:-/tmp/out}
t0=$(date +%s)
pr=/tmp/pocl-root
mkdir -p "$pr" && tar -xJf ../pocl.tar.xz -C "$pr"
export LD_LIBRARY_PATH="$pr/usr/lib/x86_64-linux-gnu:$pr/lib/x86_64-linux-gnu:$LD_LIBRARY_PATH"
echo "$pr/usr/lib/x86_64-linux-gnu/libpocl.so.2" > /tmp/gpu-icd/pocl.icd
export XDG_CACHE_HOME=/tmp/cache PY=${PY:-/opt/torch/.venv/bin/python3}
. bench/results/cpu_rounds.sh
{
  date -u; uptime; lscpu; echo "nproc $(nproc)"; cat /sys/fs/cgroup/cpu.max
  head -2 /etc/os-release; ldd --version | head -1; command -v ld; command -v gcc; ls /usr/lib/gcc/x86_64-linux-gnu
  ldd "$pr/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1" | grep 'not found'
  "$PY" -c "import numpy, threadpoolctl; print(numpy.__version__, threadpoolctl.threadpool_info())"
} > "$o/host.txt" 2>&1
./oclbench devices > "$o/devices.txt" 2>&1
if [ -z "${CFG1024:-}" ]; then
  timeout 380 ./oclbench run linear --sizes 1024,2048 --device pocl --out "$o/cold" > "$o/cold.txt" 2>&1
  echo "cold run: rc $? after $(($(date +%s) - t0)) s" >> "$o/cold.txt"
fi
# own SGEMM: the tuned configuration from the cache, or with CFG1024 and CFG2048 set, those
# configurations forced at each size (no search: OCLBENCH_TUNE=off), into /tmp/last
own_rows() {
  if [ -z "${CFG1024:-}" ]; then
    ./oclbench run linear --sizes 1024,2048 --device pocl --out /tmp/last --force >/dev/null 2>&1
    val /tmp/last
  else
    for n in 1024 2048; do
      eval "c=\$CFG$n"
      OCLBENCH_TUNE=off OCLBENCH_CONFIG_GEMM=$c ./oclbench run linear --sizes $n --device pocl \
        --out /tmp/last$n --force >/dev/null 2>&1
      printf '%s ' "$(val /tmp/last$n)"
    done
  fi
}
r=0
while [ $(($(date +%s) - t0)) -lt "${DEADLINE:-500}" ]; do
  r=$((r + 1))
  a=$(blas)
  w=$(own_rows)
  b=$(blas)
  echo "round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg) | OpenBLAS $a | own $w | OpenBLAS $b" >> "$o/rounds.txt"
done
cp /tmp/cache/oclbench/tune-*.txt "$o/tune.txt"
mkdir -p "$o/last"
for d in /tmp/last /tmp/last1024 /tmp/last2048; do [ -d "$d" ] && cp "$d"/*.csv "$o/last/${d#/tmp/}.csv"; done
