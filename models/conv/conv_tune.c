/* The convolution's selection step: the candidate tiles and their split-K factors (for the
 * implicit GEMM and, on the shapes it runs, the Winograd algorithm's inner GEMMs), the
 * device default (a throughput model), and the trial the tuning facility (core/tune.h) times
 * each candidate with, on scratch tensors of the pass, checked against the reference. */
#include "conv_tune.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv_plan.h"
#include "conv_ref.h"

/* ---------------------------------------------------------------- candidates and defaults */

/* A tile of the implicit GEMM: split, the direct algorithm's keys and algo 0. */
#define TILE(tm_, tn_, tk_, wm_, wn_, wtx_)                                                     \
  {.tm = tm_, .tn = tn_, .tk = tk_, .wm = wm_, .wn = wn_, .wtx = wtx_}

/* The tiles the tuner tries (split chosen per shape). Large register blocks for GPUs, small
 * ones for narrow outputs (few channels) and for CPUs. The 8x16 and 16x8 blocks (128 or 64
 * work-items) halve the local-memory reads and fetch work per multiply-add against 8x8 at
 * the same tile: on NVIDIA they take ~230-250 registers, two 128-work-item groups per SM. */
static const ob_conv_config candidates[] = {
    TILE(128, 128, 8, 8, 8, 8),  TILE(128, 128, 16, 8, 8, 8), TILE(128, 128, 8, 8, 8, 4),
    TILE(128, 128, 8, 8, 8, 16), TILE(256, 128, 8, 8, 8, 8),  TILE(128, 256, 8, 8, 8, 8),
    TILE(128, 64, 8, 8, 8, 8),   TILE(128, 64, 16, 8, 8, 8),  TILE(64, 128, 8, 8, 8, 8),
    TILE(64, 128, 16, 8, 8, 8),  TILE(64, 128, 8, 4, 8, 8),   TILE(64, 256, 8, 8, 8, 8),
    TILE(256, 64, 8, 8, 8, 8),   TILE(64, 64, 8, 4, 4, 8),    TILE(64, 64, 8, 8, 8, 8),
    TILE(64, 64, 16, 8, 8, 8),   TILE(32, 256, 8, 4, 8, 8),   TILE(32, 256, 16, 4, 8, 8),
    TILE(32, 128, 8, 4, 8, 8),   TILE(32, 128, 8, 4, 4, 8),   TILE(32, 64, 8, 4, 4, 8),
    TILE(32, 32, 8, 4, 4, 8),    TILE(128, 128, 8, 8, 16, 8), TILE(128, 128, 8, 16, 8, 8),
    TILE(256, 64, 8, 16, 8, 8),  TILE(64, 256, 8, 8, 16, 8),  TILE(64, 128, 8, 8, 16, 8),
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
    TILE(64, 64, 16, 8, 8, 8), TILE(64, 64, 8, 8, 4, 8), TILE(64, 64, 8, 4, 4, 16),
    TILE(32, 64, 8, 4, 4, 16),
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

/* The device default for the view: the fixed CPU configuration, else the best-scoring
 * candidate. */
static ob_status default_config(ob_device *dev, const ob_conv_view *v, ob_conv_config *out) {
  const ob_device_props *props = ob_device_props_get(dev);
  if (ob_device_is_cpu(dev) && ob_conv_config_fits(&cpu_candidates[0], v, dev) == OB_OK) {
    *out = cpu_candidates[0];
    out->split = 1;
    return OB_OK;
  }
  double best = -1.0;
  for (size_t i = 0; i < NCANDIDATES; i++) {
    int splits[MAX_SPLITS];
    size_t ns = split_options(&candidates[i], v, (int)props->compute_units, splits);
    for (size_t s = 0; s < ns; s++) {
      ob_conv_config c = candidates[i];
      c.split = splits[s];
      if (ob_conv_config_fits(&c, v, dev) != OB_OK) continue;
      double score = model_score(&c, v, (int)props->compute_units);
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

/* A configuration whose split is 0 ("choose for the shape") gets the split the model scores
 * best. */
static void model_split(ob_device *dev, const ob_conv_view *v, ob_conv_config *cfg) {
  if (cfg->split != 0) return;
  const int cus = (int)ob_device_props_get(dev)->compute_units;
  int splits[MAX_SPLITS];
  const size_t ns = split_options(cfg, v, cus, splits);
  double best = -1.0;
  for (size_t s = 0; s < ns; s++) {
    ob_conv_config c = *cfg;
    c.split = splits[s];
    const double score = model_score(&c, v, cus);
    if (score > best) {
      best = score;
      cfg->split = splits[s];
    }
  }
}

/* "forward:n=32,c=64,h=56,w=56,k=64,r=3,s=3,stride=1,pad=1,groups=1,storage=fp32", and
 * ",algos=gemm+winograd+winograd4" where the Winograd algorithms compete, "+direct" (after
 * "gemm" alone or the Winograd ones) where the direct one does (so that a winner cached
 * before they existed is searched again). */
static void shape_key(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage storage,
                      bool winograd, bool direct, char *buf, size_t n) {
  snprintf(buf, n,
           "%s:n=%d,c=%d,h=%d,w=%d,k=%d,r=%d,s=%d,stride=%d,pad=%d,groups=%d,storage=%s%s%s%s",
           ob_conv_pass_name(pass), s->n, s->c, s->h, s->w, s->k, s->r, s->s, s->stride,
           s->pad, s->groups, ob_conv_storage_name(storage),
           winograd || direct ? ",algos=gemm" : "", winograd ? "+winograd+winograd4" : "",
           direct ? "+direct" : "");
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
 * configuration the device compiles wrongly must never win (so every new best is checked). In
 * the reference's terms the pass reads in0 = the B tensor and in1 = the A tensor. */
static ob_status check_candidate(ob_conv_plan *p, const ob_conv_config *cfg, tune_bufs *t) {
  OB_TRY(ob_conv_tensor_read(p->dev, p->view.storage, t->c, (size_t)p->view.c_total, t->hc));
  ob_conv_check chk;
  ob_conv_ref_compare(&p->shape, p->pass, t->hb, t->ha, NULL, t->hc, 0.0,
                      ob_conv_arith_of(cfg, p->view.storage), 23, &chk);
  if (!chk.ok)
    return ob_fail(OB_ERR_VERIFY, "result differs from the reference (rel_err %.2e, bound "
                   "%.2e)", chk.rel_err, chk.bound);
  return OB_OK;
}

/* Best time of cfg over TUNE_REPS runs (after one untimed run). */
static ob_status time_config(ob_conv_plan *p, cl_kernel k, const ob_conv_config *cfg,
                             tune_bufs *t, double best_so_far, double *seconds) {
  const size_t need = ob_conv_plan_ws_bytes(p, cfg);
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
    ob_status st = ob_conv_enqueue(p, k, cfg, t->ws, t->a, t->b, t->c, NULL, &first, &last);
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

/* ---------------------------------------------------------------- the search */

/* The search of one pass of a shape: its view and, from search_prepare on, a plan without a
 * configuration, scratch tensors, and the kernel of the tile being timed (one build serves
 * every split of a tile). */
typedef struct conv_search {
  ob_device *dev;
  const ob_conv_shape *shape;
  ob_conv_pass pass;
  ob_conv_storage storage;
  ob_conv_view view;
  ob_conv_view wview[2];   /* the GEMM views of F(2x2) and F(4x4), where wino_ok */
  bool wino_ok[2];         /* the Winograd algorithm of that tile can run the pass of the shape */
  ob_conv_plan *plan;
  tune_bufs bufs;
  bool direct_ok;          /* the tuner offers algo=direct for the pass of the shape */
  cl_kernel kernel;        /* built for tile (not for algo=direct: the plan holds those) */
  ob_conv_config tile;     /* the tile of the last trial (split 1) */
  bool tile_ready;         /* its kernels are built */
  bool tile_failed;        /* its kernels did not build */
  ob_conv_config tile_best; /* its fastest split so far, tile_s seconds (INFINITY: none) */
  double tile_s;
  int runs;                /* configurations timed (or rejected while timing) */
} conv_search;

static bool same_tile(const ob_conv_config *a, const ob_conv_config *b) {
  return a->tm == b->tm && a->tn == b->tn && a->tk == b->tk && a->wm == b->wm &&
         a->wn == b->wn && a->wtx == b->wtx && a->px == b->px && a->kb == b->kb &&
         a->wx == b->wx && a->algo == b->algo;
}

/* The GEMM view a configuration runs on in this search; OB_ERR_UNSUPPORTED (with the reason)
 * for a Winograd algorithm where it cannot run. */
static ob_status search_view(const conv_search *s, const ob_conv_config *c,
                             const ob_conv_view **v) {
  *v = &s->view;
  const int m = ob_conv_algo_tile(c->algo);
  if (!m) return OB_OK;
  if (!s->wino_ok[m / 4]) return ob_conv_winograd_check(s->shape, s->pass, s->storage, c->algo);
  *v = &s->wview[m / 4];
  return OB_OK;
}

/* One line per tile (its fastest split), and the tile's kernel released. */
static void tile_done(conv_search *s) {
  if (isfinite(s->tile_s)) {
    char text[OB_TUNE_TEXT_MAX];
    ob_tune_format(&ob_conv_family, &s->tile_best, text, sizeof text);
    ob_log(OB_LOG_INFO, "conv tune %s: %s: %.4f ms, %.0f GFLOP/s", ob_conv_pass_name(s->pass),
           text, s->tile_s * 1e3, 2.0 * ob_conv_macs(s->shape) / s->tile_s * 1e-9);
  }
  s->tile_s = INFINITY;
  if (s->kernel) clReleaseKernel(s->kernel);
  s->kernel = NULL;
  s->tile_ready = false;
}

static ob_status search_fallback(void *ctx, void *cfg) {
  conv_search *s = ctx;
  return default_config(s->dev, &s->view, cfg);
}

static ob_status search_fits(void *ctx, const void *cfg) {
  conv_search *s = ctx;
  if (((const ob_conv_config *)cfg)->algo == OB_CONV_ALGO_DIRECT)
    return ob_conv_direct_fits(cfg, s->shape, s->pass, s->storage, s->dev);
  const ob_conv_view *v = NULL;
  OB_TRY(search_view(s, cfg, &v));
  return ob_conv_config_fits(cfg, v, s->dev);
}

static ob_status search_prepare(void *ctx) {
  conv_search *s = ctx;
  OB_TRY(ob_conv_plan_make(s->dev, s->shape, s->pass, s->storage, &s->plan));
  return tune_bufs_make(s->dev, &s->view, &s->bufs);
}

/* The best time of a candidate; one that would win is checked against the reference first (a
 * configuration the device compiles wrongly must never win). */
static ob_status search_trial(void *ctx, void *config, double best, double *seconds) {
  conv_search *s = ctx;
  const ob_conv_config *c = config;
  const ob_conv_view *v = NULL;
  OB_TRY(search_view(s, c, &v));
  if (ob_conv_algo_tile(c->algo)) OB_TRY(ob_conv_wino_make(s->plan, c->algo));
  if (!same_tile(c, &s->tile) || (!s->tile_ready && !s->tile_failed)) {
    tile_done(s);
    s->tile = *c;
    s->tile.split = 1;
    s->tile_failed = (c->algo == OB_CONV_ALGO_DIRECT
                          ? ob_conv_direct_make(s->plan, c)
                          : ob_conv_gemm_kernel(s->dev, v, &s->tile, &s->kernel)) != OB_OK;
    if (s->tile_failed) return ob_fail(OB_ERR_UNSUPPORTED, "skipped: %s", ob_error_detail());
    s->tile_ready = true;
  }
  if (s->tile_failed) return ob_fail(OB_ERR_UNSUPPORTED, "skipped: its tile does not build");
  s->runs++;
  double sec = INFINITY;
  ob_status st = time_config(s->plan, s->kernel, c, &s->bufs, best > 0.0 ? best : INFINITY, &sec);
  if (st == OB_OK && (best == 0.0 || sec < best)) st = check_candidate(s->plan, c, &s->bufs);
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_conv_family, c, text, sizeof text);
  if (st == OB_ERR_VERIFY)
    ob_log(OB_LOG_WARN, "conv tune %s: %s rejected: %s", ob_conv_pass_name(s->pass), text,
           ob_error_detail());
  OB_TRY(st);
  ob_log(OB_LOG_DEBUG, "conv tune %s: %s: %.4f ms", ob_conv_pass_name(s->pass), text, sec * 1e3);
  if (sec < s->tile_s) {
    s->tile_s = sec;
    s->tile_best = *c;
  }
  *seconds = sec;
  return OB_OK;
}

/* Every fitting split of every candidate tile at least half as full on view v as the
 * fullest one (64 rows on 32 channels is not worth a build), tile by tile, for algorithm
 * algo, into out (room for ntile * MAX_SPLITS); returns how many. */
static size_t algo_candidates(const conv_search *s, const ob_conv_view *v, int algo,
                              ob_conv_config *out) {
  const int cus = (int)ob_device_props_get(s->dev)->compute_units;
  size_t ntile = 0, n = 0;
  const ob_conv_config *tiles = tune_candidates(s->dev, &ntile);
  double best_fill = 0.0;
  for (size_t i = 0; i < ntile; i++)
    best_fill = fmax(best_fill, (double)v->M / (ceil_div(v->M, tiles[i].tm) * tiles[i].tm));
  for (size_t i = 0; i < ntile; i++) {
    const double fill = (double)v->M / (ceil_div(v->M, tiles[i].tm) * tiles[i].tm);
    ob_conv_config c = tiles[i];
    c.split = 1;
    c.algo = algo;
    if (fill <= 0.5 * best_fill || ob_conv_config_fits(&c, v, s->dev) != OB_OK) continue;
    int splits[MAX_SPLITS];
    const size_t ns = split_options(&tiles[i], v, cus, splits);
    for (size_t k = 0; k < ns; k++) {
      c.split = splits[k];
      if (ob_conv_config_fits(&c, v, s->dev) == OB_OK) out[n++] = c;
    }
  }
  ob_error_clear();
  return n;
}

/* algo=direct's candidates (px, kb, wx; split 0: chosen for the shape). GPUs: strips of 1,
 * 2 or 4 dy columns per work-item, 32 or 64 strips per work-group row (data gradient); 2, 4
 * or 8 output channels per work-item, 8, 16 or 32 work-items along a dy row (weight
 * gradient). CPUs: two of each (few compute units, slow compiles). */
#define DIRECT(px_, kb_, wx_) {.px = px_, .kb = kb_, .wx = wx_, .algo = OB_CONV_ALGO_DIRECT}
static const ob_conv_config direct_data[] = {DIRECT(1, 0, 32), DIRECT(2, 0, 32),
                                             DIRECT(4, 0, 32), DIRECT(1, 0, 64),
                                             DIRECT(2, 0, 64), DIRECT(4, 0, 64)};
static const ob_conv_config direct_weight[] = {DIRECT(0, 2, 16), DIRECT(0, 4, 16),
                                               DIRECT(0, 8, 16), DIRECT(0, 4, 8),
                                               DIRECT(0, 4, 32), DIRECT(0, 8, 32)};
static const ob_conv_config direct_cpu[] = {DIRECT(2, 4, 16), DIRECT(4, 8, 16)};
#define NDIRECT 6
#define NDIRECT_SPLITS 3

/* The direct candidates for the search's pass on its device, each with the parts its
 * default split gives, half and twice that (weight gradient), into out (room for NDIRECT *
 * NDIRECT_SPLITS); returns how many fit. Their tile keys stay 0: algo=direct runs no GEMM. */
static size_t direct_candidates(const conv_search *s, ob_conv_config *out) {
  const bool cpu = ob_device_is_cpu(s->dev);
  const ob_conv_config *list = cpu ? direct_cpu
                               : s->pass == OB_CONV_BACKWARD_DATA ? direct_data : direct_weight;
  const size_t nlist = cpu ? 2 : NDIRECT;
  size_t n = 0;
  for (size_t i = 0; i < nlist; i++) {
    ob_conv_config c = ob_conv_direct_resolve(&list[i], s->shape, s->pass, s->dev);
    const int base = c.split;
    const int splits[NDIRECT_SPLITS] = {base, base / 2, base * 2};
    const int nsplit = s->pass == OB_CONV_BACKWARD_WEIGHT && !cpu ? NDIRECT_SPLITS : 1;
    for (int k = 0; k < nsplit; k++) {
      c.split = splits[k];
      bool dup = c.split < 1;
      for (size_t j = 0; j < n && !dup; j++) dup = same_tile(&out[j], &c) && out[j].split == c.split;
      if (!dup && ob_conv_direct_fits(&c, s->shape, s->pass, s->storage, s->dev) == OB_OK)
        out[n++] = c;
    }
  }
  ob_error_clear();
  return n;
}

/* The candidates of the implicit GEMM and, where the shape qualifies, of the Winograd
 * algorithms F(2x2) and F(4x4) (room for 3 * ntile * MAX_SPLITS) and of the direct one (room
 * for NDIRECT * NDIRECT_SPLITS more); returns how many. */
static size_t search_candidates(const conv_search *s, ob_conv_config *out) {
  size_t n = algo_candidates(s, &s->view, OB_CONV_ALGO_GEMM, out);
  static const int wino[2] = {OB_CONV_ALGO_WINOGRAD, OB_CONV_ALGO_WINOGRAD4};
  for (int i = 0; i < 2; i++)
    if (s->wino_ok[i]) n += algo_candidates(s, &s->wview[i], wino[i], out + n);
  if (s->direct_ok) n += direct_candidates(s, out + n);
  return n;
}

ob_status ob_conv_select(ob_device *dev, const ob_tune_settings *settings,
                         const ob_conv_shape *shape, ob_conv_pass pass, ob_conv_storage storage,
                         ob_conv_choice *out) {
  memset(out, 0, sizeof *out);
  if ((unsigned)pass >= OB_CONV_NPASSES)
    return ob_fail(OB_ERR_INVALID, "conv: unknown pass %d", (int)pass);
  OB_TRY(ob_conv_shape_check(shape));
  conv_search s = {.dev = dev, .shape = shape, .pass = pass, .storage = storage,
                   .tile_s = INFINITY};
  OB_TRY(ob_conv_view_make(shape, pass, storage, &s.view));
  s.wino_ok[0] = ob_conv_algo_view(shape, pass, storage, OB_CONV_ALGO_WINOGRAD, &s.wview[0]) ==
                 OB_OK;
  s.wino_ok[1] = ob_conv_algo_view(shape, pass, storage, OB_CONV_ALGO_WINOGRAD4,
                                   &s.wview[1]) == OB_OK;
  s.direct_ok = ob_conv_direct_suits(shape, pass) &&
                ob_conv_direct_check(shape, pass, storage, &(ob_conv_config){0}) == OB_OK;
  ob_error_clear();
  size_t ntile = 0;
  tune_candidates(dev, &ntile);
  ob_conv_config *cand =
      malloc((3 * ntile * MAX_SPLITS + NDIRECT * NDIRECT_SPLITS) * sizeof *cand);
  if (!cand) return ob_fail(OB_ERR_NOMEM, "out of memory");
  char key[256];
  shape_key(shape, pass, storage, s.wino_ok[0] || s.wino_ok[1], s.direct_ok, key, sizeof key);
  const ob_tune_search q = {.family = &ob_conv_family, .dev = dev, .shape = key, .ctx = &s,
                            .fallback = search_fallback, .fits = search_fits,
                            .candidates = cand, .ncandidates = search_candidates(&s, cand),
                            .prepare = search_prepare, .trial = search_trial};
  const double t0 = ob_now();
  const ob_status st = ob_tune_select(settings, &q, &out->cfg, &out->source);
  tile_done(&s);
  tune_bufs_free(dev, &s.bufs);
  ob_conv_plan_destroy(s.plan);
  free(cand);
  OB_TRY(st);
  const ob_conv_view *v = NULL;
  OB_TRY(search_view(&s, &out->cfg, &v));
  if (out->cfg.algo == OB_CONV_ALGO_DIRECT)
    out->cfg = ob_conv_direct_resolve(&out->cfg, shape, pass, dev);
  else
    model_split(dev, v, &out->cfg);
  char text[OB_TUNE_TEXT_MAX], how[64];
  ob_tune_format(&ob_conv_family, &out->cfg, text, sizeof text);
  switch (out->source) {
  case OB_TUNE_FORCED: snprintf(how, sizeof how, "forced"); break;
  case OB_TUNE_DEFAULT: snprintf(how, sizeof how, "default"); break;
  case OB_TUNE_CACHED: snprintf(how, sizeof how, "tuned, cached"); break;
  case OB_TUNE_SEARCHED:
    snprintf(how, sizeof how, "tuned now: %d runs, %.1f s", s.runs, ob_now() - t0);
    break;
  }
  snprintf(out->describe, sizeof out->describe, "config=%s (%s)", text, how);
  return OB_OK;
}
