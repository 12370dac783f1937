# OpenBLAS through numpy: `a @ b` in fp32 at 1024 (30 runs) and 2048 (8 runs) after one warm-up;
# prints median/best GFLOP/s for each size.
import numpy as np, time, statistics
out=[]
for n, reps in ((1024, 30), (2048, 8)):
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
    f = 2 * n**3 / 1e9
    out.append(f"{f/statistics.median(ts):.0f}/{f/min(ts):.0f}")
print(" ".join(out))
