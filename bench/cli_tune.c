/* The tuning settings from the environment. */
#include "cli_tune.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adam/adam.h"
#include "conv/conv.h"
#include "gemm/gemm.h"
#include "gemm/igemm.h"
#include "ising/ising_tune.h"

/* The families OCLBENCH_CONFIG_<FAMILY> may name. */
static const ob_tune_family *const families[] = {&ob_gemm_family, &ob_igemm_family,
                                                  &ob_conv_family, &ob_adam_family,
                                                  &ob_ising_family};
#define NFAMILIES (sizeof families / sizeof *families)

/* Variables of the convention before this one, and what replaced each. */
static const struct {
  const char *old, *now;
} renamed[] = {
    {"OCLBENCH_GEMM_TUNE", "OCLBENCH_TUNE=off|on|redo (for every tuned kernel family)"},
    {"OCLBENCH_GEMM_CONFIG", "OCLBENCH_CONFIG_GEMM"},
    {"OCLBENCH_CONV_TUNE", "OCLBENCH_TUNE=off|on|redo (for every tuned kernel family)"},
    {"OCLBENCH_CONV_CONFIG", "OCLBENCH_CONFIG_CONV"},
};

#define CONFIG_PREFIX "OCLBENCH_CONFIG_"

/* The family whose upper-case name is name[0..len); NULL when none. */
static const ob_tune_family *family_named(const char *name, size_t len) {
  for (size_t i = 0; i < NFAMILIES; i++) {
    const char *f = families[i]->name;
    size_t k = 0;
    while (k < len && f[k] && toupper((unsigned char)f[k]) == name[k]) k++;
    if (k == len && !f[k]) return families[i];
  }
  return NULL;
}

/* One OCLBENCH_CONFIG_<FAMILY>=text assignment of the environment into s. */
static ob_status force_from(ob_tune_settings *s, const char *assignment) {
  const char *name = assignment + strlen(CONFIG_PREFIX), *eq = strchr(name, '=');
  const size_t len = eq ? (size_t)(eq - name) : strlen(name);
  const char *text = eq ? eq + 1 : "";
  const ob_tune_family *f = family_named(name, len);
  if (!f) {
    char known[128] = "";
    for (size_t i = 0, n = 0; i < NFAMILIES && n < sizeof known; i++)
      n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", families[i]->name);
    return ob_fail(OB_ERR_INVALID, "%s%.*s: no tuned kernel family of that name (families: %s)",
                   CONFIG_PREFIX, (int)len, name, known);
  }
  if (!*text) return OB_OK;
  if (ob_tune_settings_force(s, f, text) == OB_OK) return OB_OK;
  char detail[512];
  snprintf(detail, sizeof detail, "%s", ob_error_detail());
  return ob_fail(OB_ERR_INVALID, "%s%.*s='%s': %s", CONFIG_PREFIX, (int)len, name, text, detail);
}

ob_status ob_cli_tune_settings(ob_tune_settings *out) {
  ob_tune_settings_init(out);
  for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++) {
    const char *v = getenv(renamed[i].old);
    if (v && *v) return ob_fail(OB_ERR_INVALID, "%s is now %s", renamed[i].old, renamed[i].now);
  }
  const char *mode = getenv("OCLBENCH_TUNE");
  if (mode && *mode && ob_tune_mode_parse(mode, &out->mode) != OB_OK)
    return ob_fail(OB_ERR_INVALID, "OCLBENCH_TUNE='%s': expected off, on or redo", mode);
  for (char **e = environ; *e; e++)
    if (strncmp(*e, CONFIG_PREFIX, strlen(CONFIG_PREFIX)) == 0) OB_TRY(force_from(out, *e));
  return OB_OK;
}
