#!/usr/bin/env python3
"""Summarises tilestamps' stamps_N.csv (call 12): per work-group the SM, %globaltimer at its
start and end (ns), and %clock64 at its start, after the prologue's first slice, after the k
loop and after the epilogue (stores issued and a barrier). Prints, for each N:
  the kernel's span; work-groups per SM; the phases in cycles (median, 5th and 95th
  percentiles); the gap between consecutive work-groups on one SM; the spread of the SMs'
  finishing times; and what the span would be with no gaps, no prologue or no epilogue.
Usage: stamps.py DIR [N...]   (default N: 2048 4096 8192)"""
import csv
import statistics
import sys
from collections import defaultdict


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p / 100 * len(v)))]


def summary(name, v, unit):
    return (f"  {name:<28} median {statistics.median(v):>10,.0f} {unit}  p5 {pct(v, 5):>10,.0f}"
            f"  p95 {pct(v, 95):>10,.0f}  min {min(v):>10,.0f}  max {max(v):>10,.0f}")


def main():
    d = sys.argv[1]
    sizes = [int(x) for x in sys.argv[2:]] or [2048, 4096, 8192]
    for n in sizes:
        rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(open(f"{d}/stamps_{n}.csv"))]
        t0 = min(r["t0_ns"] for r in rows)
        span = max(r["t1_ns"] for r in rows) - t0
        slices = n // 8
        print(f"N = {n}: {len(rows)} work-groups, {slices} k-slices each; span {span / 1e3:,.1f} us")
        by_sm = defaultdict(list)
        for r in rows:
            by_sm[r["sm"]].append(r)
        counts = defaultdict(int)
        for v in by_sm.values():
            counts[len(v)] += 1
        print(f"  SMs used {len(by_sm)}; work-groups per SM: {dict(sorted(counts.items()))}")
        pro = [r["c_prologue"] - r["c_start"] for r in rows]
        loop = [r["c_loop"] - r["c_prologue"] for r in rows]
        epi = [r["c_end"] - r["c_loop"] for r in rows]
        tot = [r["c_end"] - r["c_start"] for r in rows]
        wall = [r["t1_ns"] - r["t0_ns"] for r in rows]
        print(summary("prologue (cycles)", pro, "c"))
        print(summary("k loop (cycles)", loop, "c"))
        print(summary("k loop per slice (cycles)", [x / slices for x in loop], "c"))
        print(summary("epilogue (cycles)", epi, "c"))
        print(summary("work-group (cycles)", tot, "c"))
        print(summary("work-group (ns, globaltimer)", wall, "ns"))
        gaps, ends, busy = [], [], []
        for sm, v in by_sm.items():
            v.sort(key=lambda r: r["t0_ns"])
            gaps += [b["t0_ns"] - a["t1_ns"] for a, b in zip(v, v[1:])]
            ends.append(v[-1]["t1_ns"] - t0)
            busy.append(sum(r["t1_ns"] - r["t0_ns"] for r in v))
        if gaps:
            print(summary("gap between work-groups", gaps, "ns"))
        print(summary("SM's last end from start", ends, "ns"))
        print(summary("SM busy (ns)", busy, "ns"))
        first = sorted(rows, key=lambda r: r["t0_ns"])[: len(by_sm)]
        print(summary("first wave's start offsets", [r["t0_ns"] - t0 for r in first], "ns"))
        # Work spread evenly over the SMs at the median work-group time: the part-full last
        # wave's cost; the prologue and epilogue as shares of a work-group.
        mwall = statistics.median(wall)
        even = len(rows) * mwall / len(by_sm)
        print(f"  span if the work-groups were spread evenly: {even / 1e3:,.1f} us "
              f"({even / (span or 1):.3f} of the span)")
        mt = statistics.median(tot)
        print(f"  prologue / epilogue / loop share of a work-group's cycles: "
              f"{statistics.median(pro) / mt:.4f} / {statistics.median(epi) / mt:.4f} / "
              f"{statistics.median(loop) / mt:.4f}")
        print()


if __name__ == "__main__":
    main()
