#!/bin/bash
# Device call 4: this tree's binary (the round-robin deal in whole slices in
# cl_kernels/ising.cl, its first form) against main's kernels before it (k_base), tuned,
# alternating, on the gaussian and +-1 pegasus:14 rows, the torus and grid:20x20 at 128
# chains; then `run ising`.
. ./call_lib.sh
. ./ab_lib.sh
ab 2 gauss pm1 torus small
run_ising o_ising
