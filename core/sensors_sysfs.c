/* Linux sysfs sensors under a root directory ("/", or a fake tree in tests):
 *  - powercap RAPL (/sys/class/powercap/intel-rapl:*, Intel and AMD Zen alike): energy_uj in µJ,
 *    restarting at 0 after max_energy_range_uj; the domains named by their `name` file;
 *  - hwmon (energy*_input µJ, power*_input / power*_average µW, temp*_input m°C, freq*_input Hz,
 *    a freq labelled "mclk" is the memory clock): a GPU's under /sys/bus/pci/devices/BUS/hwmon,
 *    the CPUs' by driver name under /sys/class/hwmon;
 *  - cpufreq (/sys/devices/system/cpu/cpuN/cpufreq/scaling_cur_freq, kHz);
 *  - gpu_busy_percent of the PCI device (AMD).
 * Every file is probed once at opening (a file that cannot be read is named in the description)
 * and opened, read and closed at each reading, so the handle holds no descriptors. */
#include "sensors_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_LEN 4096

/* hwmon drivers of CPU temperature sensors. */
static const char *const cpu_hwmon_names[] = {"coretemp", "k10temp", "zenpower", "cpu_thermal"};

/* root (without its trailing slashes) followed by the formatted path, which starts with "/sys". */
static void __attribute__((format(printf, 4, 5)))
sys_path(char *buf, size_t n, const char *root, const char *fmt, ...) {
  size_t len = (size_t)snprintf(buf, n, "%s", root);
  while (len > 0 && len < n && buf[len - 1] == '/') buf[--len] = '\0';
  va_list ap;
  va_start(ap, fmt);
  if (len < n) vsnprintf(buf + len, n - len, fmt, ap);
  va_end(ap);
}

/* Reads up to n-1 bytes of a small file, NUL-terminated with trailing white space removed.
 * false with the reason in why when it cannot be read or is empty. O_NONBLOCK: a FIFO never
 * blocks. */
static bool read_text(const char *path, char *buf, size_t n, char *why, size_t nwhy) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    snprintf(why, nwhy, "%s", strerror(errno));
    return false;
  }
  ssize_t r;
  do r = read(fd, buf, n - 1);
  while (r < 0 && errno == EINTR);
  const int err = errno;
  close(fd);
  if (r < 0) {
    snprintf(why, nwhy, "%s", strerror(err));
    return false;
  }
  while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' ' || buf[r - 1] == '\t')) r--;
  buf[r] = '\0';
  if (r == 0) {
    snprintf(why, nwhy, "empty");
    return false;
  }
  return true;
}

/* A file holding one number; NAN when unreadable or not a number (reason in why). */
static double read_number(const char *path, char *why, size_t nwhy) {
  char text[64];
  if (!read_text(path, text, sizeof text, why, nwhy)) return NAN;
  char *end = NULL;
  const double v = strtod(text, &end);
  if (end == text || *end != '\0' || !isfinite(v)) {
    snprintf(why, nwhy, "not a number");
    return NAN;
  }
  return v;
}

static double read_scaled(const ob_sensor_file *f) {
  char why[128];
  return read_number(f->path, why, sizeof why) * f->scale;
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

/* Whether an existing file reads as a number; otherwise notes "SHOWN unreadable (why)". */
static bool probe(ob_sensors *s, const char *path, const char *shown) {
  char why[128];
  if (!isnan(read_number(path, why, sizeof why))) return true;
  ob_sensors_missing(s, "%s unreadable (%s)", shown, why);
  return false;
}

static ob_status add_file(ob_sensors *s, ob_sensor_files *l, const char *path, double scale,
                          unsigned bit) {
  ob_sensor_file *v = ob_grow(l->v, &l->cap, l->n + 1, sizeof *l->v, 8);
  if (!v) return ob_fail(OB_ERR_NOMEM, "sensors: out of memory");
  l->v = v;
  char *copy = strdup(path);
  if (!copy) return ob_fail(OB_ERR_NOMEM, "sensors: out of memory");
  l->v[l->n++] = (ob_sensor_file){copy, scale};
  s->available |= bit;
  return OB_OK;
}

/* The entries of a directory in natural order ("hwmon2" before "hwmon10"); -1 (and a note
 * naming the directory as shown) when it cannot be listed. */
static int list_dir(ob_sensors *s, const char *path, const char *shown, struct dirent ***out) {
  const int n = scandir(path, out, NULL, versionsort);
  if (n >= 0) return n;
  if (errno == ENOENT) ob_sensors_missing(s, "no %s", shown);
  else ob_sensors_missing(s, "%s unreadable (%s)", shown, strerror(errno));
  return -1;
}

static void free_list(struct dirent **list, int n) {
  for (int i = 0; i < n; i++) free(list[i]);
  free(list);
}

/* ---------------------------------------------------------------- RAPL */

/* Whether a powercap zone is one of the wanted domains: with cpu, a package (a top-level zone
 * "intel-rapl:P" named package-P) or a dram domain; otherwise the uncore domain. */
static bool rapl_wanted(const char *zone, const char *name, bool cpu) {
  if (!cpu) return strcmp(name, "uncore") == 0;
  const bool top = strchr(zone + strlen("intel-rapl:"), ':') == NULL;
  return (top && strncmp(name, "package", 7) == 0) || strcmp(name, "dram") == 0;
}

static ob_status rapl_open(ob_sensors *s, const char *root, bool cpu) {
  char dir[PATH_LEN];
  sys_path(dir, sizeof dir, root, "/sys/class/powercap");
  struct dirent **list = NULL;
  const int n = list_dir(s, dir, "/sys/class/powercap", &list);
  if (n < 0) return OB_OK;
  char names[256] = "";
  size_t len = 0, zones = 0, wanted = 0;
  ob_status st = OB_OK;
  for (int i = 0; i < n && st == OB_OK; i++) {
    const char *zone = list[i]->d_name;
    if (strncmp(zone, "intel-rapl:", strlen("intel-rapl:")) != 0) continue;
    zones++;
    char path[PATH_LEN], name[64], why[128], shown[96];
    sys_path(path, sizeof path, root, "/sys/class/powercap/%s/name", zone);
    if (!read_text(path, name, sizeof name, why, sizeof why) || !rapl_wanted(zone, name, cpu))
      continue;
    wanted++;
    snprintf(shown, sizeof shown, "%s energy_uj", zone);
    sys_path(path, sizeof path, root, "/sys/class/powercap/%s/energy_uj", zone);
    if (!probe(s, path, shown)) continue;
    char range[PATH_LEN];
    sys_path(range, sizeof range, root, "/sys/class/powercap/%s/max_energy_range_uj", zone);
    const double wrap_uj = read_number(range, why, sizeof why);
    if (!ob_sensors_add_counter(s, isfinite(wrap_uj) && wrap_uj > 0 ? wrap_uj * 1e-6 : 0.0))
      break;
    st = add_file(s, &s->energy, path, 1e-6, OB_SENSE_ENERGY);
    if (len < sizeof names)
      len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", name);
  }
  free_list(list, n);
  if (len) ob_sensors_found(s, "rapl %s (energy)", names);
  else if (!zones) ob_sensors_missing(s, "no RAPL domain in /sys/class/powercap");
  else if (!wanted) ob_sensors_missing(s, "no RAPL %s domain", cpu ? "package" : "uncore");
  return st;
}

/* ---------------------------------------------------------------- hwmon */

/* Adds the readable temp*_input files of an hwmon directory; *any says whether there was one. */
static ob_status hwmon_temps(ob_sensors *s, const char *dir, const char *hwmon, bool *any) {
  *any = false;
  for (int c = 1; c <= 16; c++) {
    char path[PATH_LEN], shown[96];
    snprintf(path, sizeof path, "%s/temp%d_input", dir, c);
    snprintf(shown, sizeof shown, "%s temp%d_input", hwmon, c);
    if (!exists(path) || !probe(s, path, shown)) continue;
    OB_TRY(add_file(s, &s->temp, path, 1e-3, OB_SENSE_TEMP));
    *any = true;
  }
  return OB_OK;
}

/* The first readable channel file of the given kind and suffixes ("power", {"input",
 * "average"}) into path; false when none. */
static bool hwmon_first(ob_sensors *s, const char *dir, const char *hwmon, const char *kind,
                        const char *const *suffixes, size_t nsuffixes, char *path, size_t n) {
  for (int c = 1; c <= 16; c++)
    for (size_t k = 0; k < nsuffixes; k++) {
      char shown[96];
      snprintf(path, n, "%s/%s%d_%s", dir, kind, c, suffixes[k]);
      snprintf(shown, sizeof shown, "%s %s%d_%s", hwmon, kind, c, suffixes[k]);
      if (exists(path) && probe(s, path, shown)) return true;
    }
  return false;
}

/* A GPU's hwmon: energy, power, temperatures, the core and memory clocks. */
static ob_status hwmon_gpu(ob_sensors *s, const char *dir, const char *hwmon) {
  char what[128] = "", path[PATH_LEN];
  size_t len = 0;
  static const char *const input[] = {"input"};
  static const char *const power[] = {"input", "average"};
  if (hwmon_first(s, dir, hwmon, "energy", input, 1, path, sizeof path) &&
      ob_sensors_add_counter(s, 0.0)) {
    OB_TRY(add_file(s, &s->energy, path, 1e-6, OB_SENSE_ENERGY));
    len += (size_t)snprintf(what + len, sizeof what - len, "energy");
  }
  if (hwmon_first(s, dir, hwmon, "power", power, 2, path, sizeof path)) {
    OB_TRY(add_file(s, &s->power, path, 1e-6, OB_SENSE_POWER));
    len += (size_t)snprintf(what + len, sizeof what - len, "%spower", len ? ", " : "");
  }
  bool temps = false;
  OB_TRY(hwmon_temps(s, dir, hwmon, &temps));
  if (temps) len += (size_t)snprintf(what + len, sizeof what - len, "%stemperature", len ? ", " : "");
  for (int c = 1; c <= 16; c++) {
    char label[32] = "", why[128], shown[96];
    snprintf(path, sizeof path, "%s/freq%d_label", dir, c);
    if (exists(path)) read_text(path, label, sizeof label, why, sizeof why);
    snprintf(path, sizeof path, "%s/freq%d_input", dir, c);
    snprintf(shown, sizeof shown, "%s freq%d_input", hwmon, c);
    ob_sensor_files *l = strcmp(label, "mclk") == 0 ? &s->mem_clock : &s->clock;
    if (l->n || !exists(path) || !probe(s, path, shown)) continue;
    OB_TRY(add_file(s, l, path, 1e-6, l == &s->clock ? OB_SENSE_CLOCK : OB_SENSE_MEM_CLOCK));
    len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", len ? ", " : "",
                            l == &s->clock ? "clock" : "memory clock");
  }
  if (len) ob_sensors_found(s, "hwmon %s (%s)", hwmon, what);
  else ob_sensors_missing(s, "hwmon %s reads nothing", hwmon);
  return OB_OK;
}

/* Looks at one hwmon directory (its path and driver name); *used says whether it gave a sensor. */
typedef ob_status (*hwmon_visit_fn)(ob_sensors *s, const char *path, const char *name,
                                    bool *used);

/* Calls visit for each hwmonN directory under dir (its name read from the `name` file);
 * *used counts those visit used. Notes when dir cannot be listed. */
static ob_status hwmon_each(ob_sensors *s, const char *dir, const char *shown, hwmon_visit_fn visit,
                            size_t *used) {
  *used = 0;
  struct dirent **list = NULL;
  const int n = list_dir(s, dir, shown, &list);
  if (n < 0) return OB_OK;
  ob_status st = OB_OK;
  for (int i = 0; i < n && st == OB_OK; i++) {
    if (strncmp(list[i]->d_name, "hwmon", 5) != 0) continue;
    char path[PATH_LEN], file[PATH_LEN], name[64] = "", why[128];
    snprintf(path, sizeof path, "%s/%s", dir, list[i]->d_name);
    snprintf(file, sizeof file, "%s/name", path);
    if (!read_text(file, name, sizeof name, why, sizeof why))
      snprintf(name, sizeof name, "%s", list[i]->d_name);
    bool u = false;
    st = visit(s, path, name, &u);
    *used += u;
  }
  free_list(list, n);
  return st;
}

static ob_status visit_gpu(ob_sensors *s, const char *path, const char *name, bool *used) {
  *used = true;
  return hwmon_gpu(s, path, name);
}

static ob_status visit_cpu(ob_sensors *s, const char *path, const char *name, bool *used) {
  *used = false;
  for (size_t i = 0; i < sizeof cpu_hwmon_names / sizeof *cpu_hwmon_names; i++) {
    if (strcmp(name, cpu_hwmon_names[i]) != 0) continue;
    OB_TRY(hwmon_temps(s, path, name, used));
    if (*used) ob_sensors_found(s, "hwmon %s (temperature)", name);
  }
  return OB_OK;
}

/* ---------------------------------------------------------------- CPU and PCI devices */

static ob_status cpufreq_open(ob_sensors *s, const char *root) {
  char dir[PATH_LEN];
  sys_path(dir, sizeof dir, root, "/sys/devices/system/cpu");
  struct dirent **list = NULL;
  const int n = list_dir(s, dir, "/sys/devices/system/cpu", &list);
  if (n < 0) return OB_OK;
  size_t cpus = 0, unreadable = 0;
  char why[128] = "";
  ob_status st = OB_OK;
  for (int i = 0; i < n && st == OB_OK; i++) {
    unsigned cpu = 0;
    char tail = 0, path[PATH_LEN];
    if (sscanf(list[i]->d_name, "cpu%u%c", &cpu, &tail) != 1) continue;
    snprintf(path, sizeof path, "%s/%s/cpufreq/scaling_cur_freq", dir, list[i]->d_name);
    if (!exists(path)) continue;
    if (isnan(read_number(path, why, sizeof why))) {
      unreadable++;
      continue;
    }
    st = add_file(s, &s->clock, path, 1e-3, OB_SENSE_CLOCK);
    cpus++;
  }
  free_list(list, n);
  if (unreadable) ob_sensors_missing(s, "%zu scaling_cur_freq unreadable (%s)", unreadable, why);
  if (cpus) ob_sensors_found(s, "cpufreq %zu CPU%s (clock)", cpus, cpus == 1 ? "" : "s");
  else if (!unreadable) ob_sensors_missing(s, "no cpufreq");
  return st;
}

ob_status ob_sensors_sysfs_open_cpu(ob_sensors *s, const char *root) {
  OB_TRY(rapl_open(s, root, true));
  OB_TRY(cpufreq_open(s, root));
  char dir[PATH_LEN];
  sys_path(dir, sizeof dir, root, "/sys/class/hwmon");
  size_t used = 0;
  if (!exists(dir)) {
    ob_sensors_missing(s, "no /sys/class/hwmon");
    return OB_OK;
  }
  OB_TRY(hwmon_each(s, dir, "/sys/class/hwmon", visit_cpu, &used));
  if (!used) ob_sensors_missing(s, "no CPU temperature hwmon");
  return OB_OK;
}

ob_status ob_sensors_sysfs_open_pci(ob_sensors *s, const char *root, const char *pci_bus_id,
                                    bool rapl_uncore) {
  char dir[PATH_LEN], shown[96], path[PATH_LEN];
  sys_path(dir, sizeof dir, root, "/sys/bus/pci/devices/%s", pci_bus_id);
  snprintf(shown, sizeof shown, "/sys/bus/pci/devices/%s", pci_bus_id);
  if (!exists(dir)) {
    ob_sensors_missing(s, "no %s", shown);
  } else {
    snprintf(path, sizeof path, "%s/hwmon", dir);
    size_t used = 0;
    if (exists(path)) OB_TRY(hwmon_each(s, path, "hwmon", visit_gpu, &used));
    if (!used) ob_sensors_missing(s, "no hwmon for this device");
    snprintf(path, sizeof path, "%s/gpu_busy_percent", dir);
    if (exists(path) && probe(s, path, "gpu_busy_percent")) {
      OB_TRY(add_file(s, &s->busy, path, 1.0, OB_SENSE_BUSY));
      ob_sensors_found(s, "gpu_busy_percent (utilisation)");
    }
  }
  if (rapl_uncore && !s->ncounters) OB_TRY(rapl_open(s, root, false));
  return OB_OK;
}

/* ---------------------------------------------------------------- readings */

/* Readable values of a file list: how many, the first, sum, min and max. */
typedef struct agg {
  size_t n;
  double first, sum, min, max;
} agg;

static agg read_all(const ob_sensor_files *l) {
  agg a = {0, NAN, 0.0, NAN, NAN};
  for (size_t i = 0; i < l->n; i++) {
    const double v = read_scaled(&l->v[i]);
    if (isnan(v)) continue;
    if (a.n++ == 0) a.first = a.min = a.max = v;
    a.sum += v;
    a.min = v < a.min ? v : a.min;
    a.max = v > a.max ? v : a.max;
  }
  return a;
}

void ob_sensors_sysfs_read(const ob_sensors *s, ob_sensor_sample *out) {
  ob_sensor_reading *r = &out->r;
  for (size_t i = 0; i < s->energy.n; i++) out->counters[i] = read_scaled(&s->energy.v[i]);
  if (s->power.n) r->power_w = read_all(&s->power).first;
  if (s->temp.n) r->temp_c = read_all(&s->temp).max;
  if (s->clock.n) {
    const agg a = read_all(&s->clock);
    r->clock_mhz = a.n ? a.sum / (double)a.n : NAN;
    r->clock_min_mhz = a.min;
  }
  if (s->mem_clock.n) r->mem_clock_mhz = read_all(&s->mem_clock).first;
  if (s->busy.n) r->busy_percent = read_all(&s->busy).first;
}

static void files_free(ob_sensor_files *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i].path);
  free(l->v);
  *l = (ob_sensor_files){0};
}

void ob_sensors_sysfs_free(ob_sensors *s) {
  ob_sensor_files *lists[] = {&s->energy, &s->power, &s->temp, &s->clock, &s->mem_clock, &s->busy};
  for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) files_free(lists[i]);
}
