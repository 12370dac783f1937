#!/usr/bin/env python3
"""Writes tests/data/adam_torch.csv: reference Adam / AdamW sequences computed by PyTorch.

Each case runs torch.optim.Adam (or AdamW for decoupled weight decay) with foreach=False, in
float64, on one tensor of N elements whose initial values and per-step gradients are float32
numbers (so an fp32 device sees exactly the same inputs). One row per case, step and element:
the gradient of that step and the parameter and state after it (step 0: initial parameter).
tests/test_adam.c checks the host reference and the device against these rows.

Usage: python3 tools/adam_torch_ref.py > tests/data/adam_torch.csv   (needs torch)
"""
import csv
import itertools
import sys

import torch

N = 5
STEPS = 6
COLUMNS = ["case", "lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize",
           "decoupled", "step", "i", "grad", "param", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]


def cases():
    """Every weight-decay mode x amsgrad x maximize, plus a large eps and a small beta2."""
    for decay, amsgrad, maximize in itertools.product(("none", "l2", "decoupled"), (0, 1), (0, 1)):
        yield dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8,
                   weight_decay=0.0 if decay == "none" else 0.1, amsgrad=amsgrad,
                   maximize=maximize, decoupled=int(decay == "decoupled"))
    yield dict(lr=0.1, beta1=0.8, beta2=0.5, eps=0.25, weight_decay=0.0, amsgrad=1, maximize=0,
               decoupled=0)
    yield dict(lr=0.003, beta1=0.0, beta2=0.9, eps=1e-3, weight_decay=0.5, amsgrad=0, maximize=1,
               decoupled=1)


def fp32_values(gen, n):
    return torch.randn(n, generator=gen, dtype=torch.float32).to(torch.float64)


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    gen = torch.Generator().manual_seed(20240607)
    for k, c in enumerate(cases()):
        p = torch.nn.Parameter(fp32_values(gen, N))
        cls = torch.optim.AdamW if c["decoupled"] else torch.optim.Adam
        opt = cls([p], lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"],
                  weight_decay=c["weight_decay"], amsgrad=bool(c["amsgrad"]),
                  maximize=bool(c["maximize"]), foreach=False)
        head = [k] + [c[f] for f in COLUMNS[1:9]]
        for i in range(N):
            out.writerow(head + [0, i, 0.0, repr(p.data[i].item()), 0.0, 0.0, 0.0])
        for step in range(1, STEPS + 1):
            g = fp32_values(gen, N)
            p.grad = g.clone()
            opt.step()
            st = opt.state[p]
            vmax = st["max_exp_avg_sq"] if c["amsgrad"] else torch.zeros(N, dtype=torch.float64)
            for i in range(N):
                out.writerow(head + [step, i, repr(g[i].item()), repr(p.data[i].item()),
                                     repr(st["exp_avg"][i].item()),
                                     repr(st["exp_avg_sq"][i].item()), repr(vmax[i].item())])


if __name__ == "__main__":
    main()
