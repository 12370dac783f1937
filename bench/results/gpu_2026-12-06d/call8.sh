#!/bin/bash
# Device call 8: call 7 again, the exact pass now a call after each batch of 32 units and the
# exact build unchanged from main (the tree then: screen.patch), against decision=exact,
# alternating, both sign forms; samples compared; main's kernels (k_base) against the tree's,
# tuned from empty caches; `run ising`; program caches.
#   bash .gpu/remote.sh bash call8.sh   (from .gpu/files; call_lib.sh, ab_lib.sh, screen_lib.sh,
#   k_base beside it)
. ./call_lib.sh
. ./ab_lib.sh
. ./screen_lib.sh
screen_round o_ising8
