"""Summarises a call's CSVs and cuBLAS lines: `python3 rates.py DIR` prints, per file, the
linear rows' variant, precision, parameters, GFLOP/s (the median's) and status (oclbench CSV schema 1), and
the sgemm lines of the cuBLAS outputs."""
import csv, glob, os, sys

d = sys.argv[1]
for f in sorted(glob.glob(os.path.join(d, "*.csv"))):
    for r in csv.DictReader(open(f)):
        if r["workload"] == "linear" and r["unit"] == "GFLOP/s":
            print(os.path.basename(f), r["variant"], r["precision"], r["params"], r["value"],
                  r["status"])
for f in sorted(glob.glob(os.path.join(d, "cublas*.txt"))):
    for line in open(f):
        if line.startswith("sgemm"):
            print(os.path.basename(f), line.strip())
