#!/bin/bash
# A cold then a warm `oclbench run linear --sizes 1024 --device pocl` (empty oclbench and PoCL
# caches for the cold one) with each binary given, one after the other; per binary: the wall
# times, the binaries and MiB left in the cache and the tuning lines, the own SGEMM rows of
# both runs (o1 cold, o2 warm), then the tuning choices.
# Run for cold_search_ab.txt (2-core Xeon): before, a clean clone of 6cd2640; after, the
# deferred binaries (fe037eb):
#   bash bench/results/cpu_2026-12-07e/cold_search_ab.sh /tmp/c15/oclbench ./oclbench
for bin in "$@"; do
  d=$(mktemp -d)
  for run in o1 o2; do
    s=$(date +%s.%N)
    XDG_CACHE_HOME=$d OCLBENCH_PROGRESS=0 "$bin" run linear --sizes 1024 --device pocl \
      --out "$d/$run" > "$d/$run.txt" 2>&1
    eval "rc_$run=$? t_$run=$(echo "$(date +%s.%N) - $s" | bc)"
  done
  echo "$(date -u +%H:%M) $bin cold rc=$rc_o1 ${t_o1}s warm rc=$rc_o2 ${t_o2}s" \
    "binaries $(ls "$d"/oclbench/*.bin | wc -l) MiB $(du -sm "$d/oclbench" | cut -f1)" \
    "tune: $(grep -c . "$d"/oclbench/tune-*.txt)"
  python3 -c "
import csv, glob
for f in ('$d/o1', '$d/o2'):
  r = [x for x in csv.DictReader(open(glob.glob(f + '/*.csv')[0]))
       if x['workload'] == 'linear' and x['variant'] == 'own']
  print(' ', f[-2:], ' '.join('%s %s %.0f' % (x['precision'], x['status'], float(x['value'] or 0)) for x in r))
"
  sed 1d "$d"/oclbench/tune-*.txt | cut -d' ' -f1-3 > "$d.tune"
  rm -rf "$d"
  tunes="$tunes $d.tune"
done
echo "# the tuning choices: $*"
for t in $tunes; do cat "$t"; echo; rm -f "$t"; done
