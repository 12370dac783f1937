#!/bin/sh
# Runs every kernel family of oclbench at tiny sizes under Oclgrind, through the real code and
# its host references (single cmocka tests picked with CMOCKA_TEST_FILTER, and the CLI), and
# fails on any diagnostic or failed check.
#
#   sh tools/oclgrind_check.sh BUILD_DIR ICD_DIR
#
# BUILD_DIR holds the test programs (make tests-build) and, where `make check` put one, the
# oclbench binary; ICD_DIR is what `sh tools/portability.sh setup BUILD_DIR` printed (its
# oclgrind.icd is used alone, so the tests' device is Oclgrind's). Two passes:
# - races: OCLGRIND_DATA_RACES=1 OCLGRIND_CHECK_API=1, every check below;
# - uninitialized: OCLGRIND_UNINITIALIZED=1 with OCLGRIND_BUILD_OPTIONS=-cl-opt-disable (the
#   plugin stops at the `freeze` instructions of optimised code), on the checks marked u: where
#   Oclgrind 21.10's plugin copes (README.md, "Oclgrind", says where it does not and why).
# Kernel diagnostics go to one OCLGRIND_LOG per check, API errors to the check's output; any
# of either fails the check. Logs and outputs stay in BUILD_DIR/oclgrind/.
set -u

die() { echo "oclgrind_check: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: sh tools/oclgrind_check.sh BUILD_DIR ICD_DIR"
build=$1
icd=$2
top=$(pwd)
[ -f "$icd/oclgrind.icd" ] || die "$icd/oclgrind.icd is missing (sh tools/portability.sh setup $build)"
[ -x "$build/tests/test_ising_sampler" ] || die "no test programs in $build/tests (make tests-build)"
work="$top/$build/oclgrind"
rm -rf "$work"
mkdir -p "$work/icd"
cp "$icd/oclgrind.icd" "$work/icd/"

export OCL_ICD_VENDORS="$work/icd" OCLBENCH_TEST_DEVICE=oclgrind OCLBENCH_PROGRESS=0
export OB_SOURCE_DIR="$top" OB_TEST_BINARY="$top/oclbench"
[ -x "$top/$build/oclbench" ] && OB_TEST_BINARY="$top/$build/oclbench"
[ -x "$OB_TEST_BINARY" ] || die "no oclbench binary (make)"
# The tests force their configurations; the default ones are not tuned (a tuning pass times
# problems of 1024^3 and more: hours when every work-item is interpreted).
export OCLBENCH_TUNE=off
unset OCLBENCH_KERNEL_DIR OCLBENCH_NO_CACHE
unset $(env | sed -n 's/^\(OCLBENCH_CONFIG_[A-Za-z0-9_]*\)=.*/\1/p')

# One check a line: passes (r: races, u: uninitialized too), then a test program and the
# cmocka test name or pattern, or `cli` and oclbench's arguments (@ stands for the check's
# output directory). Not here: test_ising_screen, whose sampler first checks native_exp2 at all
# 2^32 floats on the device (days when every work-item is interpreted). Its sweeps read and
# write the words the exact decision's do (test_ising_sampler, above), a colour's units in
# another order: those of a colour are independent, and the barrier between colours stays.
checks='
r  test_core kernel_limits_are_checked
r  test_core program_builds_and_loads_from_binary_cache
r  test_ising_sampler *
u  test_ising_sampler resident_units_unobserved
r  test_gemm *
r  test_igemm configurations_are_checked
r  test_igemm odd_sizes_and_transposes_are_exact
r  test_igemm aligned_nt_needs_no_packing
r  test_igemm empty_dimensions
r  test_igemm arguments_are_checked
ru test_igemm dot_modes
r  test_igemm cases_run_through_the_runner
r  test_conv shape_validation
r  test_conv all_passes_match_reference_with_the_device_default
r  test_conv split_k_and_tiles_larger_than_the_problem
r  test_conv register_blocks_and_fetch_layouts
r  test_conv_half half_plans_and_tensors
r  test_conv_half all_passes_round_the_fp32_result_with_the_device_default
r  test_conv_half split_k_rounds_the_fp32_result
r  test_conv_half half_rounding_matches_the_host
r  test_conv_winograd *
r  test_conv_direct *
r  test_adam *
r  test_train device_matches_reference
r  test_train device_matches_pytorch
r  test_train launch_counts_match_the_trace
r  test_runner probes_run_at_tiny_sizes
ru cli ising --graph grid:4x4 --chains 8 --sweeps 2 --path local --spin-bits 1
u  cli ising --graph chimera:2 --chains 40 --warmup 2 --sweeps 3 --path local --spin-bits 2 --schedule local
u  cli ising --graph chimera:2 --chains 40 --warmup 2 --sweeps 3 --path global --spin-bits 4
u  cli ising --graph chimera:2 --chains 40 --warmup 2 --sweeps 3 --path local --spin-bits 4 --schedule global --samples @/samples.csv
r  cli ising --graph chimera:2 --chains 40 --warmup 2 --sweeps 3 --path global --spin-bits 32 --moments @/moments.csv --samples @/samples.csv
r  cli ising --graph grid:4x4:periodic --weights pm1 --chains 64 --warmup 2 --sweeps 3 --path local --update multispin
r  cli ising --graph grid:4x4:periodic --weights pm1 --chains 64 --warmup 2 --sweeps 3 --path global --update multispin --moments @/moments.csv
'

failed=0
nchecks=0
start=$(date +%s)

# run_check PASS DIR WORDS...: one check, with the pass's environment exported.
run_check() {
  pass=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  export OCLGRIND_LOG="$dir/oclgrind.log"
  : > "$OCLGRIND_LOG"
  t0=$(date +%s)
  if [ "$1" = cli ]; then
    shift
    set -- $(echo "$*" | sed "s|@|$dir|g")
    what="oclbench $*"
    "$OB_TEST_BINARY" "$@" --device oclgrind < /dev/null > "$dir/output" 2>&1
    rc=$?
    ran=1
  else
    what="$1 $2"
    CMOCKA_TEST_FILTER=$2 "$build/tests/$1" < /dev/null > "$dir/output" 2>&1
    rc=$?
    ran=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p' "$dir/output")
  fi
  secs=$(( $(date +%s) - t0 ))
  nchecks=$((nchecks + 1))
  if [ "$rc" -eq 0 ] && [ "${ran:-0}" -gt 0 ] && [ ! -s "$OCLGRIND_LOG" ] &&
     ! grep -q -e 'Oclgrind - ' -e 'OCLGRIND' "$dir/output"; then
    printf 'ok    %4d s  %-13s %s\n' "$secs" "$pass" "$what"
    return
  fi
  failed=$((failed + 1))
  printf 'FAIL  %4d s  %-13s %s (exit %d, %s test(s) passed, %d lines of diagnostics)\n' \
    "$secs" "$pass" "$what" "$rc" "${ran:-0}" "$(wc -l < "$OCLGRIND_LOG")"
  sed -n '1,60p' "$OCLGRIND_LOG" | sed 's/^/    /'
  grep -v -e '^\[       OK \]' -e '^\[ RUN      \]' "$dir/output" | tail -n 40 | sed 's/^/    /'
}

# run_pass NAME FLAG: the checks marked FLAG, each in BUILD_DIR/oclgrind/NAME/<line>.
run_pass() {
  name=$1 flag=$2 n=0
  while read -r marks words; do
    [ -n "$marks" ] || continue
    n=$((n + 1))
    case $marks in *"$flag"*) run_check "$name" "$work/$name/$n" $words ;; esac
  done <<EOF
$checks
EOF
}

set -f # test patterns are cmocka's, not the shell's
# A program cache per pass: Oclgrind's program binaries keep the options they were built with.
export OCLBENCH_CACHE_DIR="$work/cache-races" OCLGRIND_DATA_RACES=1 OCLGRIND_CHECK_API=1
run_pass races r
unset OCLGRIND_DATA_RACES
export OCLBENCH_CACHE_DIR="$work/cache-uninit" OCLGRIND_UNINITIALIZED=1
export OCLGRIND_BUILD_OPTIONS=-cl-opt-disable
run_pass uninitialized u
echo "oclgrind: $nchecks checks, $failed failed, $(( $(date +%s) - start )) s (logs in $work)"
[ "$failed" -eq 0 ]
