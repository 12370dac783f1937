/* A stand-in NVML for test_sensors, built by the Makefile as a shared object and loaded through
 * the sensor configuration's nvml_library. It exports the few functions oclbench uses with
 * NVML's C signatures; built with -DFAKE_NVML_LEGACY it exports the older names instead
 * (nvmlInit, nvmlDeviceGetHandleByPciBusId, nvmlDeviceGetCurrentClocksThrottleReasons).
 *
 * Its values come from the file named by FAKE_NVML_STATE, read at every call: lines "key value"
 * with keys bus (the one device's PCI bus id), init_error (an NVML error code nvmlInit returns),
 * energy_mj, power_mw, temp_c, sm_mhz, mem_mhz, reasons (clock-event bits), util_gpu. A key
 * that is absent makes its function answer NVML_ERROR_NOT_SUPPORTED. fake_nvml_inits() counts
 * nvmlInit calls not yet matched by nvmlShutdown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct nvml_device_st *nvml_device;
typedef struct nvml_utilization {
  unsigned gpu, memory;
} nvml_utilization;

enum { OK = 0, ERROR_INVALID_ARGUMENT = 2, ERROR_NOT_SUPPORTED = 3, ERROR_NOT_FOUND = 6 };

#ifdef FAKE_NVML_LEGACY
#define INIT nvmlInit
#define BY_BUS nvmlDeviceGetHandleByPciBusId
#define REASONS nvmlDeviceGetCurrentClocksThrottleReasons
#else
#define INIT nvmlInit_v2
#define BY_BUS nvmlDeviceGetHandleByPciBusId_v2
#define REASONS nvmlDeviceGetCurrentClocksEventReasons
#endif

int INIT(void);
int nvmlShutdown(void);
const char *nvmlErrorString(int rc);
int BY_BUS(const char *bus, nvml_device *dev);
int nvmlDeviceGetTotalEnergyConsumption(nvml_device dev, unsigned long long *mj);
int nvmlDeviceGetPowerUsage(nvml_device dev, unsigned *mw);
int nvmlDeviceGetTemperature(nvml_device dev, int sensor, unsigned *c);
int nvmlDeviceGetClockInfo(nvml_device dev, int type, unsigned *mhz);
int REASONS(nvml_device dev, unsigned long long *bits);
int nvmlDeviceGetUtilizationRates(nvml_device dev, nvml_utilization *u);
int fake_nvml_inits(void);

static int inits;
static char device_tag;  /* the address handed out as the device handle */

/* The value of key in the state file, as text; 0 when absent. */
static int lookup(const char *key, char *value, size_t n) {
  const char *path = getenv("FAKE_NVML_STATE");
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f) return 0;
  char line[256];
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    char k[64], v[128];
    if (sscanf(line, "%63s %127s", k, v) == 2 && strcmp(k, key) == 0) {
      snprintf(value, n, "%s", v);
      found = 1;
    }
  }
  fclose(f);
  return found;
}

static int number(nvml_device dev, const char *key, unsigned long long *out) {
  char v[128];
  if (dev != (nvml_device)&device_tag) return ERROR_INVALID_ARGUMENT;
  if (!lookup(key, v, sizeof v)) return ERROR_NOT_SUPPORTED;
  *out = strtoull(v, NULL, 0);
  return OK;
}

static int number32(nvml_device dev, const char *key, unsigned *out) {
  unsigned long long v = 0;
  const int rc = number(dev, key, &v);
  if (rc == OK) *out = (unsigned)v;
  return rc;
}

int INIT(void) {
  char v[128];
  if (lookup("init_error", v, sizeof v)) return atoi(v);
  inits++;
  return OK;
}

int nvmlShutdown(void) {
  inits--;
  return OK;
}

int fake_nvml_inits(void) { return inits; }

const char *nvmlErrorString(int rc) {
  switch (rc) {
  case OK: return "Success";
  case ERROR_NOT_SUPPORTED: return "Not Supported";
  case ERROR_NOT_FOUND: return "Not Found";
  case 9: return "Driver Not Loaded";
  default: return "Unknown Error";
  }
}

/* Bus ids compare as numbers: NVML's "00000000:65:00.0" is oclbench's "0000:65:00.0". */
int BY_BUS(const char *bus, nvml_device *dev) {
  char v[128];
  unsigned a[4], b[4];
  if (!lookup("bus", v, sizeof v) || sscanf(v, "%x:%x:%x.%x", &a[0], &a[1], &a[2], &a[3]) != 4)
    return ERROR_NOT_FOUND;
  if (sscanf(bus, "%x:%x:%x.%x", &b[0], &b[1], &b[2], &b[3]) != 4) return ERROR_INVALID_ARGUMENT;
  if (memcmp(a, b, sizeof a) != 0) return ERROR_NOT_FOUND;
  *dev = (nvml_device)&device_tag;
  return OK;
}

int nvmlDeviceGetTotalEnergyConsumption(nvml_device dev, unsigned long long *mj) {
  return number(dev, "energy_mj", mj);
}

int nvmlDeviceGetPowerUsage(nvml_device dev, unsigned *mw) { return number32(dev, "power_mw", mw); }

int nvmlDeviceGetTemperature(nvml_device dev, int sensor, unsigned *c) {
  return sensor == 0 ? number32(dev, "temp_c", c) : ERROR_INVALID_ARGUMENT;
}

int nvmlDeviceGetClockInfo(nvml_device dev, int type, unsigned *mhz) {
  return type == 1 ? number32(dev, "sm_mhz", mhz)
         : type == 2 ? number32(dev, "mem_mhz", mhz)
                     : ERROR_NOT_SUPPORTED;
}

int REASONS(nvml_device dev, unsigned long long *bits) { return number(dev, "reasons", bits); }

int nvmlDeviceGetUtilizationRates(nvml_device dev, nvml_utilization *u) {
  u->memory = 0;
  return number32(dev, "util_gpu", &u->gpu);
}
