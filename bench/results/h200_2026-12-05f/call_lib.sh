# The prologue every callN.sh of this folder sources (they ran from .gpu/files with this file
# beside them): the output folder $OUT/t, kept as $OUT/t.tgz after each run (the device tool
# brings back a few files only), and one(), which runs a command with a program and tuning
# cache of its own and appends "label rc exit-status seconds last-rate" to rc.txt. (Call 1's
# copy of one() wrote the rc line without the rate; its call1/rc.txt is as it ran.)
T=$OUT/t; mkdir -p $T; C=/tmp/obcache; mkdir -p $C
save() { tar czf $OUT/t.tgz -C $OUT t 2>/dev/null; }
export OCLBENCH_PROGRESS=0
one() { # label timeout command...
  local l=$1 to=$2; shift 2; local s=$(date +%s)
  OCLBENCH_CACHE_DIR=$C/$l timeout $to "$@" > $T/$l.txt 2>&1
  echo "$l rc $? $(( $(date +%s)-s ))s $(grep -o '[0-9.]* flips/ns' $T/$l.txt | tail -1)" >> $T/rc.txt
  save
}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm > $T/gpu.txt 2>&1
