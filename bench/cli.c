/* Shared CLI helpers. */
#include "cli.h"

#include "conv/conv.h"
#include "gemm/gemm.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ob_cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("oclbench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(" (see 'oclbench --help')\n", stderr);
  va_end(ap);
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
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (!*s || end == s || *end != '\0' || errno == ERANGE) {
    ob_cli_usage_error("%s: '%s' is not an integer", flag, s);
    return false;
  }
  if (v < min || v > max) {
    ob_cli_usage_error("%s: %s is out of range [%ld, %ld]", flag, s, min, max);
    return false;
  }
  *out = v;
  return true;
}

const char *ob_cli_value(int argc, char **argv, int *i) {
  if (*i + 1 >= argc) {
    ob_cli_usage_error("%s needs a value", argv[*i]);
    return NULL;
  }
  (*i)++;
  return argv[*i];
}

bool ob_cli_output_path(const char *flag, const char *path) {
  if (!*path) {
    ob_cli_usage_error("%s: empty file name", flag);
    return false;
  }
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    ob_cli_usage_error("%s: '%s' is a directory", flag, path);
    return false;
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash == dir) dir[1] = '\0';
  else if (slash) *slash = '\0';
  else snprintf(dir, sizeof dir, ".");
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
    ob_cli_usage_error("%s: cannot write into directory '%s'", flag, dir);
    return false;
  }
  return true;
}

bool ob_cli_check_env(void) {
  ob_conv_options conv;
  if (ob_log_init_from_env() != OB_OK || ob_program_check_env() != OB_OK ||
      ob_gemm_check_env() != OB_OK || ob_conv_options_from_env(&conv) != OB_OK) {
    ob_cli_usage_error("%s", ob_error_detail());
    return false;
  }
  const char *prog = getenv("OCLBENCH_PROGRESS");
  if (prog && *prog && strcmp(prog, "0") != 0 && strcmp(prog, "1") != 0) {
    ob_cli_usage_error("OCLBENCH_PROGRESS='%s': expected 0 or 1", prog);
    return false;
  }
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

int ob_cli_open_registry(ob_registry **out) {
  ob_status st = ob_registry_create(out);
  if (st == OB_OK) return OB_EXIT_OK;
  if (st == OB_ERR_NO_PLATFORM) {
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    ob_registry_diagnose(stderr);
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
