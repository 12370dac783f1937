#!/bin/sh
# Prepares call7.sh's kernel folders in .gpu/files (run from the repository root of a main whose
# ising.cl has SCREEN_SCALAR, uncommitted or not, after pack.sh):
#   k_base  the committed cl_kernels/ (HEAD)
#   k_s     the working tree's, SCREEN_SCALAR on by default
#   k_a     HEAD with ../gpu_2026-12-06f/ising_ahead.patch, AHEAD on by default
#   k_as    the working tree's with the patch, both on
set -e
F=${F:-.gpu/files}
P=$PWD/bench/results/gpu_2026-12-06f/ising_ahead.patch
tmp=$(mktemp -d)
rm -rf $F/k_base $F/k_s $F/k_a $F/k_as
mkdir -p $tmp/h && git archive HEAD cl_kernels | tar x -C $tmp/h
cp -r $tmp/h/cl_kernels $F/k_base
cp -r cl_kernels $F/k_s
cp -r $tmp/h/cl_kernels $F/k_a
cp -r cl_kernels $F/k_as
for k in a as; do patch -s -p2 -d $F/k_$k < $P; sed -i 's/^#define AHEAD 0$/#define AHEAD 1/' $F/k_$k/ising.cl; done
for k in s as; do sed -i 's/^#define SCREEN_SCALAR 0$/#define SCREEN_SCALAR 1/' $F/k_$k/ising.cl; done
for k in a as; do grep -q '^#define AHEAD 1$' $F/k_$k/ising.cl; done
for k in s as; do grep -q '^#define SCREEN_SCALAR 1$' $F/k_$k/ising.cl; done
rm -rf $tmp
cp bench/results/gpu_2026-12-06g/call7.sh bench/results/h200_2026-12-05e/call_lib.sh $F/ 2>/dev/null || true
