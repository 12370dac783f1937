/* NVIDIA profile: compute capability and PCI attributes (cl_nv_device_attribute_query),
 * FP32 lanes per SM by architecture. */
#include "vendor.h"

#include <CL/cl_ext.h>
#include <stdio.h>
#include <string.h>

/* cl_nv_device_attribute_query values missing from some cl_ext.h versions. */
#ifndef CL_DEVICE_PCI_BUS_ID_NV
#define CL_DEVICE_PCI_BUS_ID_NV 0x4008
#endif
#ifndef CL_DEVICE_PCI_SLOT_ID_NV
#define CL_DEVICE_PCI_SLOT_ID_NV 0x4009
#endif
#ifndef CL_DEVICE_PCI_DOMAIN_ID_NV
#define CL_DEVICE_PCI_DOMAIN_ID_NV 0x400A
#endif

/* FP32 lanes per SM by compute capability (CUDA programming guide, arithmetic throughput). */
static int nv_fp32_lanes(int major, int minor) {
  if (major >= 9) return 128;              /* Hopper, Blackwell */
  if (major == 8) return minor == 0 ? 64 : 128; /* A100: 64; GA10x, Ada: 128 */
  if (major == 7) return 64;               /* Volta, Turing */
  if (major == 6) return minor == 0 ? 64 : 128;
  if (major == 5) return 128;
  return 0;
}

static void nv_query(cl_device_id dev, ob_device_props *p) {
  cl_uint major = 0, minor = 0, timeout = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV, sizeof major, &major, NULL) ==
          CL_SUCCESS &&
      clGetDeviceInfo(dev, CL_DEVICE_COMPUTE_CAPABILITY_MINOR_NV, sizeof minor, &minor, NULL) ==
          CL_SUCCESS) {
    p->nv_cc_major = (int)major;
    p->nv_cc_minor = (int)minor;
    p->simd_width = nv_fp32_lanes(p->nv_cc_major, p->nv_cc_minor);
  }
  if (clGetDeviceInfo(dev, CL_DEVICE_KERNEL_EXEC_TIMEOUT_NV, sizeof timeout, &timeout, NULL) ==
      CL_SUCCESS)
    p->exec_timeout = timeout ? 1 : 0;
  if (ob_pci_query_khr(dev, p)) return;
  cl_uint bus = 0, slot = 0, domain = 0;
  if (clGetDeviceInfo(dev, CL_DEVICE_PCI_BUS_ID_NV, sizeof bus, &bus, NULL) != CL_SUCCESS ||
      clGetDeviceInfo(dev, CL_DEVICE_PCI_SLOT_ID_NV, sizeof slot, &slot, NULL) != CL_SUCCESS)
    return;
  if (clGetDeviceInfo(dev, CL_DEVICE_PCI_DOMAIN_ID_NV, sizeof domain, &domain, NULL) != CL_SUCCESS)
    domain = 0;
  /* The slot id packs device (bits 3..7) and function (bits 0..2). */
  snprintf(p->pci_bus_id, sizeof p->pci_bus_id, "%04x:%02x:%02x.%x", domain, bus, slot >> 3,
           slot & 7);
}

const ob_vendor_profile ob_profile_nvidia = {
    .name = "nvidia",
    .build_options = "-cl-mad-enable",
    .verbose_build_option = "-cl-nv-verbose",
    .wg_multiple = 32,
    .quirks = OB_QUIRK_NO_FP16,
    .query_extra = nv_query,
    .fp32_peak_gflops = NULL, /* generic: SMs x lanes x 2 x clock */
};
