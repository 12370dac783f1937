/* Configurations of the implicit-GEMM convolution: parsing, consistency, the device default,
 * and the autotuner whose results are cached per device and driver in ob_program_cache_dir(),
 * keyed by pass, shape and storage type. */
#include "conv_impl.h"
#include "conv_ref.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- configurations as text */

static const char *const config_keys[] = {"tm", "tn", "tk", "wm", "wn", "wtx", "split"};
#define NKEYS (sizeof config_keys / sizeof *config_keys)

static int *config_field(ob_conv_config *c, size_t i) {
  int *f[NKEYS] = {&c->tm, &c->tn, &c->tk, &c->wm, &c->wn, &c->wtx, &c->split};
  return f[i];
}

void ob_conv_config_format(const ob_conv_config *c, char *buf, size_t n) {
  snprintf(buf, n, "tm=%d,tn=%d,tk=%d,wm=%d,wn=%d,wtx=%d,split=%d", c->tm, c->tn, c->tk, c->wm,
           c->wn, c->wtx, c->split);
}

ob_status ob_conv_config_check(const ob_conv_config *c) {
  const int vals[] = {c->tm, c->tn, c->tk, c->wm, c->wn, c->wtx};
  for (size_t i = 0; i < 6; i++)
    if (vals[i] < 1 || vals[i] > 4096)
      return ob_fail(OB_ERR_INVALID, "conv config: %s=%d is outside [1, 4096]", config_keys[i],
                     vals[i]);
  if (c->split < 0 || c->split > 4096)
    return ob_fail(OB_ERR_INVALID, "conv config: split=%d is outside [0, 4096]", c->split);
  if (c->wm % 4 || c->wn % 4)
    return ob_fail(OB_ERR_INVALID, "conv config: wm=%d and wn=%d must be multiples of 4",
                   c->wm, c->wn);
  if (c->tm % c->wm || c->tn % c->wn)
    return ob_fail(OB_ERR_INVALID, "conv config: tm=%d and tn=%d must be multiples of wm=%d "
                   "and wn=%d", c->tm, c->tn, c->wm, c->wn);
  if (c->tk > OB_CONV_ROW_PAD || c->tn > OB_CONV_COL_PAD)
    return ob_fail(OB_ERR_INVALID, "conv config: tk=%d above %d or tn=%d above %d", c->tk,
                   OB_CONV_ROW_PAD, c->tn, OB_CONV_COL_PAD);
  const int ntx = c->tn / c->wn, nty = c->tm / c->wm, nt = ntx * nty;
  if (32 % c->wtx || ntx % c->wtx || nty % (32 / c->wtx))
    return ob_fail(OB_ERR_INVALID, "conv config: %dx%d work-items do not form 32-lane warps "
                   "of wtx=%d x %d", nty, ntx, c->wtx, 32 / (32 % c->wtx ? 1 : c->wtx));
  if (nt % c->tk || (c->tm * c->tk) % nt || (c->tn * c->tk) % nt)
    return ob_fail(OB_ERR_INVALID, "conv config: %d work-items cannot share the %dx%d and "
                   "%dx%d tiles evenly (tk must divide the work-group size)", nt, c->tm, c->tk,
                   c->tk, c->tn);
  return OB_OK;
}

static ob_status parse_int(const char *key, const char *s, size_t len, int *out) {
  char buf[16];
  if (len == 0 || len >= sizeof buf)
    return ob_fail(OB_ERR_INVALID, "conv config: %s needs a positive integer value", key);
  memcpy(buf, s, len);
  buf[len] = '\0';
  int64_t v = 0;
  const ob_int_result r = isdigit((unsigned char)buf[0]) ? ob_parse_int(buf, 0, 4096, &v)
                                                         : OB_INT_NOT_INTEGER;
  if (r == OB_INT_NOT_INTEGER)
    return ob_fail(OB_ERR_INVALID, "conv config: %s='%s' is not a positive integer", key, buf);
  if (r == OB_INT_OUT_OF_RANGE)
    return ob_fail(OB_ERR_INVALID, "conv config: %s=%s is too large", key, buf);
  *out = (int)v;
  return OB_OK;
}

ob_status ob_conv_config_parse(const char *text, ob_conv_config *out) {
  ob_conv_config c;
  memset(&c, 0, sizeof c);
  bool seen[NKEYS] = {false};
  const char *p = text;
  while (*p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    if (!eq)
      return ob_fail(OB_ERR_INVALID, "conv config: '%.*s' is not key=value", (int)len, p);
    size_t klen = (size_t)(eq - p), k = 0;
    while (k < NKEYS && !(strlen(config_keys[k]) == klen && strncmp(config_keys[k], p, klen) == 0))
      k++;
    if (k == NKEYS)
      return ob_fail(OB_ERR_INVALID, "conv config: unknown key '%.*s' (known: tm, tn, tk, wm, "
                     "wn, wtx, split)", (int)klen, p);
    if (seen[k]) return ob_fail(OB_ERR_INVALID, "conv config: %s given twice", config_keys[k]);
    seen[k] = true;
    OB_TRY(parse_int(config_keys[k], eq + 1, len - klen - 1, config_field(&c, k)));
    p += len;
    if (*p == ',') p++;
  }
  for (size_t k = 0; k + 1 < NKEYS; k++) /* every key but split is required */
    if (!seen[k]) return ob_fail(OB_ERR_INVALID, "conv config: %s is missing", config_keys[k]);
  OB_TRY(ob_conv_config_check(&c));
  *out = c;
  return OB_OK;
}

ob_status ob_conv_options_from_env(ob_conv_options *out) {
  memset(out, 0, sizeof *out);
  const char *tune = getenv("OCLBENCH_CONV_TUNE");
  if (tune && *tune) {
    const char *names[] = {"auto", "off", "on", "redo"};
    size_t i = 0;
    while (i < 4 && strcmp(tune, names[i]) != 0) i++;
    if (i == 4)
      return ob_fail(OB_ERR_INVALID, "OCLBENCH_CONV_TUNE='%s': expected auto, off, on or redo",
                     tune);
    out->tune = (ob_conv_tune)i;
  }
  const char *cfg = getenv("OCLBENCH_CONV_CONFIG");
  if (cfg && *cfg) {
    if (ob_conv_config_parse(cfg, &out->config) != OB_OK) {
      char why[256];
      snprintf(why, sizeof why, "%s", ob_error_detail());
      return ob_fail(OB_ERR_INVALID, "OCLBENCH_CONV_CONFIG='%s': %s", cfg, why);
    }
    out->forced = true;
  }
  return OB_OK;
}

/* ---------------------------------------------------------------- candidates and defaults */

/* The tiles the tuner tries (split chosen per shape). Large register blocks for GPUs, small
 * ones for narrow outputs (few channels) and for CPUs. The 8x16 and 16x8 blocks (128 or 64
 * work-items) halve the local-memory reads and fetch work per multiply-add against 8x8 at
 * the same tile: on NVIDIA they take ~230-250 registers, two 128-work-item groups per SM. */
static const ob_conv_config candidates[] = {
    {128, 128, 8, 8, 8, 8, 0},  {128, 128, 16, 8, 8, 8, 0}, {128, 128, 8, 8, 8, 4, 0},
    {128, 128, 8, 8, 8, 16, 0}, {256, 128, 8, 8, 8, 8, 0},  {128, 256, 8, 8, 8, 8, 0},
    {128, 64, 8, 8, 8, 8, 0},   {128, 64, 16, 8, 8, 8, 0},  {64, 128, 8, 8, 8, 8, 0},
    {64, 128, 16, 8, 8, 8, 0},  {64, 128, 8, 4, 8, 8, 0},   {64, 256, 8, 8, 8, 8, 0},
    {256, 64, 8, 8, 8, 8, 0},   {64, 64, 8, 4, 4, 8, 0},    {64, 64, 8, 8, 8, 8, 0},
    {64, 64, 16, 8, 8, 8, 0},   {32, 256, 8, 4, 8, 8, 0},   {32, 256, 16, 4, 8, 8, 0},
    {32, 128, 8, 4, 8, 8, 0},   {32, 128, 8, 4, 4, 8, 0},   {32, 64, 8, 4, 4, 8, 0},
    {32, 32, 8, 4, 4, 8, 0},    {128, 128, 8, 8, 16, 8, 0}, {128, 128, 8, 16, 8, 8, 0},
    {256, 64, 8, 16, 8, 8, 0},  {64, 256, 8, 8, 16, 8, 0},  {64, 128, 8, 8, 16, 8, 0},
};
#define NCANDIDATES (sizeof candidates / sizeof *candidates)

/* CPUs: few compute units and (PoCL) slow compiles, so a handful of tiles. The first, the
 * default when tuning is off, was the best of the GPU list over the workload's shapes on a
 * 2-core AVX-512 Xeon through PoCL (about 1.3x the 32x64 4x4 tile on the ResNet layers), the
 * second a neighbour. The last two are for compilers that vectorise across work-items
 * (Intel's CPU runtime): 16 work-items per row of the grid (wtx = tn / wn = 16, a 2-D
 * work-group: 16 consecutive work-items read consecutive B columns and share one A value) and
 * 4x4 blocks (each accumulator one vector register). */
static const ob_conv_config cpu_candidates[] = {
    {64, 64, 16, 8, 8, 8, 0}, {64, 64, 8, 8, 4, 8, 0}, {64, 64, 8, 4, 4, 16, 0},
    {32, 64, 8, 4, 4, 16, 0},
};
#define NCPU_CANDIDATES (sizeof cpu_candidates / sizeof *cpu_candidates)

/* The tiles the tuner tries on dev. */
static const ob_conv_config *tune_candidates(const ob_device *dev, size_t *n) {
  const bool cpu = ob_device_is_cpu(dev);
  *n = cpu ? NCPU_CANDIDATES : NCANDIDATES;
  return cpu ? cpu_candidates : candidates;
}

static int ceil_div(int a, int b) { return (a + b - 1) / b; }

/* Work-groups resident per compute unit, roughly (register file / block size). */
static int resident_groups(const ob_conv_config *c) {
  const int nt = (c->tm / c->wm) * (c->tn / c->wn);
  return nt >= 256 ? 2 : nt >= 128 ? 4 : 8;
}

/* Split-K factors worth trying for a tile: 1, and those that bring the work-groups just
 * under and just over one to four full waves over the compute units, for 1, 2, 3 and
 * resident_groups() work-groups per unit (the real number depends on the registers the
 * compiler gives the tile), keeping >= 8 steps per split. At most MAX_SPLITS values. */
#define MAX_SPLITS (1 + 4 * 4 * 2)
static size_t split_options(const ob_conv_config *c, const ob_conv_view *v, int cus, int *out) {
  const int tiles = ceil_div(v->M, c->tm) * ceil_div(v->N, c->tn) * v->groups;
  const int steps = ceil_div(v->Kd, c->tk);
  const int per_unit[] = {1, 2, 3, resident_groups(c)};
  size_t n = 0;
  out[n++] = 1;
  for (size_t r = 0; r < sizeof per_unit / sizeof *per_unit; r++)
    for (int waves = 1; waves <= 4; waves++)
      for (int up = 0; up < 2; up++) {
        const int slots = cus * per_unit[r] * waves;
        int s = up ? ceil_div(slots, tiles) : slots / tiles;
        if (s > steps / 8) s = steps / 8;
        if (s > 256) s = 256;
        bool dup = s <= 1;
        for (size_t i = 0; i < n && !dup; i++) dup = out[i] == s;
        if (!dup) out[n++] = s;
      }
  return n;
}

/* A rough throughput model for untuned GPUs: register-block and tile reuse, the fraction of
 * the padded tile grid that is real output, and how evenly the work-groups fill the waves. */
static double model_score(const ob_conv_config *c, const ob_conv_view *v, int cus) {
  const int split = ob_conv_split_of(c);
  const double tile_eff = (double)v->M * v->N /
                          ((double)ceil_div(v->M, c->tm) * c->tm * ceil_div(v->N, c->tn) * c->tn);
  const double groups = (double)ceil_div(v->M, c->tm) * ceil_div(v->N, c->tn) * v->groups * split;
  const double slots = (double)cus * resident_groups(c);
  const double wave_eff = groups / (ceil(groups / slots) * slots);
  const double block = c->wm * c->wn >= 64 ? 1.0 : c->wm * c->wn >= 32 ? 0.85 : 0.7;
  const double reuse = (double)c->tm * c->tn / (c->tm + c->tn) / 64.0;
  const double split_cost = 1.0 / (1.0 + 0.02 * (split - 1));
  return tile_eff * wave_eff * block * fmin(1.0, 0.6 + 0.4 * reuse) * split_cost;
}

/* The device default: the fixed CPU configuration, else the best-scoring candidate. */
static ob_status default_config(const ob_conv_plan *p, ob_conv_config *out) {
  const ob_device_props *props = ob_device_props_get(p->dev);
  if (ob_device_is_cpu(p->dev) &&
      ob_conv_config_fits(&cpu_candidates[0], &p->view, p->dev) == OB_OK) {
    *out = cpu_candidates[0];
    out->split = 1;
    return OB_OK;
  }
  double best = -1.0;
  for (size_t i = 0; i < NCANDIDATES; i++) {
    int splits[MAX_SPLITS];
    size_t ns = split_options(&candidates[i], &p->view, (int)props->compute_units, splits);
    for (size_t s = 0; s < ns; s++) {
      ob_conv_config c = candidates[i];
      c.split = splits[s];
      if (ob_conv_config_fits(&c, &p->view, p->dev) != OB_OK) continue;
      double score = model_score(&c, &p->view, (int)props->compute_units);
      if (score > best) {
        best = score;
        *out = c;
      }
    }
  }
  ob_error_clear();
  if (best < 0)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv: no configuration fits this device "
                   "(max work-group %zu, local memory %llu bytes)", props->max_wg,
                   (unsigned long long)props->local_mem);
  return OB_OK;
}

/* ---------------------------------------------------------------- the tuning cache */

#define CACHE_MAX (1 << 20)

static void shape_key(const ob_conv_plan *p, char *buf, size_t n) {
  const ob_conv_shape *s = &p->shape;
  snprintf(buf, n, "%s:n=%d,c=%d,h=%d,w=%d,k=%d,r=%d,s=%d,stride=%d,pad=%d,groups=%d,storage=%s",
           ob_conv_pass_name(p->pass), s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride,
           s->pad, s->groups, ob_conv_storage_name(p->view.storage));
}

/* <cache>/conv-tune-<hash of device, driver and kernel sources>.txt; "" when caching is off. */
static ob_status cache_path(const ob_device *dev, char *buf, size_t n) {
  buf[0] = '\0';
  const char *dir = ob_program_cache_dir();
  if (!dir[0]) return OB_OK;
  const ob_device_props *pr = ob_device_props_get(dev);
  uint64_t h = OB_HASH_INIT;
  const char *parts[] = {pr->name, pr->driver, pr->platform_version, OB_VERSION};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
    h = ob_hash(h, parts[i], strlen(parts[i]) + 1);
  const char *files[] = {"conv_gemm.cl", "conv_aux.cl"};
  for (size_t i = 0; i < 2; i++) {
    char *src = NULL;
    size_t len = 0;
    OB_TRY(ob_kernel_source(files[i], &src, &len));
    h = ob_hash(h, src, len);
    free(src);
  }
  snprintf(buf, n, "%s/conv-tune-%016llx.txt", dir, (unsigned long long)h);
  return OB_OK;
}

/* Reads the whole cache file ("" when missing or unreadable: a cache miss). */
static char *cache_read(const char *path) {
  char *text = NULL;
  size_t len = 0;
  if (!path[0] || ob_read_file(path, &text, &len) != OB_OK || len > CACHE_MAX) {
    free(text);
    ob_error_clear();
    return strdup("");
  }
  return text;
}

/* Finds "key config seconds" in the cache text; false when absent or malformed. */
static bool cache_lookup(const char *text, const char *key, ob_conv_config *out) {
  const size_t klen = strlen(key);
  for (const char *line = text; *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == ' ') {
      char cfg[128];
      const char *c = line + klen + 1, *sp = memchr(c, ' ', len - klen - 1);
      size_t clen = sp ? (size_t)(sp - c) : len - klen - 1;
      if (clen < sizeof cfg) {
        memcpy(cfg, c, clen);
        cfg[clen] = '\0';
        if (ob_conv_config_parse(cfg, out) == OB_OK && out->split >= 1) return true;
        ob_error_clear();
      }
    }
    line += len + (eol ? 1 : 0);
  }
  return false;
}

/* Rewrites the cache file with the entry for key replaced (atomically). Best effort. */
static void cache_store(const char *path, const char *text, const char *key,
                        const ob_conv_config *cfg, double seconds) {
  if (!path[0]) return;
  const size_t klen = strlen(key), cap = strlen(text) + 512;
  char *out = malloc(cap);
  if (!out) return;
  size_t n = 0;
  for (const char *line = text; *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    bool same = len > klen && strncmp(line, key, klen) == 0 && line[klen] == ' ';
    if (!same && len > 0) {
      memcpy(out + n, line, len);
      n += len;
      out[n++] = '\n';
    }
    line += len + (eol ? 1 : 0);
  }
  char cfgtext[128], sec[40];
  ob_conv_config_format(cfg, cfgtext, sizeof cfgtext);
  ob_format_double(sec, sizeof sec, seconds);
  n += (size_t)snprintf(out + n, cap - n, "%s %s %s\n", key, cfgtext, sec);
  if (ob_mkdir_p(ob_program_cache_dir()) != OB_OK || ob_write_file_atomic(path, out, n) != OB_OK) {
    ob_log(OB_LOG_WARN, "conv: cannot write the tuning cache %s: %s", path, ob_error_detail());
    ob_error_clear();
  }
  free(out);
}

/* ---------------------------------------------------------------- the tuner */

#define TUNE_REPS 3

/* Scratch tensors of the tuner in the plan's storage type: random A and B (host copies, as
 * the device holds them, kept to check each candidate's result against the double
 * reference), C and the fp32 split-K workspace. */
typedef struct tune_bufs {
  cl_mem a, b, c, ws;
  size_t ws_bytes;
  float *ha, *hb, *hc;
} tune_bufs;

static void tune_bufs_free(ob_device *dev, tune_bufs *t) {
  ob_buffer_release(dev, t->a);
  ob_buffer_release(dev, t->b);
  ob_buffer_release(dev, t->c);
  ob_buffer_release(dev, t->ws);
  free(t->ha);
  free(t->hb);
  free(t->hc);
}

static ob_status tune_bufs_make(ob_device *dev, const ob_conv_view *v, tune_bufs *t) {
  t->ha = malloc(v->a_elems * sizeof(float));
  t->hb = malloc(v->b_elems * sizeof(float));
  t->hc = malloc((size_t)v->c_total * sizeof(float));
  if (!t->ha || !t->hb || !t->hc) return ob_fail(OB_ERR_NOMEM, "out of memory for conv tuning");
  ob_conv_ref_fill(t->ha, v->a_elems, 21);
  ob_conv_ref_fill(t->hb, v->b_elems, 22);
  OB_TRY(ob_conv_tensor_create(dev, v->storage, CL_MEM_READ_ONLY, t->ha, v->a_elems, &t->a));
  OB_TRY(ob_conv_tensor_create(dev, v->storage, CL_MEM_READ_ONLY, t->hb, v->b_elems, &t->b));
  return ob_conv_tensor_create(dev, v->storage, CL_MEM_READ_WRITE, NULL, (size_t)v->c_total,
                               &t->c);
}

/* OB_OK when the candidate's last result matches the reference at a sample of outputs: a
 * configuration the device compiles wrongly must never win (so every new best is checked). In the reference's terms the
 * pass reads in0 = the B tensor and in1 = the A tensor. */
static ob_status check_candidate(ob_conv_plan *p, tune_bufs *t) {
  OB_TRY(ob_conv_tensor_read(p->dev, p->view.storage, t->c, (size_t)p->view.c_total, t->hc));
  ob_conv_check chk;
  ob_conv_ref_compare(&p->shape, p->pass, t->hb, t->ha, NULL, t->hc, 0.0,
                      ob_conv_arith_own(p->view.storage), 23,
                      &chk);
  if (!chk.ok)
    return ob_fail(OB_ERR_VERIFY, "result differs from the reference (rel_err %.2e, bound "
                   "%.2e)", chk.rel_err, chk.bound);
  return OB_OK;
}

/* Best time of cfg over TUNE_REPS runs (after one untimed run). */
static ob_status time_config(ob_conv_plan *p, cl_kernel k, const ob_conv_config *cfg,
                             tune_bufs *t, double best_so_far, double *seconds) {
  const size_t need = ob_conv_ws_bytes(cfg, &p->view);
  if (need > t->ws_bytes) {
    ob_buffer_release(p->dev, t->ws);
    t->ws = NULL;
    t->ws_bytes = 0;
    OB_TRY(ob_buffer_create(p->dev, CL_MEM_READ_WRITE, need, NULL, &t->ws));
    t->ws_bytes = need;
  }
  *seconds = INFINITY;
  for (int rep = 0; rep <= TUNE_REPS; rep++) {
    cl_event first = NULL, last = NULL;
    ob_status st = ob_conv_enqueue_gemm(p, k, cfg, t->ws, t->a, t->b, t->c, NULL, &first, &last);
    double s = 0.0;
    if (st == OB_OK) st = ob_events_span(first, last, &s);
    if (first) clReleaseEvent(first);
    if (last) clReleaseEvent(last);
    OB_TRY(st);
    if (rep > 0 && s < *seconds) *seconds = s;
    if (rep == 1 && s > 3.0 * best_so_far) break; /* clearly slower: do not insist */
  }
  return OB_OK;
}

/* Runs every fitting candidate (and its split options) and keeps the fastest in p->cfg. */
static ob_status tune(ob_conv_plan *p, int *runs, double *best_s) {
  const ob_device_props *props = ob_device_props_get(p->dev);
  tune_bufs t;
  memset(&t, 0, sizeof t);
  ob_status st = tune_bufs_make(p->dev, &p->view, &t);
  *best_s = INFINITY;
  *runs = 0;
  size_t ncand = 0;
  const ob_conv_config *cands = tune_candidates(p->dev, &ncand);
  /* Tiles at most half full on this shape (64 rows on 32 channels) are not worth a build. */
  double best_fill = 0.0;
  for (size_t i = 0; i < ncand; i++)
    best_fill = fmax(best_fill, (double)p->view.M / (ceil_div(p->view.M, cands[i].tm) *
                                                     cands[i].tm));
  for (size_t i = 0; i < ncand && st == OB_OK; i++) {
    const ob_conv_config *cand = &cands[i];
    double fill = (double)p->view.M / (ceil_div(p->view.M, cand->tm) * cand->tm);
    if (fill <= 0.5 * best_fill) continue;
    ob_conv_config c1 = *cand;
    c1.split = 1;
    if (ob_conv_config_fits(&c1, &p->view, p->dev) != OB_OK) continue;
    cl_kernel k = NULL;
    ob_status kst = ob_conv_gemm_kernel(p->dev, &p->view, &c1, &k);
    if (kst != OB_OK) {
      ob_log(OB_LOG_INFO, "conv tune: skipping a candidate: %s", ob_error_detail());
      continue;
    }
    int splits[MAX_SPLITS];
    size_t ns = split_options(cand, &p->view, (int)props->compute_units, splits);
    ob_conv_config tile_best = *cand;
    double tile_s = INFINITY;
    for (size_t s = 0; s < ns && st == OB_OK; s++) {
      ob_conv_config c = *cand;
      c.split = splits[s];
      if (ob_conv_config_fits(&c, &p->view, p->dev) != OB_OK) continue;
      double sec = 0.0;
      ob_status rst = time_config(p, k, &c, &t, *best_s, &sec);
      if (rst == OB_OK && sec < *best_s) rst = check_candidate(p, &t); /* would win: verify */
      (*runs)++;
      if (rst != OB_OK) { /* a configuration the device cannot run: try the others */
        char text[128];
        ob_conv_config_format(&c, text, sizeof text);
        ob_log(rst == OB_ERR_VERIFY ? OB_LOG_WARN : OB_LOG_INFO, "conv tune %s: %s rejected: %s",
               ob_conv_pass_name(p->pass), text, ob_error_detail());
        continue;
      }
      char text[128];
      ob_conv_config_format(&c, text, sizeof text);
      ob_log(OB_LOG_DEBUG, "conv tune %s: %s: %.4f ms", ob_conv_pass_name(p->pass), text,
             sec * 1e3);
      if (sec < tile_s) {
        tile_s = sec;
        tile_best = c;
      }
      if (sec < *best_s) {
        *best_s = sec;
        p->cfg = c;
      }
    }
    clReleaseKernel(k);
    if (isfinite(tile_s)) { /* one line per tile: its best split */
      char text[128];
      ob_conv_config_format(&tile_best, text, sizeof text);
      ob_log(OB_LOG_INFO, "conv tune %s: %s: %.4f ms, %.0f GFLOP/s", ob_conv_pass_name(p->pass),
             text, tile_s * 1e3, 2.0 * ob_conv_macs(&p->shape) / tile_s * 1e-9);
    }
  }
  tune_bufs_free(p->dev, &t);
  ob_error_clear();
  if (st == OB_OK && !isfinite(*best_s))
    st = ob_fail(OB_ERR_UNSUPPORTED, "conv tune: no candidate configuration ran on this device");
  return st;
}

ob_status ob_conv_choose_config(ob_conv_plan *p, const ob_conv_options *o) {
  char text[128];
  if (o->forced) {
    p->cfg = o->config;
    if (p->cfg.split == 0) {
      int splits[MAX_SPLITS];
      const ob_device_props *props = ob_device_props_get(p->dev);
      size_t ns = split_options(&p->cfg, &p->view, (int)props->compute_units, splits);
      double best = -1.0;
      for (size_t s = 0; s < ns; s++) {
        ob_conv_config c = o->config;
        c.split = splits[s];
        double score = model_score(&c, &p->view, (int)props->compute_units);
        if (score > best) {
          best = score;
          p->cfg.split = splits[s];
        }
      }
    }
    ob_conv_config_format(&p->cfg, text, sizeof text);
    snprintf(p->describe, sizeof p->describe, "config=%s (forced)", text);
    return OB_OK;
  }
  if (o->tune == OB_CONV_TUNE_OFF) {
    OB_TRY(default_config(p, &p->cfg));
    ob_conv_config_format(&p->cfg, text, sizeof text);
    snprintf(p->describe, sizeof p->describe, "config=%s (default)", text);
    return OB_OK;
  }
  char path[4200], key[256];
  OB_TRY(cache_path(p->dev, path, sizeof path));
  shape_key(p, key, sizeof key);
  char *cache = cache_read(path);
  if (!cache) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_OK;
  if (o->tune != OB_CONV_TUNE_REDO && cache_lookup(cache, key, &p->cfg) &&
      ob_conv_config_fits(&p->cfg, &p->view, p->dev) == OB_OK) {
    ob_conv_config_format(&p->cfg, text, sizeof text);
    snprintf(p->describe, sizeof p->describe, "config=%s (tuned, cached)", text);
  } else {
    ob_error_clear();
    int runs = 0;
    double best = 0.0, t0 = ob_now();
    st = tune(p, &runs, &best);
    if (st == OB_OK) {
      cache_store(path, cache, key, &p->cfg, best);
      ob_conv_config_format(&p->cfg, text, sizeof text);
      snprintf(p->describe, sizeof p->describe, "config=%s (tuned now: %d runs, %.1f s)", text,
               runs, ob_now() - t0);
    }
  }
  free(cache);
  return st;
}
