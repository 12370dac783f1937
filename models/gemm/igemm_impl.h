/* Private to the int8 GEMM (models/igemm*.c). */
#ifndef OB_IGEMM_IMPL_H
#define OB_IGEMM_IMPL_H

#include "igemm.h"

/* The configuration for dev with dot mode `dot`: the cached result of an earlier tuning pass
 * (*source "cache"), or the fastest exact candidate timed now on a square NT problem and cached
 * (*source "tuned"). OB_ERR_UNSUPPORTED when no candidate runs. */
ob_status ob_igemm_tune(ob_device *dev, ob_igemm_dot dot, ob_igemm_config *out,
                        const char **source);

#endif
