#!/usr/bin/env python3
"""Writes the hand-made schema-1 CSVs of tests/data/compare/ (test_compare's fixtures).

laptop.csv: a PoCL CPU on host "laptop"; server.csv: an NVIDIA GPU on host "server" whose
device name holds a comma, a quote and a newline. They differ on purpose:
- peak probes with per-device calibrated params (rounds, bytes): merged into one row each;
- linear m=1024: ok on the laptop, failed on the server (note with a comma and quotes);
- adam: on the laptop only; conv: skipped on the server, absent on the laptop;
- ising flips_per_ns over chains=1..1024 (laptop) and 1..65536 (server), grid:20x20 and
  pegasus:14, for the curves.
Values are invented round numbers: the tests assert them exactly.
Usage: python3 tools/gen_compare_data.py tests/data/compare
"""
import csv
import sys

COLUMNS = ("schema,timestamp_utc,host,os,cpu,platform,vendor,device,device_slug,device_type,"
           "driver,cl_version,compute_units,clock_mhz,global_mem_bytes,workload,variant,params,"
           "precision,metric,unit,value,time_s_min,time_s_median,time_s_max,reps,flops,bytes,"
           "peak_fraction,verified,status,note").split(",")

DEVICES = {
    "laptop": dict(host="laptop", os="Linux 6.1", cpu="Intel(R) Core(TM) i7", platform="Portable Computing Language",
                   vendor="GenuineIntel", device="pthread-haswell", device_slug="pocl-cpu-0", device_type="cpu",
                   driver="3.1+debian", cl_version="OpenCL 3.0 PoCL", compute_units="8", clock_mhz="3000",
                   global_mem_bytes="16000000000"),
    "server": dict(host="server", os="Linux 6.8", cpu="AMD EPYC", platform="NVIDIA CUDA",
                   vendor="NVIDIA Corporation", device='NVIDIA H200, "SXM"\nrev 1', device_slug="nvidia-gpu-0",
                   device_type="gpu", driver="550.54", cl_version="OpenCL 3.0 CUDA", compute_units="132",
                   clock_mhz="1980", global_mem_bytes="150000000000"),
}


def row(dev, workload, variant, params, precision, metric, unit, value, status="ok", note="",
        peak_fraction="", verified="n/a"):
    r = dict(DEVICES[dev])
    r.update(schema="1", timestamp_utc="2025-01-01T00:00:00Z", workload=workload, variant=variant,
             params=params, precision=precision, metric=metric, unit=unit,
             value="" if value is None else str(value), time_s_min="0.001", time_s_median="0.001",
             time_s_max="0.001", reps="10", flops="", bytes="", peak_fraction=peak_fraction,
             verified=verified, status=status, note=note)
    return [r[c] for c in COLUMNS]


def laptop():
    rows = [
        row("laptop", "peak", "compile", "program=peak.cl;cache=miss", "", "compile_time", "s", 0.5),
        row("laptop", "peak", "fma_float4", "width=4;global=1024;rounds=100", "fp32", "gflops", "GFLOP/s", 50),
        row("laptop", "peak", "copy", "bytes=67108864", "fp32", "bandwidth", "GB/s", 20),
        row("laptop", "peak", "queue_to_start", "kernel=empty", "", "latency", "us", 8),
        row("laptop", "linear", "own", "m=256;n=256;k=256", "fp32", "gflops", "GFLOP/s", 40,
            peak_fraction="0.8", verified="yes"),
        row("laptop", "linear", "own", "m=1024;n=1024;k=1024", "fp32", "gflops", "GFLOP/s", 45,
            peak_fraction="0.9", verified="yes"),
        row("laptop", "adam", "fused", "params=10485760", "fp32", "step_time", "us", 20000, verified="yes"),
    ]
    for graph, base in (("grid:20x20", 0.01), ("pegasus:14", 0.02)):
        for c in (1, 4, 16, 64, 256, 1024):
            rows.append(row("laptop", "ising", "naive", "graph=%s;chains=%d;sweeps=100" % (graph, c), "",
                            "flips_per_ns", "flips/ns", round(base * c ** 0.5, 6), verified="yes"))
    return rows


def server():
    rows = [
        row("server", "peak", "fma_float4", "width=4;global=1081344;rounds=5000", "fp32", "gflops", "GFLOP/s", 50000),
        row("server", "peak", "copy", "bytes=1073741824", "fp32", "bandwidth", "GB/s", 4000),
        row("server", "peak", "queue_to_start", "kernel=empty", "", "latency", "us", 4),
        row("server", "linear", "own", "m=256;n=256;k=256", "fp32", "gflops", "GFLOP/s", 2000,
            peak_fraction="0.04", verified="yes"),
        row("server", "linear", "own", "m=1024;n=1024;k=1024", "fp32", "gflops", "GFLOP/s", 31000,
            status="failed", note='CL_OUT_OF_RESOURCES, at "clEnqueueNDRangeKernel"', verified="no"),
        row("server", "conv", "own", "n=1;c=64;h=56;w=56", "fp16", "gflops", "GFLOP/s", None,
            status="skipped", note="unsupported fp16"),
    ]
    for graph, base in (("grid:20x20", 0.05), ("pegasus:14", 0.5)):
        for c in (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536):
            rows.append(row("server", "ising", "naive", "graph=%s;chains=%d;sweeps=100" % (graph, c), "",
                            "flips_per_ns", "flips/ns", round(base * c ** 0.6, 6), verified="yes"))
    return rows


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(COLUMNS)
        w.writerows(rows)


if __name__ == "__main__":
    out = sys.argv[1]
    write(out + "/laptop.csv", laptop())
    write(out + "/server.csv", server())
