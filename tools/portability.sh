#!/bin/sh
# Brings up the extra OpenCL implementations oclbench is tested on, privately (nothing in
# /etc/OpenCL/vendors changes), and checks oclbench on them (`make portability`).
#
#   sh tools/portability.sh setup BUILD_DIR          installs what is missing; prints the ICD
#                                                    directory
#   sh tools/portability.sh run BUILD_DIR TEST...    setup, then: the test programs on Intel's
#                                                    CPU runtime (the cross-implementation
#                                                    identity test sees PoCL, Intel and Oclgrind),
#                                                    every kernel under Oclgrind's checks
#                                                    (tools/oclgrind_check.sh), and `oclbench run
#                                                    all --quick` on Intel with no failed row,
#                                                    every program that run built compiled
#                                                    again by clang with its warnings on
#                                                    (tools/lint_kernels.py): none
#
# - Oclgrind: the Debian package `oclgrind` (it registers no ICD file of its own).
# - Intel's OpenCL CPU runtime: the PyPI wheels intel-opencl-rt and intel-cmplr-lib-rt (and
#   their tbb), pinned, in a virtual environment under BUILD_DIR/portability/intel.
# - BUILD_DIR/portability/icd: one .icd file per implementation (PoCL, Intel, Oclgrind), for
#   OCL_ICD_VENDORS=that directory. The machine's own ICD files stay as they are.
set -eu
INTEL_VERSION=2026.2.0

die() { echo "portability: $*" >&2; exit 1; }

usage="usage: sh tools/portability.sh setup BUILD_DIR | run BUILD_DIR TEST..."
[ $# -ge 2 ] || die "$usage"
cmd=$1
build=$2
shift 2
case $cmd in setup) [ $# -eq 0 ] || die "$usage" ;; run) ;; *) die "$usage" ;; esac
top=$(pwd)
root="$top/$build/portability"
mkdir -p "$root/icd"

# Oclgrind (python3-venv for the Intel wheels, clang for the kernels' warnings) from Debian's
# packages.
sh tools/deps.sh oclgrind python3-venv clang >&2 || die "the packages above are needed"
oclgrind_lib=/usr/lib/oclgrind/liboclgrind-rt-icd.so
[ -f "$oclgrind_lib" ] || die "$oclgrind_lib is missing (is the oclgrind package installed?)"

# Intel's CPU runtime in a private virtual environment.
venv="$root/intel"
intel_lib="$venv/lib/libintelocl.so"
if [ ! -f "$venv/.installed-$INTEL_VERSION" ]; then
  rm -rf "$venv"
  echo "portability: installing Intel's OpenCL CPU runtime $INTEL_VERSION into $venv" >&2
  python3 -m venv "$venv" || die "python3 -m venv failed"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "intel-opencl-rt==$INTEL_VERSION" "intel-cmplr-lib-rt==$INTEL_VERSION" >&2 ||
    die "pip install of intel-opencl-rt==$INTEL_VERSION failed"
  [ -f "$intel_lib" ] || die "the wheel did not provide $intel_lib"
  touch "$venv/.installed-$INTEL_VERSION"
fi

# The private ICD directory: PoCL as the system registers it, Intel and Oclgrind by path.
pocl_icd=/etc/OpenCL/vendors/pocl.icd
[ -f "$pocl_icd" ] || die "$pocl_icd is missing (make deps installs pocl-opencl-icd)"
cp "$pocl_icd" "$root/icd/pocl.icd"
echo "$intel_lib" > "$root/icd/intel-cpu.icd"
echo "$oclgrind_lib" > "$root/icd/oclgrind.icd"
if [ "$cmd" = setup ]; then
  echo "$root/icd"
  exit 0
fi

export OCL_ICD_VENDORS="$root/icd"
failed=0
step() { echo "portability: $*"; }
step "implementations: $(./oclbench devices --csv | awk -F, 'NR > 1 { printf "%s%s", sep, $2; sep = ", " }')"

step "the test suite on Intel's CPU runtime"
OCLBENCH_TEST_DEVICE=intel sh tools/run_tests.sh "$build" "$@" || failed=$((failed + 1))

step "every kernel family at tiny sizes under Oclgrind (data races, API misuse, uninitialised values)"
sh tools/oclgrind_check.sh "$build" "$root/icd" || failed=$((failed + 1))

step "oclbench run all --quick on Intel's CPU runtime"
out="$root/results"
rm -rf "$out"
# Exit 0 means no failed row (a failed row exits 1).
if ./oclbench run all --quick --device intel --out "$out" > "$root/run.log" 2>&1; then
  echo "  exit 0: $(grep -c ',ok,' "$out"/*.csv) ok rows, none failed"
else
  echo "  FAILED (exit $?); log:"
  sed 's/^/    /' "$root/run.log"
  failed=$((failed + 1))
fi

step "the programs that run built, through clang's warnings (tools/lint_kernels.py)"
# First the tool itself: it must find tests/data/lint_kernels' planted unused variable (exit 1)
# and pass the same kernel without it (exit 0).
planted=tests/data/lint_kernels
found=0 clean=0
python3 tools/lint_kernels.py --kernels $planted $planted/planted.csv > /dev/null 2>&1 || found=$?
python3 tools/lint_kernels.py --kernels $planted $planted/clean.csv > /dev/null 2>&1 || clean=$?
if [ "$found" -ne 1 ] || [ "$clean" -ne 0 ]; then
  echo "  FAILED: lint_kernels.py exits $found on the planted warning (1 expected), $clean without"
  failed=$((failed + 1))
elif python3 tools/lint_kernels.py "$out"/*.csv > "$root/lint.log" 2>&1; then
  echo "  $(tail -1 "$root/lint.log")"
else
  echo "  FAILED; log:"
  sed 's/^/    /' "$root/lint.log"
  failed=$((failed + 1))
fi

[ "$failed" -eq 0 ] && step "all passed" || step "$failed step(s) failed"
[ "$failed" -eq 0 ]
