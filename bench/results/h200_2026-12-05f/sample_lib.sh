# Sourced by call1.sh, call2.sh and call5.sh after ../h200_2026-12-05e/call_lib.sh (both beside
# them in .gpu/files): starts nvidia-smi sampling the SM clock, board power and temperature
# every 100 ms into $T/smi.txt (the caller kills it, `kill %1`, at its end), and defines
#   mark TEXT        appends "epoch-seconds TEXT" to $T/marks.txt (a step's start or end)
#   ref LABEL LIST   cuBLAS SGEMM (tools/gpu_ref_torch.py) for LIST, a Python tuple of
#                    (size, repetitions), between marks "LABEL start" and "LABEL end"
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,temperature.gpu --format=csv,noheader,nounits -lms 100 > $T/smi.txt 2>&1 &
mark() { echo "$(date +%s.%N) $1" >> $T/marks.txt; }
ref() {
  mark "$1 start"
  python3 -c "import sys; sys.path.insert(0,'tools'); import gpu_ref_torch as g; [(print('# $1 %d' % s, flush=True), g.gemm(s, r)) for s, r in $2]" >> $T/torch.txt 2>&1
  mark "$1 end"; save
}
