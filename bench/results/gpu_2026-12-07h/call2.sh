#!/bin/bash
# Device call 2, 2026-12-07 (eighteenth session), on the warm machine of its call 1: call1.sh's
# commands unchanged (it ran as a copy of them; sourced here to keep one text), packed as
# call1.sh's header now says (`tar czhf`: call 1's archive held libcmocka.so.0 as the
# distribution's symlink) with this file added, and run as
# `bash .gpu/remote.sh bash bench/results/gpu_2026-12-07h/call2.sh`.
. bench/results/gpu_2026-12-07h/call1.sh
