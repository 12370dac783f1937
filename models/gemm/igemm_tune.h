/* The selection step of the int8 GEMM: its dot mode and configuration, through the tuning
 * facility (core/tune.h), family ob_igemm_family. */
#ifndef OB_IGEMM_TUNE_H
#define OB_IGEMM_TUNE_H

#include "igemm.h"
#include "tune.h"

/* The dot mode and configuration for dev. The dot mode: `wanted` (AUTO: the best that builds
 * with the device default and is exact; OB_ERR_UNSUPPORTED when the wanted one is not
 * available). The configuration, by the settings (ob_tune_select): forced
 * (OCLBENCH_CONFIG_IGEMM; *dot is then `wanted`, chosen again for it at creation), the device
 * default (mode off), cached for that dot mode, or searched now: every candidate
 * (ob_igemm_candidates) timed on a 2048^3 NT product (1024^3 on CPUs, smaller on small
 * devices), the fastest exact one cached. An error when no candidate runs. */
ob_status ob_igemm_select(ob_device *dev, const ob_tune_settings *settings, ob_igemm_dot wanted,
                          ob_igemm_config *out, ob_igemm_dot *dot, ob_tune_source *source);

#endif
