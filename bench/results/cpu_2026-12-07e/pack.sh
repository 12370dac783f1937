#!/bin/sh
# Prepares .gpu/ (git-ignored) for running PoCL and own SGEMM on the CPU of the GPU machine
# (16 cores; nothing installed there, no network): ../shared/gpu/pack.sh's runtime .debs and
# remote.sh, this directory's gpuhost.sh and what it sources, the built oclbench, and
# .gpu/pocl.tar.xz: Debian 12's PoCL 3.1 with LLVM 15 (libpocl2, libpocl2-common, libllvm15,
# libclang-cpp15, libz3-4 and small libraries), unpacked, only the AVX-512 kernel library kept
# (the tree must fit the 64 MiB a device call carries). PoCL is relocatable (RELOC): it finds
# its headers and bitcode beside libpocl.so.2, wherever it is unpacked.
# Usage (repository root, after make; apt-get update once): sh bench/results/cpu_2026-12-07e/pack.sh
#   [more files the call runs, e.g. a later session's scripts]
set -eu
d=$(mktemp -d)
(cd "$d" && apt-get download libpocl2 libpocl2-common libllvm15 libclang-cpp15 libz3-4 libedit2 \
  libffi8 libtinfo6 libbsd0 libmd0 >/dev/null 2>&1)
mkdir "$d/root"
for f in "$d"/*.deb; do dpkg -x "$f" "$d/root"; done
rm -rf "$d/root/usr/share/doc" "$d/root/usr/share/lintian"
find "$d/root/usr/share/pocl" -name 'kernel-*.bc' ! -name '*-avx512.bc' -delete
bash ../shared/gpu/pack.sh oclbench bench/results/cpu_rounds.sh \
  bench/results/cpu_2026-12-05/openblas.py bench/results/cpu_2026-12-07e/gpuhost.sh "$@"
tar -cf - -C "$d/root" . | xz -9e -T2 > .gpu/pocl.tar.xz
rm -rf "$d"
du -sh .gpu
