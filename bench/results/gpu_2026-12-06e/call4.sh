#!/bin/bash
# Device call 4 (8487e09's binary), what the device time left allowed: probe2.c (cp.async into
# local memory, seven address forms, every error code), then the pegasus:14 gaussian row tuned
# from an empty cache (the tuner's trials in its debug log).
. ./call_lib.sh
. ./ab_lib.sh
PTXOUT=$T/probe2.bin ./probe2 > $T/probe2.txt 2>&1; save
OCLBENCH_LOG=debug one tuned 100 ./oclbench $gauss
save
