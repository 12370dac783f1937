cd /work/main
export XDG_CACHE_HOME=/tmp/ab/cache
for i in 1 2 3 4; do
  for v in before after; do
    [ $((i % 2)) -eq 0 ] && v=$([ $v = before ] && echo after || echo before)
    /tmp/ob_$v run linear --sizes 1024,2048,4096 --device pocl --out /tmp/ab/lin_${v}_$i --force > /dev/null 2>&1
    echo "$v $i $(date +%H:%M:%S) $(python3 -c "
import csv,glob
print(' '.join('%.0f'%float(r['value']) for r in csv.DictReader(open(glob.glob('/tmp/ab/lin_${v}_$i/*.csv')[0])) if r['variant']=='own' and r['precision']=='fp32'))")"
  done
done
