#!/usr/bin/env python3
"""Writes tests/data/train_torch.csv: SimpleCNN training steps computed by PyTorch.

The model is the seed's SimpleCNN at tiny sizes: Conv2d(in_c, channels, 3, stride=2,
padding=1) + ReLU + flatten + Linear(channels * P * Q, classes), CrossEntropyLoss (mean),
torch.optim.Adam(lr=1e-3, foreach=False). Parameters come from PyTorch's default
initialisation (seeded) and inputs from torch.randn, both rounded to float32 so that an fp32
device sees exactly the same numbers; the steps then run in float64.

One row per number: case, step, name, index, value.
  step 0: dims (batch, in_c, in_h, in_w, channels, classes), x, label, and the initial
          parameters (conv.weight, conv.bias, fc.weight, fc.bias; PyTorch layouts)
  step s >= 1: logits and loss of step s's forward pass, grad:<param> after its backward,
          param:<param> after its optimizer step
tests/test_train.c checks the host reference and the device model against these rows.

Usage: python3 tools/train_torch_ref.py > tests/data/train_torch.csv   (needs torch)
"""
import csv
import sys

import torch

STEPS = 2
CASES = [  # batch, in_c, in_h, in_w, channels, classes
    (2, 3, 8, 8, 4, 3),
    (3, 3, 9, 7, 5, 3),
]


def simplecnn(in_c, in_h, in_w, channels, classes):
    p, q = (in_h - 1) // 2 + 1, (in_w - 1) // 2 + 1
    return torch.nn.Sequential(
        torch.nn.Conv2d(in_c, channels, 3, stride=2, padding=1),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(channels * p * q, classes),
    )


def main():
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["case", "step", "name", "index", "value"])
    for case, dims in enumerate(CASES):
        batch, in_c, in_h, in_w, channels, classes = dims
        torch.manual_seed(1000 + case)
        model = simplecnn(in_c, in_h, in_w, channels, classes)
        x = torch.randn(batch, in_c, in_h, in_w, dtype=torch.float32)
        label = torch.randint(0, classes, (batch,))
        model = model.double()  # float32 values, float64 arithmetic
        x = x.double()
        names = {"0.weight": "conv.weight", "0.bias": "conv.bias", "3.weight": "fc.weight",
                 "3.bias": "fc.bias"}
        params = [(names[n], p) for n, p in model.named_parameters()]

        def rows(step, name, values):
            for i, v in enumerate(values.reshape(-1).tolist()):
                out.writerow([case, step, name, i, repr(float(v))])

        rows(0, "dims", torch.tensor(dims))
        rows(0, "x", x)
        rows(0, "label", label)
        for name, p in params:
            rows(0, name, p.detach())
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)
        for step in range(1, STEPS + 1):
            opt.zero_grad()
            logits = model(x)
            loss = torch.nn.functional.cross_entropy(logits, label)
            loss.backward()
            rows(step, "logits", logits.detach())
            rows(step, "loss", loss.detach())
            for name, p in params:
                rows(step, "grad:" + name, p.grad)
            opt.step()
            for name, p in params:
                rows(step, "param:" + name, p.detach())


if __name__ == "__main__":
    main()
