# Shared by the CPU round scripts under bench/results/ (sourced, repository root):
#   blas [N[:RUNS]...]  OpenBLAS through numpy (openblas.py): median/best GFLOP/s per size
#             (default 1024 and 2048)
#   val DIR   own fp32 SGEMM rows of the oclbench CSV in DIR: median/best GFLOP/s per size
#   own DIR [KDIR]  own SGEMM (the binary OB, default ./oclbench) on PoCL at SIZES (default
#             1024,2048), the configuration forced to CFG (default the persistent 48/512,
#             6x64, kc 512 candidate; CFG=tuned: none forced, the tuner's choice from DIR.cache),
#             into DIR (oclbench's and PoCL's caches in DIR.cache), the kernels from KDIR
#             (OCLBENCH_KERNEL_DIR) or the binary's; prints val DIR
#   patched_kernels DIR PATCH  main's kernels (cl_kernels/*.cl) copied into DIR, a new
#             folder, with PATCH (a diff against the repository, -p2 from DIR) applied
# PY: a python with numpy (default python3).
blas() { "${PY:-python3}" bench/results/cpu_2026-12-05/openblas.py "$@"; }
val() { python3 -c "
import csv, glob
v=[r for r in csv.DictReader(open(glob.glob('$1/*.csv')[0])) if r['workload']=='linear' and r['variant']=='own' and r['precision']=='fp32']
print(' '.join('%.0f/%.0f' % (float(r['value']), float(r['flops'])/float(r['time_s_min'])/1e9) for r in v))"; }
own() {
  if [ $# -gt 1 ]; then export OCLBENCH_KERNEL_DIR="$2"; else unset OCLBENCH_KERNEL_DIR; fi
  cfg=${CFG:-bm=48,bn=512,tm=6,tn=64,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=512,persist=1}
  unset OCLBENCH_CONFIG_GEMM
  [ "$cfg" = tuned ] || export OCLBENCH_CONFIG_GEMM="$cfg"
  XDG_CACHE_HOME="$1.cache" "${OB:-./oclbench}" run linear --sizes "${SIZES:-1024,2048}" \
    --device pocl --out "$1" --force >/dev/null 2>&1
  val "$1"
}
patched_kernels() {
  mkdir "$1" && cp cl_kernels/*.cl "$1" && (cd "$1" && patch -s -p2) < "$2"
}
