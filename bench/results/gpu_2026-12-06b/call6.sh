#!/bin/bash
# Device call 6 (the machine of call 5, still warm): call 5's closing `run ising`, which had
# stopped at call 4's output folder.
. ./call_lib.sh
one run_ising 240 ./oclbench run ising --device gpu --chains 128,320000,1024 --out $C/o_ising6
cp $C/o_ising6/*.csv $T/run_ising.csv 2>/dev/null
save
