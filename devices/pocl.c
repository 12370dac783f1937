/* PoCL profile (CPU through LLVM): SIMD width from the target in the device name, two FMA
 * ports per core; compiles are slow, so workloads should keep programs few. */
#include "vendor.h"

#include <string.h>

static void pocl_query(cl_device_id dev, ob_device_props *p) {
  if (!(p->type & CL_DEVICE_TYPE_CPU)) {
    ob_pci_query_khr(dev, p);
    return;
  }
  int lanes = (int)p->native_float_width;
  if (strstr(p->name, "avx512")) lanes = 16;
  else if (lanes < 4) lanes = 4;
  p->simd_width = lanes * 2; /* FP32 lanes x FMA ports */
  p->clock_headroom = OB_CPU_TURBO_HEADROOM;
}

const ob_vendor_profile ob_profile_pocl = {
    .name = "pocl",
    .build_options = NULL,
    .wg_multiple = 8,
    .quirks = OB_QUIRK_SLOW_COMPILE,
    .query_extra = pocl_query,
    .fp32_peak_gflops = NULL,
};
