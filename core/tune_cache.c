/* The tuning facility's store: one cache file per device and driver, or the process's memory
 * when there is no cache directory. */
#include "tune_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_embedded.h"

/* A larger file is not read (taken as empty, and rewritten). */
#define CACHE_MAX_BYTES (1 << 20)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The store's key: device name, driver, platform version, oclbench version and every kernel
 * source as it would be built (a file missing from the kernel directory counts as its name). */
static uint64_t store_key(const ob_device *dev) {
  const ob_device_props *p = ob_device_props_get(dev);
  const char *parts[] = {p->name, p->driver, p->platform_version, OB_VERSION};
  uint64_t h = OB_HASH_INIT;
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    h = ob_hash(h, parts[i], strlen(parts[i]) + 1);
  for (const ob_embedded_kernel *k = ob_embedded_kernels; k->name; k++) {
    char *src = NULL;
    size_t len = 0;
    h = ob_hash(h, k->name, strlen(k->name) + 1);
    if (ob_kernel_source(k->name, &src, &len) == OB_OK) h = ob_hash(h, src, len);
    free(src);
  }
  ob_error_clear();
  return h;
}

static void store_path(const char *dir, uint64_t key, char *buf, size_t n) {
  snprintf(buf, n, "%s/tune-%016llx.txt", dir, (unsigned long long)key);
}

/* ---------------------------------------------------------------- lines */

/* One line "family shape config score candidates" split in place; false for any other form.
 * A line of the four fields before candidates (an older store) reads as from no list (0). */
typedef struct entry {
  const char *family, *shape, *config;
  uint64_t candidates;
} entry;

static bool parse_line(char *line, entry *e) {
  if (line[0] == '#') return false;
  char *save = NULL, *f[6];
  int n = 0;
  for (char *t = strtok_r(line, " \t\r", &save); t && n < 6; t = strtok_r(NULL, " \t\r", &save))
    f[n++] = t;
  if (n != 4 && n != 5) return false;
  *e = (entry){f[0], f[1], f[2], n == 5 ? strtoull(f[4], NULL, 16) : 0};
  return true;
}

static bool same_key(const entry *e, const char *family, const char *shape) {
  return strcmp(e->family, family) == 0 && strcmp(e->shape, shape) == 0;
}

/* ---------------------------------------------------------------- the process's memory */

typedef struct memo {
  uint64_t key, candidates;
  char *line; /* "family shape config" */
} memo;

static memo *memos;
static size_t nmemos, cap_memos;

static memo *memo_find(uint64_t key, const char *family, const char *shape) {
  const size_t fl = strlen(family), sl = strlen(shape);
  for (size_t i = 0; i < nmemos; i++) {
    const char *l = memos[i].line;
    if (memos[i].key == key && strncmp(l, family, fl) == 0 && l[fl] == ' ' &&
        strncmp(l + fl + 1, shape, sl) == 0 && l[fl + 1 + sl] == ' ')
      return &memos[i];
  }
  return NULL;
}

static void memo_store(uint64_t key, const char *family, const char *shape, uint64_t candidates,
                       const char *config) {
  const size_t len = strlen(family) + strlen(shape) + strlen(config) + 3;
  char *line = malloc(len);
  if (!line) return;
  snprintf(line, len, "%s %s %s", family, shape, config);
  memo *m = memo_find(key, family, shape);
  if (m) {
    free(m->line);
    m->line = line;
    m->candidates = candidates;
    return;
  }
  if (nmemos == cap_memos) {
    const size_t cap = cap_memos ? 2 * cap_memos : 16;
    memo *grown = realloc(memos, cap * sizeof *grown);
    if (!grown) {
      free(line);
      return;
    }
    memos = grown;
    cap_memos = cap;
  }
  memos[nmemos++] = (memo){key, candidates, line};
}

/* ---------------------------------------------------------------- the file */

/* The file's text ("" when missing, unreadable or too large); NULL when out of memory. */
static char *file_read(const char *path) {
  char *text = NULL;
  size_t len = 0;
  if (ob_read_file(path, &text, &len) != OB_OK || len > CACHE_MAX_BYTES) {
    free(text);
    ob_error_clear();
    return strdup("");
  }
  return text;
}

bool ob_tune_cache_find(const char *dir, const ob_device *dev, const char *family,
                        const char *shape, uint64_t candidates, char *config, size_t n) {
  const uint64_t key = store_key(dev);
  bool found = false;
  pthread_mutex_lock(&lock);
  if (!dir[0]) {
    const memo *m = memo_find(key, family, shape);
    found = m && m->candidates == candidates;
    if (found) snprintf(config, n, "%s", m->line + strlen(family) + strlen(shape) + 2);
  } else {
    char path[4200];
    store_path(dir, key, path, sizeof path);
    char *text = file_read(path), *save = NULL;
    for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
      entry e;
      if (!parse_line(l, &e) || !same_key(&e, family, shape)) continue;
      snprintf(config, n, "%s", e.config);
      found = e.candidates == candidates; /* the last line for the key decides */
    }
    free(text);
  }
  pthread_mutex_unlock(&lock);
  return found;
}

/* Rewrites the file at path: the header, every other line as it was, then the new one. */
static ob_status file_store(const char *dir, const char *path, const ob_device *dev,
                            const char *family, const char *shape, const char *newline) {
  char *old = file_read(path);
  if (!old) return ob_fail(OB_ERR_NOMEM, "out of memory");
  const ob_device_props *p = ob_device_props_get(dev);
  const size_t cap = strlen(old) + strlen(newline) + 1024;
  char *all = malloc(cap);
  if (!all) {
    free(old);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  size_t n = (size_t)snprintf(all, cap, "# oclbench tuning cache: %s | %s | %s | oclbench %s\n",
                              p->name, p->driver, p->platform_version, OB_VERSION);
  char *save = NULL;
  for (char *l = strtok_r(old, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    char copy[1024];
    entry e;
    snprintf(copy, sizeof copy, "%s", l);
    if (l[0] == '#' || (parse_line(copy, &e) && same_key(&e, family, shape))) continue;
    n += (size_t)snprintf(all + n, cap - n, "%s\n", l);
  }
  n += (size_t)snprintf(all + n, cap - n, "%s\n", newline);
  ob_status st = ob_mkdir_p(dir);
  if (st == OB_OK) st = ob_write_file_atomic(path, all, n < cap ? n : cap - 1);
  free(all);
  free(old);
  return st;
}

void ob_tune_cache_store(const char *dir, const ob_device *dev, const char *family,
                         const char *shape, uint64_t candidates, const char *config,
                         double score) {
  const uint64_t key = store_key(dev);
  pthread_mutex_lock(&lock);
  if (!dir[0]) {
    memo_store(key, family, shape, candidates, config);
  } else {
    char path[4200], line[1024], num[40];
    store_path(dir, key, path, sizeof path);
    ob_format_double(num, sizeof num, score);
    snprintf(line, sizeof line, "%s %s %s %s %016llx", family, shape, config, num,
             (unsigned long long)candidates);
    if (file_store(dir, path, dev, family, shape, line) != OB_OK) {
      ob_log(OB_LOG_WARN, "cannot store %s tuning in %s: %s", family, path, ob_error_detail());
      ob_error_clear();
    }
  }
  pthread_mutex_unlock(&lock);
}
