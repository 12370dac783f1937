#!/bin/sh
# Prepares call6.sh's kernel folders in .gpu/files (run from the repository root at b91119d or
# a later main whose cl_kernels/ these patches still apply to, after pack.sh):
#   k_base   main's cl_kernels/
#   k_ahead  ising_ahead.patch applied, AHEAD on by default
#   k_hyb    gemm_async2.patch's gemm.cl, ASYNC=2 and ASYNC_AREG=1 on for local fp32 builds
set -e
D=bench/results/gpu_2026-12-06f
F=.gpu/files
tmp=$(mktemp -d)
rm -rf $F/k_base $F/k_ahead $F/k_hyb
cp -r cl_kernels $F/k_base
for k in ahead hyb; do git worktree add -q --detach $tmp/$k HEAD; done
git -C $tmp/ahead apply $PWD/$D/ising_ahead.patch
sed -i 's/^#define AHEAD 0$/#define AHEAD 1/' $tmp/ahead/cl_kernels/ising.cl
git -C $tmp/hyb apply --include='cl_kernels/*' $PWD/$D/gemm_async2.patch
python3 - $tmp/hyb/cl_kernels/gemm.cl <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
for old, new in [("#ifndef ASYNC\n#define ASYNC 0\n#endif",
                  "#ifndef ASYNC\n#if LOCAL && !HALF_IO\n#define ASYNC 2\n#else\n#define ASYNC 0\n#endif\n#endif"),
                 ("#ifndef ASYNC_AREG\n#define ASYNC_AREG 0\n#endif",
                  "#ifndef ASYNC_AREG\n#define ASYNC_AREG (ASYNC == 2)\n#endif")]:
    assert old in s
    s = s.replace(old, new, 1)
open(p, 'w').write(s)
PY
cp -r $tmp/ahead/cl_kernels $F/k_ahead
cp -r $tmp/hyb/cl_kernels $F/k_hyb
for k in ahead hyb; do git worktree remove --force $tmp/$k; done
rm -rf $tmp
cp $D/call6.sh bench/results/h200_2026-12-05e/call_lib.sh $F/
