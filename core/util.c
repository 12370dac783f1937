/* Small utilities: slugs, directories, atomic files, hashing. */
#include "oclbench.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

ob_status ob_write_file_atomic(const char *path, const void *data, size_t len) {
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) return ob_fail(OB_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
  const char *p = data;
  size_t left = len;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(tmp);
      return ob_fail(OB_ERR_IO, "%s: write failed: %s", path, strerror(e));
    }
    p += w;
    left -= (size_t)w;
  }
  if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return ob_fail(OB_ERR_IO, "%s: cannot finish writing: %s", path, strerror(e));
  }
  return OB_OK;
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
