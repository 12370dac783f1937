#!/bin/bash
# Device call 6 (the machine of call 5, still warm): call 5's closing `run ising`, which had
# stopped at call 4's output folder.
. ./call_lib.sh
. ./ab_lib.sh
run_ising o_ising6
