/* The sensor handle: opened from a device's facts, it picks its backends (NVML for NVIDIA GPUs,
 * sysfs for the rest), describes what it found and reads every source at once. */
#include "sensors_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ob_sensor_config_default(ob_sensor_config *cfg) {
  cfg->sysfs_root = "/";
  cfg->nvml_library = "libnvidia-ml.so.1";
  cfg->sample_interval_s = 0.025;
}

void ob_sensors_found(ob_sensors *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ob_vappendf(s->found, sizeof s->found, "; ", fmt, ap);
  va_end(ap);
}

void ob_sensors_missing(ob_sensors *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ob_vappendf(s->missing, sizeof s->missing, ", ", fmt, ap);
  va_end(ap);
}

bool ob_sensors_add_counter(ob_sensors *s, double wrap_j) {
  if (s->ncounters >= OB_SENSOR_MAX_COUNTERS) {
    ob_sensors_missing(s, "more than %d energy counters (the rest ignored)", OB_SENSOR_MAX_COUNTERS);
    return false;
  }
  s->wrap_j[s->ncounters++] = wrap_j;
  s->available |= OB_SENSE_ENERGY;
  return true;
}

ob_status ob_sensors_open(const ob_sensor_config *cfg, const ob_device_props *props,
                          ob_sensors **out) {
  if (!out) return ob_fail(OB_ERR_INVALID, "ob_sensors_open: NULL out");
  *out = NULL;
  if (!cfg || !props) return ob_fail(OB_ERR_INVALID, "ob_sensors_open: NULL argument");
  ob_sensors *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "sensors: out of memory");
  s->interval_s = cfg->sample_interval_s;
  const char *root = cfg->sysfs_root && *cfg->sysfs_root ? cfg->sysfs_root : "/";
  ob_status st = OB_OK;
  if (props->type & CL_DEVICE_TYPE_CPU) {
    st = ob_sensors_sysfs_open_cpu(s, root);
  } else if (!props->pci_bus_id[0]) {
    ob_sensors_missing(s, "no PCI bus id for this device");
  } else {
    if (props->vendor_class == OB_VENDOR_NVIDIA) {
      if (cfg->nvml_library && *cfg->nvml_library)
        st = ob_sensors_nvml_open(s, cfg->nvml_library, props->pci_bus_id);
      else
        ob_sensors_missing(s, "NVML not configured");
    }
    if (st == OB_OK && !s->nvml)
      st = ob_sensors_sysfs_open_pci(s, root, props->pci_bus_id,
                                     props->vendor_class == OB_VENDOR_INTEL);
  }
  if (st != OB_OK) {
    ob_sensors_destroy(s);
    return st;
  }
  if (!s->found[0])
    snprintf(s->description, sizeof s->description, "no sensors%s%s", s->missing[0] ? ": " : "",
             s->missing);
  else
    snprintf(s->description, sizeof s->description, "%s%s%s", s->found, s->missing[0] ? "; " : "",
             s->missing);
  *out = s;
  return OB_OK;
}

void ob_sensors_destroy(ob_sensors *s) {
  if (!s) return;
  ob_sensors_nvml_close(s->nvml);
  ob_sensors_sysfs_free(s);
  free(s);
}

unsigned ob_sensors_available(const ob_sensors *s) { return s ? s->available : 0; }

const char *ob_sensors_describe(const ob_sensors *s) { return s ? s->description : ""; }

void ob_sensors_sample(const ob_sensors *s, ob_sensor_sample *out) {
  ob_sensor_reading *r = &out->r;
  r->t_s = ob_now();
  r->energy_j = r->power_w = r->temp_c = r->clock_mhz = r->clock_min_mhz = NAN;
  r->mem_clock_mhz = r->busy_percent = NAN;
  r->throttle = 0;
  for (size_t i = 0; i < OB_SENSOR_MAX_COUNTERS; i++) out->counters[i] = NAN;
  if (!s) return;
  if (s->nvml) ob_sensors_nvml_read(s->nvml, out);
  ob_sensors_sysfs_read(s, out);
  if (isnan(r->clock_min_mhz)) r->clock_min_mhz = r->clock_mhz;
  if (s->ncounters) {
    double sum = 0.0;
    for (size_t i = 0; i < s->ncounters; i++) sum += out->counters[i];
    r->energy_j = sum;  /* NAN when any counter was unreadable */
  }
}

void ob_sensors_read(const ob_sensors *s, ob_sensor_reading *out) {
  ob_sensor_sample sample;
  ob_sensors_sample(s, &sample);
  *out = sample.r;
}

void ob_sensor_throttle_text(unsigned bits, char *buf, size_t n) {
  static const char *const words[] = {"power cap",   "hw slowdown",         "thermal",
                                      "hw thermal",  "power brake",         "sync boost",
                                      "idle",        "applications clocks", "display clock"};
  if (n == 0) return;
  buf[0] = '\0';
  size_t len = 0;
  for (size_t i = 0; i < sizeof words / sizeof *words && len + 1 < n; i++)
    if (bits & (1u << i))
      len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", words[i]);
}

const char *ob_energy_method_name(ob_energy_method m) {
  switch (m) {
  case OB_ENERGY_COUNTER: return "counter";
  case OB_ENERGY_POWER_INTEGRAL: return "power integral";
  case OB_ENERGY_NONE: break;
  }
  return "";
}
