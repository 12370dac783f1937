/* Apple profile: Apple GPU cores have 128 FP32 lanes. */
#include "vendor.h"

static void apple_query(cl_device_id dev, ob_device_props *p) {
  (void)dev;
  if (p->type & CL_DEVICE_TYPE_GPU) p->simd_width = 128;
}

const ob_vendor_profile ob_profile_apple = {
    .name = "apple",
    .build_options = NULL,
    .wg_multiple = 32,
    .quirks = OB_QUIRK_NONE,
    .query_extra = apple_query,
    .fp32_peak_gflops = NULL,
};
