# cold then warm `oclbench run linear --sizes 1024 --device pocl`, empty oclbench and PoCL caches, 2-core Xeon;
# before: a clean clone of 6cd2640 (/tmp/c15), after: the deferred binaries (this commit's parent + it)
#!/bin/sh
# cold `run linear --sizes 1024` (empty oclbench and PoCL caches), then the same warm: before (B) and after (A)
for bin in /tmp/c15/oclbench /work/main/oclbench; do
  d=$(mktemp -d)
  s=$(date +%s.%N); XDG_CACHE_HOME=$d OCLBENCH_PROGRESS=0 $bin run linear --sizes 1024 --device pocl --out $d/o1 > $d/cold.txt 2>&1; rc1=$?; c=$(echo "$(date +%s.%N) - $s" | bc)
  s=$(date +%s.%N); XDG_CACHE_HOME=$d OCLBENCH_PROGRESS=0 $bin run linear --sizes 1024 --device pocl --out $d/o2 > $d/warm.txt 2>&1; rc2=$?; w=$(echo "$(date +%s.%N) - $s" | bc)
  echo "$(date -u +%H:%M) $bin cold rc=$rc1 ${c}s warm rc=$rc2 ${w}s binaries $(ls $d/oclbench/*.bin | wc -l) MiB $(du -sm $d/oclbench | cut -f1) tune: $(grep -c . $d/oclbench/tune-*.txt)"
  grep -h "linear.*own" $d/o1/*.csv | cut -d, -f16-19,21-23 | head -0
  python3 -c "
import csv,glob
for f in ('$d/o1','$d/o2'):
  r=[x for x in csv.DictReader(open(glob.glob(f+'/*.csv')[0])) if x['workload']=='linear' and x['variant']=='own']
  print(' ', f[-2:], ' '.join('%s %s %.0f'%(x['precision'],x['status'],float(x['value'] or 0)) for x in r))
"
  diff <(sed 1d $d/oclbench/tune-*.txt | cut -d' ' -f1-3) /dev/null > /dev/null
  cp $d/oclbench/tune-*.txt /tmp/ab_tune_$(basename $(dirname $bin)).txt
  rm -rf $d
done
