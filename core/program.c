/* Programs: sources (built in, or from the configured kernel directory), builds, the on-disk
 * binary cache. */
#include "device_impl.h"
#include "kernels_embedded.h"

#include <stdlib.h>
#include <string.h>

ob_status ob_kernel_source(const char *file, char **out, size_t *len) {
  *out = NULL;
  if (!file || !*file || strchr(file, '/'))
    return ob_fail(OB_ERR_INVALID, "kernel file name '%s' is not a plain file name", file ? file : "");
  const char *dir = ob_config_get()->kernel_dir;
  if (dir && *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return ob_read_file(path, out, len);
  }
  for (const ob_embedded_kernel *k = ob_embedded_kernels; k->name; k++) {
    if (strcmp(k->name, file) != 0) continue;
    size_t n = strlen(k->source);
    *out = malloc(n + 1);
    if (!*out) return ob_fail(OB_ERR_NOMEM, "out of memory");
    memcpy(*out, k->source, n + 1);
    if (len) *len = n;
    return OB_OK;
  }
  return ob_fail(OB_ERR_INVALID, "no embedded kernel file '%s'", file);
}

const char *ob_program_cache_dir(void) {
  const char *dir = ob_config_get()->cache_dir;
  return dir ? dir : "";
}

/* Concatenates the space-separated files, each preceded by a #line directive so build logs
 * name the right file and line. */
static ob_status load_sources(const char *files, char **out) {
  *out = NULL;
  size_t cap = 1024, n = 0;
  char *all = malloc(cap);
  if (!all) return ob_fail(OB_ERR_NOMEM, "out of memory");
  all[0] = '\0';
  char *list = strdup(files);
  if (!list) {
    free(all);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  ob_status st = OB_OK;
  char *save = NULL;
  for (char *f = strtok_r(list, " ", &save); f && st == OB_OK; f = strtok_r(NULL, " ", &save)) {
    char *src = NULL;
    size_t len = 0;
    st = ob_kernel_source(f, &src, &len);
    if (st != OB_OK) break;
    size_t need = n + len + strlen(f) + 32;
    if (need > cap) {
      char *grown = realloc(all, need * 2);
      if (!grown) {
        free(src);
        st = ob_fail(OB_ERR_NOMEM, "out of memory");
        break;
      }
      all = grown;
      cap = need * 2;
    }
    n += (size_t)snprintf(all + n, cap - n, "#line 1 \"%s\"\n", f);
    memcpy(all + n, src, len);
    n += len;
    all[n++] = '\n';
    all[n] = '\0';
    free(src);
  }
  free(list);
  if (st != OB_OK) {
    free(all);
    return st;
  }
  *out = all;
  return OB_OK;
}

static void cache_path(const ob_stream *s, const char *source, const char *options, char *buf,
                       size_t n) {
  uint64_t h1 = OB_HASH_INIT, h2 = 0x84222325cbf29ce4ull;
  const char *parts[] = {source, options, s->dev->props.name, s->dev->props.driver,
                         s->dev->props.platform_version, OB_VERSION};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    size_t len = strlen(parts[i]) + 1; /* the NUL separates the parts */
    h1 = ob_hash(h1, parts[i], len);
    h2 = ob_hash(h2, parts[i], len);
  }
  snprintf(buf, n, "%s/%016llx%016llx.bin", ob_program_cache_dir(), (unsigned long long)h1,
           (unsigned long long)h2);
}

static void keep_build_log(ob_stream *s, cl_program prog) {
  size_t len = 0;
  if (clGetProgramBuildInfo(prog, s->dev->id, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) != CL_SUCCESS)
    return;
  char *log = malloc(len + 1);
  if (!log) return;
  if (clGetProgramBuildInfo(prog, s->dev->id, CL_PROGRAM_BUILD_LOG, len, log, NULL) != CL_SUCCESS)
    len = 0;
  log[len] = '\0';
  free(s->build_log);
  s->build_log = log;
}

static cl_program try_cached(ob_stream *s, const char *path, const char *options) {
  char *bin = NULL;
  size_t len = 0;
  if (ob_read_file(path, &bin, &len) != OB_OK || len == 0) {
    free(bin);
    ob_error_clear();
    return NULL;
  }
  const unsigned char *bins[] = {(const unsigned char *)bin};
  cl_int bstatus = CL_SUCCESS, err = CL_SUCCESS;
  cl_program prog =
      clCreateProgramWithBinary(s->context, 1, &s->dev->id, &len, bins, &bstatus, &err);
  free(bin);
  if (err != CL_SUCCESS || bstatus != CL_SUCCESS) {
    if (prog) clReleaseProgram(prog);
    return NULL;
  }
  if (clBuildProgram(prog, 1, &s->dev->id, options, NULL, NULL) != CL_SUCCESS) {
    clReleaseProgram(prog);
    remove(path); /* stale or foreign binary: rebuild from source next time */
    return NULL;
  }
  return prog;
}

static void store_cached(ob_stream *s, cl_program prog, const char *path) {
  size_t size = 0;
  if (clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS ||
      size == 0)
    return;
  unsigned char *bin = malloc(size);
  if (!bin) return;
  unsigned char *bins[] = {bin};
  if (clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof bins, bins, NULL) == CL_SUCCESS &&
      ob_mkdir_p(ob_program_cache_dir()) == OB_OK &&
      ob_write_file_atomic(path, bin, size) == OB_OK) {
    ob_log(OB_LOG_DEBUG, "%s: cached program binary %s", s->dev->slug, path);
  } else {
    ob_log(OB_LOG_DEBUG, "%s: could not cache program binary: %s", s->dev->slug, ob_error_detail());
    ob_error_clear();
  }
  free(bin);
}

static void record_build(ob_stream *s, const char *files, const char *options, double seconds,
                         bool cached) {
  if (s->nbuilds >= OB_MAX_BUILD_RECORDS) return;
  ob_build_record *r = &s->builds[s->nbuilds++];
  snprintf(r->files, sizeof r->files, "%s", files);
  snprintf(r->options, sizeof r->options, "%s", options);
  r->seconds = seconds;
  r->from_cache = cached;
}

/* Builds the program (or loads its cached binary). A binary built while the stream defers them
 * is not written: its cache path goes to *unstored (malloc'ed; NULL otherwise). */
static ob_status build_program(ob_stream *s, const char *files, const char *options,
                               cl_program *out, char **unstored) {
  *unstored = NULL;
  char *source = NULL;
  OB_TRY(load_sources(files, &source));
  const bool caching = ob_program_cache_dir()[0] != '\0';
  char path[4200] = "";
  if (caching) cache_path(s, source, options, path, sizeof path);
  double t0 = ob_now();
  cl_program prog = caching ? try_cached(s, path, options) : NULL;
  if (prog) {
    record_build(s, files, options, ob_now() - t0, true);
    free(source);
    *out = prog;
    return OB_OK;
  }
  cl_int err = CL_SUCCESS;
  const char *srcs[] = {source};
  prog = clCreateProgramWithSource(s->context, 1, srcs, NULL, &err);
  free(source);
  OB_TRY(OB_CL(err));
  err = clBuildProgram(prog, 1, &s->dev->id, options, NULL, NULL);
  double seconds = ob_now() - t0;
  if (err != CL_SUCCESS) {
    keep_build_log(s, prog);
    clReleaseProgram(prog);
    const char *log = s->build_log ? s->build_log : "";
    ob_log(OB_LOG_ERROR, "%s: building %s failed (%s); build log:\n%s", s->dev->slug, files,
           ob_cl_strerror(err), log);
    char first[300];
    snprintf(first, sizeof first, "%s", log);
    return ob_fail(OB_ERR_BUILD, "build of %s failed: %s (%d): %s", files, ob_cl_strerror(err),
                   err, first);
  }
  if (caching && s->binaries_deferred > 0)
    *unstored = strdup(path); /* out of memory: the binary is simply never written */
  else if (caching)
    store_cached(s, prog, path);
  record_build(s, files, options, seconds, false);
  *out = prog;
  return OB_OK;
}

/* ob_program_get on an open stream, without recording the failure. */
static ob_status program_get(ob_stream *s, const char *files, const char *options,
                             cl_program *out) {
  char full[1024];
  const char *parts[] = {"-cl-std=CL1.2", s->dev->profile->build_options, options};
  size_t len = 0;
  full[0] = '\0';
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    if (parts[i] && *parts[i] && len < sizeof full)
      len += (size_t)snprintf(full + len, sizeof full - len, "%s%s", len ? " " : "", parts[i]);
  for (size_t i = 0; i < s->nprograms; i++) {
    ob_program_entry *e = &s->programs[i];
    if (strcmp(e->files, files) == 0 && strcmp(e->options, full) == 0) {
      if (e->unstored && s->binaries_deferred == 0) {
        store_cached(s, e->program, e->unstored);
        free(e->unstored);
        e->unstored = NULL;
      }
      *out = e->program;
      return OB_OK;
    }
  }
  if (s->nprograms == s->cap_programs) {
    size_t cap = s->cap_programs ? s->cap_programs * 2 : 8;
    ob_program_entry *grown = realloc(s->programs, cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    s->programs = grown;
    s->cap_programs = cap;
  }
  cl_program prog = NULL;
  char *unstored = NULL;
  OB_TRY(build_program(s, files, full, &prog, &unstored));
  ob_program_entry *e = &s->programs[s->nprograms];
  e->files = strdup(files);
  e->options = strdup(full);
  e->unstored = unstored;
  if (!e->files || !e->options) {
    free(e->files);
    free(e->options);
    free(e->unstored);
    clReleaseProgram(prog);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  e->program = prog;
  s->nprograms++;
  *out = prog;
  return OB_OK;
}

ob_status ob_program_get(ob_device *dev, const char *files, const char *options,
                         cl_program *out) {
  *out = NULL;
  OB_TRY(ob_device_open(dev));
  return ob_stream_record(dev->stream, program_get(dev->stream, files, options, out));
}

void ob_program_cache_defer(ob_device *dev, bool defer) {
  if (!dev) return;
  if (ob_device_open(dev) != OB_OK) {
    ob_error_clear(); /* the search's trials meet the same failure and report it */
    return;
  }
  ob_stream *s = dev->stream;
  if (defer)
    s->binaries_deferred++;
  else if (s->binaries_deferred > 0)
    s->binaries_deferred--;
}

ob_status ob_kernel_create(ob_device *dev, const char *files, const char *options,
                           const char *name, cl_kernel *out) {
  *out = NULL;
  cl_program prog = NULL;
  OB_TRY(ob_program_get(dev, files, options, &prog));
  cl_int err = CL_SUCCESS;
  cl_kernel k = clCreateKernel(prog, name, &err);
  if (err != CL_SUCCESS)
    return ob_stream_record(dev->stream,
                            ob_fail(OB_ERR_CL, "clCreateKernel(%s) from %s: %s (%d)", name, files,
                                    ob_cl_strerror(err), err));
  *out = k;
  return OB_OK;
}

ob_status ob_kernel_set_args(cl_kernel k, cl_uint first, const ob_kernel_arg *args, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const cl_int err = clSetKernelArg(k, first + (cl_uint)i, args[i].size, args[i].value);
    if (err != CL_SUCCESS) {
      char name[128] = "?";
      clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, sizeof name, name, NULL);
      name[sizeof name - 1] = '\0';
      return ob_fail(OB_ERR_CL, "clSetKernelArg(%s, %u): %s (%d)", name, first + (unsigned)i,
                     ob_cl_strerror(err), err);
    }
  }
  return OB_OK;
}
