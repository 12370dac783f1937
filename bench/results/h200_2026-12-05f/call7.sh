#!/bin/bash
# Device call 7, 2026-12-05 (evening session): the review's mend of ising.cl (0df2000: one
# scalar Philox for philox=lanes and the multispin rare draws, one expression for the multispin
# difference) on NVIDIA: `run ising` at 320,000 and 1,024 chains, every row verified.
#   bash .gpu/remote.sh bash call7.sh
# from .gpu/files, with ../h200_2026-12-05e/call_lib.sh (the calls' shared prologue) beside it.
. ./call_lib.sh
one run_ising 200 ./oclbench run ising --device gpu --chains 320000,1024 --out $C/ri
cp $C/ri/*.csv $T/run_ising.csv 2>/dev/null; save
