/* Tuning of the fused Adam kernel per device and driver: a few launch shapes, each timed for a
 * few steps on scratch buffers larger than the caches (GPUs: 16M parameters and the seed's
 * 10.5M, so a shape whose last wave of work-groups is poorly filled at one size loses; CPUs:
 * 4M, as a step takes milliseconds there); the fastest is cached as a one-line file in
 * ob_program_cache_dir() and remembered for the process. */
#include "adam.h"

#include <stdlib.h>
#include <string.h>

#define TUNE_STEPS 3
#define MAX_MEMOS 16

/* GPUs: float4, 128-512 work-items, 1-8 float4 per stream in flight per work-item. */
static const ob_adam_tuning gpu_candidates[] = {
    {256, 1, 4}, {256, 2, 4}, {256, 4, 4}, {256, 8, 4}, {128, 4, 4},
    {512, 1, 4}, {512, 2, 4}, {512, 4, 4}, {1024, 2, 4},
};
/* CPUs (PoCL on a 2-core AVX-512 Xeon): one float4 per work-item in large work-groups was
 * fastest; scalar work-items (vectorised by PoCL across work-items) and several float4 per
 * work-item measured 1.5-3x slower, so only nearby shapes are tried. */
static const ob_adam_tuning cpu_candidates[] = {
    {256, 1, 4}, {512, 1, 4}, {1024, 1, 4}, {256, 2, 4},
};

typedef struct memo {
  cl_device_id id;
  ob_adam_tuning t;
} memo;
static memo memos[MAX_MEMOS];
static size_t nmemos;

static void candidates(const ob_device *dev, const ob_adam_tuning **c, size_t *n) {
  if (ob_device_is_cpu(dev)) {
    *c = cpu_candidates;
    *n = sizeof cpu_candidates / sizeof *cpu_candidates;
  } else {
    *c = gpu_candidates;
    *n = sizeof gpu_candidates / sizeof *gpu_candidates;
  }
}

/* The cache file: keyed by device, driver, oclbench version, kernel source and candidates. */
static ob_status tune_path(const ob_device *dev, char *buf, size_t len) {
  const char *dir = ob_program_cache_dir();
  buf[0] = '\0';
  if (!dir[0]) return OB_OK;
  char *src = NULL;
  size_t srclen = 0;
  OB_TRY(ob_kernel_source("adam.cl", &src, &srclen));
  const ob_device_props *p = ob_device_props_get(dev);
  uint64_t h = ob_hash(OB_HASH_INIT, src, srclen);
  free(src);
  const char *parts[] = {p->name, p->driver, p->platform_version, OB_VERSION};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    h = ob_hash(h, parts[i], strlen(parts[i]) + 1);
  const ob_adam_tuning *c = NULL;
  size_t nc = 0;
  candidates(dev, &c, &nc);
  h = ob_hash(h, c, nc * sizeof *c);
  snprintf(buf, len, "%s/adam-tune-%016llx.txt", dir, (unsigned long long)h);
  return OB_OK;
}

/* A valid cache file holds "wg=W items=I vec=V"; anything else is ignored (re-tuned). */
static bool tune_read(const char *path, ob_adam_tuning *t) {
  char *text = NULL;
  size_t len = 0;
  if (!path[0] || ob_read_file(path, &text, &len) != OB_OK) {
    ob_error_clear();
    return false;
  }
  int used = 0;
  bool ok = sscanf(text, "wg=%zu items=%d vec=%d\n%n", &t->wg, &t->items, &t->vec, &used) == 3 &&
            (size_t)used == len;
  free(text);
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.tuning = *t;
  ok = ok && t->wg > 0 && ob_adam_options_check(&o) == OB_OK;
  if (!ok) ob_error_clear();
  return ok;
}

/* Seconds of one step with tuning t on the scratch buffers: the best of TUNE_STEPS. */
static ob_status time_candidate(ob_device *dev, cl_mem p, cl_mem g, size_t n,
                                const ob_adam_tuning *t, double *best) {
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.tuning = *t;
  const size_t off = 0;
  ob_adam *a = NULL;
  OB_TRY(ob_adam_create_flat(dev, &o, p, g, &off, &n, 1, &a));
  ob_status st = OB_OK;
  *best = 0.0;
  for (int s = 0; s <= TUNE_STEPS && st == OB_OK; s++) {
    cl_event ev = NULL;
    double secs = 0.0;
    st = ob_adam_step(a, &ev);
    if (st == OB_OK) st = OB_CL(clWaitForEvents(1, &ev));
    if (st == OB_OK) st = ob_event_seconds(ev, &secs);
    if (ev) clReleaseEvent(ev);
    if (st == OB_OK && s > 0 && (*best == 0.0 || secs < *best)) *best = secs; /* s 0: warm-up */
  }
  ob_adam_destroy(a);
  return st;
}

/* Times per parameter of candidate t summed over the problem sizes sizes[0..nsizes). */
static ob_status score_candidate(ob_device *dev, cl_mem p, cl_mem g, const size_t *sizes,
                                 size_t nsizes, const ob_adam_tuning *t, double *score) {
  *score = 0.0;
  for (size_t k = 0; k < nsizes; k++) {
    double secs = 0.0;
    OB_TRY(time_candidate(dev, p, g, sizes[k], t, &secs));
    *score += secs / (double)sizes[k];
  }
  return OB_OK;
}

static ob_status tune_measure(ob_device *dev, ob_adam_tuning *out) {
  const ob_device_props *props = ob_device_props_get(dev);
  const bool cpu = ob_device_is_cpu(dev);
  size_t sizes[2] = {(size_t)4 << 20, 0};
  size_t nsizes = 1;
  if (!cpu) {
    sizes[0] = (size_t)16 << 20;
    sizes[nsizes++] = 10485760;
  }
  /* Small devices: every size shrinks alike until the largest fits. */
  while (sizes[0] > 4096 && (sizes[0] * sizeof(float) > props->max_alloc ||
                             4 * sizes[0] * sizeof(float) > props->global_mem / 2))
    for (size_t k = 0; k < nsizes; k++) sizes[k] /= 2;
  const size_t n = sizes[0];
  cl_mem p = NULL, g = NULL;
  ob_status st = ob_buffer_create(dev, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &p);
  if (st == OB_OK) st = ob_buffer_create(dev, CL_MEM_READ_ONLY, n * sizeof(float), NULL, &g);
  const float one = 1.0f, half = 0.5f;
  if (st == OB_OK) st = ob_buffer_fill(dev, p, &one, sizeof one, n * sizeof(float));
  if (st == OB_OK) st = ob_buffer_fill(dev, g, &half, sizeof half, n * sizeof(float));
  const ob_adam_tuning *c = NULL;
  size_t nc = 0;
  candidates(dev, &c, &nc);
  double best = 0.0;
  ob_status last = OB_OK;
  for (size_t i = 0; i < nc && st == OB_OK; i++) {
    double score = 0.0;
    ob_status cst = score_candidate(dev, p, g, sizes, nsizes, &c[i], &score);
    ob_log(OB_LOG_INFO, "%s: adam tuning wg=%zu items=%d vec=%d: %s %.3f ns/param",
           ob_device_slug(dev), c[i].wg, c[i].items, c[i].vec,
           cst == OB_OK ? "" : ob_error_detail(), score * 1e9);
    if (cst != OB_OK) { /* a shape this device cannot run is no answer */
      last = cst;
      continue;
    }
    if (best == 0.0 || score < best) {
      best = score;
      *out = c[i];
    }
  }
  ob_buffer_release(dev, p);
  ob_buffer_release(dev, g);
  if (st == OB_OK && best == 0.0)
    st = last != OB_OK ? last : ob_fail(OB_ERR_UNSUPPORTED, "adam: no tuning candidate ran");
  return st;
}

ob_status ob_adam_tune(ob_device *dev, ob_adam_tuning *out) {
  const cl_device_id id = ob_device_id(dev);
  for (size_t i = 0; i < nmemos; i++)
    if (memos[i].id == id) {
      *out = memos[i].t;
      return OB_OK;
    }
  char path[4200];
  OB_TRY(tune_path(dev, path, sizeof path));
  ob_adam_tuning t;
  if (!tune_read(path, &t)) {
    OB_TRY(tune_measure(dev, &t));
    char line[96];
    int len = snprintf(line, sizeof line, "wg=%zu items=%d vec=%d\n", t.wg, t.items, t.vec);
    if (path[0] && (ob_mkdir_p(ob_program_cache_dir()) != OB_OK ||
                    ob_write_file_atomic(path, line, (size_t)len) != OB_OK)) {
      ob_log(OB_LOG_DEBUG, "adam: could not cache the tuning: %s", ob_error_detail());
      ob_error_clear();
    }
  }
  if (nmemos < MAX_MEMOS) memos[nmemos++] = (memo){id, t};
  *out = t;
  return OB_OK;
}
