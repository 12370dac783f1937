#!/bin/bash
# Device call 4, 2026-12-06: `run ising` (points 3 and 4) on the H200 that call 3 got, with the
# GPU's name and clock first.
#   bash .gpu/remote.sh bash call4.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh beside it.
. ./call_lib.sh
one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising
cp $C/o_ising/*.csv $T/run_ising.csv 2>/dev/null
save
