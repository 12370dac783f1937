#!/usr/bin/env python3
"""Paired summary of rounds_ab.sh output (RESULTS.md, 2026-12-05 night): per size, the median
over rounds of patched / own, patched / OpenBLAS and own / OpenBLAS (OpenBLAS: the mean of the
round's two OpenBLAS medians), with how many rounds each ratio is above 1.
  python3 summary.py rounds_ab_u4.txt"""
import re, statistics, sys

rows = []
for line in open(sys.argv[1]):
    pairs = re.findall(r'(\d+)/(\d+)', line)
    if len(pairs) == 8:
        rows.append([int(med) for med, _ in pairs])
for i, size in enumerate(('1024', '2048')):
    ratios = {'patched/own': [], 'patched/OpenBLAS': [], 'own/OpenBLAS': []}
    for r in rows:
        blas, own, patched = (r[i] + r[6 + i]) / 2, r[2 + i], r[4 + i]
        ratios['patched/own'].append(patched / own)
        ratios['patched/OpenBLAS'].append(patched / blas)
        ratios['own/OpenBLAS'].append(own / blas)
    print(size, len(rows), 'rounds:', '; '.join(
        '%s %.3f (above 1 in %d)' % (k, statistics.median(v), sum(x > 1 for x in v))
        for k, v in ratios.items()))
