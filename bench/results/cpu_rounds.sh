# Shared by the CPU round scripts under bench/results/ (sourced, repository root):
#   blas      OpenBLAS through numpy (openblas.py): median/best GFLOP/s at 1024 and 2048
#   val DIR   own fp32 SGEMM rows of the oclbench CSV in DIR: median/best GFLOP/s per size
# PY: a python with numpy (default python3).
blas() { "${PY:-python3}" bench/results/cpu_2026-12-05/openblas.py; }
val() { python3 -c "
import csv, glob
v=[r for r in csv.DictReader(open(glob.glob('$1/*.csv')[0])) if r['workload']=='linear' and r['variant']=='own' and r['precision']=='fp32']
print(' '.join('%.0f/%.0f' % (float(r['value']), float(r['flops'])/float(r['time_s_min'])/1e9) for r in v))"; }
