#!/bin/bash
# Device call 5, 2026-12-05 (night session): the Philox multiply widened by upsample((V)0, c)
# (branch philox-ups: one form for vectors and scalars, as fast as convert_ulong* with PoCL on
# this host's CPU), against main (1508902), philox-cast and philox-cast8 (see call4.sh):
#   bash .gpu/remote.sh bash call5.sh
# Multispin: path global, 32 chains per word, work-group 64, pegasus:14 pm1 320,000 chains and
# grid:1024x1024:periodic pm1 1,024 chains; gaussian pegasus:14 320,000 chains: local path, 32
# chains per word, work-group 128, sign=mad; 100 sweeps, variants alternated, two rounds; the
# program caches kept (PTX).
V="main ups cast cast8" . ./call4.sh
