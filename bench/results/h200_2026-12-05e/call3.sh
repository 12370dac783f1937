#!/bin/bash
# Device call 3, 2026-12-05 (night session): as call2.sh, the variants main, mad, v5 and
# v7 (v5 with the thresholds indexed thr[z + m] as in mad, no table pointer) and v8 (v7 with the
# sign bits packed by a funnel shift, (minus << 1) | (d >> 31): one integer instruction).
#   mad: sign bits packed by minus * two + (d >> 31), prefix term by a multiply-add by -128
#        (two = 2 and -128 read from the threshold buffer, so that they stay multiplies);
#   v3:  mad, thresholds through a pointer to the position's table (no z + m per chain);
#   v4:  v3, the sign bit as mul_hi(d, two) (a multiply instead of a shift);
#   v5:  v3, the middle 4-bit count fields by a multiply and a shift instead of shift and mask;
#   v6:  v4 and v5.
#   bash .gpu/remote.sh bash call3.sh
# Each forced to path global, 32 chains per word, work-groups of 64 and of 128, pegasus:14 pm1
# with 320,000 chains and grid:1024x1024:periodic pm1 with 1,024, 100 sweeps, variants
# alternated, two rounds; the program caches kept (PTX).
V="main mad v5 v7 v8" . ./call2.sh
