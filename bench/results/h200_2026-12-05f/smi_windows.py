"""Mean SM clock and board power per step of a device call: smi.txt (nvidia-smi, every 100 ms:
timestamp, clock MHz, power W, temperature C) against marks.txt (epoch seconds, step start/end).
Samples above 400 W only (the GPU busy). Usage: python3 smi_windows.py CALLDIR"""
import datetime, statistics, sys

d = sys.argv[1]
rows = []
for line in open(d + '/smi.txt'):
    p = [x.strip() for x in line.split(',')]
    try:
        t = datetime.datetime.strptime(p[0], '%Y/%m/%d %H:%M:%S.%f')
        rows.append((t.replace(tzinfo=datetime.timezone.utc).timestamp(), float(p[1]), float(p[2])))
    except (ValueError, IndexError):
        pass
marks = [line.split() for line in open(d + '/marks.txt')]
for (a, name, _), (b, _, _) in zip(marks[::2], marks[1::2]):
    busy = [r for r in rows if float(a) <= r[0] <= float(b) and r[2] > 400]
    if busy:
        print('%-10s %4d samples over 400 W: clock mean %.0f min %.0f MHz, power mean %.0f max %.0f W'
              % (name, len(busy), statistics.mean(r[1] for r in busy), min(r[1] for r in busy),
                 statistics.mean(r[2] for r in busy), max(r[2] for r in busy)))
