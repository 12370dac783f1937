/* NVML, loaded at run time: no build dependency and no NVML header. The few functions used are
 * declared here with NVML's C signatures; a function the library lacks or the device does not
 * support (NVML_ERROR_NOT_SUPPORTED) is left out of the readings. NVML counts nvmlInit against
 * nvmlShutdown and dlopen counts loads, so each handle initialises and unloads its own. */
#include "sensors_impl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int nvml_return;  /* nvmlReturn_t: 0 is NVML_SUCCESS */
typedef struct nvml_device_st *nvml_device;
typedef struct nvml_utilization {
  unsigned gpu, memory;
} nvml_utilization;

enum { NVML_SUCCESS = 0, NVML_TEMPERATURE_GPU = 0, NVML_CLOCK_SM = 1, NVML_CLOCK_MEM = 2 };

typedef nvml_return (*nvml_init_fn)(void);
typedef const char *(*nvml_error_string_fn)(nvml_return);
typedef nvml_return (*nvml_by_bus_fn)(const char *, nvml_device *);
typedef nvml_return (*nvml_u64_fn)(nvml_device, unsigned long long *);
typedef nvml_return (*nvml_uint_fn)(nvml_device, unsigned *);
typedef nvml_return (*nvml_uint_of_fn)(nvml_device, int, unsigned *);
typedef nvml_return (*nvml_util_fn)(nvml_device, nvml_utilization *);

struct ob_nvml {
  void *lib;
  nvml_device dev;
  nvml_init_fn shutdown;
  /* NULL when the library lacks the function or the device does not support it */
  nvml_u64_fn energy;             /* nvmlDeviceGetTotalEnergyConsumption, mJ */
  nvml_uint_fn power;             /* nvmlDeviceGetPowerUsage, mW */
  nvml_uint_of_fn temperature;    /* nvmlDeviceGetTemperature, °C */
  nvml_uint_of_fn clock;          /* nvmlDeviceGetClockInfo, MHz */
  bool sm_clock, mem_clock;
  nvml_u64_fn reasons;            /* nvmlDeviceGetCurrentClocksEventReasons (or ...Throttle...) */
  nvml_util_fn utilization;       /* nvmlDeviceGetUtilizationRates, % */
};

/* NVML's clock-event reason bits, in the order of the OB_THROTTLE_* bits: GpuIdle 0x1 and
 * ApplicationsClocksSetting 0x2 map to IDLE and APP_CLOCKS, SwPowerCap 0x4 to POWER_CAP, ... */
static const struct {
  unsigned long long nvml;
  unsigned ob;
} reason_bits[] = {
    {0x1ull, OB_THROTTLE_IDLE},          {0x2ull, OB_THROTTLE_APP_CLOCKS},
    {0x4ull, OB_THROTTLE_POWER_CAP},     {0x8ull, OB_THROTTLE_HW_SLOWDOWN},
    {0x10ull, OB_THROTTLE_SYNC_BOOST},   {0x20ull, OB_THROTTLE_THERMAL},
    {0x40ull, OB_THROTTLE_HW_THERMAL},   {0x80ull, OB_THROTTLE_POWER_BRAKE},
    {0x100ull, OB_THROTTLE_DISPLAY},
};

static unsigned decode_reasons(unsigned long long bits) {
  unsigned out = 0;
  for (size_t i = 0; i < sizeof reason_bits / sizeof *reason_bits; i++)
    if (bits & reason_bits[i].nvml) out |= reason_bits[i].ob;
  return out;
}

/* The first of the names the library exports; NULL when none. */
static void *symbol(void *lib, const char *name, const char *older) {
  void *p = dlsym(lib, name);
  return p || !older ? p : dlsym(lib, older);
}

/* Keeps the functions that answer for this device and names them in the description. */
static void probe(ob_sensors *s, ob_nvml *n) {
  unsigned long long u64 = 0;
  unsigned u = 0;
  nvml_utilization util;
  if (n->energy && n->energy(n->dev, &u64) != NVML_SUCCESS) n->energy = NULL;
  if (n->power && n->power(n->dev, &u) != NVML_SUCCESS) n->power = NULL;
  if (n->temperature && n->temperature(n->dev, NVML_TEMPERATURE_GPU, &u) != NVML_SUCCESS)
    n->temperature = NULL;
  n->sm_clock = n->clock && n->clock(n->dev, NVML_CLOCK_SM, &u) == NVML_SUCCESS;
  n->mem_clock = n->clock && n->clock(n->dev, NVML_CLOCK_MEM, &u) == NVML_SUCCESS;
  if (n->reasons && n->reasons(n->dev, &u64) != NVML_SUCCESS) n->reasons = NULL;
  if (n->utilization && n->utilization(n->dev, &util) != NVML_SUCCESS) n->utilization = NULL;
  char what[160] = "";
  const struct {
    bool has;
    unsigned bit;
    const char *word;
  } found[] = {{n->energy != NULL, OB_SENSE_ENERGY, "energy"},
               {n->power != NULL, OB_SENSE_POWER, "power"},
               {n->temperature != NULL, OB_SENSE_TEMP, "temperature"},
               {n->sm_clock, OB_SENSE_CLOCK, "sm clock"},
               {n->mem_clock, OB_SENSE_MEM_CLOCK, "memory clock"},
               {n->reasons != NULL, OB_SENSE_THROTTLE, "clock-event reasons"},
               {n->utilization != NULL, OB_SENSE_BUSY, "utilisation"}};
  size_t len = 0;
  for (size_t i = 0; i < sizeof found / sizeof *found; i++) {
    if (!found[i].has) continue;
    s->available |= found[i].bit;
    len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", len ? ", " : "", found[i].word);
  }
  if (n->energy) ob_sensors_add_counter(s, 0.0);
  if (len) ob_sensors_found(s, "nvml (%s)", what);
  else ob_sensors_missing(s, "NVML reads nothing for this device");
}

ob_status ob_sensors_nvml_open(ob_sensors *s, const char *library, const char *pci_bus_id) {
  void *lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *why = dlerror();
    ob_sensors_missing(s, "no NVML (%s)", why ? why : library);
    return OB_OK;
  }
  nvml_init_fn init = (nvml_init_fn)symbol(lib, "nvmlInit_v2", "nvmlInit");
  nvml_init_fn shutdown = (nvml_init_fn)dlsym(lib, "nvmlShutdown");
  nvml_by_bus_fn by_bus =
      (nvml_by_bus_fn)symbol(lib, "nvmlDeviceGetHandleByPciBusId_v2", "nvmlDeviceGetHandleByPciBusId");
  nvml_error_string_fn error_string = (nvml_error_string_fn)dlsym(lib, "nvmlErrorString");
  if (!init || !shutdown || !by_bus) {
    ob_sensors_missing(s, "%s is not NVML (no nvmlInit, nvmlShutdown or "
                          "nvmlDeviceGetHandleByPciBusId)", library);
    dlclose(lib);
    return OB_OK;
  }
  nvml_return rc = init();
  if (rc != NVML_SUCCESS) {
    ob_sensors_missing(s, "NVML init failed (%s)", error_string ? error_string(rc) : "error");
    dlclose(lib);
    return OB_OK;
  }
  nvml_device dev = NULL;
  rc = by_bus(pci_bus_id, &dev);
  if (rc != NVML_SUCCESS) {
    ob_sensors_missing(s, "NVML has no device at %s (%s)", pci_bus_id,
                       error_string ? error_string(rc) : "error");
    shutdown();
    dlclose(lib);
    return OB_OK;
  }
  ob_nvml *n = calloc(1, sizeof *n);
  if (!n) {
    shutdown();
    dlclose(lib);
    return ob_fail(OB_ERR_NOMEM, "sensors: out of memory");
  }
  *n = (ob_nvml){
      .lib = lib,
      .dev = dev,
      .shutdown = shutdown,
      .energy = (nvml_u64_fn)dlsym(lib, "nvmlDeviceGetTotalEnergyConsumption"),
      .power = (nvml_uint_fn)dlsym(lib, "nvmlDeviceGetPowerUsage"),
      .temperature = (nvml_uint_of_fn)dlsym(lib, "nvmlDeviceGetTemperature"),
      .clock = (nvml_uint_of_fn)dlsym(lib, "nvmlDeviceGetClockInfo"),
      .reasons = (nvml_u64_fn)symbol(lib, "nvmlDeviceGetCurrentClocksEventReasons",
                                     "nvmlDeviceGetCurrentClocksThrottleReasons"),
      .utilization = (nvml_util_fn)dlsym(lib, "nvmlDeviceGetUtilizationRates"),
  };
  s->nvml = n;
  probe(s, n);
  return OB_OK;
}

void ob_sensors_nvml_close(ob_nvml *n) {
  if (!n) return;
  n->shutdown();
  dlclose(n->lib);
  free(n);
}

void ob_sensors_nvml_read(const ob_nvml *n, ob_sensor_sample *out) {
  ob_sensor_reading *r = &out->r;
  unsigned long long u64 = 0;
  unsigned u = 0;
  if (n->energy && n->energy(n->dev, &u64) == NVML_SUCCESS) out->counters[0] = (double)u64 * 1e-3;
  if (n->power && n->power(n->dev, &u) == NVML_SUCCESS) r->power_w = u * 1e-3;
  if (n->temperature && n->temperature(n->dev, NVML_TEMPERATURE_GPU, &u) == NVML_SUCCESS)
    r->temp_c = u;
  if (n->sm_clock && n->clock(n->dev, NVML_CLOCK_SM, &u) == NVML_SUCCESS) r->clock_mhz = u;
  if (n->mem_clock && n->clock(n->dev, NVML_CLOCK_MEM, &u) == NVML_SUCCESS) r->mem_clock_mhz = u;
  if (n->reasons && n->reasons(n->dev, &u64) == NVML_SUCCESS) r->throttle = decode_reasons(u64);
  nvml_utilization util;
  if (n->utilization && n->utilization(n->dev, &util) == NVML_SUCCESS) r->busy_percent = util.gpu;
}
