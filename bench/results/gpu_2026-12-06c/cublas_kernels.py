#!/usr/bin/env python3
"""Which kernels cuBLAS runs for fp32 SGEMM (TF32 off) at 1024-8192^3, with their grid and
block sizes, from torch.profiler's trace: the tile (in the kernel's name) and the number of
CTAs (the grid) tell how cuBLAS meets the part-full last wave that own SGEMM meets at 4096^3.
Prints one line per size and kernel: size, name, grid, block, calls, mean microseconds.
Not used by oclbench. Usage (the GPU machine): python3 cublas_kernels.py"""
import json, os, tempfile, collections
import torch
from torch.profiler import profile, ProfilerActivity

torch.backends.cuda.matmul.allow_tf32 = False
for n in (1024, 2048, 4096, 8192):
    a = torch.randn(n, n, device="cuda"); b = torch.randn(n, n, device="cuda")
    for _ in range(3): a @ b
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as p:
        for _ in range(5): a @ b
        torch.cuda.synchronize()
    f = os.path.join(tempfile.mkdtemp(), "t.json"); p.export_chrome_trace(f)
    ev = [e for e in json.load(open(f))["traceEvents"] if e.get("cat") == "kernel"]
    by = collections.defaultdict(list)
    for e in ev:
        g = e["args"].get("grid"); bl = e["args"].get("block")
        by[(e["name"], str(g), str(bl))].append(e["dur"])
    for (name, g, bl), d in by.items():
        print(f"{n} {name} grid={g} block={bl} calls={len(d)} mean_us={sum(d)/len(d):.1f}", flush=True)
