/* Sensors: a fake sysfs tree under a temporary directory (RAPL with wrap-around, hwmon, cpufreq,
 * gpu_busy_percent, missing and unreadable files) and stand-in NVML libraries
 * (tests/fake_nvml.c, built by the Makefile beside this binary), read through the sensor
 * configuration; the windows' energy, power, temperature, clocks and throttle verdict against
 * known values; `oclbench devices` listing the sensors. Through the runner: a row's telemetry
 * columns and efficiency rows against a fake counter and a fake power, the busy fraction
 * against known kernel and idle time, sustained runs, files with and without the columns. */
#include "support.h"

#include "compare.h"
#include "peak/peak.h"
#include "runner.h"
#include "sensors.h"
#include "series.h"
#include "svg.h"

#include <dlfcn.h>
#include <ftw.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- fixtures */

/* A fresh directory for a fake tree. */
static void fresh_root(char *root, size_t n) { snprintf(root, n, "%s", ob_test_tmpdir()); }

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* Removes a fake tree. */
static void drop_root(const char *root) { assert_int_equal(nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0); }

/* Writes text to ROOT/rel atomically (a reader sees the old or the new value, never a torn
 * one), creating the directories on the way. */
static void put(const char *root, const char *rel, const char *text) {
  char path[4096], dir[4096];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  snprintf(dir, sizeof dir, "%s", path);
  OB_ASSERT_OK(ob_mkdir_p(dirname(dir)));
  OB_ASSERT_OK(ob_write_file_atomic(path, text, strlen(text)));
}

/* A directory where a sensor file is expected: open() succeeds, read() fails (EISDIR), which
 * holds for root too (the tests run as root, so permissions cannot make a file unreadable). */
static void put_dir(const char *root, const char *rel) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  OB_ASSERT_OK(ob_mkdir_p(path));
}

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

static ob_device_props props_of(cl_device_type type, ob_vendor vendor, const char *bus) {
  ob_device_props p;
  memset(&p, 0, sizeof p);
  p.type = type;
  p.vendor_class = vendor;
  snprintf(p.pci_bus_id, sizeof p.pci_bus_id, "%s", bus);
  return p;
}

static ob_sensor_config config(const char *root, const char *nvml, double interval) {
  ob_sensor_config cfg;
  ob_sensor_config_default(&cfg);
  cfg.sysfs_root = root;
  cfg.nvml_library = nvml;
  cfg.sample_interval_s = interval;
  return cfg;
}

static ob_sensors *open_sensors(const ob_sensor_config *cfg, const ob_device_props *p) {
  ob_sensors *s = NULL;
  OB_ASSERT_OK(ob_sensors_open(cfg, p, &s));
  assert_non_null(s);
  return s;
}

static void assert_contains(const char *text, const char *part) {
  if (!strstr(text, part)) fail_msg("'%s' does not contain '%s'", text, part);
}

static void assert_near(double got, double want, double tol) {
  if (!(fabs(got - want) <= tol)) fail_msg("got %.9g, want %.9g within %.3g", got, want, tol);
}

/* The path of a stand-in NVML built beside this test binary. */
static void fake_nvml_path(char *buf, size_t n, const char *name) {
  char exe[4096];
  const ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  assert_true(len > 0);
  exe[len] = '\0';
  snprintf(buf, n, "%s/%s", dirname(exe), name);
  if (access(buf, R_OK) != 0) fail_msg("%s missing: built by the Makefile with test_sensors", buf);
}

/* ---------------------------------------------------------------- trees */

/* Two RAPL packages (one unreadable), a dram domain, core/psys domains that are not counted,
 * two CPUs with cpufreq and one without, a CPU temperature hwmon and one of another driver. */
static void cpu_tree(const char *root) {
  put(root, "sys/class/powercap/intel-rapl/enabled", "1\n");
  put(root, "sys/class/powercap/intel-rapl:0/name", "package-0\n");
  put(root, "sys/class/powercap/intel-rapl:0/energy_uj", "1000000\n");
  put(root, "sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
  put(root, "sys/class/powercap/intel-rapl:0:0/name", "core\n");
  put(root, "sys/class/powercap/intel-rapl:0:0/energy_uj", "7000000\n");
  put(root, "sys/class/powercap/intel-rapl:0:1/name", "dram\n");
  put(root, "sys/class/powercap/intel-rapl:0:1/energy_uj", "500000\n");
  put(root, "sys/class/powercap/intel-rapl:0:1/max_energy_range_uj", "65532610987\n");
  put(root, "sys/class/powercap/intel-rapl:1/name", "psys\n");
  put(root, "sys/class/powercap/intel-rapl:1/energy_uj", "9000000\n");
  put(root, "sys/class/powercap/intel-rapl:2/name", "package-1\n");
  put_dir(root, "sys/class/powercap/intel-rapl:2/energy_uj");
  put(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "2000000\n");
  put(root, "sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "3000000\n");
  put(root, "sys/devices/system/cpu/cpu2/online", "0\n");
  put(root, "sys/devices/system/cpu/cpufreq/boost", "1\n");
  put(root, "sys/class/hwmon/hwmon0/name", "acpitz\n");
  put(root, "sys/class/hwmon/hwmon0/temp1_input", "99000\n");
  put(root, "sys/class/hwmon/hwmon1/name", "coretemp\n");
  put(root, "sys/class/hwmon/hwmon1/temp1_input", "45000\n");
  put(root, "sys/class/hwmon/hwmon1/temp2_input", "52000\n");
  put_dir(root, "sys/class/hwmon/hwmon1/temp3_input");
}

/* Writes text to the file rel of the PCI device bus. */
static void put_pci(const char *root, const char *bus, const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "sys/bus/pci/devices/%s/%s", bus, rel);
  put(root, path, text);
}

static void set_power(const char *root, const char *bus, double watts) {
  char text[64];
  snprintf(text, sizeof text, "%.0f\n", watts * 1e6);
  put_pci(root, bus, "hwmon/hwmon4/power1_average", text);
}

/* An AMD-like GPU at bus with power only (no energy counter): watts, two temperatures, the
 * core and memory clocks, gpu_busy_percent. */
static void gpu_power_tree(const char *root, const char *bus, double watts) {
  static const char *const files[][2] = {
      {"hwmon/hwmon4/name", "amdgpu\n"},           {"hwmon/hwmon4/temp1_input", "60000\n"},
      {"hwmon/hwmon4/temp2_input", "75000\n"},     {"hwmon/hwmon4/freq1_label", "sclk\n"},
      {"hwmon/hwmon4/freq1_input", "1800000000\n"}, {"hwmon/hwmon4/freq2_label", "mclk\n"},
      {"hwmon/hwmon4/freq2_input", "1000000000\n"}, {"gpu_busy_percent", "97\n"},
  };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    put_pci(root, bus, files[i][0], files[i][1]);
  set_power(root, bus, watts);
}

/* ---------------------------------------------------------------- sysfs */

static void cpu_sysfs_readings(void **state) {
  (void)state;
  char root[4096];
  fresh_root(root, sizeof root);
  cpu_tree(root);
  const ob_sensor_config cfg = config(root, "", 0.0);
  const ob_device_props p = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_POCL, "");
  ob_sensors *s = open_sensors(&cfg, &p);
  assert_int_equal(ob_sensors_available(s), OB_SENSE_ENERGY | OB_SENSE_CLOCK | OB_SENSE_TEMP);
  const char *d = ob_sensors_describe(s);
  assert_contains(d, "rapl package-0, dram (energy)");
  assert_contains(d, "cpufreq 2 CPUs (clock)");
  assert_contains(d, "hwmon coretemp (temperature)");
  assert_contains(d, "intel-rapl:2 energy_uj unreadable (Is a directory)");
  assert_contains(d, "coretemp temp3_input unreadable (Is a directory)");
  assert_null(strstr(d, "psys"));
  assert_null(strstr(d, "acpitz"));
  ob_sensor_reading r;
  ob_sensors_read(s, &r);
  assert_near(r.energy_j, 1.5, 1e-12);  /* package-0 + dram, not core or psys */
  assert_near(r.clock_mhz, 2500.0, 1e-9);
  assert_near(r.clock_min_mhz, 2000.0, 1e-9);
  assert_near(r.temp_c, 52.0, 1e-9);
  assert_true(isnan(r.power_w) && isnan(r.mem_clock_mhz) && isnan(r.busy_percent));
  assert_int_equal(r.throttle, 0);
  ob_sensors_destroy(s);
  drop_root(root);
}

/* Counter difference across a wrap of energy_uj at max_energy_range_uj; the clock falling more
 * than 10% below the window's first reading is a throttle. With a sampling thread (1 ms), the
 * readings in between telescope to the same difference. */
static void rapl_wrap_and_clock_drop(void **state) {
  (void)state;
  for (int threaded = 0; threaded <= 1; threaded++) {
    char root[4096];
    fresh_root(root, sizeof root);
    cpu_tree(root);
    put(root, "sys/class/powercap/intel-rapl:0/energy_uj", "262143000000\n");
    put(root, "sys/class/powercap/intel-rapl:0:1/energy_uj", "1000\n");
    const ob_sensor_config cfg = config(root, "", threaded ? 0.001 : 0.0);
    const ob_device_props p = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_INTEL, "");
    ob_sensors *s = open_sensors(&cfg, &p);
    ob_sensor_window *w = NULL;
    OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
    assert_non_null(w);
    if (threaded) sleep_s(0.02);
    /* package-0 wraps: 328850 µJ to the top, then 671150 from 0: 1 J; dram: 2 J */
    put(root, "sys/class/powercap/intel-rapl:0/energy_uj", "671150\n");
    put(root, "sys/class/powercap/intel-rapl:0:1/energy_uj", "2001000\n");
    put(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "1000000\n");
    if (threaded) sleep_s(0.02);
    ob_sensor_summary sum;
    ob_sensor_window_end(w, &sum);
    assert_int_equal(sum.energy_method, OB_ENERGY_COUNTER);
    assert_string_equal(ob_energy_method_name(sum.energy_method), "counter");
    assert_near(sum.energy_j, 3.0, 1e-9);
    assert_true(sum.seconds > 0);
    assert_near(sum.power_mean_w, 3.0 / sum.seconds, 1e-9 * sum.power_mean_w);
    assert_near(sum.temp_max_c, 52.0, 1e-9);
    assert_near(sum.clock_min_mhz, 1000.0, 1e-9);  /* cpu0 at the end */
    assert_true(sum.clock_mean_mhz >= 2000.0 && sum.clock_mean_mhz <= 2500.0);
    assert_int_equal(sum.throttled, 1);
    assert_string_equal(sum.throttle_reason, "clock fell 20% below its start (2500 -> 2000 MHz)");
    assert_true(isnan(sum.mem_clock_mean_mhz) && isnan(sum.busy_mean_percent));
    if (threaded) assert_true(sum.samples >= 2);
    else assert_int_equal(sum.samples, 2);
    ob_sensors_destroy(s);
    drop_root(root);
  }
}

/* Power only: a constant power integrates to power x time exactly; a step from 20 W to 80 W
 * integrates to the two areas, within the sampling gap around the step. */
static void power_integral(void **state) {
  (void)state;
  char root[4096];
  fresh_root(root, sizeof root);
  const char *bus = "0000:03:00.0";
  gpu_power_tree(root, bus, 20.0);
  const ob_sensor_config cfg = config(root, "", 0.005);
  const ob_device_props p = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_AMD, bus);
  ob_sensors *s = open_sensors(&cfg, &p);
  assert_int_equal(ob_sensors_available(s), OB_SENSE_POWER | OB_SENSE_TEMP | OB_SENSE_CLOCK |
                                                OB_SENSE_MEM_CLOCK | OB_SENSE_BUSY);
  assert_string_equal(ob_sensors_describe(s),
                      "hwmon amdgpu (power, temperature, clock, memory clock); "
                      "gpu_busy_percent (utilisation)");

  ob_sensor_window *w = NULL;
  ob_sensor_summary sum;
  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  sleep_s(0.05);
  ob_sensor_window_end(w, &sum);
  assert_int_equal(sum.energy_method, OB_ENERGY_POWER_INTEGRAL);
  assert_string_equal(ob_energy_method_name(sum.energy_method), "power integral");
  assert_near(sum.energy_j, 20.0 * sum.seconds, 1e-9);
  assert_near(sum.power_mean_w, 20.0, 1e-9);
  assert_near(sum.power_sampled_w, 20.0, 1e-9);
  assert_near(sum.temp_max_c, 75.0, 1e-9);
  assert_near(sum.clock_mean_mhz, 1800.0, 1e-9);
  assert_near(sum.clock_min_mhz, 1800.0, 1e-9);
  assert_near(sum.mem_clock_mean_mhz, 1000.0, 1e-9);
  assert_near(sum.busy_mean_percent, 97.0, 1e-9);
  assert_int_equal(sum.throttled, 0);
  assert_string_equal(sum.throttle_reason, "");
  assert_true(sum.samples >= 2);

  const double t0 = ob_now();
  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  sleep_s(0.15);
  const double t_step = ob_now();
  set_power(root, bus, 80.0);
  sleep_s(0.15);
  ob_sensor_window_end(w, &sum);
  const double first = t_step - t0;
  const double want = 20.0 * first + 80.0 * (sum.seconds - first);
  /* the trapezoid across the step is off by at most 60 W x half the gap of the readings
   * around it: a gap of 0.1 s (20 sampling periods) is allowed for a loaded machine */
  assert_near(sum.energy_j, want, 60.0 * 0.05);
  assert_true(sum.samples >= 3);
  ob_sensors_destroy(s);
  drop_root(root);
}

/* Two handles (two GPUs) and two windows on one handle, all open at once: each window sums
 * its own device's power over its own time. */
static void concurrent_windows(void **state) {
  (void)state;
  char root[4096];
  fresh_root(root, sizeof root);
  gpu_power_tree(root, "0000:03:00.0", 10.0);
  gpu_power_tree(root, "0000:04:00.0", 40.0);
  const ob_sensor_config cfg = config(root, "", 0.001);
  const ob_device_props pa = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_AMD, "0000:03:00.0");
  const ob_device_props pb = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_AMD, "0000:04:00.0");
  ob_sensors *a = open_sensors(&cfg, &pa), *b = open_sensors(&cfg, &pb);
  ob_sensor_window *wa = NULL, *wb = NULL, *wb2 = NULL;
  OB_ASSERT_OK(ob_sensor_window_begin(a, &wa));
  OB_ASSERT_OK(ob_sensor_window_begin(b, &wb));
  sleep_s(0.02);
  OB_ASSERT_OK(ob_sensor_window_begin(b, &wb2));
  sleep_s(0.03);
  ob_sensor_summary sa, sb, sb2;
  ob_sensor_window_end(wb, &sb);
  ob_sensor_window_end(wa, &sa);
  ob_sensor_window_end(wb2, &sb2);
  assert_near(sa.power_mean_w, 10.0, 1e-9);
  assert_near(sb.power_mean_w, 40.0, 1e-9);
  assert_near(sb2.power_mean_w, 40.0, 1e-9);
  assert_near(sb.energy_j, 40.0 * sb.seconds, 1e-9);
  assert_true(sb2.seconds < sa.seconds);
  ob_sensors_destroy(a);
  ob_sensors_destroy(b);
  drop_root(root);
}

/* Nothing readable: every reading NAN, the description says why, a window is empty. */
static void nothing_readable(void **state) {
  (void)state;
  char root[4096];
  fresh_root(root, sizeof root);
  const ob_sensor_config cfg = config(root, "", 0.001);
  const ob_device_props cpu = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_POCL, "");
  ob_sensors *s = open_sensors(&cfg, &cpu);
  assert_int_equal(ob_sensors_available(s), 0);
  assert_string_equal(ob_sensors_describe(s), "no sensors: no /sys/class/powercap, "
                                              "no /sys/devices/system/cpu, no /sys/class/hwmon");
  ob_sensor_reading r;
  ob_sensors_read(s, &r);
  assert_true(isnan(r.energy_j) && isnan(r.power_w) && isnan(r.temp_c) && isnan(r.clock_mhz) &&
              isnan(r.clock_min_mhz) && isnan(r.mem_clock_mhz) && isnan(r.busy_percent));
  ob_sensor_window *w = (ob_sensor_window *)&r;
  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  assert_null(w);
  ob_sensor_summary sum;
  ob_sensor_window_end(w, &sum);
  assert_true(isnan(sum.energy_j) && isnan(sum.power_mean_w) && isnan(sum.temp_max_c) &&
              isnan(sum.clock_mean_mhz) && isnan(sum.clock_min_mhz));
  assert_int_equal(sum.energy_method, OB_ENERGY_NONE);
  assert_int_equal(sum.throttled, -1);
  assert_int_equal(sum.samples, 0);
  ob_sensors_destroy(s);

  /* a directory that cannot be listed, a GPU without hwmon, a GPU without bus id */
  put(root, "sys/class/powercap", "not a directory\n");
  s = open_sensors(&cfg, &cpu);
  assert_contains(ob_sensors_describe(s), "/sys/class/powercap unreadable (Not a directory)");
  ob_sensors_destroy(s);
  put_dir(root, "sys/bus/pci/devices/0000:05:00.0");
  const ob_device_props gpu = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_AMD, "0000:05:00.0");
  s = open_sensors(&cfg, &gpu);
  assert_string_equal(ob_sensors_describe(s), "no sensors: no hwmon for this device");
  ob_sensors_destroy(s);
  const ob_device_props nobus = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_OTHER, "");
  s = open_sensors(&cfg, &nobus);
  assert_string_equal(ob_sensors_describe(s), "no sensors: no PCI bus id for this device");
  ob_sensors_destroy(s);
  ob_sensors_destroy(NULL);
  assert_int_equal(ob_sensors_open(&cfg, NULL, &s), OB_ERR_INVALID);
  drop_root(root);
}

/* An Intel GPU without an energy hwmon (integrated) gets the RAPL uncore domain. */
static void intel_gpu_uncore(void **state) {
  (void)state;
  char root[4096];
  fresh_root(root, sizeof root);
  cpu_tree(root);
  put(root, "sys/class/powercap/intel-rapl:0:2/name", "uncore\n");
  put(root, "sys/class/powercap/intel-rapl:0:2/energy_uj", "4250000\n");
  put(root, "sys/class/powercap/intel-rapl:0:2/max_energy_range_uj", "262143328850\n");
  put_dir(root, "sys/bus/pci/devices/0000:00:02.0");
  const ob_sensor_config cfg = config(root, "", 0.0);
  const ob_device_props p = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_INTEL, "0000:00:02.0");
  ob_sensors *s = open_sensors(&cfg, &p);
  assert_int_equal(ob_sensors_available(s), OB_SENSE_ENERGY);
  assert_string_equal(ob_sensors_describe(s), "rapl uncore (energy); no hwmon for this device");
  ob_sensor_reading r;
  ob_sensors_read(s, &r);
  assert_near(r.energy_j, 4.25, 1e-12);
  ob_sensors_destroy(s);
  drop_root(root);
}

static void throttle_words(void **state) {
  (void)state;
  char buf[192];
  ob_sensor_throttle_text(OB_THROTTLE_POWER_CAP | OB_THROTTLE_HW_THERMAL, buf, sizeof buf);
  assert_string_equal(buf, "power cap, hw thermal");
  ob_sensor_throttle_text(OB_THROTTLE_HW_SLOWDOWN | OB_THROTTLE_THERMAL | OB_THROTTLE_POWER_BRAKE |
                              OB_THROTTLE_SYNC_BOOST | OB_THROTTLE_IDLE | OB_THROTTLE_APP_CLOCKS |
                              OB_THROTTLE_DISPLAY,
                          buf, sizeof buf);
  assert_string_equal(buf, "hw slowdown, thermal, power brake, sync boost, idle, "
                           "applications clocks, display clock");
  ob_sensor_throttle_text(0, buf, sizeof buf);
  assert_string_equal(buf, "");
  assert_string_equal(ob_energy_method_name(OB_ENERGY_NONE), "");
}

/* ---------------------------------------------------------------- NVML */

/* Writes the stand-in NVML's state file. */
static void nvml_state(const char *path, const char *text) {
  OB_ASSERT_OK(ob_write_file_atomic(path, text, strlen(text)));
}

/* A fake tree root, a stand-in NVML and its state file (FAKE_NVML_STATE), the library opened
 * by the test too, for its count of live nvmlInit calls. */
typedef struct nvml_fixture {
  char root[4096], lib[4096], state[4200];
  char *saved_env;
  void *handle;
  int (*inits)(void);
} nvml_fixture;

static void nvml_setup(nvml_fixture *f, const char *library) {
  fresh_root(f->root, sizeof f->root);
  fake_nvml_path(f->lib, sizeof f->lib, library);
  snprintf(f->state, sizeof f->state, "%s/nvml_state", f->root);
  f->saved_env = ob_test_env_set("FAKE_NVML_STATE", f->state);
  f->handle = dlopen(f->lib, RTLD_NOW | RTLD_LOCAL);
  assert_non_null(f->handle);
  f->inits = (int (*)(void))dlsym(f->handle, "fake_nvml_inits");
  assert_non_null(f->inits);
}

/* Checks that every nvmlInit was matched by nvmlShutdown and cleans up. */
static void nvml_teardown(nvml_fixture *f) {
  assert_int_equal(f->inits(), 0);
  dlclose(f->handle);
  ob_test_env_restore("FAKE_NVML_STATE", f->saved_env);
  drop_root(f->root);
}

static void nvml_counter_reasons(void **state) {
  (void)state;
  nvml_fixture f;
  nvml_setup(&f, "libfake_nvml.so");
  nvml_state(f.state, "bus 00000000:65:00.0\nenergy_mj 1000000\npower_mw 250000\ntemp_c 60\n"
                      "sm_mhz 1980\nmem_mhz 2619\nreasons 0x1\nutil_gpu 0\n");
  const ob_sensor_config cfg = config(f.root, f.lib, 0.0);
  const ob_device_props p = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_NVIDIA, "0000:65:00.0");
  ob_sensors *s = open_sensors(&cfg, &p);
  assert_int_equal(f.inits(), 1);
  assert_int_equal(ob_sensors_available(s),
                   OB_SENSE_ENERGY | OB_SENSE_POWER | OB_SENSE_TEMP | OB_SENSE_CLOCK |
                       OB_SENSE_MEM_CLOCK | OB_SENSE_THROTTLE | OB_SENSE_BUSY);
  assert_string_equal(ob_sensors_describe(s), "nvml (energy, power, temperature, sm clock, "
                                              "memory clock, clock-event reasons, utilisation)");
  ob_sensor_reading r;
  ob_sensors_read(s, &r);
  assert_near(r.energy_j, 1000.0, 1e-9);
  assert_near(r.power_w, 250.0, 1e-9);
  assert_near(r.temp_c, 60.0, 1e-9);
  assert_near(r.clock_mhz, 1980.0, 1e-9);
  assert_near(r.clock_min_mhz, 1980.0, 1e-9);
  assert_near(r.mem_clock_mhz, 2619.0, 1e-9);
  assert_near(r.busy_percent, 0.0, 1e-9);
  assert_int_equal(r.throttle, OB_THROTTLE_IDLE);

  /* idle alone is no throttle */
  ob_sensor_window *w = NULL;
  ob_sensor_summary sum;
  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  ob_sensor_window_end(w, &sum);
  assert_int_equal(sum.throttled, 0);
  assert_near(sum.energy_j, 0.0, 1e-12);
  assert_int_equal(sum.energy_method, OB_ENERGY_COUNTER);

  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  nvml_state(f.state, "bus 00000000:65:00.0\nenergy_mj 1012500\npower_mw 250000\ntemp_c 71\n"
                      "sm_mhz 1500\nmem_mhz 2619\nreasons 0x44\nutil_gpu 100\n");
  ob_sensor_window_end(w, &sum);
  assert_int_equal(sum.samples, 2);
  assert_int_equal(sum.energy_method, OB_ENERGY_COUNTER);
  assert_near(sum.energy_j, 12.5, 1e-9);
  assert_near(sum.power_mean_w, 12.5 / sum.seconds, 1e-9 * sum.power_mean_w);
  assert_near(sum.power_sampled_w, 250.0, 1e-9); /* the driver's power, beside the counter's */
  assert_near(sum.temp_max_c, 71.0, 1e-9);
  assert_near(sum.clock_mean_mhz, 1740.0, 1e-9);
  assert_near(sum.clock_min_mhz, 1500.0, 1e-9);
  assert_near(sum.mem_clock_mean_mhz, 2619.0, 1e-9);
  assert_near(sum.busy_mean_percent, 50.0, 1e-9);
  assert_int_equal(sum.throttled, 1);
  assert_string_equal(sum.throttle_reason,
                      "power cap, hw thermal, clock fell 24% below its start (1980 -> 1500 MHz)");
  ob_sensors_destroy(s);
  nvml_teardown(&f);
}

/* The older NVML names, a device without an energy counter: power integrated; the legacy
 * throttle-reasons function decoded. */
static void nvml_legacy_power_only(void **state) {
  (void)state;
  nvml_fixture f;
  nvml_setup(&f, "libfake_nvml_legacy.so");
  nvml_state(f.state, "bus 0000:65:00.0\npower_mw 300000\ntemp_c 80\nsm_mhz 1000\nreasons 0x20\n");
  const ob_sensor_config cfg = config(f.root, f.lib, 0.002);
  const ob_device_props p = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_NVIDIA, "0000:65:00.0");
  ob_sensors *s = open_sensors(&cfg, &p);
  assert_int_equal(ob_sensors_available(s),
                   OB_SENSE_POWER | OB_SENSE_TEMP | OB_SENSE_CLOCK | OB_SENSE_THROTTLE);
  assert_string_equal(ob_sensors_describe(s),
                      "nvml (power, temperature, sm clock, clock-event reasons)");
  ob_sensor_window *w = NULL;
  ob_sensor_summary sum;
  OB_ASSERT_OK(ob_sensor_window_begin(s, &w));
  sleep_s(0.03);
  ob_sensor_window_end(w, &sum);
  assert_int_equal(sum.energy_method, OB_ENERGY_POWER_INTEGRAL);
  assert_near(sum.energy_j, 300.0 * sum.seconds, 1e-9);
  assert_near(sum.power_mean_w, 300.0, 1e-9);
  assert_true(isnan(sum.mem_clock_mean_mhz) && isnan(sum.busy_mean_percent));
  assert_int_equal(sum.throttled, 1);
  assert_string_equal(sum.throttle_reason, "thermal");
  ob_sensors_destroy(s);
  nvml_teardown(&f);
}

/* No library, not NVML's device, a failing nvmlInit, NVML off: the description says which, and
 * every nvmlInit was matched by nvmlShutdown. */
static void nvml_absent(void **state) {
  (void)state;
  nvml_fixture f;
  nvml_setup(&f, "libfake_nvml.so");
  const ob_device_props p = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_NVIDIA, "0000:66:00.0");
  static const struct {
    const char *state, *want;
    bool fake;
  } cases[] = {
      {"", "no sensors: no NVML (/nonexistent/libnvidia-ml.so.1: ", false},
      {"bus 0000:65:00.0\npower_mw 1\n", "no sensors: NVML has no device at 0000:66:00.0 "
                                         "(Not Found), no /sys/bus/pci/devices/0000:66:00.0", true},
      {"init_error 9\n", "no sensors: NVML init failed (Driver Not Loaded), ", true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    nvml_state(f.state, cases[i].state);
    const ob_sensor_config cfg =
        config(f.root, cases[i].fake ? f.lib : "/nonexistent/libnvidia-ml.so.1", 0.001);
    ob_sensors *s = open_sensors(&cfg, &p);
    assert_int_equal(ob_sensors_available(s), 0);
    assert_contains(ob_sensors_describe(s), cases[i].want);
    assert_int_equal(f.inits(), 0);
    ob_sensors_destroy(s);
  }
  const ob_sensor_config off = config(f.root, "", 0.001);
  ob_sensors *s = open_sensors(&off, &p);
  assert_contains(ob_sensors_describe(s), "no sensors: NVML not configured, ");
  ob_sensors_destroy(s);
  nvml_teardown(&f);
}

/* ---------------------------------------------------------------- CLI */

typedef struct sensors_cell {
  const char *slug;
  size_t rows, ncols;
  bool header_ok;
  char cell[1300];
} sensors_cell;

static ob_status find_cell(void *user, size_t line, char **fields, size_t n) {
  sensors_cell *c = user;
  if (line == 1) {
    c->header_ok = n > 1 && strcmp(fields[n - 1], "sensors") == 0;
    c->ncols = n;
    return OB_OK;
  }
  c->rows++;
  if (n == c->ncols && strcmp(fields[1], c->slug) == 0)
    snprintf(c->cell, sizeof c->cell, "%s", fields[n - 1]);
  return OB_OK;
}

/* `oclbench devices --csv` has a sensors column, the text listing a sensors line; both read
 * OCLBENCH_SYSFS_ROOT; a root that is not a directory is bad usage. */
static void devices_lists_sensors(void **state) {
  (void)state;
  char root[4096], csv[4200];
  fresh_root(root, sizeof root);
  cpu_tree(root);
  ob_device *dev = ob_test_device();
  const bool cpu = ob_device_props_get(dev)->type & CL_DEVICE_TYPE_CPU;
  char *saved_root = ob_test_env_set("OCLBENCH_SYSFS_ROOT", root);
  char *saved_nvml = ob_test_env_set("OCLBENCH_NVML_LIBRARY", "");
  int rc = -1;
  char *out = ob_test_cli_stdout("devices --csv", &rc);
  assert_int_equal(rc, 0);
  snprintf(csv, sizeof csv, "%s/devices.csv", root);
  OB_ASSERT_OK(ob_write_file_atomic(csv, out, strlen(out)));
  free(out);
  sensors_cell c = {.slug = ob_device_slug(dev)};
  OB_ASSERT_OK(ob_csv_read(csv, find_cell, &c));
  assert_true(c.header_ok);
  assert_true(c.rows >= 1);
  assert_true(c.cell[0] != '\0');
  if (cpu) assert_contains(c.cell, "rapl package-0, dram (energy); cpufreq 2 CPUs (clock)");
  out = ob_test_cli_stdout("devices", &rc);
  assert_int_equal(rc, 0);
  assert_contains(out, "   sensors    ");
  if (cpu) assert_contains(out, "hwmon coretemp (temperature)");
  free(out);
  free(ob_test_env_set("OCLBENCH_SYSFS_ROOT", csv));  /* a file, not a directory */
  char err[1024];
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_contains(err, "OCLBENCH_SYSFS_ROOT");
  ob_test_env_restore("OCLBENCH_SYSFS_ROOT", saved_root);
  ob_test_env_restore("OCLBENCH_NVML_LIBRARY", saved_nvml);
  drop_root(root);
}


/* ---------------------------------------------------------------- through the runner */

/* A workload whose repetitions draw a known energy: each adds FAKE_UJ to the RAPL counter of
 * the fake tree (across its wrap-around), reports 1 ms and sleeps as long; no profiling events. */
#define FAKE_UJ 250000
#define RAPL_MAX "262143328850"
static char fake_root[4096];
static const int fake_spec_one = 0;

static size_t energy_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c,
                           size_t max) {
  (void)dev, (void)opts;
  for (size_t i = 0; i < 2 && i < max; i++) {
    ob_case_init(&c[i], &fake_spec_one, "fake", "fp32", "", 0);
    ob_case_param(&c[i], "i", "%zu", i);
    ob_metric_per_joule(ob_case_metric(&c[i], "step_time", "us", OB_METRIC_TIME, 0, 1e6,
                                       OB_PEAK_NONE), "uj_per_step", "uJ", 1e6);
    ob_metric_per_joule(ob_case_metric(&c[i], "flips_per_ns", "flips/ns", OB_METRIC_RATE, 1e6,
                                       1e9, OB_PEAK_NONE), "flips_per_j", "flips/J", 1.0);
  }
  return 2;
}

static ob_status energy_setup(void *state, ob_device *dev, ob_case *c) {
  (void)state, (void)dev, (void)c;
  return OB_OK;
}

static ob_status energy_run(void *state, double *seconds) {
  (void)state;
  char path[4200], *text = NULL;
  snprintf(path, sizeof path, "%s/sys/class/powercap/intel-rapl:0/energy_uj", fake_root);
  if (ob_read_file(path, &text, NULL) == OB_OK) {
    char next[32];
    snprintf(next, sizeof next, "%lld\n",
             (strtoll(text, NULL, 10) + FAKE_UJ) % strtoll(RAPL_MAX, NULL, 10));
    put(fake_root, "sys/class/powercap/intel-rapl:0/energy_uj", next);
  }
  free(text);
  sleep_s(0.001);
  *seconds = 0.001;
  return OB_OK;
}

static void energy_teardown(void *state) { (void)state; }

static const ob_workload energy_workload = {
    .name = "energy",
    .description = "test double drawing a known energy",
    .state_size = 1,
    .list_cases = energy_cases,
    .setup = energy_setup,
    .run = energy_run,
    .teardown = energy_teardown,
};

/* The rows of metric name in the session, in order; the first one in *out, how many. */
static size_t rows_of(const ob_results *v, const char *metric, const ob_result **out) {
  size_t n = 0;
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->items[i].metric, metric) == 0 && n++ == 0) *out = &v->items[i];
  return n;
}

/* Runs energy_workload on the test device with the sensors of props under fake_root attached
 * (sampling every interval seconds). */
static ob_session *run_with_sensors(const ob_device_props *props, double interval,
                                    const ob_workload *wl, const ob_run_opts *opts) {
  const ob_sensor_config cfg = config(fake_root, "", interval);
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  OB_ASSERT_OK(ob_session_attach_sensors(session, ob_test_device(), open_sensors(&cfg, props)));
  OB_ASSERT_OK(ob_runner_run_workload(session, ob_test_device(), wl, opts));
  assert_int_equal(ob_session_failed(session), 0);
  return session;
}

/* A row's energy is the fake RAPL counter's difference over its timed repetitions, across the
 * counter's wrap at max_energy_range_uj; the efficiency rows follow from it; the sensor note is
 * on the device's first measured row only; no profiling events: no busy fraction. */
static void runner_rows_energy_from_rapl(void **state) {
  (void)state;
  fresh_root(fake_root, sizeof fake_root);
  cpu_tree(fake_root);
  put(fake_root, "sys/class/powercap/intel-rapl:0/max_energy_range_uj", RAPL_MAX "\n");
  put(fake_root, "sys/class/powercap/intel-rapl:0/energy_uj", "262142900000\n"); /* wraps */
  const ob_device_props cpu = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_INTEL, "");
  const ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_session *session = run_with_sensors(&cpu, 0.0, &energy_workload, &opts);
  const ob_results *v = ob_session_results(session);
  const ob_result *step = NULL, *uj = NULL, *fpj = NULL;
  assert_int_equal(rows_of(v, "step_time", &step), 2);
  assert_int_equal(rows_of(v, "uj_per_step", &uj), 2);
  assert_int_equal(rows_of(v, "flips_per_j", &fpj), 2);
  const double reps = step->reps, joules = reps * FAKE_UJ * 1e-6;
  assert_true(reps >= 3);
  assert_near(step->energy_j, joules, 1e-9);
  assert_string_equal(step->energy_method, "counter");
  assert_true(step->power_mean_w > 0 && isfinite(step->power_mean_w));
  assert_true(isnan(step->power_sampled_w)); /* RAPL has energy only */
  assert_near(step->temp_max_c, 52.0, 1e-9);
  assert_near(step->clock_mean_mhz, 2500.0, 1e-9);
  assert_near(step->clock_min_mhz, 2000.0, 1e-9);
  assert_string_equal(step->throttled, "no");
  assert_string_equal(step->throttle_reason, "");
  assert_true(isnan(step->busy_percent)); /* timed without profiling events */
  assert_true(isnan(step->driver_busy_percent));
  assert_near(uj->value, FAKE_UJ, 1e-6);                  /* uJ per step */
  assert_near(fpj->value, 1e6 * reps / joules, 1e-6);      /* flips per joule */
  assert_near(uj->energy_j, joules, 1e-9);
  assert_int_equal(uj->status, OB_RESULT_OK);
  assert_contains(step->note, "sensors: rapl package-0, dram (energy)");
  size_t noted = 0;
  for (size_t i = 0; i < v->n; i++) noted += strstr(v->items[i].note, "sensors:") != NULL;
  assert_int_equal(noted, 2); /* the first case's first metric and its efficiency row */
  ob_session_destroy(session);
  drop_root(fake_root);
}

/* A GPU with power only: energy is the power integrated over the window (constant 50 W), the
 * driver's utilisation and clocks come along; nothing readable: empty columns and a note. */
static void runner_rows_power_integral_and_none(void **state) {
  (void)state;
  fresh_root(fake_root, sizeof fake_root);
  gpu_power_tree(fake_root, "0000:03:00.0", 50.0);
  const ob_device_props gpu = props_of(CL_DEVICE_TYPE_GPU, OB_VENDOR_AMD, "0000:03:00.0");
  const ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_session *session = run_with_sensors(&gpu, 0.002, &energy_workload, &opts);
  const ob_result *step = NULL;
  assert_int_equal(rows_of(ob_session_results(session), "step_time", &step), 2);
  assert_string_equal(step->energy_method, "power integral");
  assert_near(step->power_mean_w, 50.0, 1e-9);
  assert_near(step->power_sampled_w, 50.0, 1e-9);
  /* the window spans the repetitions: at least their slept time, well under a second more */
  assert_true(step->energy_j >= 50.0 * step->reps * 0.001);
  assert_true(step->energy_j <= 50.0 * (step->reps * 0.001 + 1.0));
  assert_near(step->driver_busy_percent, 97.0, 1e-9);
  assert_near(step->clock_mean_mhz, 1800.0, 1e-9);
  assert_near(step->temp_max_c, 75.0, 1e-9);
  ob_session_destroy(session);
  drop_root(fake_root);

  fresh_root(fake_root, sizeof fake_root); /* an empty tree: nothing readable */
  const ob_device_props cpu = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_POCL, "");
  session = run_with_sensors(&cpu, 0.0, &energy_workload, &opts);
  const ob_result *r = NULL;
  assert_int_equal(rows_of(ob_session_results(session), "step_time", &r), 2);
  assert_true(isnan(r->energy_j) && isnan(r->power_mean_w) && isnan(r->temp_max_c) &&
              isnan(r->clock_mean_mhz) && isnan(r->clock_min_mhz));
  assert_string_equal(r->energy_method, "");
  assert_string_equal(r->throttled, "");
  assert_contains(r->note, "sensors: none readable (no sensors: no /sys/class/powercap");
  assert_int_equal(rows_of(ob_session_results(session), "uj_per_step", &r), 0);
  ob_session_destroy(session);
  drop_root(fake_root);
}

/* The busy fraction against a run of known kernel and idle time: the FMA probe's kernel (timed
 * by its profiling event), then IDLE_S of sleep per repetition. */
#define IDLE_S 0.02
static double busy_kernel_s, busy_idle_s;
static size_t busy_calls;

static size_t busy_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c, size_t max) {
  ob_case all[32];
  const size_t n = ob_workload_peak.list_cases(dev, opts, all, 32);
  for (size_t i = 0; i < n && max > 0; i++)
    if (strncmp(all[i].variant, "fma_", 4) == 0) {
      c[0] = all[i];
      return 1;
    }
  return 0;
}

static ob_status busy_run(void *state, double *seconds) {
  OB_TRY(ob_peak_run(state, seconds));
  sleep_s(IDLE_S);
  if (busy_calls++ > 0) { /* the first call is the runner's untimed warm-up */
    busy_kernel_s += *seconds;
    busy_idle_s += IDLE_S;
  }
  return OB_OK;
}

static void runner_busy_fraction(void **state) {
  (void)state;
  ob_workload wl = ob_workload_peak;
  wl.list_cases = busy_cases;
  wl.run = busy_run;
  busy_kernel_s = busy_idle_s = 0.0;
  busy_calls = 0;
  const ob_run_opts opts = {.quick = true, .seconds = 0.05};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  OB_ASSERT_OK(ob_runner_run_workload(session, ob_test_device(), &wl, &opts));
  const ob_result *r = NULL;
  assert_int_equal(rows_of(ob_session_results(session), "gflops", &r), 1);
  assert_int_equal(r->status, OB_RESULT_OK);
  assert_int_equal((size_t)r->reps, busy_calls - 1);
  /* wall time >= kernel + idle time: at most their ratio; the rest is launch and wait
   * overhead, below the idle time itself */
  const double best = 100.0 * busy_kernel_s / (busy_kernel_s + busy_idle_s);
  const double worst = 100.0 * busy_kernel_s / (busy_kernel_s + 2.0 * busy_idle_s);
  if (!(r->busy_percent <= best * (1 + 1e-6) && r->busy_percent >= worst))
    fail_msg("busy %.4g%%, expected %.4g..%.4g%% (kernel %.4g s, idle %.4g s)", r->busy_percent,
             worst, best, busy_kernel_s, busy_idle_s);
  assert_true(isnan(r->energy_j)); /* no sensors in this session */
  ob_session_destroy(session);
}

/* --sustain: the series of each case in the session, its points' values from the repetitions,
 * the sustained_ratio row; written, read back and drawn. */
static void runner_sustained_series(void **state) {
  (void)state;
  fresh_root(fake_root, sizeof fake_root);
  cpu_tree(fake_root);
  const ob_device_props cpu = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_INTEL, "");
  const ob_run_opts opts = {.quick = true, .seconds = 0.02, .sustain = 0.2};
  ob_session *session = run_with_sensors(&cpu, 0.0, &energy_workload, &opts);
  const ob_series_set *set = ob_session_series(session);
  assert_int_equal(set->n, 2);
  const ob_series *s = &set->items[0];
  assert_string_equal(s->metric, "step_time");
  assert_contains(s->params, "sustain=0.2");
  assert_true(s->n >= 10);
  double reps = 0.0;
  for (size_t i = 0; i < s->n; i++) {
    reps += s->points[i].reps;
    assert_near(s->points[i].value, s->points[i].seconds / s->points[i].reps * 1e6, 1e-6);
    assert_near(s->points[i].value, 1000.0, 1e-6); /* 1 ms per repetition, in us */
    assert_near(s->points[i].clock_mhz, 2500.0, 1e-9);
    assert_near(s->points[i].temp_c, 52.0, 1e-9);
    if (i) assert_true(s->points[i].t_s > s->points[i - 1].t_s);
  }
  assert_true(s->points[s->n - 1].t_s >= 0.2);
  const ob_result *ratio = NULL, *step = NULL;
  assert_int_equal(rows_of(ob_session_results(session), "sustained_ratio", &ratio), 2);
  assert_int_equal(rows_of(ob_session_results(session), "step_time", &step), 2);
  assert_near(step->reps, reps, 0.0);
  assert_near(ratio->value, 1.0, 1e-9); /* every repetition reported 1 ms */
  assert_contains(ratio->note, "first tenth");
  assert_string_equal(ratio->unit, "last/first");
  /* the file round trip and the figure */
  char path[4200];
  size_t written = 0;
  ob_series_csv_path(path, sizeof path, fake_root, "host", s->device_slug);
  OB_ASSERT_OK(ob_series_write_csv(set, 0, ob_session_host(session)->hostname, s->device_slug,
                                   path, &written));
  assert_int_equal(written, 2);
  ob_series_set back = {0};
  OB_ASSERT_OK(ob_series_read_csv(path, &back));
  assert_int_equal(back.n, 2);
  assert_int_equal(back.items[1].n, set->items[1].n);
  assert_string_equal(back.items[1].params, set->items[1].params);
  assert_near(back.items[0].points[3].value, s->points[3].value, 1e-9 * s->points[3].value);
  assert_true(back.items[0].points[0].power_w > 0); /* the counter's energy over the interval */
  char *svg = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&svg, &len);
  OB_ASSERT_OK(ob_svg_write_series(&back, f));
  fclose(f);
  assert_contains(svg, "sustained: step_time over time");
  assert_contains(svg, "sustained: clock over time");
  assert_contains(svg, "sustained: power over time");
  assert_null(strstr(svg, "sustained: flips_per_ns over time")); /* not a series' metric */
  free(svg);
  ob_series_clear(&back);
  ob_session_destroy(session);
  drop_root(fake_root);
}

/* `run --sustain` validates its value before anything is written; a sustained run writes the
 * series beside the CSV, and `plot` draws it. */
static void cli_sustain_and_plot(void **state) {
  (void)state;
  char dir[4096], args[8192], err[2048];
  fresh_root(dir, sizeof dir);
  static const char *const bad[] = {"0", "-1", "abc", "1e9", "''"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(args, sizeof args, "run adam --sustain %s --out %s/out", bad[i], dir);
    assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
    assert_contains(err, "--sustain");
    assert_non_null(strchr(err, '\n'));
    assert_null(strchr(strchr(err, '\n') + 1, '\n')); /* one line */
    snprintf(args, sizeof args, "%s/out", dir);
    assert_int_equal(access(args, F_OK), -1);
  }
  snprintf(args, sizeof args, "run adam --quick --seconds 0.01 --sustain 0.1 %s --out %s/out",
           ob_test_device_args(), dir);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  char series[8192];
  snprintf(series, sizeof series, "%s/out/sustain", dir);
  snprintf(args, sizeof args, "plot %s/*.csv --svg %s/plot.svg", series, dir);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  snprintf(args, sizeof args, "%s/plot.svg", dir);
  char *text = NULL;
  OB_ASSERT_OK(ob_read_file(args, &text, NULL));
  assert_contains(text, "sustained: step_time over time");
  free(text);
  snprintf(args, sizeof args, "plot %s/out/*.csv --svg %s/bad.svg", dir, dir); /* not series */
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_contains(err, "not an oclbench series CSV");
  drop_root(dir);
}

static ob_status keep_result(void *user, size_t line, ob_result *r) {
  (void)line;
  return ob_results_push(user, r);
}

/* Copies a CSV's schema-1 columns (the header's starts the file at path). */
typedef struct cut_file {
  const char *path;
  ob_csv_writer *w;
} cut_file;

static ob_status cut_after_note(void *user, size_t line, char **fields, size_t n) {
  cut_file *c = user;
  assert_true(n > OB_RESULT_SCHEMA_COLS);
  if (line == 1)
    return ob_csv_writer_create_path(c->path, (const char *const *)fields, OB_RESULT_SCHEMA_COLS,
                                     &c->w);
  return ob_csv_writer_add_fields(c->w, (const char *const *)fields, OB_RESULT_SCHEMA_COLS);
}

/* The telemetry columns survive the per-device CSV; compare reads files with and without them
 * and joins an efficiency row like any other. */
static void compare_reads_with_and_without_telemetry(void **state) {
  (void)state;
  fresh_root(fake_root, sizeof fake_root);
  cpu_tree(fake_root);
  const ob_device_props cpu = props_of(CL_DEVICE_TYPE_CPU, OB_VENDOR_INTEL, "");
  const ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_session *session = run_with_sensors(&cpu, 0.0, &energy_workload, &opts);
  const ob_results *v = ob_session_results(session);
  char with[4200], without[4200];
  snprintf(with, sizeof with, "%s/with.csv", fake_root);
  snprintf(without, sizeof without, "%s/without.csv", fake_root);
  OB_ASSERT_OK(ob_results_write_csv(v, 0, v->items[0].host, v->items[0].device_slug, with));
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_read_csv(with, keep_result, &back));
  assert_int_equal(back.n, v->n);
  for (size_t i = 0; i < v->n; i++) {
    assert_true(back.items[i].energy_j == v->items[i].energy_j ||
                (isnan(back.items[i].energy_j) && isnan(v->items[i].energy_j)));
    assert_string_equal(back.items[i].energy_method, v->items[i].energy_method);
    assert_string_equal(back.items[i].throttled, v->items[i].throttled);
  }
  /* the same file cut after `note`: the schema-1 columns only */
  cut_file cut = {.path = without};
  OB_ASSERT_OK(ob_csv_read(with, cut_after_note, &cut));
  OB_ASSERT_OK(ob_csv_writer_commit(cut.w));
  ob_compare *cmp = NULL;
  OB_ASSERT_OK(ob_compare_create(&cmp));
  OB_ASSERT_OK(ob_compare_add_file(cmp, with));
  OB_ASSERT_OK(ob_compare_add_file(cmp, without));
  OB_ASSERT_OK(ob_compare_join(cmp));
  assert_int_equal(ob_compare_ndevices(cmp), 2);
  bool joined = false;
  for (size_t r = 0; r < ob_compare_nrows(cmp); r++) {
    if (strcmp(ob_compare_row_get(cmp, r)->metric, "flips_per_j") != 0) continue;
    ob_compare_cell c;
    joined = ob_compare_cell_get(cmp, r, 0, &c) && ob_compare_cell_get(cmp, r, 1, &c);
    assert_true(isnan(c.result->energy_j));      /* the file without the columns */
    assert_string_equal(c.result->throttled, "");
  }
  assert_true(joined);
  char *svg = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&svg, &len);
  OB_ASSERT_OK(ob_svg_write(cmp, "energy", f)); /* the test workload's figure */
  fclose(f);
  assert_contains(svg, "flips_per_j");
  free(svg);
  ob_compare_destroy(cmp);
  ob_results_clear(&back);
  ob_session_destroy(session);
  drop_root(fake_root);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cpu_sysfs_readings),      cmocka_unit_test(rapl_wrap_and_clock_drop),
      cmocka_unit_test(power_integral),          cmocka_unit_test(concurrent_windows),
      cmocka_unit_test(nothing_readable),        cmocka_unit_test(intel_gpu_uncore),
      cmocka_unit_test(throttle_words),          cmocka_unit_test(nvml_counter_reasons),
      cmocka_unit_test(nvml_legacy_power_only),  cmocka_unit_test(nvml_absent),
      cmocka_unit_test(devices_lists_sensors),   cmocka_unit_test(runner_rows_energy_from_rapl),
      cmocka_unit_test(runner_rows_power_integral_and_none),
      cmocka_unit_test(runner_busy_fraction),    cmocka_unit_test(runner_sustained_series),
      cmocka_unit_test(cli_sustain_and_plot),
      cmocka_unit_test(compare_reads_with_and_without_telemetry),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
