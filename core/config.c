/* The process's configuration, handed over once by the program (the CLI reads the environment). */
#include "oclbench.h"

#include <string.h>

#define PATH_MAX_LEN 4096

static char kernel_dir[PATH_MAX_LEN], cache_dir[PATH_MAX_LEN];
static ob_config current = {.log_level = OB_LOG_WARN, .progress = true};

void ob_config_default(ob_config *cfg) {
  *cfg = (ob_config){.log_level = OB_LOG_WARN, .progress = true};
}

/* Copies s (NULL: ""; shorter than PATH_MAX_LEN) into dst[PATH_MAX_LEN]; s may be dst. */
static void copy_path(char *dst, const char *s, size_t n) {
  memmove(dst, s ? s : "", n);
  dst[n] = '\0';
}

ob_status ob_configure(const ob_config *cfg) {
  const size_t klen = cfg->kernel_dir ? strlen(cfg->kernel_dir) : 0;
  const size_t clen = cfg->cache_dir ? strlen(cfg->cache_dir) : 0;
  if (klen >= PATH_MAX_LEN || clen >= PATH_MAX_LEN)
    return ob_fail(OB_ERR_INVALID, "%s directory path longer than %d bytes",
                   klen >= PATH_MAX_LEN ? "kernel" : "cache", PATH_MAX_LEN - 1);
  copy_path(kernel_dir, cfg->kernel_dir, klen);
  copy_path(cache_dir, cfg->cache_dir, clen);
  current = (ob_config){.log_level = cfg->log_level,
                        .progress = cfg->progress,
                        .kernel_dir = kernel_dir,
                        .cache_dir = cache_dir};
  return OB_OK;
}

const ob_config *ob_config_get(void) { return &current; }
