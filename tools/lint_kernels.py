#!/usr/bin/env python3
"""Compiles every OpenCL program that oclbench runs built, as it built it, with clang's warnings.

Usage: python3 tools/lint_kernels.py [--clang CLANG] [--kernels DIR] CSV...

The programs are the CSVs' compile rows (variant `compile`; params `program=FILES;...;
options=OPTIONS`): each distinct pair of files and options is put together from DIR (default
cl_kernels/ of this checkout) the way core/program.c does (each file after a `#line 1` line)
and compiled with `CLANG -fsyntax-only -Wall -Wextra -Wno-unused-parameter` for the target
of the platform that built it: PTX for NVIDIA's (the kernels' inline PTX included; with
cl_khr_fp16 declared, since clang's PTX target leaves out the half loads that OpenCL 1.2 makes
core), AMD's GPU target for AMD's, SPIR for every other. A vendor's own build options that
clang does not know (NVIDIA's -cl-nv-*) are left out and named. The CSVs come from any
device: a GPU run's rows lint the GPU configurations on a machine without that GPU. Unused
kernel parameters are not reported: every variant of a kernel keeps one signature.

Prints each warning once with the files and options that produced it first, and a summary.
Exit 0: no warning; 1: warnings or a failed compile; 2: bad input (a missing file, a CSV
without compile rows), reported in one line before anything is compiled.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

FLAGS = ("-x", "cl", "-Xclang", "-finclude-default-header", "-fsyntax-only", "-Wall",
         "-Wextra", "-Wno-unused-parameter", "-Wno-unused-command-line-argument")
# The clang target and its flags for a platform name (CSV column platform), first match.
TARGETS = (("NVIDIA", ("-target", "nvptx64-nvidia-cuda", "-Xclang", "-cl-ext=+cl_khr_fp16")),
           ("AMD Accelerated", ("-target", "amdgcn-amd-amdhsa", "-nogpulib")),
           ("", ("-target", "spir64")))


def target_of(platform):
    return next(t for key, t in TARGETS if key in platform)
# The OpenCL C build options clang accepts besides -D, -I and -cl-std.
CLANG_CL_OPTIONS = {"-cl-mad-enable", "-cl-denorms-are-zero", "-cl-fast-relaxed-math",
                    "-cl-finite-math-only", "-cl-unsafe-math-optimizations",
                    "-cl-no-signed-zeros", "-cl-single-precision-constant",
                    "-cl-opt-disable", "-cl-strict-aliasing", "-cl-kernel-arg-info",
                    "-cl-uniform-work-group-size", "-cl-fp32-correctly-rounded-divide-sqrt"}


def fail_input(msg):
    print(f"lint_kernels: {msg}", file=sys.stderr)
    sys.exit(2)


class OneLineParser(argparse.ArgumentParser):
    """argparse with its errors as one line, exit 2 (the project's rule for bad input)."""

    def error(self, message):
        fail_input(f"{message} (usage: lint_kernels.py [--clang CLANG] [--kernels DIR] CSV...)")


def parse_args(argv):
    parser = OneLineParser(prog="lint_kernels.py", add_help=False)
    parser.add_argument("--clang", default="clang")
    parser.add_argument("--kernels",
                        default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                             "cl_kernels"))
    parser.add_argument("csvs", nargs="+", metavar="CSV")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.kernels):
        fail_input(f"--kernels {args.kernels}: not a directory")
    return args.clang, args.kernels, args.csvs


def compile_rows(path):
    """The (files, options, target flags) of the CSV's compile rows; bad input exits 2."""
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or \
                    any(c not in reader.fieldnames for c in ("platform", "variant", "params")):
                fail_input(f"{path}:1: not an oclbench CSV (no platform, variant and params "
                           "columns)")
            out = []
            for row in reader:
                if row.get("variant") != "compile":
                    continue
                fields = dict(p.split("=", 1) for p in (row["params"] or "").split(";")
                              if "=" in p)
                if "program" not in fields or "options" not in fields:
                    fail_input(f"{path}:{reader.line_num}: compile row without program= and "
                               "options=")
                out.append((fields["program"], fields["options"],
                            target_of(row.get("platform") or "")))
            return out
    except OSError as e:
        fail_input(f"{path}: {e.strerror}")
    except (csv.Error, UnicodeDecodeError) as e:
        fail_input(f"{path}: {e}")


def clang_options(options, dropped):
    """The options clang understands; the others are added to the set `dropped`."""
    kept = []
    for o in options.split():
        if o.startswith(("-D", "-I", "-cl-std=")) or o in CLANG_CL_OPTIONS:
            kept.append(o)
        else:
            dropped.add(o)
    return kept


def main(argv):
    clang, kernels, csvs = parse_args(argv)
    programs = {}  # distinct (files, options, target), in order
    for path in csvs:
        rows = compile_rows(path)
        if not rows:
            fail_input(f"{path}: no compile rows")
        programs.update(dict.fromkeys(rows))
    files = sorted({f for p, _, _ in programs for f in p.split()})
    sources = {}
    for f in files:
        try:
            with open(os.path.join(kernels, f)) as fh:
                sources[f] = fh.read()
        except OSError as e:
            fail_input(f"{os.path.join(kernels, f)}: {e.strerror} (named by a compile row)")
    seen, dropped, bad = set(), set(), 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (prog, options, target) in enumerate(programs):
            src = os.path.join(tmp, f"program{n}.cl")
            with open(src, "w") as fh:
                for f in prog.split():
                    fh.write(f'#line 1 "{f}"\n{sources[f]}\n')
            opts = clang_options(options, dropped)
            try:
                r = subprocess.run([clang, *FLAGS, *target, *opts, src], capture_output=True,
                                   text=True)
            except OSError as e:
                print(f"lint_kernels: cannot run {clang}: {e.strerror}", file=sys.stderr)
                return 2
            where = f"    [{prog}; {target[1]}; {' '.join(opts)}]"
            for line in r.stderr.splitlines():
                if (": warning: " in line or ": error: " in line) and line not in seen:
                    seen.add(line)
                    bad += 1
                    print(f"{line}\n{where}")
            if r.returncode != 0 and not any(": error: " in l for l in r.stderr.splitlines()):
                bad += 1
                print(f"clang exited {r.returncode}: {r.stderr.strip()}\n{where}")
    if dropped:
        print(f"lint_kernels: options clang does not know, left out: {' '.join(sorted(dropped))}")
    print(f"lint_kernels: {len(programs)} program(s) from {len(files)} kernel file(s): "
          + (f"{bad} warning(s) or error(s)" if bad else "no warnings"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
