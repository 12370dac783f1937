#!/bin/sh
# Assembles the portable bundle OUTDIR/oclbench-VERSION-linux-x86_64.tar.gz, unpacking to
# oclbench-VERSION/ with:
#   oclbench      the launcher (tools/oclbench-launcher.sh)
#   bin/oclbench  the binary (libraries with a static archive linked in; rpath $ORIGIN/../lib)
#   lib/          every shared library the binary needs beyond the C runtime: the OpenCL ICD
#                 loader (libOpenCL.so.1) and what the static archives need (libudev)
#   kernels/      the OpenCL C sources (embedded in the binary; OCLBENCH_KERNEL_DIR=kernels
#                 runs edited copies)
#   README.txt, README.md (when the project has one), licenses/ (Debian copyright files)
# The tarball is written atomically. Usage:
#   sh tools/bundle.sh VERSION BINARY OUTDIR [STATIC_LIB_NAME...]
set -eu
[ $# -ge 3 ] || { echo "usage: sh tools/bundle.sh VERSION BINARY OUTDIR [STATIC_LIB...]" >&2; exit 2; }
version=$1
binary=$2
outdir=$3
shift 3
name=oclbench-$version
tarball=$outdir/$name-linux-x86_64.tar.gz
[ -x "$binary" ] || { echo "bundle: $binary: not an executable" >&2; exit 2; }
[ -d "$outdir" ] || { echo "bundle: $outdir: not a directory" >&2; exit 2; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/oclbench-bundle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
root=$stage/$name
mkdir -p "$root/bin" "$root/lib" "$root/kernels" "$root/licenses"
cp "$binary" "$root/bin/oclbench"
cp tools/oclbench-launcher.sh "$root/oclbench"
chmod 755 "$root/oclbench" "$root/bin/oclbench"
cp cl_kernels/*.cl "$root/kernels/"
[ -f README.md ] && cp README.md "$root/README.md"

# Debian copyright file of the package owning a file, into licenses/.
license_of() {
  command -v dpkg >/dev/null 2>&1 || return 0
  pkg=$(dpkg -S "$(readlink -f "$1")" 2>/dev/null | head -n 1 | cut -d: -f1) || return 0
  [ -n "$pkg" ] && [ -f "/usr/share/doc/$pkg/copyright" ] &&
    cp "/usr/share/doc/$pkg/copyright" "$root/licenses/$pkg.copyright"
  return 0
}

# The shared libraries the binary (and, in turn, each bundled library) needs, except the C
# runtime every Linux system has.
runtime='^(libc|libm|libdl|libpthread|librt|libresolv|libutil|libgcc_s|ld-linux-x86-64)\.so'
needed() { objdump -p "$1" | awk '$1 == "NEEDED" { print $2 }'; }
todo=$(needed "$binary")
while [ -n "$todo" ]; do
  next=
  for lib in $todo; do
    if printf '%s\n' "$lib" | grep -Eq "$runtime" || [ -e "$root/lib/$lib" ]; then continue; fi
    path=$(ldd "$binary" | awk -v l="$lib" '$1 == l { print $3 }')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
    if [ -z "$path" ] || [ ! -f "$path" ]; then
      echo "bundle: $lib: not found on this system" >&2
      exit 1
    fi
    cp -L "$path" "$root/lib/$lib"
    license_of "$path"
    next="$next $(needed "$path")"
  done
  todo=$next
done
for lib in "$@"; do
  archive=$(${CC:-cc} -print-file-name="lib$lib.a")
  [ -f "$archive" ] && license_of "$archive"
done

glibc=$(objdump -T "$root/bin/oclbench" "$root"/lib/* 2>/dev/null |
        grep -o 'GLIBC_[0-9][0-9.]*' | sort -t. -k1,1 -k2,2n -k3,3n -u | tail -n 1)
bundled=
for f in "$root"/lib/*; do [ -e "$f" ] && bundled="$bundled${f##*/} "; done
cat > "$root/README.txt" <<EOF
oclbench $version, portable bundle for Linux x86-64 (needs ${glibc:-GLIBC} or newer)

Run it from anywhere, nothing to install:

  ./oclbench devices                    every OpenCL device, and how its driver was found
  ./oclbench run --quick                every workload, small sizes; CSVs in results/latest/
  ./oclbench run                        the full run (each run a new results/<time>-<host>/)
  ./oclbench compare results/latest/*.csv other-machine/*.csv --svg plot.svg --md table.md
  ./oclbench --help

What is inside: bin/oclbench (CLBlast, hwloc and libcsv linked in), lib/ ($bundled- the
OpenCL ICD loader and what the linked-in libraries need), kernels/ (the OpenCL C sources, also
built into the binary), licenses/.

OpenCL drivers are not inside: they come with the GPU driver or a CPU runtime. The launcher
./oclbench uses the system's ICD files (/etc/OpenCL/vendors). When there are none, it looks
for the vendors' driver libraries in their usual places (libnvidia-opencl.so.1,
libamdocl64.so, libigdrcl.so, libpocl.so.2, ... under /usr/lib/x86_64-linux-gnu,
/usr/local/nvidia/lib64, /opt/rocm/lib, ...) and hands the ones it finds to the loader;
'./oclbench devices' prints what it found and what is missing.

Environment:
  OCLBENCH_DRIVER_PATH  colon-separated directories to search for drivers instead
  OCLBENCH_ICD_DIR      the ICD directory to read instead of /etc/OpenCL/vendors
  OCL_ICD_VENDORS, OCL_ICD_FILENAMES   honoured as the ICD loader documents them
  OCLBENCH_KERNEL_DIR=kernels          build edited kernel sources instead of the built-in ones
EOF

tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$tarball.tmp.$$" "$name"
mv -f "$tarball.tmp.$$" "$tarball"
echo "bundle: $tarball (lib/: $bundled)"
