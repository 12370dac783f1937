/* PoCL profile (CPU through LLVM): the native (instruction set) vector width, two FMA ports
 * per core; compiles are slow, so workloads should keep programs few. */
#include "vendor.h"

static void pocl_query(cl_device_id dev, ob_device_props *p) {
  if (!(p->type & CL_DEVICE_TYPE_CPU)) {
    ob_pci_query_khr(dev, p);
    return;
  }
  p->simd_width = (int)p->isa_float_width * 2; /* FP32 lanes x FMA ports */
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
