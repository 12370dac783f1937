#!/usr/bin/env python3
"""Writes tests/data/calflops_zoo.csv: per-module parameters, MACs and FLOPs of the model zoo
(simplecnn, mlp, resnet18; batch 1, default inputs) as calflops counts them, for
tests/test_flops_zoo.c to compare models/zoo/zoo.c against.

Run once by hand (needs: pip install torch torchvision calflops transformers):
    python3 tools/zoo_flops_reference.py tests/data/calflops_zoo.csv
The committed file was made with torch 2.15.0, torchvision 0.29.2, calflops 0.3.2.

calflops (DeepSpeed's profiler rules) puts the model in eval mode and patches torch.nn.functional
and a few tensor methods. What it counts per call: conv 2*MACs + out_channels*positions (bias);
linear 2*MACs (bias not counted); batch_norm 2*numel (eval, affine); relu numel; max/avg pool
numel of the *input*; torch.add/Tensor.add numel. torchvision's BasicBlock adds the shortcut
with `out += identity` (Tensor.__iadd__), which calflops does not patch: the residual adds
count 0. A module called twice (BasicBlock.relu) accumulates both calls under one name.
"""
import csv
import sys

import calflops
import torch
import torchvision
from calflops.calculate_pipline import CalFlopsPipline
from torch import nn


class SimpleCNN(nn.Module):
    """The seed's SimpleCNN; module names as models/zoo/zoo.c names the layers."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, stride=2, padding=1)
        self.relu = nn.ReLU()
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32 * 112 * 112, 10)

    def forward(self, x):
        return self.fc(self.flatten(self.relu(self.conv(x))))


class MLP(nn.Module):
    """The seed's MLP: 10 x Linear(1024, 1024, bias=False), layers named fc0..fc9."""

    def __init__(self):
        super().__init__()
        for i in range(10):
            setattr(self, f"fc{i}", nn.Linear(1024, 1024, bias=False))

    def forward(self, x):
        for i in range(10):
            x = getattr(self, f"fc{i}")(x)
        return x


MODELS = [
    ("simplecnn", SimpleCNN, (1, 3, 224, 224)),
    ("mlp", MLP, (1, 1024)),
    ("resnet18", torchvision.models.resnet18, (1, 3, 224, 224)),
]


def rows_for(name, make, shape):
    torch.manual_seed(0)
    model = make()
    model.eval()
    pipe = CalFlopsPipline(model=model, include_backPropagation=False, compute_bp_factor=2.0)
    pipe.start_flops_calculate(ignore_list=None)
    with torch.no_grad():
        model(torch.ones(shape))
    rows = []
    for mod_name, mod in model.named_modules():
        if list(mod.children()):
            continue
        params = sum(p.numel() for p in mod.parameters(recurse=False))
        rows.append([name, mod_name, type(mod).__name__, params, mod.__macs__, mod.__flops__])
    total = [name, "TOTAL", "", pipe.get_total_params(), pipe.get_total_macs(),
             pipe.get_total_flops()]
    pipe.end_flops_calculate()
    return rows + [total]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: zoo_flops_reference.py OUT.csv")
    with open(sys.argv[1], "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["model", "module", "type", "params", "macs", "flops"])
        for name, make, shape in MODELS:
            w.writerows(rows_for(name, make, shape))
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
          f"calflops {getattr(calflops, '__version__', '0.3.2')}", file=sys.stderr)


if __name__ == "__main__":
    main()
