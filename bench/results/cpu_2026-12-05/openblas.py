# OpenBLAS through numpy: `a @ b` in fp32, one warm-up then timed runs, for each size given as
# N:RUNS or N (30 runs up to 1024, else 8) on the command line (default 1024 2048); prints
# median/best GFLOP/s per size.
import numpy as np, time, statistics, sys
out=[]
for arg in sys.argv[1:] or ["1024", "2048"]:
    n, _, runs = arg.partition(":")
    n = int(n); reps = int(runs) if runs else (30 if n <= 1024 else 8)
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
    f = 2 * n**3 / 1e9
    out.append(f"{f/statistics.median(ts):.0f}/{f/min(ts):.0f}")
print(" ".join(out))
