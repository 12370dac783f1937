#!/bin/bash
# Device call 5: call 4 again after the deal's arithmetic was written as call 2's k_rot32 had
# it (32-bit, the group's start from the sum of the deals): this tree's binary against main's
# kernels (k_base), tuned, alternating; then `run ising` (it stopped: call 4's folder).
. ./call_lib.sh
. ./ab_lib.sh
ab 2 gauss pm1
run_ising o_ising
