/* Host facts through uname() and hwloc: CPU model, cores, NUMA nodes, PCI locality. */
#include "oclbench.h"

#include <hwloc.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static hwloc_topology_t topology(void) {
  static hwloc_topology_t topo;
  static bool tried;
  if (tried) return topo;
  tried = true;
  if (hwloc_topology_init(&topo) != 0) return topo = NULL;
  hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  if (hwloc_topology_load(topo) != 0) {
    hwloc_topology_destroy(topo);
    topo = NULL;
  }
  return topo;
}

void ob_host_get(ob_host_info *out) {
  memset(out, 0, sizeof *out);
  if (gethostname(out->hostname, sizeof out->hostname - 1) != 0) out->hostname[0] = '\0';
  struct utsname u;
  if (uname(&u) == 0) snprintf(out->os, sizeof out->os, "%s %s", u.sysname, u.release);
  hwloc_topology_t topo = topology();
  if (!topo) return;
  out->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  out->pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  out->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
  hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
  const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
  if (!model) {
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    model = hwloc_obj_get_info_by_name(root, "CPUModel");
  }
  if (model) snprintf(out->cpu, sizeof out->cpu, "%s", model);
}

int ob_host_pci_numa_node(const char *pci_bus_id) {
  if (!pci_bus_id || !*pci_bus_id) return -1;
  hwloc_topology_t topo = topology();
  if (!topo) return -1;
  hwloc_obj_t pci = hwloc_get_pcidev_by_busidstring(topo, pci_bus_id);
  if (!pci) return -1;
  hwloc_obj_t anc = hwloc_get_non_io_ancestor_obj(topo, pci);
  if (!anc || !anc->nodeset) return -1;
  return hwloc_bitmap_first(anc->nodeset);
}
