/* Host facts through uname() and hwloc: CPU model, cores, NUMA nodes, PCI locality. */
#include "oclbench.h"

#include <hwloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The host's topology, loaded once per process (the first caller, whatever its thread) and read
 * only afterwards; NULL when hwloc cannot load it. */
static hwloc_topology_t host_topo;
static pthread_once_t host_topo_once = PTHREAD_ONCE_INIT;

static void topology_load(void) {
  if (hwloc_topology_init(&host_topo) != 0) {
    host_topo = NULL;
    return;
  }
  hwloc_topology_set_io_types_filter(host_topo, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  /* PCI devices (NUMA locality by bus id), no OS devices: hwloc's OpenCL, CUDA, NVML, ...
   * plugins would open every driver again and query vendor parameters without checking the
   * extensions (CL_DEVICE_TOPOLOGY_AMD on any device: CL_INVALID_VALUE, which Oclgrind's API
   * checks report). */
  hwloc_topology_set_type_filter(host_topo, HWLOC_OBJ_OS_DEVICE, HWLOC_TYPE_FILTER_KEEP_NONE);
  if (hwloc_topology_load(host_topo) != 0) {
    hwloc_topology_destroy(host_topo);
    host_topo = NULL;
  }
}

static hwloc_topology_t topology(void) {
  pthread_once(&host_topo_once, topology_load);
  return host_topo;
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

/* The largest value of an hwloc CPU-kind info attribute, 0 when absent. */
static unsigned cpukind_mhz(hwloc_topology_t topo, const char *name) {
  unsigned best = 0;
  const int nr = hwloc_cpukinds_get_nr(topo, 0);
  for (int k = 0; k < nr; k++) {
    unsigned ninfos = 0;
    struct hwloc_info_s *infos = NULL;
    if (hwloc_cpukinds_get_info(topo, (unsigned)k, NULL, NULL, &ninfos, &infos, 0) != 0) continue;
    for (unsigned i = 0; i < ninfos; i++) {
      const unsigned long v = strcmp(infos[i].name, name) == 0 ? strtoul(infos[i].value, NULL, 10) : 0;
      if (v > best && v < 100000) best = (unsigned)v;
    }
  }
  return best;
}

/* The largest "cpu MHz" line of a /proc/cpuinfo-format file, 0 when none. */
static unsigned cpuinfo_mhz(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[256];
  double best = 0.0;
  while (fgets(line, sizeof line, f)) {
    double v = 0.0;
    if (strncmp(line, "cpu MHz", 7) == 0 && sscanf(strchr(line, ':') ? strchr(line, ':') + 1 : "",
                                                   "%lf", &v) == 1 && v > best && v < 100000)
      best = v;
  }
  fclose(f);
  return (unsigned)(best + 0.5);
}

unsigned ob_host_cpu_mhz(char *source, size_t n) {
  hwloc_topology_t topo = topology();
  static const char *const kinds[] = {"FrequencyMaxMHz", "FrequencyBaseMHz"};
  for (size_t i = 0; topo && i < sizeof kinds / sizeof *kinds; i++) {
    const unsigned mhz = cpukind_mhz(topo, kinds[i]);
    if (mhz) {
      snprintf(source, n, "host CPU, hwloc %s", kinds[i]);
      return mhz;
    }
  }
  char *text = NULL;
  if (ob_read_file("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", &text, NULL) == OB_OK) {
    const unsigned long khz = strtoul(text, NULL, 10);
    free(text);
    if (khz >= 1000 && khz < 100000000) {
      snprintf(source, n, "host CPU, cpufreq cpuinfo_max_freq");
      return (unsigned)(khz / 1000);
    }
  }
  ob_error_clear();
  const unsigned mhz = cpuinfo_mhz("/proc/cpuinfo");
  if (mhz) {
    snprintf(source, n, "host CPU, /proc/cpuinfo");
    return mhz;
  }
  snprintf(source, n, "unknown: no hwloc CPU kinds, cpufreq or /proc/cpuinfo frequency");
  return 0;
}

size_t ob_host_llc_bytes(void) {
  hwloc_topology_t t = topology();
  static const hwloc_obj_type_t levels[] = {HWLOC_OBJ_L5CACHE, HWLOC_OBJ_L4CACHE,
                                            HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE,
                                            HWLOC_OBJ_L1CACHE};
  for (size_t i = 0; t && i < sizeof levels / sizeof *levels; i++) {
    const int n = hwloc_get_nbobjs_by_type(t, levels[i]);
    size_t sum = 0;
    for (int k = 0; k < n; k++) {
      hwloc_obj_t c = hwloc_get_obj_by_type(t, levels[i], (unsigned)k);
      if (c && c->attr) sum += (size_t)c->attr->cache.size;
    }
    if (sum) return sum;
  }
  return 0;
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
