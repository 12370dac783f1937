#!/bin/bash
# Device call 7: decision=screen with the exact pass after each batch of 32 units (the tree
# then: ising_call7_batched.patch with the host side of screen.patch) against decision=exact,
# alternating, both sign forms; samples compared; main's kernels (k_base) against the tree's,
# tuned from empty caches; `run ising`; program caches.
#   bash .gpu/remote.sh bash call7.sh   (from .gpu/files; call_lib.sh, ab_lib.sh, screen_lib.sh,
#   k_base beside it)
. ./call_lib.sh
. ./ab_lib.sh
. ./screen_lib.sh
screen_round o_ising7
