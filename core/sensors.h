/* oclbench sensors: energy, power, temperature, clocks, throttling and utilisation of one device,
 * read where the platform offers them, with nothing to install.
 *
 * - NVIDIA GPUs: NVML, loaded at run time (dlopen of the configured library), the device matched
 *   by PCI bus id (core/sensors_nvml.c).
 * - Other GPUs and CPUs: Linux sysfs under the configured root (core/sensors_sysfs.c): the GPU's
 *   hwmon (/sys/bus/pci/devices/BUS/hwmon/hwmonN) and gpu_busy_percent; for CPUs powercap RAPL
 *   (package and dram domains, Intel and AMD Zen), cpufreq and the CPU temperature hwmon; for an
 *   Intel GPU without an energy hwmon, the RAPL uncore domain. A device whose type includes
 *   CL_DEVICE_TYPE_CPU (as for ob_device_is_cpu; Oclgrind's simulator too) gets the host CPUs'.
 * A missing sensor is never an error: its readings stay NAN and the handle's description says why.
 *
 * Ownership: ob_sensors_open's handle is the caller's (ob_sensors_destroy); a window is owned by
 * its caller until ob_sensor_window_end, which frees it. Every window must be ended before its
 * handle is destroyed. A handle is read-only after opening: several windows, on one handle or on
 * several, may be open at once from any threads. No global state.
 */
#ifndef OB_SENSORS_H
#define OB_SENSORS_H

#include <stdbool.h>
#include <stddef.h>

#include "oclbench.h"

/* Where sensors are looked for. Fill with ob_sensor_config_default, then override; the CLI reads
 * the environment (no getenv below bench/). The strings are read during ob_sensors_open only. */
typedef struct ob_sensor_config {
  const char *sysfs_root;    /* directory holding sys/ (default "/"; a fake tree in tests) */
  const char *nvml_library;  /* dlopen name or path of NVML (default "libnvidia-ml.so.1");
                                NULL or "": NVML is not tried */
  double sample_interval_s;  /* period of a window's sampling thread (default 0.025);
                                <= 0: no thread, a window reads at begin and end only */
} ob_sensor_config;

/* The defaults: sysfs_root "/", nvml_library "libnvidia-ml.so.1", sample_interval_s 0.025. */
void ob_sensor_config_default(ob_sensor_config *cfg);

/* What a handle can read (ob_sensors_available), as bits. */
enum {
  OB_SENSE_ENERGY = 1u << 0,     /* an energy counter */
  OB_SENSE_POWER = 1u << 1,      /* instantaneous or driver-averaged power */
  OB_SENSE_TEMP = 1u << 2,
  OB_SENSE_CLOCK = 1u << 3,      /* core / SM clock; CPUs: every CPU's current frequency */
  OB_SENSE_MEM_CLOCK = 1u << 4,
  OB_SENSE_THROTTLE = 1u << 5,   /* the driver's clock-event (throttle) reasons */
  OB_SENSE_BUSY = 1u << 6,       /* the driver's utilisation percentage */
};

/* Clock-event reasons a driver reports (ob_sensor_reading.throttle), as bits. */
enum {
  OB_THROTTLE_POWER_CAP = 1u << 0,    /* "power cap": software power limit */
  OB_THROTTLE_HW_SLOWDOWN = 1u << 1,  /* "hw slowdown": hardware slowdown (power brake, heat) */
  OB_THROTTLE_THERMAL = 1u << 2,      /* "thermal": software thermal limit */
  OB_THROTTLE_HW_THERMAL = 1u << 3,   /* "hw thermal": hardware thermal slowdown */
  OB_THROTTLE_POWER_BRAKE = 1u << 4,  /* "power brake": external power brake */
  OB_THROTTLE_SYNC_BOOST = 1u << 5,   /* "sync boost": held to the slowest GPU of its group */
  OB_THROTTLE_IDLE = 1u << 6,         /* "idle": nothing running (not a throttle) */
  OB_THROTTLE_APP_CLOCKS = 1u << 7,   /* "applications clocks": a user setting (not a throttle) */
  OB_THROTTLE_DISPLAY = 1u << 8,      /* "display clock": a display setting (not a throttle) */
};
/* The reasons that mean the device ran slower than it could: a window with one is throttled. */
#define OB_THROTTLE_LIMITING                                                                     \
  (OB_THROTTLE_POWER_CAP | OB_THROTTLE_HW_SLOWDOWN | OB_THROTTLE_THERMAL |                      \
   OB_THROTTLE_HW_THERMAL | OB_THROTTLE_POWER_BRAKE | OB_THROTTLE_SYNC_BOOST)

/* Writes the words of the reason bits, joined by ", " in bit order ("power cap, hw thermal"),
 * into buf; "" when none. */
void ob_sensor_throttle_text(unsigned bits, char *buf, size_t n);

typedef struct ob_sensors ob_sensors;

/* Opens the sensors of the device described by props (its PCI bus id, vendor class and type).
 * Never fails because a sensor is missing: the handle then reads NAN and describes why.
 * OB_ERR_INVALID for NULL arguments, OB_ERR_NOMEM when out of memory. */
ob_status ob_sensors_open(const ob_sensor_config *cfg, const ob_device_props *props,
                          ob_sensors **out);
/* Closes the handle (NVML shut down and unloaded); NULL is a no-op. */
void ob_sensors_destroy(ob_sensors *s);

/* The OB_SENSE_* bits of what the handle reads; 0 when nothing. */
unsigned ob_sensors_available(const ob_sensors *s);

/* One line: the sources found and what each gives, then why the others are absent, e.g.
 * "rapl package-0, dram (energy); cpufreq 16 CPUs (clock); no CPU temperature hwmon", or
 * "no sensors: /sys/class/powercap unreadable (Permission denied), no cpufreq, ...".
 * Owned by the handle. */
const char *ob_sensors_describe(const ob_sensors *s);

/* One reading; NAN where a quantity is not readable. */
typedef struct ob_sensor_reading {
  double t_s;            /* ob_now() when read */
  double energy_j;       /* the energy counter (sum of its domains) in J from an arbitrary
                            origin; it may wrap: use a window for energy over time */
  double power_w;
  double temp_c;         /* the hottest of the device's temperature sensors */
  double clock_mhz;      /* core / SM clock; CPUs: the mean over CPUs */
  double clock_min_mhz;  /* CPUs: the lowest CPU; others: clock_mhz */
  double mem_clock_mhz;
  double busy_percent;   /* the driver's utilisation */
  unsigned throttle;     /* OB_THROTTLE_* bits the driver reports; 0 when none or unknown */
} ob_sensor_reading;

/* Reads every available sensor once (thread-safe). NULL s gives a reading of NANs. */
void ob_sensors_read(const ob_sensors *s, ob_sensor_reading *out);

/* How a window's energy was obtained. */
typedef enum ob_energy_method {
  OB_ENERGY_NONE = 0,          /* unknown: energy_j is NAN */
  OB_ENERGY_COUNTER,           /* the difference of an energy counter (wrap-around handled) */
  OB_ENERGY_POWER_INTEGRAL,    /* power samples integrated over time (trapezoids) */
} ob_energy_method;

/* "", "counter", "power integral". */
const char *ob_energy_method_name(ob_energy_method m);

/* What happened during a window; NAN (or the values noted) where a quantity is not readable. */
typedef struct ob_sensor_summary {
  double seconds;              /* wall-clock length of the window (0 without sensors) */
  double energy_j;             /* energy over the window */
  ob_energy_method energy_method;
  double power_mean_w;         /* energy_j / seconds */
  double power_sampled_w;      /* the power readings' mean (their integral over the time they
                                  cover): the driver's figure, a check on a counter's
                                  power_mean_w; NAN without a power sensor */
  double temp_max_c;
  double clock_mean_mhz;       /* mean over samples of clock_mhz */
  double clock_min_mhz;        /* lowest clock_min_mhz of any sample */
  double mem_clock_mean_mhz;
  double busy_mean_percent;
  int throttled;               /* 1 yes, 0 no, -1 unknown (neither reasons nor a clock) */
  char throttle_reason[192];   /* when throttled: the driver's reasons (ob_sensor_throttle_text)
                                  and/or "clock fell N% below its start (A -> B MHz)" */
  size_t samples;              /* readings taken, begin and end included */
} ob_sensor_summary;

typedef struct ob_sensor_window ob_sensor_window;

/* Opens a measurement window: reads once now and, when the handle has sensors and the interval
 * is positive, starts a sampling thread of its own (when none can be started, a warning is
 * logged and the window reads at its begin and end only). NULL s (or a handle without sensors)
 * gives *out = NULL and OB_OK: ending it gives an empty summary. OB_ERR_NOMEM when out of
 * memory. */
ob_status ob_sensor_window_begin(const ob_sensors *s, ob_sensor_window **out);

/* Closes the window: stops and joins its thread, reads once more and summarises into *out (may
 * be NULL to discard); frees w. NULL w fills *out with an empty summary (NANs, throttled -1). */
void ob_sensor_window_end(ob_sensor_window *w, ob_sensor_summary *out);

#endif
