"""The phases of the stream-K calls in an oclbench kernel trace (`--trace FILE.json`, gzip or
not): `python3 phases.py TRACE...` prints, per trace and per block of consecutive calls (a
case, such as the fp32 or the fp16 case of one size: blocks end where another kernel runs or
the device idles for more than a millisecond), the
medians over the block's stream-K calls (a run of gemm launches ended by a gemm_streamk
reduction) of each launch's time, the gaps between them and the whole call's span, in
microseconds, each gemm launch named by its work-groups (global[0] / local[0])."""
import gzip, json, statistics, sys


def blocks_of(events):
    blocks, calls, run, end = [], [], [], None
    for e in events:
        if end is not None and e["ts"] - end > 1000.0 and calls:
            blocks.append(calls)
            calls, run = [], []
        end = e["ts"] + e["dur"]
        if e["name"] == "gemm":
            run.append(e)
            continue
        if e["name"] == "gemm_streamk" and run:
            calls.append(run + [e])
        elif calls:
            blocks.append(calls)
            calls = []
        run = []
    return blocks + ([calls] if calls else [])


for path in sys.argv[1:]:
    opener = gzip.open if path.endswith(".gz") else open
    events = [e for e in json.load(opener(path, "rt"))["traceEvents"]
              if e.get("ph") == "X" and e.get("cat") == "kernel"]
    events.sort(key=lambda e: e["ts"])
    print(path)
    for b, calls in enumerate(blocks_of(events)):
        first = calls[0]
        if any(len(c) != len(first) for c in calls):
            print("  block %d: calls of different shapes" % b)
            continue
        names = [e["name"] if e["name"] != "gemm" else
                 "gemm[%d wg]" % (e["args"]["global"][0] // e["args"]["local"][0]) for e in first]
        cols = []
        for i, name in enumerate(names):
            cols.append((name, statistics.median(c[i]["dur"] for c in calls)))
            if i + 1 < len(names):
                cols.append(("gap", statistics.median(c[i + 1]["ts"] - c[i]["ts"] - c[i]["dur"]
                                                      for c in calls)))
        span = statistics.median(c[-1]["ts"] + c[-1]["dur"] - c[0]["ts"] for c in calls)
        print("  block %d, %d calls: " % (b, len(calls)) + ", ".join("%s %.1f" % x for x in cols) +
              ", span %.1f us" % span)
