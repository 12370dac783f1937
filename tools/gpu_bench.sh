#!/bin/sh
# The GPU benchmark of bench/RESULTS.md, in two parts that each fit one device call.
# Runs on the GPU machine from the GPU kit (../shared/gpu/README.md), after packing here:
#   make all tests-build && cp /usr/lib/x86_64-linux-gnu/libcmocka.so.0 build/ &&
#   bash ../shared/gpu/pack.sh oclbench build/tests build/libcmocka.so.0 tools tests/data \
#     tests/fuzz bench
# (test_fuzz_replay replays tests/fuzz; test_help reads bench/*.c)
# then on the machine:  bash .gpu/remote.sh sh tools/gpu_bench.sh single|multi
#   single: the test suite on GPU 0, then every workload on GPU 0 (results in $OUT)
#   multi:  the Ising sampler on one GPU against all GPUs (--shard), pegasus:14 and grid:20x20
set -u
OUT=${OUT:-/tmp/out}
export OCLBENCH_PROGRESS=0 OCLBENCH_CACHE_DIR=${OCLBENCH_CACHE_DIR:-/tmp/oclbench-cache}
export LD_LIBRARY_PATH="$PWD/build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
mkdir -p "$OUT"
case "${1:-}" in
single)
  ./oclbench devices > "$OUT/devices.txt" 2>&1
  tests=$(ls build/tests/test_* | grep -v -e '\.[od]$' -e test_cli -e test_bundle -e test_mpi -e test_compare -e test_csv -e test_flops_dot)
  OCLBENCH_TEST_DEVICE=0 timeout 150 sh tools/run_tests.sh build $tests > "$OUT/tests.txt" 2>&1
  echo "tests: $(tail -1 "$OUT/tests.txt")"
  OCLBENCH_LOG=info timeout 400 ./oclbench run all --device 0 --out "$OUT" > "$OUT/run.txt" 2> "$OUT/run.log"
  echo "run all: exit $?"
  cat "$OCLBENCH_CACHE_DIR"/*tune*.txt > "$OUT/tuning.txt" 2>/dev/null
  ;;
multi)
  n=$(./oclbench devices --csv | grep -c ',gpu,')
  for c in 2560000; do
    ./oclbench ising --device 0 --graph pegasus:14 --chains $c --sweeps 100 --tune
    ./oclbench ising --device gpu --shard --graph pegasus:14 --chains $c --sweeps 100 --tune
  done > "$OUT/shard.txt" 2>&1
  echo "$n GPUs"; grep -E "flips/ns" "$OUT/shard.txt"
  # its own directory: the single part's GPU 0 file in $OUT is not to be replaced
  timeout 300 ./oclbench run ising --device gpu --shard --out "$OUT/shard" > "$OUT/run_shard.txt" 2>&1
  echo "run ising --shard: exit $?"
  ;;
*)
  echo "usage: sh tools/gpu_bench.sh single|multi" >&2
  exit 2
  ;;
esac
