/* The selection step of the fused Adam kernel: its launch shape through the tuning facility
 * (core/tune.h), family ob_adam_family. */
#ifndef OB_ADAM_TUNE_H
#define OB_ADAM_TUNE_H

#include "adam.h"
#include "tune.h"

/* The launch shape for dev, by the settings (ob_tune_select): forced (OCLBENCH_CONFIG_ADAM over
 * the device default), the device default (mode off; ob_adam_tuning_default), cached, or
 * searched now: every candidate (ob_adam_candidates) timed for a few steps on scratch
 * buffers (GPUs: 16M and 10.5M parameters, CPUs 4M; fewer on small or slow devices, so that
 * the search stays within about 10 s), the fastest per parameter cached. */
ob_status ob_adam_select(ob_device *dev, const ob_tune_settings *settings, ob_adam_tuning *out,
                         ob_tune_source *source);

#endif
