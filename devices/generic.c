/* Generic vendor profile, vendor classification and the shared building blocks. */
#include "vendor.h"

#include <CL/cl_ext.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const ob_vendor_profile ob_profile_nvidia, ob_profile_amd, ob_profile_intel,
    ob_profile_apple, ob_profile_pocl;

static const ob_vendor_profile generic_profile = {
    .name = "other",
    .build_options = NULL,
    .wg_multiple = 0,
    .quirks = OB_QUIRK_NONE,
    .query_extra = NULL,
    .fp32_peak_gflops = NULL,
};

const ob_vendor_profile *ob_vendor_profile_get(ob_vendor v) {
  switch (v) {
  case OB_VENDOR_NVIDIA: return &ob_profile_nvidia;
  case OB_VENDOR_AMD: return &ob_profile_amd;
  case OB_VENDOR_INTEL: return &ob_profile_intel;
  case OB_VENDOR_APPLE: return &ob_profile_apple;
  case OB_VENDOR_POCL: return &ob_profile_pocl;
  default: return &generic_profile;
  }
}

const char *ob_vendor_slug(ob_vendor v) { return ob_vendor_profile_get(v)->name; }

static bool contains(const char *hay, const char *needle) {
  return hay && strcasestr(hay, needle) != NULL;
}

ob_vendor ob_vendor_classify(cl_uint vendor_id, const char *vendor, const char *platform) {
  /* The implementation decides the profile: PoCL on an Intel CPU is PoCL, not Intel. */
  if (contains(platform, "Portable Computing Language") || contains(platform, "pocl"))
    return OB_VENDOR_POCL;
  if (vendor_id == 0x10de || contains(vendor, "NVIDIA")) return OB_VENDOR_NVIDIA;
  if (vendor_id == 0x1002 || vendor_id == 0x1022 || contains(vendor, "Advanced Micro") ||
      contains(vendor, "AMD"))
    return OB_VENDOR_AMD;
  if (vendor_id == 0x8086 || contains(vendor, "Intel")) return OB_VENDOR_INTEL;
  if (vendor_id == 0x1027f00 || contains(vendor, "Apple")) return OB_VENDOR_APPLE;
  return OB_VENDOR_OTHER;
}

double ob_generic_fp32_peak(const ob_device_props *p) {
  /* lanes x 2 FLOP (FMA) x clock; without a known SIMD width only the native vector width
   * is known, which underestimates GPUs, so report "unknown" there. */
  if (p->simd_width <= 0 || p->compute_units == 0 || p->clock_mhz == 0) return 0.0;
  return (double)p->compute_units * p->simd_width * 2.0 * p->clock_mhz / 1000.0;
}

double ob_vendor_fp32_peak(const ob_device_props *p) {
  const ob_vendor_profile *prof = ob_vendor_profile_get(p->vendor_class);
  return prof->fp32_peak_gflops ? prof->fp32_peak_gflops(p) : ob_generic_fp32_peak(p);
}

bool ob_pci_query_khr(cl_device_id dev, ob_device_props *p) {
  if (!strstr(p->extensions, "cl_khr_pci_bus_info")) return false;
  cl_device_pci_bus_info_khr info;
  if (clGetDeviceInfo(dev, CL_DEVICE_PCI_BUS_INFO_KHR, sizeof info, &info, NULL) != CL_SUCCESS)
    return false;
  snprintf(p->pci_bus_id, sizeof p->pci_bus_id, "%04x:%02x:%02x.%x", info.pci_domain,
           info.pci_bus, info.pci_device, info.pci_function);
  return true;
}
