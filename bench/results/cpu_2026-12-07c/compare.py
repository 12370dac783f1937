"""Per-row change between the all-workload runs before and after (all_before_N.csv,
all_after_N.csv, N = 1, 2): the mean of each side's values, the speedup (times: before / after,
rates: after / before) and both sides' values; rows measured ok in all four runs.
Usage: python3 bench/results/cpu_2026-12-07c/compare.py [MIN_CHANGE]  (default 0: every row)"""
import csv, os, statistics, sys

here = os.path.dirname(os.path.abspath(__file__))
def load(name):
    out = {}
    for r in csv.DictReader(open(os.path.join(here, name))):
        if r['status'] == 'ok' and r['variant'] != 'compile':
            out[(r['workload'], r['variant'], r['precision'], r['params'], r['metric'])] = (float(r['value']), r['unit'])
    return out
runs = {side: [load('all_%s_%d.csv' % (side, i)) for i in (1, 2)] for side in ('before', 'after')}
least = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
for key, (_, unit) in runs['before'][0].items():
    if not all(key in r for side in runs for r in runs[side]):
        continue
    b = [r[key][0] for r in runs['before']]
    a = [r[key][0] for r in runs['after']]
    mb, ma = statistics.mean(b), statistics.mean(a)
    if mb <= 0 or ma <= 0:
        continue
    speedup = mb / ma if unit in ('s', 'us', 'ms', 'ns') else ma / mb
    if abs(speedup - 1) >= least:
        print('%-6s %-15s %-5s %-58s %-12s %6.3fx  before %s  after %s %s' % (
            key[0], key[1][:15], key[2], key[3][:58], key[4][:12], speedup,
            ' '.join('%.4g' % v for v in b), ' '.join('%.4g' % v for v in a), unit))
