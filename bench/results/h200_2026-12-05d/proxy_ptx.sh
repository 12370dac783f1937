#!/bin/sh
# A stand-in for NVIDIA's OpenCL compiler, for counting without a GPU: cl_kernels/ising.cl
# through clang 15 and libclc (Debian clang-15, libclc-15) to PTX for sm_80, relabelled sm_90,
# then sass_pipes.py (ptxas 13.0 for sm_90, nvdisasm 13.5: the nvidia-cuda-nvdisasm wheel).
# Usage (repository root): sh bench/results/h200_2026-12-05d/proxy_ptx.sh OUT.ptx -DSPIN_BITS=32 [...]
set -e
out=$1; shift
tmp=$(mktemp -d)
clang-15 -x cl -cl-std=CL1.2 -target nvptx64-nvidia-nvcl -Xclang -finclude-default-header -O3 \
  -emit-llvm -c -Icl_kernels "$@" cl_kernels/ising.cl -o "$tmp/k.bc"
llvm-link-15 "$tmp/k.bc" /usr/lib/clc/nvptx64--nvidiacl.bc --only-needed -o "$tmp/kl.bc" 2>/dev/null
opt-15 -O3 "$tmp/kl.bc" -o "$tmp/klo.bc"
llc-15 -mcpu=sm_80 -mattr=+ptx72 "$tmp/klo.bc" -o "$out"
sed -i 's/^\.version .*/.version 7.8/; s/^\.target .*/.target sm_90/' "$out"
rm -rf "$tmp"
