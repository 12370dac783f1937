#!/bin/bash
# Device call 7: on an H200 if one is lent: the gaussian pegasus:14 row, main's kernels
# (k_base) against this tree's, tuned, alternating; then `run ising`.
. ./call_lib.sh
. ./ab_lib.sh
ab 2 gauss
run_ising o_ising7
