/* Shared CLI helpers. */
#include "cli.h"

#include "cli_tune.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ob_cli_usage_error(const char *fmt, ...) {
  char raw[4096], msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  ob_text_escape(msg, sizeof msg, raw, true);
  fprintf(stderr, "oclbench: %s (see 'oclbench --help')\n", msg);
  return OB_EXIT_USAGE;
}

bool ob_cli_double(const char *flag, const char *s, double min, double max, double *out) {
  double v = 0.0;
  if (!ob_parse_double(s, &v) || !isfinite(v)) {
    ob_cli_usage_error("%s: '%s' is not a number", flag, s);
    return false;
  }
  if (v < min || v > max) {
    ob_cli_usage_error("%s: %s is out of range [%g, %g]", flag, s, min, max);
    return false;
  }
  *out = v;
  return true;
}

bool ob_cli_long(const char *flag, const char *s, long min, long max, long *out) {
  int64_t v = 0;
  const ob_int_result r = ob_parse_int(s, min, max, &v);
  if (r == OB_INT_NOT_INTEGER)
    ob_cli_usage_error("%s: '%s' is not an integer", flag, s);
  else if (r == OB_INT_OUT_OF_RANGE)
    ob_cli_usage_error("%s: %s is out of range [%ld, %ld]", flag, s, min, max);
  else
    *out = (long)v;
  return r == OB_INT_OK;
}

bool ob_cli_u64(const char *flag, const char *s, uint64_t max, uint64_t *out) {
  const ob_int_result r = ob_parse_uint(s, max, out);
  if (r == OB_INT_NOT_INTEGER)
    ob_cli_usage_error("%s: '%s' is not an integer", flag, s);
  else if (r == OB_INT_OUT_OF_RANGE)
    ob_cli_usage_error("%s: %s is out of range [0, %llu]", flag, s, (unsigned long long)max);
  return r == OB_INT_OK;
}

bool ob_cli_format(const char *s, ob_format *out) {
  if (ob_format_parse(s, out)) return true;
  ob_cli_usage_error("--format: '%s' is not one of table, csv, json, md", s);
  return false;
}

const char *ob_cli_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    ob_cli_usage_error("%s needs a value", argv[*i]);
    return NULL;
  }
  /* The next option is not a value (`--out --quick` must not write into ./--quick); a path
   * that starts with "--" can be given as ./--name. */
  if (strncmp(argv[*i + 1], "--", 2) == 0) {
    ob_cli_usage_error("%s needs a value, not the option '%s'", argv[*i], argv[*i + 1]);
    return NULL;
  }
  (*i)++;
  return argv[*i];
}

bool ob_cli_once(ob_cli_flags *seen, const char *flag) {
  for (size_t i = 0; i < seen->n; i++)
    if (strcmp(seen->flag[i], flag) == 0) {
      ob_cli_usage_error("%s given twice", flag);
      return false;
    }
  if (seen->n < sizeof seen->flag / sizeof *seen->flag) seen->flag[seen->n++] = flag;
  return true;
}

/* The directory part of path ("." when none) in dir[4096]. */
static void dir_of(const char *path, char *dir) {
  snprintf(dir, 4096, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash == dir) dir[1] = '\0';
  else if (slash) *slash = '\0';
  else snprintf(dir, 4096, ".");
}

/* A directory that exists and that this process can create files in: tried with a probe file
 * (removed at once), since permissions alone do not tell (root, read-only mounts). */
static bool writable_dir(const char *dir) {
  struct stat st;
  char probe[4200];
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  snprintf(probe, sizeof probe, "%s/.oclbench-probe-XXXXXX", dir);
  int fd = mkstemp(probe);
  if (fd < 0) return false;
  close(fd);
  unlink(probe);
  return true;
}

bool ob_cli_output_path(const char *flag, const char *path) {
  if (!*path) {
    ob_cli_usage_error("%s: empty file name", flag);
    return false;
  }
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  char dir[4096];
  dir_of(path, dir);
  struct stat st;
  if (strlen(path) >= sizeof dir) {
    ob_cli_usage_error("%s: path longer than %zu bytes", flag, sizeof dir - 1);
    return false;
  }
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    ob_cli_usage_error("%s %s: directory '%s' does not exist", flag, path, dir);
    return false;
  }
  if (!writable_dir(dir)) {
    ob_cli_usage_error("%s %s: directory '%s' is not writable", flag, path, dir);
    return false;
  }
  if (!*base || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
    ob_cli_usage_error("%s %s: is a directory", flag, path);
    return false;
  }
  if (strlen(base) > NAME_MAX) {
    ob_cli_usage_error("%s: file name longer than %d bytes", flag, NAME_MAX);
    return false;
  }
  return true;
}

bool ob_cli_output_dir(const char *flag, const char *path) {
  char dir[4096];
  if (!*path) {
    ob_cli_usage_error("%s: empty directory name", flag);
    return false;
  }
  if (strlen(path) >= sizeof dir) {
    ob_cli_usage_error("%s: path longer than %zu bytes", flag, sizeof dir - 1);
    return false;
  }
  /* The directory itself or, when it is to be created, its nearest existing ancestor. */
  snprintf(dir, sizeof dir, "%s", path);
  struct stat st;
  while (stat(dir, &st) != 0) {
    char parent[4096];
    dir_of(dir, parent);
    if (strcmp(parent, dir) == 0) break;
    snprintf(dir, sizeof dir, "%s", parent);
  }
  if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
    ob_cli_usage_error("%s %s: '%s' is not a directory", flag, path, dir);
    return false;
  }
  if (!writable_dir(dir)) {
    ob_cli_usage_error("%s %s: directory '%s' is not writable", flag, path, dir);
    return false;
  }
  return true;
}

/* The core's part of the environment, validated and handed to ob_configure: OCLBENCH_LOG,
 * OCLBENCH_PROGRESS, OCLBENCH_KERNEL_DIR, and the cache: OCLBENCH_CACHE_DIR, by default
 * $XDG_CACHE_HOME/oclbench, else $HOME/.cache/oclbench, none when OCLBENCH_NO_CACHE is set to
 * anything but 0. Prints the error, naming the variable, and returns false on a bad value. */
static bool configure_core(void) {
  static const char *const levels[] = {"error", "warn", "info", "debug"};
  ob_config cfg;
  ob_config_default(&cfg);
  const char *log = getenv("OCLBENCH_LOG");
  size_t level = 0;
  while (log && *log && level <= OB_LOG_DEBUG && strcmp(log, levels[level]) != 0) level++;
  if (log && *log && level > OB_LOG_DEBUG) {
    ob_cli_usage_error("OCLBENCH_LOG='%s': expected error, warn, info or debug", log);
    return false;
  }
  if (log && *log) cfg.log_level = (ob_log_level)level;
  const char *kdir = getenv("OCLBENCH_KERNEL_DIR");
  struct stat st;
  if (kdir && *kdir && (stat(kdir, &st) != 0 || !S_ISDIR(st.st_mode))) {
    ob_cli_usage_error("OCLBENCH_KERNEL_DIR='%s' is not a directory", kdir);
    return false;
  }
  cfg.kernel_dir = kdir;
  const char *cdir = getenv("OCLBENCH_CACHE_DIR"), *off = getenv("OCLBENCH_NO_CACHE");
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  if (cdir && *cdir && ob_mkdir_p(cdir) != OB_OK) {
    ob_cli_usage_error("OCLBENCH_CACHE_DIR='%s' cannot be used as a directory", cdir);
    return false;
  }
  char cache[4096] = "";
  const bool no_cache = off && *off && strcmp(off, "0") != 0;
  if (!no_cache && cdir && *cdir) snprintf(cache, sizeof cache, "%s", cdir);
  else if (!no_cache && xdg && *xdg) snprintf(cache, sizeof cache, "%s/oclbench", xdg);
  else if (!no_cache && home && *home) snprintf(cache, sizeof cache, "%s/.cache/oclbench", home);
  cfg.cache_dir = cache;
  const char *prog = getenv("OCLBENCH_PROGRESS");
  if (prog && *prog && strcmp(prog, "0") != 0 && strcmp(prog, "1") != 0) {
    ob_cli_usage_error("OCLBENCH_PROGRESS='%s': expected 0 or 1", prog);
    return false;
  }
  cfg.progress = !(prog && strcmp(prog, "0") == 0);
  if (ob_configure(&cfg) != OB_OK) {
    ob_cli_usage_error("%s", ob_error_detail());
    return false;
  }
  return true;
}

bool ob_cli_check_env(void) {
  if (!configure_core()) return false;
  ob_tune_settings tune;
  if (ob_cli_tune_settings(&tune) != OB_OK) {
    ob_cli_usage_error("%s", ob_error_detail());
    return false;
  }
  ob_tune_settings_install(&tune);
  const char *root = getenv("OCLBENCH_SYSFS_ROOT");
  struct stat st;
  if (root && (!*root || stat(root, &st) != 0 || !S_ISDIR(st.st_mode))) {
    ob_cli_usage_error("OCLBENCH_SYSFS_ROOT='%s': not a directory", root);
    return false;
  }
  return true;
}

void ob_cli_sensor_config(ob_sensor_config *cfg) {
  ob_sensor_config_default(cfg);
  const char *root = getenv("OCLBENCH_SYSFS_ROOT");
  const char *nvml = getenv("OCLBENCH_NVML_LIBRARY");
  if (root) cfg->sysfs_root = root;
  if (nvml) cfg->nvml_library = nvml;
}

/* Why the loader found no platform: the ICD variables, the ICD files, and which driver
 * package to install. */
static void diagnose_no_platform(FILE *f) {
  const char *vendors = getenv("OCL_ICD_VENDORS");
  const char *filenames = getenv("OCL_ICD_FILENAMES");
  const char *dir = vendors && *vendors ? vendors : "/etc/OpenCL/vendors";
  fprintf(f, "  ICD loader: loaded (oclbench is linked against libOpenCL)\n");
  if (filenames && *filenames) fprintf(f, "  OCL_ICD_FILENAMES=%s\n", filenames);
  if (vendors && *vendors)
    fprintf(f, "  OCL_ICD_VENDORS=%s (overrides /etc/OpenCL/vendors)\n", vendors);
  DIR *d = opendir(dir);
  size_t n = 0;
  for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
    const size_t len = strlen(e->d_name);
    if (len > 4 && strcmp(e->d_name + len - 4, ".icd") == 0) {
      fprintf(f, "  ICD file: %s/%s\n", dir, e->d_name);
      n++;
    }
  }
  if (d) closedir(d);
  if (!d) fprintf(f, "  ICD directory %s: missing\n", dir);
  else if (n == 0) fprintf(f, "  ICD directory %s: no .icd files\n", dir);
  else fprintf(f, "  the listed drivers loaded no platform (driver missing or failing to start)\n");
  fprintf(f, "  install a driver: apt-get install pocl-opencl-icd (any CPU), nvidia-opencl-icd "
             "(NVIDIA), mesa-opencl-icd or intel-opencl-icd (Intel/AMD GPUs)\n");
}

int ob_cli_open_registry(ob_registry **out) {
  ob_status st = ob_registry_create(out);
  if (st == OB_OK) return OB_EXIT_OK;
  if (st == OB_ERR_NO_PLATFORM) {
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    diagnose_no_platform(stderr);
    return OB_EXIT_NO_PLATFORM;
  }
  fprintf(stderr, "oclbench: cannot list OpenCL devices: %s\n", ob_error_detail());
  return OB_EXIT_FAILED;
}

bool ob_cli_select(const ob_registry *reg, const char *const *sel, size_t nsel, bool *selected) {
  size_t n = ob_registry_count(reg);
  memset(selected, 0, n * sizeof *selected);
  if (nsel == 0) return ob_registry_select(reg, "all", selected) > 0;
  for (size_t i = 0; i < nsel; i++) {
    if (ob_registry_select(reg, sel[i], selected) > 0) continue;
    char list[1024] = "";
    size_t len = 0;
    for (size_t d = 0; d < n && len < sizeof list; d++) {
      const ob_device *dev = ob_registry_device(reg, d);
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%zu=%s (%s)", d ? ", " : "", d,
                              ob_device_slug(dev), ob_device_props_get(dev)->name);
    }
    ob_cli_usage_error("--device '%s' matches no device; devices: %s", sel[i], list);
    return false;
  }
  return true;
}
