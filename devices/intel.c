/* Intel profile: GPUs report execution units as compute units, 8 FP32 lanes each; the CPU
 * runtime vectorises across work-items and reports a preferred float width of 1, so its lanes
 * are the native (instruction set) width, two FMA ports per core. */
#include "vendor.h"

static void intel_query(cl_device_id dev, ob_device_props *p) {
  if (p->type & CL_DEVICE_TYPE_GPU) p->simd_width = 8;
  else {
    p->simd_width = (int)p->isa_float_width * 2; /* two FMA ports per core */
    p->clock_headroom = OB_CPU_TURBO_HEADROOM;
  }
  ob_pci_query_khr(dev, p);
}

const ob_vendor_profile ob_profile_intel = {
    .name = "intel",
    .build_options = NULL,
    .wg_multiple = 16,
    .quirks = OB_QUIRK_NONE,
    .query_extra = intel_query,
    .fp32_peak_gflops = NULL,
};
