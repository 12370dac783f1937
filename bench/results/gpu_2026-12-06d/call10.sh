#!/bin/bash
# Device call 10: pegasus:14 gaussian at several batch sizes (main's tree, 8ac8706), each tuned
# from an empty cache, twice, to find the best batch of point 3.
. ./call_lib.sh
for r in 1 2; do
  for n in 160000 320000 640000 1280000 2560000; do
    one b${n}_r$r 200 ./oclbench ising --device gpu --graph pegasus:14 --chains $n --sweeps 100 --tune
  done
done
save
