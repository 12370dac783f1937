/* Small utilities: slugs, directories, atomic files, hashing. */
#include "oclbench.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *ob_grow(void *items, size_t *cap, size_t need, size_t elem, size_t first) {
  if (need <= *cap) return items;
  size_t n = *cap ? 2 * *cap : first;
  if (n < need) n = need;
  if (elem && n > SIZE_MAX / elem) return NULL;
  void *grown = realloc(items, n * elem);
  if (grown) *cap = n;
  return grown;
}

bool ob_vappendf(char *buf, size_t n, const char *sep, const char *fmt, va_list ap) {
  const size_t len = strlen(buf);
  if (len + 1 >= n) return false;
  const int s = snprintf(buf + len, n - len, "%s", len ? sep : "");
  if (s < 0 || (size_t)s >= n - len) return false;
  const size_t at = len + (size_t)s;
  const int w = vsnprintf(buf + at, n - at, fmt, ap);
  return w >= 0 && (size_t)w < n - at;
}

bool ob_appendf(char *buf, size_t n, const char *sep, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const bool all = ob_vappendf(buf, n, sep, fmt, ap);
  va_end(ap);
  return all;
}

void ob_slugify(char *buf, size_t n, const char *s) {
  if (n == 0) return;
  size_t o = 0;
  bool dash = false;
  for (; *s && o + 1 < n; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c)) {
      if (dash && o > 0 && o + 2 < n) buf[o++] = '-';
      buf[o++] = (char)tolower(c);
      dash = false;
    } else {
      dash = true;
    }
  }
  buf[o] = '\0';
}

ob_status ob_mkdir_p(const char *path) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
    return ob_fail(OB_ERR_INVALID, "%s: path too long", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
      return ob_fail(OB_ERR_IO, "%s: cannot create directory: %s", tmp, strerror(errno));
    *p = '/';
  }
  if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
    return ob_fail(OB_ERR_IO, "%s: cannot create directory: %s", tmp, strerror(errno));
  struct stat st;
  if (stat(tmp, &st) != 0 || !S_ISDIR(st.st_mode))
    return ob_fail(OB_ERR_IO, "%s: not a directory", tmp);
  return OB_OK;
}

void ob_atomic_tmp_path(const char *path, long pid, char *buf, size_t n) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const int dirlen = slash ? (int)(slash - path) + 1 : 0;
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  uint64_t h = ob_hash(OB_HASH_INIT, host, strlen(host) + 1);
  h = ob_hash(h, base, strlen(base));
  snprintf(buf, n, "%.*s.%016llx.%ld.oclbench-tmp", dirlen, path, (unsigned long long)h, pid);
}

/* Removes the temporary files of path that processes of this host which no longer exist left
 * behind (killed before they could commit or discard). */
static void remove_stale_tmp(const char *path) {
  char mine[4200];
  ob_atomic_tmp_path(path, 0, mine, sizeof mine);
  const char *name = strrchr(mine, '/') ? strrchr(mine, '/') + 1 : mine;
  const size_t prefix = strlen(name) - strlen("0.oclbench-tmp");  /* ".<hash>." */
  char dir[4200];
  snprintf(dir, sizeof dir, "%.*s", (int)(name - mine), mine);
  if (!dir[0]) snprintf(dir, sizeof dir, ".");
  DIR *d = opendir(dir);
  if (!d) return;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (strncmp(e->d_name, name, prefix) != 0) continue;
    const char *rest = e->d_name + prefix, *dot = strchr(rest, '.');
    char num[24];
    int64_t pid = 0;
    if (!dot || strcmp(dot, ".oclbench-tmp") != 0 || (size_t)(dot - rest) >= sizeof num) continue;
    snprintf(num, sizeof num, "%.*s", (int)(dot - rest), rest);
    if (ob_parse_int(num, 1, INT32_MAX, &pid) != OB_INT_OK) continue;
    if (pid != (int64_t)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
      unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

ob_status ob_atomic_open(ob_atomic_file *a, const char *path) {
  memset(a, 0, sizeof *a);
  if (!*path || strlen(path) >= sizeof a->path)
    return ob_fail(OB_ERR_INVALID, "%.80s: %s", path, *path ? "path too long" : "empty file name");
  snprintf(a->path, sizeof a->path, "%s", path);
  remove_stale_tmp(path);
  ob_atomic_tmp_path(path, (long)getpid(), a->tmp, sizeof a->tmp);
  a->f = fopen(a->tmp, "w");
  if (!a->f) return ob_fail(OB_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
  return OB_OK;
}

/* fsync of the directory holding path, so that a rename into it survives a crash. */
static ob_status sync_dir(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash == dir) dir[1] = '\0';
  else if (slash) *slash = '\0';
  else snprintf(dir, sizeof dir, ".");
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return ob_fail(OB_ERR_IO, "%s: cannot open directory: %s", dir, strerror(errno));
  /* Some file systems cannot sync a directory (EINVAL): nothing more can be done there. */
  int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
  close(fd);
  if (rc) return ob_fail(OB_ERR_IO, "%s: cannot sync directory: %s", dir, strerror(rc));
  return OB_OK;
}

ob_status ob_atomic_commit(ob_atomic_file *a) {
  ob_status st = OB_OK;
  if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0)
    st = ob_fail(OB_ERR_IO, "%s: cannot write: %s", a->path, strerror(errno));
  if (fclose(a->f) != 0 && st == OB_OK)
    st = ob_fail(OB_ERR_IO, "%s: cannot close: %s", a->path, strerror(errno));
  a->f = NULL;
  if (st == OB_OK && rename(a->tmp, a->path) != 0)
    st = ob_fail(OB_ERR_IO, "%s: cannot rename into place: %s", a->path, strerror(errno));
  if (st != OB_OK) {
    unlink(a->tmp);
    return st;
  }
  return sync_dir(a->path);
}

void ob_atomic_discard(ob_atomic_file *a) {
  if (!a->f) return;
  fclose(a->f);
  a->f = NULL;
  unlink(a->tmp);
}

ob_status ob_write_file_atomic(const char *path, const void *data, size_t len) {
  ob_atomic_file a;
  OB_TRY(ob_atomic_open(&a, path));
  if (len && fwrite(data, 1, len, a.f) != len) {
    int e = errno;
    ob_atomic_discard(&a);
    return ob_fail(OB_ERR_IO, "%s: write failed: %s", path, strerror(e));
  }
  return ob_atomic_commit(&a);
}

ob_status ob_read_file(const char *path, char **out, size_t *len) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return ob_fail(OB_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  if (!buf) {
    fclose(f);
    return ob_fail(OB_ERR_NOMEM, "%s: out of memory", path);
  }
  for (;;) {
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        fclose(f);
        return ob_fail(OB_ERR_NOMEM, "%s: out of memory", path);
      }
      buf = nb;
      cap *= 2;
    }
    size_t r = fread(buf + n, 1, cap - n - 1, f);
    n += r;
    if (r == 0) break;
  }
  bool err = ferror(f) != 0;
  fclose(f);
  if (err) {
    free(buf);
    return ob_fail(OB_ERR_IO, "%s: read error", path);
  }
  buf[n] = '\0';
  *out = buf;
  if (len) *len = n;
  return OB_OK;
}

uint64_t ob_hash(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
