#!/bin/sh
# Persistent SGEMM with 1, 2 and 4 work-groups per compute unit (persist=P: PoCL deals the
# work-groups out to its threads as they finish, so more of them even out a slow core) against
# OpenBLAS through numpy, alternating, ROUNDS rounds (default 4), at 2048^3: build/gemm_driver
# (cpu_2026-12-05c/gemm_driver.c; 20 runs, median/best), 6x64 kc 512, 48/256 and 48/512.
# Repository root, after make and building build/gemm_driver; PY: a python with numpy:
#   sh bench/results/cpu_2026-12-07f/persist_ab.sh [ROUNDS]
# On the GPU machine (packed by cpu_2026-12-07e/pack.sh with build/gemm_driver and this file),
# after scaling.sh in the same call: with PoCL's libraries on LD_LIBRARY_PATH as scaling.sh
# sets it, OCL_ICD_VENDORS=/tmp/pocl-icd (PoCL alone: the driver opens device 0), and
# PY=/opt/torch/.venv/bin/python3.
set -eu
for r in $(seq "${1:-4}"); do
  echo "round $r OpenBLAS 2048 $("${PY:-python3}" bench/results/cpu_2026-12-05/openblas.py 2048:8)"
  for p in 1 2 4; do
    for bn in 256 512; do echo "round $r $(build/gemm_driver 2048 20 6 64 512 48 "$bn" "$p")"; done
  done
done
