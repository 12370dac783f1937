/* `oclbench devices [--format table|csv|json|md] [--csv]`: every OpenCL device with its
 * properties and the sensors found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *const columns[] = {
    "index",           "slug",          "type",            "vendor_class",   "name",
    "vendor",          "platform",      "driver",          "cl_version",     "c_version",
    "compute_units",   "clock_mhz",     "global_mem_bytes", "local_mem_bytes", "max_alloc_bytes",
    "max_work_group",  "fp64",          "fp16",            "profiling",      "exec_timeout",
    "pci_bus_id",      "numa_node",     "nv_compute_capability", "fp32_theoretical_gflops",
    "sensors"};
#define NCOLUMNS (sizeof columns / sizeof *columns)
/* The columns holding numbers (JSON numbers, right-aligned). */
static const bool numeric[NCOLUMNS] = {[0] = true,  [10] = true, [11] = true, [12] = true,
                                       [13] = true, [14] = true, [15] = true, [21] = true,
                                       [23] = true};

typedef struct device_text {
  char idx[16], cu[16], clk[16], gmem[24], lmem[24], alloc[24], wg[16], numa[16], cc[16], peak[32];
  const char *f[NCOLUMNS];
} device_text;

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

/* sensors: the device's sensor description. */
static void device_fields(const ob_device *dev, const char *sensors, device_text *t) {
  const ob_device_props *p = ob_device_props_get(dev);
  snprintf(t->idx, sizeof t->idx, "%zu", ob_device_index(dev));
  snprintf(t->cu, sizeof t->cu, "%u", p->compute_units);
  snprintf(t->clk, sizeof t->clk, "%u", p->clock_mhz);
  snprintf(t->gmem, sizeof t->gmem, "%llu", (unsigned long long)p->global_mem);
  snprintf(t->lmem, sizeof t->lmem, "%llu", (unsigned long long)p->local_mem);
  snprintf(t->alloc, sizeof t->alloc, "%llu", (unsigned long long)p->max_alloc);
  snprintf(t->wg, sizeof t->wg, "%zu", p->max_wg);
  int numa = ob_host_pci_numa_node(p->pci_bus_id);
  if (numa >= 0) snprintf(t->numa, sizeof t->numa, "%d", numa);
  else t->numa[0] = '\0';
  if (p->nv_cc_major) snprintf(t->cc, sizeof t->cc, "%d.%d", p->nv_cc_major, p->nv_cc_minor);
  else t->cc[0] = '\0';
  double peak = ob_device_fp32_theoretical(dev);
  if (peak > 0) ob_format_double(t->peak, sizeof t->peak, peak);
  else t->peak[0] = '\0';
  const char *timeout = p->exec_timeout < 0 ? "unknown" : yes_no(p->exec_timeout == 1);
  const char *f[NCOLUMNS] = {t->idx,        ob_device_slug(dev), p->type_name,
                             ob_vendor_slug(p->vendor_class), p->name, p->vendor,
                             p->platform,   p->driver,           p->cl_version,
                             p->c_version,  t->cu,               t->clk,
                             t->gmem,       t->lmem,             t->alloc,
                             t->wg,         yes_no(p->fp64),     yes_no(ob_device_fp16(dev)),
                             yes_no(p->profiling), timeout,      p->pci_bus_id,
                             t->numa,       t->cc,               t->peak,
                             sensors};
  memcpy(t->f, f, sizeof f);
}

/* sensors[i]: the sensors of device i. */
static void print_text(const ob_registry *reg, ob_sensors *const *sensors) {
  ob_host_info host;
  ob_host_get(&host);
  printf("host: %s, %s, %s, %d cores / %d threads, %d NUMA node%s\n", host.hostname, host.os,
         host.cpu[0] ? host.cpu : "unknown CPU", host.cores, host.pus, host.numa_nodes,
         host.numa_nodes == 1 ? "" : "s");
  for (size_t i = 0; i < ob_registry_count(reg); i++) {
    const ob_device *dev = ob_registry_device(reg, i);
    const ob_device_props *p = ob_device_props_get(dev);
    device_text t;
    device_fields(dev, ob_sensors_describe(sensors[i]), &t);
    printf("\n%zu  %s  %s\n", i, ob_device_slug(dev), p->name);
    printf("   platform   %s (%s)\n", p->platform, p->platform_version);
    printf("   driver     %s, %s, %s\n", p->driver, p->cl_version, p->c_version);
    printf("   compute    %u units at %u MHz", p->compute_units, p->clock_mhz);
    if (strcmp(p->clock_source, "driver") != 0) printf(" (clock: %s)", p->clock_source);
    printf(", max work-group %zu", p->max_wg);
    if (t.peak[0]) printf(", FP32 theoretical %s GFLOP/s", t.peak);
    printf("\n   memory     %.2f GiB global, %.0f KiB local, max alloc %.2f GiB\n",
           (double)p->global_mem / (1 << 30), (double)p->local_mem / 1024,
           (double)p->max_alloc / (1 << 30));
    printf("   features   fp64 %s, fp16 %s, profiling %s, watchdog %s%s%s\n", yes_no(p->fp64),
           yes_no(ob_device_fp16(dev)), yes_no(p->profiling),
           p->exec_timeout < 0 ? "unknown" : yes_no(p->exec_timeout == 1),
           t.cc[0] ? ", compute capability " : "", t.cc);
    if (p->pci_bus_id[0])
      printf("   pci        %s%s%s\n", p->pci_bus_id, t.numa[0] ? ", NUMA node " : "", t.numa);
    printf("   sensors    %s\n", ob_sensors_describe(sensors[i]));
  }
}

int ob_devices_args_parse(int argc, char **argv, ob_format *format) {
  ob_cli_flags seen = {.n = 0};
  *format = OB_FORMAT_TEXT;
  for (int i = 1; i < argc; i++) {
    const bool csv = strcmp(argv[i], "--csv") == 0;
    if (!csv && strcmp(argv[i], "--format") != 0)
      return ob_cli_usage_error("devices: unknown argument '%s'", argv[i]);
    if (!ob_cli_once(&seen, argv[i])) return OB_EXIT_USAGE;
    if (seen.n == 2) return ob_cli_usage_error("--csv is --format csv: give one of them");
    if (csv) {
      *format = OB_FORMAT_CSV;
      continue;
    }
    const char *v = ob_cli_value(argc, argv, &i);
    if (!v || !ob_cli_format(v, format)) return OB_EXIT_USAGE;
  }
  return OB_EXIT_OK;
}

/* The devices as a table of the CSV columns, in a machine format. */
static ob_status print_table(const ob_registry *reg, ob_sensors *const *sensors, ob_format fmt) {
  const size_t n = ob_registry_count(reg);
  device_text *t = calloc(n + 1, sizeof *t);
  const char **cells = calloc((n + 1) * NCOLUMNS, sizeof *cells);
  ob_status st = t && cells ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t c = 0; st == OB_OK && c < NCOLUMNS; c++) cells[c] = columns[c];
  for (size_t i = 0; st == OB_OK && i < n; i++) {
    device_fields(ob_registry_device(reg, i), ob_sensors_describe(sensors[i]), &t[i]);
    memcpy(cells + (i + 1) * NCOLUMNS, t[i].f, sizeof t[i].f);
  }
  const ob_table table = {cells, NCOLUMNS, n + 1, numeric};
  if (st == OB_OK) st = ob_table_write(&table, fmt, 0, stdout);
  free(t);
  free(cells);
  return st;
}

int ob_cmd_devices(int argc, char **argv) {
  ob_format format = OB_FORMAT_TEXT;
  int rc = ob_devices_args_parse(argc, argv, &format);
  if (rc != OB_EXIT_OK) return rc;
  ob_registry *reg = NULL;
  rc = ob_cli_open_registry(&reg);
  if (rc != OB_EXIT_OK) return rc;
  /* Every handle open at once: NVML is initialised once for all the GPUs. */
  const size_t n = ob_registry_count(reg);
  ob_sensors **sensors = calloc(n, sizeof *sensors);
  ob_sensor_config cfg;
  ob_cli_sensor_config(&cfg);
  for (size_t i = 0; sensors && i < n && rc == OB_EXIT_OK; i++)
    if (ob_sensors_open(&cfg, ob_device_props_get(ob_registry_device(reg, i)), &sensors[i]) != OB_OK)
      rc = OB_EXIT_FAILED;
  if (!sensors || rc != OB_EXIT_OK) {
    fprintf(stderr, "oclbench: devices: %s\n", sensors ? ob_error_detail() : "out of memory");
    rc = OB_EXIT_FAILED;
  } else if (format != OB_FORMAT_TEXT) {
    if (print_table(reg, sensors, format) != OB_OK) {
      fprintf(stderr, "oclbench: devices: %s\n", ob_error_detail());
      rc = OB_EXIT_FAILED;
    }
  } else {
    print_text(reg, sensors);
  }
  for (size_t i = 0; sensors && i < n; i++) ob_sensors_destroy(sensors[i]);
  free(sensors);
  ob_registry_destroy(reg);
  if (rc != OB_EXIT_OK) return rc;
  return fflush(stdout) == 0 ? OB_EXIT_OK : OB_EXIT_FAILED;
}
