#!/bin/bash
# Device call 6, 2026-12-05 (evening session): thrml in the same call as oclbench's Ising rows.
# thrml (tools/gpu_ref_thrml.py, JAX) at grid:20x20 with 128 chains and pegasus:14 with 8,000
# (its best batch on the H200, 2026-11-22), if the machine has it; then
# `./oclbench ising` tuned on the same cases and pegasus:14 at 320,000 chains; then the
# gaussian update without ising_exp2's clamp (kd_nc: cl_kernels/ with kd_nc.patch applied, an
# experiment: exact wherever |t| <= 125, as in these models) against main's kernel, the tuned
# configuration forced, alternating, two rounds.
#   bash .gpu/remote.sh bash call6.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) beside it.
. ./call_lib.sh
python3 -c "import thrml, jax; print('thrml', thrml.__version__ if hasattr(thrml, '__version__') else '?', 'jax', jax.__version__, jax.devices())" > $T/thrml_version.txt 2>&1
if grep -q "^thrml" $T/thrml_version.txt; then
  timeout 100 python3 tools/gpu_ref_thrml.py --graph grid:20x20 --chains 128 > $T/thrml_grid.txt 2>&1; save
  timeout 150 python3 tools/gpu_ref_thrml.py --graph pegasus:14 --chains 8000 > $T/thrml_pegasus.txt 2>&1; save
fi
one sm 100 ./oclbench ising --device gpu --graph grid:20x20 --chains 128 --sweeps 100 --tune
for c in 8000 64000 320000; do
  one peg_$c 100 ./oclbench ising --device gpu --graph pegasus:14 --chains $c --sweeps 100 --tune
done
export OCLBENCH_CONFIG_ISING=path=local,spin_bits=32,wg_size=128,sign=mad,philox=lanes
for r in 1 2; do
  unset OCLBENCH_KERNEL_DIR; one gau_base_$r 60 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
  export OCLBENCH_KERNEL_DIR=$PWD/kd_nc; one gau_nc_$r 60 ./oclbench ising --device gpu --graph pegasus:14 --chains 320000 --sweeps 100 --tune
done
