/* Private: the body of the sensor handle and the entry points of its two backends (NVML in
 * core/sensors_nvml.c, Linux sysfs in core/sensors_sysfs.c). Only core/sensors_*.c include this. */
#ifndef OB_SENSORS_IMPL_H
#define OB_SENSORS_IMPL_H

#include "sensors.h"

/* Energy counters one handle sums (RAPL: a package and a dram domain per socket). */
#define OB_SENSOR_MAX_COUNTERS 16

/* One sysfs file holding a number. */
typedef struct ob_sensor_file {
  char *path;
  double scale;  /* the file's number times scale is in the reading's unit (J, W, °C, MHz, %) */
} ob_sensor_file;

typedef struct ob_sensor_files {
  ob_sensor_file *v;
  size_t n, cap;
} ob_sensor_files;

typedef struct ob_nvml ob_nvml;

struct ob_sensors {
  double interval_s;
  unsigned available;                     /* OB_SENSE_* */
  size_t ncounters;                       /* energy counters read per sample */
  double wrap_j[OB_SENSOR_MAX_COUNTERS];  /* a counter restarts at 0 after this many J; 0: never */
  /* sysfs sources (empty when NVML reads the device) */
  ob_sensor_files energy;                 /* one per counter, in counter order */
  ob_sensor_files power, temp, clock, mem_clock, busy;
  ob_nvml *nvml;                          /* NULL unless NVML has the device */
  char found[512];                        /* "source (what); ..." */
  char missing[768];                      /* why the rest is absent, ", "-separated */
  char description[1300];
};

/* A reading with the raw energy counters a window's energy is computed from. */
typedef struct ob_sensor_sample {
  ob_sensor_reading r;
  double counters[OB_SENSOR_MAX_COUNTERS];  /* J, NAN when unreadable */
} ob_sensor_sample;

/* Reads every source of s once into *out (core/sensors_handle.c). */
void ob_sensors_sample(const ob_sensors *s, ob_sensor_sample *out);

/* Appends a found source ("; "-separated) or a reason something is absent (", "-separated). */
void ob_sensors_found(ob_sensors *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_sensors_missing(ob_sensors *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers the next energy counter with its wrap-around (0: never); false (and a note) when the
 * handle has OB_SENSOR_MAX_COUNTERS already. */
bool ob_sensors_add_counter(ob_sensors *s, double wrap_j);

/* NVML: loads `library`, finds the device at pci_bus_id and sets s->nvml and the available bits;
 * otherwise notes why and leaves s->nvml NULL. OB_ERR_NOMEM only. */
ob_status ob_sensors_nvml_open(ob_sensors *s, const char *library, const char *pci_bus_id);
/* Shuts NVML down for this handle and unloads it; NULL is a no-op. */
void ob_sensors_nvml_close(ob_nvml *n);
/* Fills the quantities NVML gives (counter 0 is the total energy). */
void ob_sensors_nvml_read(const ob_nvml *n, ob_sensor_sample *out);

/* sysfs under root: the host CPUs (RAPL package and dram domains, cpufreq, temperature hwmon). */
ob_status ob_sensors_sysfs_open_cpu(ob_sensors *s, const char *root);
/* sysfs under root: the PCI device's hwmon and gpu_busy_percent; with rapl_uncore, the RAPL
 * uncore domain as energy when the hwmon has no energy counter (an Intel integrated GPU). */
ob_status ob_sensors_sysfs_open_pci(ob_sensors *s, const char *root, const char *pci_bus_id,
                                    bool rapl_uncore);
/* Fills the quantities of s's sysfs files. */
void ob_sensors_sysfs_read(const ob_sensors *s, ob_sensor_sample *out);
/* Frees the sysfs file lists of s. */
void ob_sensors_sysfs_free(ob_sensors *s);

#endif
