#!/usr/bin/env python3
"""Reference figures from PyTorch on the same GPU (cuBLAS, cuDNN, torch.optim), for the
side-by-side ratios in bench/RESULTS.md. TF32 is off everywhere: fp32 means fp32.

Not used by oclbench at run or test time. Usage: python3 tools/gpu_ref_torch.py [--quick]
Prints CSV: what,params,metric,unit,value
"""
import argparse
import statistics

import torch
import torch.nn as nn

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.backends.cudnn.benchmark = True
DEV = "cuda" if torch.cuda.is_available() else "cpu"


def timed(fn, reps, warmup=3):
    """Median seconds of fn() over reps, timed with CUDA events (wall clock on CPU)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        if DEV == "cuda":
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            fn()
            b.record()
            torch.cuda.synchronize()
            times.append(a.elapsed_time(b) / 1e3)
        else:
            import time
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def out(what, params, metric, unit, value):
    print(f"{what},{params},{metric},{unit},{value:.6g}", flush=True)


def gemm(n, reps):
    a = torch.randn(n, n, device=DEV)
    b = torch.randn(n, n, device=DEV)
    t = timed(lambda: a @ b, reps)
    out("sgemm", f"m={n};n={n};k={n}", "gflops", "GFLOP/s", 2 * n**3 / t / 1e9)


def conv(name, n, c, h, k, stride, pad, reps):
    x = torch.randn(n, c, h, h, device=DEV)
    m = nn.Conv2d(c, k, 3, stride=stride, padding=pad, bias=False).to(DEV)
    ho = (h + 2 * pad - 3) // stride + 1
    flops = 2 * n * k * ho * ho * c * 9
    with torch.no_grad():
        t = timed(lambda: m(x), reps)
    out("conv_forward", f"shape={name};n={n}", "gflops", "GFLOP/s", flops / t / 1e9)
    # the two gradients through convolution_backward (cuDNN's backward algorithms), same FLOPs
    w = m.weight.detach()
    dy = torch.randn(n, k, ho, ho, device=DEV)
    t = timed(lambda: torch.nn.grad.conv2d_input(x.shape, w, dy, stride=stride, padding=pad), reps)
    out("conv_backward_data", f"shape={name};n={n}", "gflops", "GFLOP/s", flops / t / 1e9)
    t = timed(lambda: torch.nn.grad.conv2d_weight(x, w.shape, dy, stride=stride, padding=pad), reps)
    out("conv_backward_weight", f"shape={name};n={n}", "gflops", "GFLOP/s", flops / t / 1e9)


def adam(tensors, shape, reps):
    params = [torch.randn(*shape, device=DEV, requires_grad=True) for _ in range(tensors)]
    for p in params:
        p.grad = torch.randn_like(p)
    count = sum(p.numel() for p in params)
    variants = {"fused": dict(fused=True), "foreach": dict(foreach=True)}
    for name, kw in variants.items():
        opt = torch.optim.Adam(params, lr=0.01, **kw)
        t = timed(opt.step, reps)
        out("adam_" + name, f"params={count};tensors={tensors}", "step_time", "us", t * 1e6)
        out("adam_" + name, f"params={count};tensors={tensors}", "bandwidth", "GB/s", 28 * count / t / 1e9)
    opt = torch.optim.Adam(params, lr=0.01, foreach=True)
    step = torch.compile(opt.step)
    t = timed(step, reps, warmup=5)
    out("adam_compiled", f"params={count};tensors={tensors}", "step_time", "us", t * 1e6)


def simplecnn_step(batch, reps):
    model = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(),
                          nn.Linear(32 * 112 * 112, 10)).to(DEV)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 3, 224, 224, device=DEV)
    y = torch.randint(0, 10, (batch,), device=DEV)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    t = timed(step, reps, warmup=5)
    out("simplecnn_train_step", f"batch={batch}", "step_time", "us", t * 1e6)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    reps = 5 if a.quick else 30
    print(f"# torch {torch.__version__} on {torch.cuda.get_device_name() if DEV == 'cuda' else 'cpu'}")
    print("what,params,metric,unit,value")
    for n in ([512] if a.quick else [1024, 2048, 4096, 8192]):
        gemm(n, reps)
    shapes = [("simplecnn", 3, 224, 32, 2), ("resnet_64x56", 64, 56, 64, 1),
              ("resnet_128x28", 128, 28, 128, 1), ("resnet_256x14", 256, 14, 256, 1),
              ("resnet_512x7", 512, 7, 512, 1)]
    for name, c, h, k, s in shapes:
        conv(name, 2 if a.quick else 32, c, h, k, s, 1, reps)
    adam(10, (1024, 1024), reps)
    if not a.quick:
        adam(24, (2048, 2048), reps)
        adam(1, (1 << 20,), reps)
    for b in ([2] if a.quick else [8, 32, 128]):
        simplecnn_step(b, reps)


if __name__ == "__main__":
    main()
