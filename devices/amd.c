/* AMD profile: board topology (cl_amd_device_attribute_query), 64 lanes per CU. */
#include "vendor.h"

#include <CL/cl_ext.h>
#include <stdio.h>

static void amd_query(cl_device_id dev, ob_device_props *p) {
  if (p->type & CL_DEVICE_TYPE_GPU) p->simd_width = 64;
  if (ob_pci_query_khr(dev, p)) return;
  cl_device_topology_amd topo;
  if (clGetDeviceInfo(dev, CL_DEVICE_TOPOLOGY_AMD, sizeof topo, &topo, NULL) != CL_SUCCESS) return;
  if (topo.raw.type != CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD) return;
  snprintf(p->pci_bus_id, sizeof p->pci_bus_id, "0000:%02x:%02x.%x",
           (unsigned)(unsigned char)topo.pcie.bus, (unsigned)(unsigned char)topo.pcie.device,
           (unsigned)(unsigned char)topo.pcie.function);
}

const ob_vendor_profile ob_profile_amd = {
    .name = "amd",
    .build_options = NULL,
    .wg_multiple = 64,
    .quirks = OB_QUIRK_NONE,
    .query_extra = amd_query,
    .fp32_peak_gflops = NULL,
};
