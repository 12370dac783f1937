cd /work/main
export XDG_CACHE_HOME=/tmp/ab/cache
# warm the tuning and program caches with the after binary (same kernels in both)
/tmp/ob_after run linear --sizes 64 --device pocl --out /tmp/ab/warm --force > /tmp/ab/warm.log 2>&1
for i in 1 2; do
  for v in before after; do
    /tmp/ob_$v run all --device pocl --out /tmp/ab/${v}_$i --force > /tmp/ab/${v}_$i.log 2>&1
    echo "$v $i $(date +%H:%M:%S)"
  done
done
