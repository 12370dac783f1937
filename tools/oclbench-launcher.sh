#!/bin/sh
# oclbench portable bundle launcher (installed as oclbench-VERSION/oclbench).
#
# Runs bin/oclbench, which finds the bundled OpenCL ICD loader and libraries in lib/ through
# its rpath. When the system has no usable OpenCL ICD file, it looks for vendor drivers in
# their usual places and points the loader at them through a generated OCL_ICD_VENDORS
# directory. `oclbench devices` explains on stderr what it found and what is missing.
#
# Environment (all optional):
#   OCL_ICD_FILENAMES     used as is: the loader loads exactly these drivers
#   OCL_ICD_VENDORS       the ICD directory to use; searched like the system's when empty
#   OCLBENCH_ICD_DIR      the system ICD directory (default /etc/OpenCL/vendors)
#   OCLBENCH_DRIVER_PATH  colon-separated directories searched for drivers instead of the
#                         usual places and the linker cache
set -u
: "${PATH:=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}"
export PATH

here=$(cd "$(dirname "$0")" && pwd -P) || exit 1
bin=$here/bin/oclbench

say() { printf 'oclbench launcher: %s\n' "$*" >&2; }

# Commands that need no OpenCL run directly.
case ${1:-} in
  ""|compare|flops|help|-h|--help|--version) exec "$bin" "$@" ;;
esac
verbose=false
[ "$1" = devices ] && verbose=true

if [ -n "${OCLBENCH_ICD_DIR:-}" ] && [ ! -d "$OCLBENCH_ICD_DIR" ]; then
  say "OCLBENCH_ICD_DIR='$OCLBENCH_ICD_DIR' is not a directory"
  exit 2
fi

# Where drivers are looked for: OCLBENCH_DRIVER_PATH alone, or LD_LIBRARY_PATH, the usual
# vendor directories and the linker cache.
use_ldconfig=true
if [ -n "${OCLBENCH_DRIVER_PATH:-}" ]; then
  search=$OCLBENCH_DRIVER_PATH
  use_ldconfig=false
  old_ifs=$IFS
  IFS=:
  for d in $search; do
    if [ ! -d "$d" ]; then
      IFS=$old_ifs
      say "OCLBENCH_DRIVER_PATH: '$d' is not a directory"
      exit 2
    fi
  done
  IFS=$old_ifs
else
  search=${LD_LIBRARY_PATH:-}
  for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /lib64 /usr/lib /lib \
           /usr/local/lib /usr/local/lib64 \
           /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/nvidia /usr/lib64/nvidia \
           /usr/lib/x86_64-linux-gnu/nvidia/current /run/nvidia/driver/usr/lib/x86_64-linux-gnu \
           /opt/rocm/lib /opt/rocm/opencl/lib /opt/rocm*/lib /opt/amdgpu-pro/lib/x86_64-linux-gnu \
           /opt/amdgpu/lib/x86_64-linux-gnu \
           /usr/lib/x86_64-linux-gnu/intel-opencl /usr/local/lib/intel-opencl \
           /opt/intel/oneapi/lib /opt/intel/opencl/lib64 /opt/intel/oclcpuexp/x64 \
           /usr/lib/x86_64-linux-gnu/pocl /usr/local/lib/pocl; do
    [ -d "$d" ] && search=${search:+$search:}$d
  done
fi

# Prints where a driver library is: the path itself when it names one, else the first match in
# the search directories or the linker cache. Fails when it is nowhere.
resolve() {
  case $1 in
    */*) [ -e "$1" ] && printf '%s\n' "$1"
         return ;;
  esac
  old_ifs=$IFS
  IFS=:
  for d in $search; do
    if [ -e "$d/$1" ]; then
      IFS=$old_ifs
      printf '%s\n' "$d/$1"
      return 0
    fi
  done
  IFS=$old_ifs
  if $use_ldconfig && command -v ldconfig >/dev/null 2>&1; then
    p=$(ldconfig -p 2>/dev/null | awk -v l="$1" '$1 == l { print $NF; exit }')
    [ -n "$p" ] && [ -e "$p" ] && printf '%s\n' "$p"
    return
  fi
  return 1
}

canonical() { readlink -f "$1" 2>/dev/null || printf '%s\n' "$1"; }

if [ -n "${OCL_ICD_FILENAMES:-}" ]; then
  $verbose && say "OCL_ICD_FILENAMES=$OCL_ICD_FILENAMES: the loader loads exactly these drivers"
  exec "$bin" "$@"
fi

# The ICD files the loader would read, and whether their drivers exist.
if [ -n "${OCL_ICD_VENDORS:-}" ]; then
  icd_dir=$OCL_ICD_VENDORS
  icd_what="OCL_ICD_VENDORS=$icd_dir"
else
  icd_dir=${OCLBENCH_ICD_DIR:-/etc/OpenCL/vendors}
  icd_what=$icd_dir
  # the loader reads the same directory
  [ "$icd_dir" != /etc/OpenCL/vendors ] && export OCL_ICD_VENDORS="$icd_dir"
fi
usable=0
icd_report=
# Records whether the driver an ICD file names exists.
check_icd() {
  [ -f "$1" ] || return 0
  lib=$(sed -n '1{s/^[[:space:]]*//;s/[[:space:]]*$//;p;}' "$1")
  if path=$(resolve "$lib"); then
    usable=$((usable + 1))
    icd_report="$icd_report
  ICD $1: $lib -> $path"
  else
    icd_report="$icd_report
  ICD $1: $lib not found (a driver package removed or broken)"
  fi
}
if [ -d "$icd_dir" ]; then
  for icd in "$icd_dir"/*.icd; do check_icd "$icd"; done
else
  check_icd "$icd_dir"
fi

if [ "$usable" -gt 0 ]; then
  $verbose && say "using the ICD files in $icd_what:$icd_report"
  exec "$bin" "$@"
fi

# No usable ICD file: look for the vendors' drivers in their usual places.
drivers="NVIDIA|libnvidia-opencl.so.1|the NVIDIA driver (in a container: --gpus all, NVIDIA_DRIVER_CAPABILITIES=compute,utility)
AMD ROCm|libamdocl64.so|ROCm's OpenCL runtime (rocm-opencl-runtime, /opt/rocm/lib)
Intel GPU|libigdrcl.so|Intel's compute runtime (intel-opencl-icd)
Intel CPU|libintelocl.so|Intel's CPU runtime for OpenCL
PoCL (any CPU)|libpocl.so.2|PoCL (pocl-opencl-icd)
Mesa rusticl|libRusticlOpenCL.so.1|Mesa's rusticl (mesa-opencl-icd)
Mesa clover|libMesaOpenCL.so.1|Mesa's clover (mesa-opencl-icd)"
found=
seen=
missing=
old_ifs=$IFS
IFS='
'
for entry in $drivers; do
  IFS=$old_ifs
  vendor=${entry%%|*}
  rest=${entry#*|}
  lib=${rest%%|*}
  hint=${rest#*|}
  if path=$(resolve "$lib"); then
    real=$(canonical "$path")
    case "|$seen|" in
      *"|$real|"*) ;;
      *) seen="$seen|$real"
         found="$found
  found    $vendor: $path" ;;
    esac
  else
    missing="$missing
  missing  $vendor: $lib, from $hint"
  fi
done
IFS=$old_ifs

where="${search:-no directory}"
$use_ldconfig && where="$where and the linker cache"
if [ -z "$found" ]; then
  say "no OpenCL driver found: no usable ICD file in $icd_what$icd_report
  and no driver library in $where:$missing"
  exec "$bin" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oclbench-icd.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
n=0
IFS='|'
for real in ${seen#|}; do
  n=$((n + 1))
  printf '%s\n' "$real" > "$tmp/$n.icd"
done
IFS=$old_ifs
export OCL_ICD_VENDORS="$tmp"
if $verbose; then
  say "no usable ICD file in $icd_what$icd_report
  searched $where:$found$missing
  the ICD loader gets the drivers found (OCL_ICD_VENDORS=$tmp)"
else
  say "no usable ICD file in $icd_what; using the drivers found:$found"
fi
"$bin" "$@"
rc=$?
exit "$rc"
