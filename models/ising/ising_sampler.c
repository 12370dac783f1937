/* The device Ising sampler: schedule (positions and sliced ELL), configuration, passes,
 * launches, moments and samples. */
#include "ising_sampler.h"

#include <math.h>

#include "ising_multispin.h"
#include "ising_screen.h"
#include <stdlib.h>
#include <string.h>

#define SLICE 32u
#define COUNT_FLAG 0x80000000u
/* The multispin update's threshold buffer starts with the kernel's two multipliers. */
#define MS_CONSTANTS 2u
/* Counter and state indices stay below 2^31 in the kernels. */
#define INDEX_LIMIT ((size_t)INT32_MAX)
/* Fraction of global memory the states (all passes) and one pass's counters may use. */
#define MEMORY_SHARE 0.75
/* On devices with a kernel watchdog, one launch does at most this many spin updates. */
#define WATCHDOG_FLIPS_PER_LAUNCH ((double)(1u << 28))

typedef struct pass {
  size_t word0, nwords;  /* words [word0, word0 + nwords) of the batch */
  cl_mem state, snap;
} pass;

struct ob_ising_sampler {
  ob_device *dev;
  const ob_ising_model *model;
  size_t n, m, chains, words;
  size_t first_chain;          /* global index of chain 0 (a multiple of 32): a shard's offset */
  size_t word_base;            /* first_chain / spin_bits: added to every global word index */
  uint64_t seed;
  ob_ising_config cfg;
  /* schedule */
  uint8_t *clamped;            /* n */
  uint32_t *clamp_nodes;       /* k */
  int8_t *clamp_vals;          /* chains x k */
  size_t nclamp;
  size_t npos, nsell, ncolours;
  cl_uint *pos;                /* 4 x npos: node, degree, ht bits, SELL index */
  cl_uint *colour_start;       /* ncolours + 1 */
  cl_uint *sell;               /* 2 x nsell: neighbour | flag, wt bits */
  int32_t *sell_edge;          /* nsell: counted edge or -1 */
  cl_uint *thr;                /* multispin: nthr words, the multipliers and the positions'
                                  thresholds - 1 (fill_multispin) */
  size_t nthr;
  size_t max_colour;           /* most free nodes in one colour */
  size_t res_words;            /* resident units: local words per work-group beyond the state
                                  (wg_words zero words, then a scratch word per work-item);
                                  0: the kernels are built without them */
  /* device */
  cl_kernel k_init, k_local, k_local_sched, k_global, k_reduce;
  ob_ising_path want_schedule; /* the tuning's request, for choose_schedule */
  cl_mem d_pos, d_colour_start, d_sell, d_thr, d_node_cnt, d_edge_cnt, d_reduced, d_dummy;
  pass *passes;
  /* progress and moments */
  uint64_t sweep, snap_sweep;
  bool have_snapshot;
  uint64_t observed;           /* observed sweeps */
  int64_t *node_sum, *edge_sum;
  int64_t *reduced;            /* host copy of one reduction */
};

const char *ob_ising_path_name(ob_ising_path path) {
  return path == OB_ISING_PATH_GLOBAL ? "global" : path == OB_ISING_PATH_LOCAL ? "local" : "auto";
}

const char *ob_ising_sign_name(ob_ising_sign sign) {
  return sign == OB_ISING_SIGN_XOR   ? "xor"
         : sign == OB_ISING_SIGN_MAD ? "mad"
         : sign == OB_ISING_SIGN_SEL ? "sel"
                                     : "auto";
}

const char *ob_ising_update_name(ob_ising_update update) {
  return update == OB_ISING_UPDATE_FLOAT       ? "float"
         : update == OB_ISING_UPDATE_MULTISPIN ? "multispin"
                                               : "auto";
}

static size_t round_up(size_t x, size_t m) { return (x + m - 1) / m * m; }

/* The bit of a word that holds the word's chain `offset` (cl_kernels/ising.cl: Philox output
 * k of counter q feeds bit k * G/4 + q, chain 4q + k; in words of fewer than 4 chains, bit b
 * holds chain b). */
static unsigned bit_of_chain(unsigned spin_bits, size_t offset) {
  if (spin_bits < 4) return (unsigned)offset;
  return (unsigned)((offset % 4) * (spin_bits / 4) + offset / 4);
}

/* ------------------------------------------------------------------ schedule */

typedef struct pos_key {
  uint32_t colour, degree, node;
} pos_key;

static int cmp_pos(const void *a, const void *b) {
  const pos_key *x = a, *y = b;
  if (x->colour != y->colour) return x->colour < y->colour ? -1 : 1;
  if (x->degree != y->degree) return x->degree > y->degree ? -1 : 1;
  return (x->node > y->node) - (x->node < y->node);
}

static void free_schedule(ob_ising_sampler *s) {
  free(s->pos);
  free(s->colour_start);
  free(s->sell);
  free(s->sell_edge);
  free(s->thr);
  s->pos = s->colour_start = s->sell = s->thr = NULL;
  s->sell_edge = NULL;
}

/* The multispin update's weights: thr[0] = 2 and thr[1] = 2^32 - 128 (the kernel's multipliers),
 * then the positions' thresholds, pos[p].z the offset of position p's (degree + 1 of them, each
 * K - 1 modulo 2^32: the form the kernel compares with); the SELL entries' second words the
 * couplings' sign masks. */
static ob_status fill_multispin(ob_ising_sampler *s) {
  double w = 0.0;
  if (!ob_ising_multispin_weight(s->model, &w))
    return ob_fail(OB_ERR_UNSUPPORTED, "multispin update: the couplings of %s are not all +-w "
                   "for one w (--weights pm1, or an edge file of +-w)", ob_ising_spec(s->model));
  const uint32_t *rp = ob_ising_row_ptr(s->model);
  size_t total = MS_CONSTANTS;
  for (size_t p = 0; p < s->npos; p++) total += s->pos[4 * p + 1] + 1;
  free(s->thr);
  s->nthr = total;
  if (!(s->thr = malloc((total + 1) * sizeof *s->thr)))
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->thr[0] = 2u;
  s->thr[1] = (cl_uint)-128;
  size_t at = MS_CONSTANTS;
  for (size_t p = 0; p < s->npos; p++) {
    const uint32_t node = s->pos[4 * p], deg = s->pos[4 * p + 1], base = s->pos[4 * p + 3];
    s->pos[4 * p + 2] = (cl_uint)at;
    ob_ising_multispin_thresholds(s->model, w, node, s->thr + at);
    for (uint32_t m = 0; m <= deg; m++) s->thr[at + m] -= 1u;
    for (uint32_t k = 0; k < deg; k++)
      s->sell[2 * (base + SLICE * k) + 1] = ob_ising_multispin_sign(s->model, rp[node] + k);
    at += deg + 1;
  }
  return OB_OK;
}

/* Writes the scaled weights into pos (ht) and sell (wt), or the multispin update's. */
static ob_status fill_weights(ob_ising_sampler *s) {
  if (s->cfg.update == OB_ISING_UPDATE_MULTISPIN) return fill_multispin(s);
  const size_t n = s->n, m = s->m;
  float *ht = malloc((n + 1) * sizeof *ht), *wt = malloc((2 * m + 1) * sizeof *wt);
  if (!ht || !wt) {
    free(ht);
    free(wt);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  ob_ising_scale(s->model, ht, wt);
  const uint32_t *rp = ob_ising_row_ptr(s->model);
  for (size_t p = 0; p < s->npos; p++) {
    const uint32_t node = s->pos[4 * p], deg = s->pos[4 * p + 1], base = s->pos[4 * p + 3];
    memcpy(&s->pos[4 * p + 2], &ht[node], sizeof(float));
    for (uint32_t k = 0; k < deg; k++)
      memcpy(&s->sell[2 * (base + SLICE * k) + 1], &wt[rp[node] + k], sizeof(float));
  }
  free(ht);
  free(wt);
  return OB_OK;
}

/* Positions (free nodes colour by colour, by degree), the sliced ELL and the edge map. */
static ob_status build_schedule(ob_ising_sampler *s) {
  free_schedule(s);
  const ob_ising_model *md = s->model;
  const uint32_t *rp = ob_ising_row_ptr(md), *col = ob_ising_col(md),
                 *ce = ob_ising_col_edge(md), *colour = ob_ising_colour(md);
  s->ncolours = ob_ising_ncolours(md);
  pos_key *keys = malloc((s->n + 1) * sizeof *keys);
  s->colour_start = calloc(s->ncolours + 1, sizeof *s->colour_start);
  if (!keys || !s->colour_start) {
    free(keys);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  s->npos = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (s->clamped[i]) continue;
    keys[s->npos++] = (pos_key){colour[i], rp[i + 1] - rp[i], (uint32_t)i};
    s->colour_start[colour[i] + 1]++;
  }
  qsort(keys, s->npos, sizeof *keys, cmp_pos);
  s->max_colour = 0;
  for (size_t c = 0; c < s->ncolours; c++) {
    if (s->colour_start[c + 1] > s->max_colour) s->max_colour = s->colour_start[c + 1];
    s->colour_start[c + 1] += s->colour_start[c];
  }
  /* Slices of 32 positions, each as deep as its largest degree (degrees descend within a
   * colour; a slice straddling two colours takes the larger). */
  size_t total = 0;
  for (size_t p0 = 0; p0 < s->npos; p0 += SLICE) {
    uint32_t deep = 0;
    for (size_t p = p0; p < s->npos && p < p0 + SLICE; p++)
      if (keys[p].degree > deep) deep = keys[p].degree;
    total += (size_t)deep * SLICE;
  }
  s->nsell = total;
  s->pos = calloc(4 * (s->npos + 1), sizeof *s->pos);
  s->sell = calloc(2 * (s->nsell + 1), sizeof *s->sell);
  s->sell_edge = malloc((s->nsell + 1) * sizeof *s->sell_edge);
  if (!s->pos || !s->sell || !s->sell_edge) {
    free(keys);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  for (size_t k = 0; k < s->nsell; k++) s->sell_edge[k] = -1;
  size_t base = 0;
  for (size_t p0 = 0; p0 < s->npos; p0 += SLICE) {
    uint32_t deep = 0;
    for (size_t p = p0; p < s->npos && p < p0 + SLICE; p++) {
      const uint32_t i = keys[p].node, deg = keys[p].degree;
      if (deg > deep) deep = deg;
      const size_t at = base + (p - p0);
      s->pos[4 * p] = i;
      s->pos[4 * p + 1] = deg;
      s->pos[4 * p + 3] = (cl_uint)at;
      for (uint32_t k = 0; k < deg; k++) {
        const uint32_t j = col[rp[i] + k];
        const bool counted = s->clamped[j] || colour[j] < colour[i];
        s->sell[2 * (at + SLICE * k)] = j | (counted ? COUNT_FLAG : 0u);
        if (counted) s->sell_edge[at + SLICE * k] = (int32_t)ce[rp[i] + k];
      }
    }
    base += (size_t)deep * SLICE;
  }
  free(keys);
  return fill_weights(s);
}

/* ------------------------------------------------------------------ configuration */

static bool is_pow2(size_t x) { return x && !(x & (x - 1)); }

/* Words of fewer than 8 chains are bytes. */
static size_t bytes_per_word(unsigned bits) { return bits < 8 ? 1 : bits / 8; }

static size_t word_bytes(const ob_ising_sampler *s) { return bytes_per_word(s->cfg.spin_bits); }

static size_t local_bytes(const ob_ising_sampler *s, size_t wg_words, unsigned bits) {
  return (s->n * wg_words + s->res_words) * bytes_per_word(bits);
}

/* Local memory for the schedule: positions, SELL entries, colour starts (in this order, as
 * ising_sweeps_local_sched lays them out before the state). */
static size_t schedule_bytes(const ob_ising_sampler *s) {
  return 16 * s->npos + 8 * s->nsell + 4 * (s->ncolours + 1);
}

/* GPUs: the widest word that still gives every compute unit two words (local path: two
 * work-groups) to run, down to a chain per word, so that a small batch spreads over the whole
 * device with a work-item per flip; CPUs: the widest word (fewer, longer SIMD work-items). */
static unsigned default_bits(const ob_ising_sampler *s) {
  if (ob_device_is_cpu(s->dev)) return 32;
  const size_t want = 2 * (size_t)ob_device_props_get(s->dev)->compute_units;
  unsigned bits = 32;
  while (bits > 1 && (s->chains + bits - 1) / bits < want) bits /= 2;
  return bits;
}

/* The update, before the schedule (which holds its weights): the multispin update needs words
 * of 32 chains and the xor and vector forms (its model's qualification is checked with the
 * weights). */
static ob_status choose_update(ob_ising_sampler *s, const ob_ising_tuning *t) {
  if (t->update == OB_ISING_UPDATE_MULTISPIN && t->spin_bits && t->spin_bits != 32)
    return ob_fail(OB_ERR_INVALID, "multispin update: words of 32 chains, not %u", t->spin_bits);
  s->cfg.update = t->update == OB_ISING_UPDATE_MULTISPIN ? OB_ISING_UPDATE_MULTISPIN
                                                          : OB_ISING_UPDATE_FLOAT;
  if ((t->sign == OB_ISING_SIGN_MAD || t->sign == OB_ISING_SIGN_SEL) &&
      s->cfg.update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "sign=%s is a form of the float update, not multispin",
                   ob_ising_sign_name(t->sign));
  s->cfg.sign = t->sign == OB_ISING_SIGN_AUTO ? OB_ISING_SIGN_XOR : t->sign;
  if (t->philox == OB_ISING_PHILOX_LANES && s->cfg.update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "philox=lanes is a form of the float update, not multispin");
  if (t->decision == OB_ISING_DECISION_SCREEN && s->cfg.update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "decision=screen is a form of the float update, not "
                   "multispin");
  s->cfg.decision = t->decision == OB_ISING_DECISION_SCREEN ? OB_ISING_DECISION_SCREEN
                                                            : OB_ISING_DECISION_EXACT;
  if (t->exp2 != OB_ISING_EXP2_AUTO && s->cfg.decision != OB_ISING_DECISION_SCREEN)
    return ob_fail(OB_ERR_INVALID, "exp2 is a form of decision=screen");
  if (t->exp2 == OB_ISING_EXP2_PTX && !ob_device_ptx(s->dev))
    return ob_fail(OB_ERR_UNSUPPORTED, "exp2=ptx: the device's compiler does not take NVIDIA's "
                   "inline PTX");
  s->cfg.exp2 = s->cfg.decision != OB_ISING_DECISION_SCREEN ? OB_ISING_EXP2_AUTO
                : t->exp2 == OB_ISING_EXP2_PTX ||
                        (t->exp2 == OB_ISING_EXP2_AUTO && ob_device_ptx(s->dev))
                    ? OB_ISING_EXP2_PTX
                    : OB_ISING_EXP2_NATIVE;
  if (t->regs && s->cfg.update == OB_ISING_UPDATE_MULTISPIN)
    return ob_fail(OB_ERR_INVALID, "regs is a form of the float update, not multispin");
  if (t->regs && !ob_device_has_extension(s->dev, "cl_nv_compiler_options"))
    return ob_fail(OB_ERR_UNSUPPORTED, "regs=%u: the device has no cl_nv_compiler_options "
                   "(-cl-nv-maxrregcount)", t->regs);
  s->cfg.regs = t->regs;
  return OB_OK;
}

/* Resident units' work-group size: as asked, else the sampler's for a colour's units. */
static size_t resident_wg(const ob_ising_sampler *s, const ob_ising_tuning *t) {
  return t->wg_size ? t->wg_size : round_up(s->max_colour * s->cfg.wg_words, 32);
}

/* Whether the kernels get resident units (ob_ising_resident), after the word size: sets the
 * local words they need beyond the state (zero words and scratch for resident_wg work-items),
 * 0 without. Where they cannot run, ON is OB_ERR_UNSUPPORTED and AUTO does without. */
static ob_status choose_resident(ob_ising_sampler *s, const ob_ising_tuning *t) {
  const ob_ising_config *c = &s->cfg;
  const size_t slots = s->ncolours * ob_ising_max_degree(s->model);
  const size_t units = s->max_colour * c->wg_words, limit = t->wg_size ? t->wg_size : 1024;
  const char *why = c->update != OB_ISING_UPDATE_FLOAT       ? "the multispin update"
                    : t->path == OB_ISING_PATH_GLOBAL          ? "the global path"
                    : slots == 0 || slots > OB_ISING_RESIDENT_SLOTS ? "colours x largest degree"
                    : units > limit                            ? "a colour's units"
                                                               : NULL;
  s->res_words = 0;
  if (t->resident == OB_ISING_RESIDENT_OFF) return OB_OK;
  if (why && t->resident == OB_ISING_RESIDENT_ON)
    return ob_fail(OB_ERR_UNSUPPORTED, "resident units: not with %s (%zu colours x degree %zu "
                   "of at most %d, %zu units of a colour for a work-group of %zu)", why,
                   s->ncolours, ob_ising_max_degree(s->model), OB_ISING_RESIDENT_SLOTS, units,
                   limit);
  if (why || (t->resident == OB_ISING_RESIDENT_AUTO &&
              (ob_device_is_cpu(s->dev) || c->spin_bits >= 8)))
    return OB_OK;
  s->res_words = c->wg_words + resident_wg(s, t);
  return OB_OK;
}

/* Word size, path and local-path words per work-group from the knobs and the device. */
static ob_status choose_layout(ob_ising_sampler *s, const ob_ising_tuning *t) {
  const ob_device_props *pr = ob_device_props_get(s->dev);
  ob_ising_config *c = &s->cfg;
  if (t->spin_bits && (!is_pow2(t->spin_bits) || t->spin_bits > 32))
    return ob_fail(OB_ERR_INVALID, "spin bits %u: expected 1, 2, 4, 8, 16 or 32", t->spin_bits);
  if (t->wg_words && !is_pow2(t->wg_words))
    return ob_fail(OB_ERR_INVALID, "words per work-group %zu: expected a power of two",
                   t->wg_words);
  if (t->schedule == OB_ISING_PATH_LOCAL && t->path == OB_ISING_PATH_GLOBAL)
    return ob_fail(OB_ERR_INVALID, "the schedule in local memory needs the local path");
  c->spin_bits = c->update == OB_ISING_UPDATE_MULTISPIN ? 32
                 : t->spin_bits                          ? t->spin_bits
                                                         : default_bits(s);
  if (t->philox == OB_ISING_PHILOX_LANES && c->spin_bits < 8)
    return ob_fail(OB_ERR_INVALID, "philox=lanes is a form of the words of 8 to 32 chains, not "
                   "%u", c->spin_bits);
  c->philox = t->philox == OB_ISING_PHILOX_LANES ? OB_ISING_PHILOX_LANES : OB_ISING_PHILOX_VECTOR;
  if (c->decision == OB_ISING_DECISION_SCREEN && c->spin_bits < 8)
    return ob_fail(OB_ERR_INVALID, "decision=screen is a form of the words of 8 to 32 chains, "
                   "not %u", c->spin_bits);
  c->wg_words = t->wg_words ? t->wg_words : 1;
  OB_TRY(choose_resident(s, t));
  c->local_bytes = local_bytes(s, c->wg_words, c->spin_bits);
  if (c->local_bytes > pr->local_mem && s->res_words && t->resident != OB_ISING_RESIDENT_ON) {
    s->res_words = 0; /* AUTO: the state alone decides the path */
    c->local_bytes = local_bytes(s, c->wg_words, c->spin_bits);
  }
  const bool fits = c->local_bytes <= pr->local_mem;
  if (t->path == OB_ISING_PATH_LOCAL && !fits)
    return ob_fail(OB_ERR_UNSUPPORTED, "local path: %zu bytes of state per work-group exceed "
                   "the %llu bytes of local memory", c->local_bytes,
                   (unsigned long long)pr->local_mem);
  c->path = t->path != OB_ISING_PATH_AUTO ? t->path
            : fits ? OB_ISING_PATH_LOCAL
                   : OB_ISING_PATH_GLOBAL;
  if (c->path == OB_ISING_PATH_GLOBAL && t->schedule == OB_ISING_PATH_LOCAL)
    return ob_fail(OB_ERR_UNSUPPORTED, "the schedule in local memory needs the local path, and "
                   "%zu bytes of state per work-group exceed the %llu bytes of local memory",
                   c->local_bytes, (unsigned long long)pr->local_mem);
  if (c->path == OB_ISING_PATH_GLOBAL) c->local_bytes = 0;
  if (c->path == OB_ISING_PATH_GLOBAL && s->res_words) {
    if (t->resident == OB_ISING_RESIDENT_ON)
      return ob_fail(OB_ERR_UNSUPPORTED, "resident units: not with the global path");
    s->res_words = 0;
  }
  s->want_schedule = t->schedule;
  s->words = (s->chains + c->spin_bits - 1) / c->spin_bits;
  return OB_OK;
}

/* Local path: the schedule in local memory when asked or (auto, GPUs) when it fits beside the
 * state, so that the neighbour lists are read at local-memory latency whatever the caches do;
 * CPUs keep it in global memory (their local memory is ordinary memory: a copy gains
 * nothing). Again after every clamp, which changes the schedule's size. */
static ob_status choose_schedule(ob_ising_sampler *s) {
  ob_ising_config *c = &s->cfg;
  c->schedule = OB_ISING_PATH_GLOBAL;
  if (c->path != OB_ISING_PATH_LOCAL) return OB_OK;
  const size_t state = local_bytes(s, c->wg_words, c->spin_bits);
  const size_t both = state + schedule_bytes(s);
  const cl_ulong have = ob_device_props_get(s->dev)->local_mem;
  if (s->want_schedule == OB_ISING_PATH_LOCAL && both > have)
    return ob_fail(OB_ERR_UNSUPPORTED, "schedule in local memory: %zu bytes of schedule and "
                   "state per work-group exceed the %llu bytes of local memory", both,
                   (unsigned long long)have);
  c->schedule = s->want_schedule != OB_ISING_PATH_AUTO ? s->want_schedule
                : both <= have && !ob_device_is_cpu(s->dev) ? OB_ISING_PATH_LOCAL
                                                            : OB_ISING_PATH_GLOBAL;
  c->local_bytes = c->schedule == OB_ISING_PATH_LOCAL ? both : state;
  return OB_OK;
}

/* Words per pass: each buffer within the allocation limit and the kernels' 31-bit indices,
 * all states and one pass's counters within a share of global memory. */
static ob_status choose_passes(ob_ising_sampler *s, const ob_ising_tuning *t) {
  const ob_device_props *pr = ob_device_props_get(s->dev);
  ob_ising_config *c = &s->cfg;
  const size_t wb = bytes_per_word(c->spin_bits);
  size_t rows = s->n > s->npos ? s->n : s->npos;
  if (s->nsell > rows) rows = s->nsell;
  size_t cap = INDEX_LIMIT / (rows ? rows : 1);
  const size_t col_bytes[3] = {s->n * wb, s->npos * 4, s->nsell * 4};
  for (int b = 0; b < 3; b++)
    if (col_bytes[b] && pr->max_alloc / col_bytes[b] < cap) cap = pr->max_alloc / col_bytes[b];
  if (t->max_pass_chains) {
    const size_t want = t->max_pass_chains / c->spin_bits;
    if (want < cap) cap = want;
  }
  const size_t unit = c->path == OB_ISING_PATH_LOCAL ? c->wg_words : 1;
  cap -= cap % unit;
  if (cap == 0)
    return ob_fail(OB_ERR_TOO_LARGE, "one pass of %zu chains does not fit a buffer of %llu bytes",
                   unit * c->spin_bits, (unsigned long long)pr->max_alloc);
  const size_t npass = (s->words + cap - 1) / cap;
  c->words_per_pass = round_up((s->words + npass - 1) / npass, unit);
  c->passes = (s->words + c->words_per_pass - 1) / c->words_per_pass;
  const double state_bytes = 2.0 * (double)s->n * (double)s->words * (double)wb; /* + snapshot */
  const double counter_bytes = (double)c->words_per_pass * (double)(col_bytes[1] + col_bytes[2]);
  if (state_bytes + counter_bytes > MEMORY_SHARE * (double)pr->global_mem)
    return ob_fail(OB_ERR_TOO_LARGE, "%zu chains of %zu nodes need %.3g bytes, more than %.0f%% "
                   "of the device's %llu", s->chains, s->n, state_bytes + counter_bytes,
                   MEMORY_SHARE * 100, (unsigned long long)pr->global_mem);
  return OB_OK;
}

/* The local path's work-group size: as wanted, within what both of its kernels allow (a clamp
 * may move the schedule between local and global memory). */
static size_t local_wg(const ob_ising_sampler *s, size_t want) {
  const size_t a = ob_device_wg_size(s->dev, s->k_local, want);
  const size_t b = ob_device_wg_size(s->dev, s->k_local_sched, want);
  return a < b ? a : b;
}

static size_t choose_wg(ob_ising_sampler *s, const ob_ising_tuning *t) {
  const ob_ising_config *c = &s->cfg;
  const ob_device_props *pr = ob_device_props_get(s->dev);
  if (t->wg_size)
    return c->path == OB_ISING_PATH_LOCAL ? local_wg(s, t->wg_size)
                                          : ob_device_wg_size(s->dev, s->k_global, t->wg_size);
  if (c->path == OB_ISING_PATH_GLOBAL)
    return ob_device_wg_size(s->dev, s->k_global, ob_device_is_cpu(s->dev) ? 64 : 256);
  /* Local path: enough work-items for a colour's units, fewer when there are many groups. */
  const size_t units = s->max_colour * c->wg_words;
  const size_t groups = (c->words_per_pass + c->wg_words - 1) / c->wg_words;
  const size_t cap = ob_device_is_cpu(s->dev) ? 256
                     : groups >= 2 * (size_t)pr->compute_units ? 256
                                                               : 1024;
  size_t want = round_up(units ? units : 1, 32);
  if (want > cap) want = cap;
  return local_wg(s, want);
}

/* After the work-group size (and after a clamp): the scratch words for exactly its work-items
 * (no more than choose_resident reserved), the schedule's place, and whether the units of
 * every colour fit it (the kernels check the same; after a clamp again, with fewer units).
 * ON: OB_ERR_UNSUPPORTED when they do not. */
static ob_status settle_resident(ob_ising_sampler *s, ob_ising_resident want) {
  ob_ising_config *c = &s->cfg;
  if (s->res_words) s->res_words = c->wg_words + c->wg_size;
  OB_TRY(choose_schedule(s));
  c->resident = s->res_words && s->max_colour * c->wg_words <= c->wg_size;
  if (want == OB_ISING_RESIDENT_ON && !c->resident)
    return ob_fail(OB_ERR_UNSUPPORTED, "resident units: %zu units of a colour exceed the "
                   "work-group of %zu", s->max_colour * c->wg_words, c->wg_size);
  return OB_OK;
}

/* ------------------------------------------------------------------ device data */

static ob_status upload_schedule(ob_ising_sampler *s) {
  ob_device *d = s->dev;
  ob_buffer_release(d, s->d_pos);
  ob_buffer_release(d, s->d_colour_start);
  ob_buffer_release(d, s->d_sell);
  ob_buffer_release(d, s->d_thr);
  s->d_pos = s->d_colour_start = s->d_sell = s->d_thr = NULL;
  const cl_mem_flags ro = CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR;
  OB_TRY(ob_buffer_create(d, ro, 4 * (s->npos + 1) * sizeof(cl_uint), s->pos, &s->d_pos));
  OB_TRY(ob_buffer_create(d, ro, (s->ncolours + 1) * sizeof(cl_uint), s->colour_start,
                          &s->d_colour_start));
  OB_TRY(ob_buffer_create(d, ro, 2 * (s->nsell + 1) * sizeof(cl_uint), s->sell, &s->d_sell));
  const cl_uint unit = 0x80000000u; /* the float update's thr[0]: 2^31, for sign=mad */
  return ob_buffer_create(d, ro, (s->thr ? s->nthr + 1 : 1) * sizeof(cl_uint),
                          s->thr ? (void *)s->thr : (void *)&unit, &s->d_thr);
}

/* Appends " OPTION" to the build options opts (of size n). */
static void append_option(char *opts, size_t n, const char *option) {
  const size_t used = strlen(opts);
  snprintf(opts + used, n - used, " %s", option);
}

static ob_status build_kernels(ob_ising_sampler *s) {
  char opts[256];
  if (s->cfg.update == OB_ISING_UPDATE_MULTISPIN)
    snprintf(opts, sizeof opts, "-DSPIN_BITS=32 -DMULTISPIN=1 -DMS_PLANES=%u",
             ob_ising_multispin_planes(s->model));
  else if (s->res_words)
    snprintf(opts, sizeof opts, "-DSPIN_BITS=%u -DRES_DEGREE=%zu -DRES_COLOURS=%zu",
             s->cfg.spin_bits, ob_ising_max_degree(s->model), s->ncolours);
  else
    snprintf(opts, sizeof opts, "-DSPIN_BITS=%u", s->cfg.spin_bits);
  if (s->cfg.sign == OB_ISING_SIGN_MAD) append_option(opts, sizeof opts, "-DSIGN_MAD=1");
  if (s->cfg.sign == OB_ISING_SIGN_SEL) append_option(opts, sizeof opts, "-DSIGN_SEL=1");
  if (s->cfg.philox == OB_ISING_PHILOX_LANES) append_option(opts, sizeof opts, "-DPHILOX_LANES=1");
  if (s->cfg.decision == OB_ISING_DECISION_SCREEN) append_option(opts, sizeof opts, "-DSCREEN=1");
  if (s->cfg.exp2 == OB_ISING_EXP2_PTX) append_option(opts, sizeof opts, "-DSCREEN_PTX=1");
  if (s->cfg.regs) {
    char cap[40];
    snprintf(cap, sizeof cap, "-cl-nv-maxrregcount=%u", s->cfg.regs);
    append_option(opts, sizeof opts, cap);
  }
  if (!ob_device_props_get(s->dev)->little_endian)
    append_option(opts, sizeof opts, "-DBIG_ENDIAN_DEVICE=1");
  if (s->cfg.decision == OB_ISING_DECISION_SCREEN)
    OB_TRY(ob_ising_screen_check(s->dev, opts, s->cfg.spin_bits, &s->cfg.screen_ulps));
  OB_TRY(ob_kernel_create(s->dev, "ising.cl", opts, "ising_init", &s->k_init));
  OB_TRY(ob_kernel_create(s->dev, "ising.cl", opts, "ising_sweeps_local", &s->k_local));
  OB_TRY(ob_kernel_create(s->dev, "ising.cl", opts, "ising_sweeps_local_sched",
                          &s->k_local_sched));
  OB_TRY(ob_kernel_create(s->dev, "ising.cl", opts, "ising_colour_global", &s->k_global));
  return ob_kernel_create(s->dev, "ising.cl", opts, "ising_reduce", &s->k_reduce);
}

static ob_status alloc_passes(ob_ising_sampler *s) {
  s->passes = calloc(s->cfg.passes, sizeof *s->passes);
  if (!s->passes) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t p = 0; p < s->cfg.passes; p++) {
    pass *ps = &s->passes[p];
    ps->word0 = p * s->cfg.words_per_pass;
    ps->nwords = s->words - ps->word0 < s->cfg.words_per_pass ? s->words - ps->word0
                                                               : s->cfg.words_per_pass;
    OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_WRITE, s->n * ps->nwords * word_bytes(s), NULL,
                            &ps->state));
  }
  const cl_int zero = 0;
  return ob_buffer_create(s->dev, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof zero,
                          (void *)&zero, &s->d_dummy);
}

/* Counters for one pass and the reduction output, allocated on the first observed run. */
static ob_status alloc_counters(ob_ising_sampler *s) {
  if (s->d_node_cnt) return OB_OK;
  const size_t wpp = s->cfg.words_per_pass;
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_WRITE, (s->npos ? s->npos : 1) * wpp * 4, NULL,
                          &s->d_node_cnt));
  OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_WRITE, (s->nsell ? s->nsell : 1) * wpp * 4, NULL,
                          &s->d_edge_cnt));
  const size_t rows = s->npos > s->nsell ? s->npos : s->nsell;
  s->reduced = malloc((rows + 1) * sizeof *s->reduced);
  if (!s->reduced) return ob_fail(OB_ERR_NOMEM, "out of memory");
  return ob_buffer_create(s->dev, CL_MEM_READ_WRITE, (rows + 1) * sizeof(cl_long), NULL,
                          &s->d_reduced);
}

/* ------------------------------------------------------------------ create / destroy */

void ob_ising_sampler_destroy(ob_ising_sampler *s) {
  if (!s) return;
  if (s->passes)
    for (size_t p = 0; p < s->cfg.passes; p++) {
      ob_buffer_release(s->dev, s->passes[p].state);
      ob_buffer_release(s->dev, s->passes[p].snap);
    }
  free(s->passes);
  const cl_mem bufs[] = {s->d_pos,      s->d_colour_start, s->d_sell,  s->d_thr,
                         s->d_node_cnt, s->d_edge_cnt,     s->d_reduced, s->d_dummy};
  for (size_t b = 0; b < sizeof bufs / sizeof *bufs; b++) ob_buffer_release(s->dev, bufs[b]);
  const cl_kernel ks[] = {s->k_init, s->k_local, s->k_local_sched, s->k_global, s->k_reduce};
  for (size_t k = 0; k < sizeof ks / sizeof *ks; k++)
    if (ks[k]) clReleaseKernel(ks[k]);
  free_schedule(s);
  free(s->clamped);
  free(s->clamp_nodes);
  free(s->clamp_vals);
  free(s->node_sum);
  free(s->edge_sum);
  free(s->reduced);
  free(s);
}

ob_status ob_ising_sampler_create(ob_device *dev, const ob_ising_model *model, size_t chains,
                                  uint64_t seed, const ob_ising_tuning *tuning,
                                  ob_ising_sampler **out) {
  return ob_ising_sampler_create_range(dev, model, 0, chains, seed, tuning, out);
}

ob_status ob_ising_check_batch(const ob_ising_model *model, size_t chains) {
  if (chains == 0) return ob_fail(OB_ERR_INVALID, "the sampler needs at least one chain");
  if (chains > OB_ISING_MAX_CHAINS)
    return ob_fail(OB_ERR_INVALID, "%zu chains: at most %zu in one batch", chains,
                   OB_ISING_MAX_CHAINS);
  const size_t n = ob_ising_nodes(model);
  if ((uint64_t)chains > OB_ISING_MAX_SPINS / (n ? n : 1))
    return ob_fail(OB_ERR_INVALID, "%zu chains x %zu nodes = %.4g spins, more than the %llu "
                   "(2^38) one batch may hold", chains, n, (double)chains * (double)n,
                   (unsigned long long)OB_ISING_MAX_SPINS);
  return OB_OK;
}

ob_status ob_ising_sampler_create_range(ob_device *dev, const ob_ising_model *model,
                                        size_t first_chain, size_t chains, uint64_t seed,
                                        const ob_ising_tuning *tuning, ob_ising_sampler **out) {
  *out = NULL;
  const ob_ising_tuning none = {0};
  if (!tuning) tuning = &none;
  if (chains == 0) return ob_fail(OB_ERR_INVALID, "the sampler needs at least one chain");
  if (first_chain % OB_ISING_SHARD_ALIGN)
    return ob_fail(OB_ERR_INVALID, "first chain %zu is not a multiple of %d", first_chain,
                   OB_ISING_SHARD_ALIGN);
  OB_TRY(ob_ising_check_batch(model, first_chain + chains));
  OB_TRY(ob_device_open(dev));
  ob_ising_sampler *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->dev = dev;
  s->model = model;
  s->n = ob_ising_nodes(model);
  s->m = ob_ising_edges(model);
  s->chains = chains;
  s->first_chain = first_chain;
  s->seed = seed;
  s->clamped = calloc(s->n, 1);
  s->node_sum = calloc(s->n + 1, sizeof *s->node_sum);
  s->edge_sum = calloc(s->m + 1, sizeof *s->edge_sum);
  ob_status st = s->clamped && s->node_sum && s->edge_sum ? OB_OK
                                                          : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) st = choose_update(s, tuning);
  if (st == OB_OK) st = build_schedule(s);
  if (st == OB_OK) st = choose_layout(s, tuning);
  if (st == OB_OK) s->word_base = first_chain / s->cfg.spin_bits;
  if (st == OB_OK) st = choose_schedule(s);
  if (st == OB_OK) st = choose_passes(s, tuning);
  if (st == OB_OK) st = build_kernels(s);
  if (st == OB_OK) s->cfg.wg_size = choose_wg(s, tuning);
  if (st == OB_OK) st = settle_resident(s, tuning->resident);
  if (st == OB_OK) st = upload_schedule(s);
  if (st == OB_OK) st = alloc_passes(s);
  if (st == OB_OK) st = ob_ising_sampler_reset(s);
  if (st != OB_OK) {
    ob_ising_sampler_destroy(s);
    return st;
  }
  *out = s;
  return OB_OK;
}

void ob_ising_sampler_config(const ob_ising_sampler *s, ob_ising_config *out) { *out = s->cfg; }
size_t ob_ising_sampler_chains(const ob_ising_sampler *s) { return s->chains; }
uint64_t ob_ising_sampler_sweep(const ob_ising_sampler *s) { return s->sweep; }

/* ------------------------------------------------------------------ state */

/* Writes the clamped nodes' rows of one pass. */
static ob_status write_clamp(ob_ising_sampler *s, const pass *ps) {
  if (!s->nclamp) return OB_OK;
  const size_t wb = word_bytes(s), G = s->cfg.spin_bits;
  unsigned char *row = calloc(ps->nwords, wb);
  if (!row) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_OK;
  for (size_t j = 0; j < s->nclamp && st == OB_OK; j++) {
    memset(row, 0, ps->nwords * wb);
    for (size_t w = 0; w < ps->nwords; w++) {
      uint32_t x = 0;
      for (size_t b = 0; b < G; b++) {
        const size_t c = (ps->word0 + w) * G + b;
        if (c < s->chains && s->clamp_vals[c * s->nclamp + j] < 0)
          x |= 1u << bit_of_chain((unsigned)G, b);
      }
      if (wb == 1) row[w] = (unsigned char)x;
      else if (wb == 2) memcpy(row + 2 * w, &(uint16_t){(uint16_t)x}, 2);
      else memcpy(row + 4 * w, &x, 4);
    }
    st = ob_buffer_write(s->dev, ps->state, s->clamp_nodes[j] * ps->nwords * wb, ps->nwords * wb,
                         row);
  }
  free(row);
  return st;
}

ob_status ob_ising_sampler_reset(ob_ising_sampler *s) {
  const cl_uint k0 = (cl_uint)s->seed, k1 = (cl_uint)(s->seed >> 32), nn = (cl_uint)s->n;
  for (size_t p = 0; p < s->cfg.passes; p++) {
    pass *ps = &s->passes[p];
    const cl_uint stride = (cl_uint)ps->nwords, w0 = (cl_uint)(s->word_base + ps->word0);
    const ob_kernel_arg args[] = {OB_KARG(ps->state), OB_KARG(nn), OB_KARG(stride),
                                  OB_KARG(stride),    OB_KARG(w0), OB_KARG(k0),
                                  OB_KARG(k1)};
    OB_TRY(ob_kernel_set_args(s->k_init, 0, args, sizeof args / sizeof *args));
    const size_t local = ob_device_wg_size(s->dev, s->k_init, 64);
    const size_t global = round_up(s->n * ps->nwords, local);
    OB_TRY(ob_enqueue_kernel(s->dev, s->k_init, 1, &global, &local, NULL));
    OB_TRY(ob_device_finish(s->dev));
    OB_TRY(write_clamp(s, ps));
  }
  s->sweep = 0;
  s->have_snapshot = false;
  ob_ising_sampler_clear_moments(s);
  return OB_OK;
}

void ob_ising_sampler_clear_moments(ob_ising_sampler *s) {
  memset(s->node_sum, 0, s->n * sizeof *s->node_sum);
  memset(s->edge_sum, 0, s->m * sizeof *s->edge_sum);
  s->observed = 0;
}

ob_status ob_ising_sampler_clamp(ob_ising_sampler *s, const uint32_t *nodes, size_t k,
                                 const int8_t *values) {
  for (size_t j = 0; j < k; j++)
    if (nodes[j] >= s->n)
      return ob_fail(OB_ERR_INVALID, "clamp: node %u out of range (%zu nodes)", nodes[j], s->n);
  for (size_t v = 0; v < k * s->chains; v++)
    if (values[v] != 1 && values[v] != -1)
      return ob_fail(OB_ERR_INVALID, "clamp: value %d is not +1 or -1", values[v]);
  uint8_t *mark = calloc(s->n, 1);
  if (!mark) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t j = 0; j < k; j++) {
    if (mark[nodes[j]]) {
      free(mark);
      return ob_fail(OB_ERR_INVALID, "clamp: node %u listed twice", nodes[j]);
    }
    mark[nodes[j]] = 1;
  }
  uint32_t *cn = malloc((k + 1) * sizeof *cn);
  int8_t *cv = malloc(k * s->chains + 1);
  if (!cn || !cv) {
    free(mark);
    free(cn);
    free(cv);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  free(s->clamped);
  s->clamped = mark;
  if (k) {
    memcpy(cn, nodes, k * sizeof *cn);
    memcpy(cv, values, k * s->chains);
  }
  free(s->clamp_nodes);
  free(s->clamp_vals);
  s->clamp_nodes = cn;
  s->clamp_vals = cv;
  s->nclamp = k;
  OB_TRY(build_schedule(s));
  OB_TRY(settle_resident(s, OB_ISING_RESIDENT_AUTO));
  OB_TRY(upload_schedule(s));
  ob_buffer_release(s->dev, s->d_node_cnt);
  ob_buffer_release(s->dev, s->d_edge_cnt);
  ob_buffer_release(s->dev, s->d_reduced);
  s->d_node_cnt = s->d_edge_cnt = s->d_reduced = NULL;
  free(s->reduced);
  s->reduced = NULL;
  return ob_ising_sampler_reset(s);
}

ob_status ob_ising_sampler_update_weights(ob_ising_sampler *s) {
  OB_TRY(fill_weights(s));
  OB_TRY(ob_buffer_write(s->dev, s->d_pos, 0, 4 * s->npos * sizeof(cl_uint), s->pos));
  if (s->thr) OB_TRY(ob_buffer_write(s->dev, s->d_thr, 0, s->nthr * sizeof(cl_uint), s->thr));
  return ob_buffer_write(s->dev, s->d_sell, 0, 2 * s->nsell * sizeof(cl_uint), s->sell);
}

/* ------------------------------------------------------------------ running */

/* Tail word of a pass (pass-local index) and its mask of real chains. */
static void tail_of(const ob_ising_sampler *s, const pass *ps, cl_uint *word, cl_uint *mask) {
  const size_t G = s->cfg.spin_bits, rem = s->chains % G;
  *word = 0xffffffffu;
  *mask = 0xffffffffu;
  if (rem && ps->word0 + ps->nwords == s->words) {
    *word = (cl_uint)(ps->nwords - 1);
    *mask = 0;
    for (size_t o = 0; o < rem; o++) *mask |= 1u << bit_of_chain((unsigned)G, o);
  }
}

/* Sweeps per launch: unbounded without a watchdog, else bounded work per launch. */
static size_t sweeps_per_launch(const ob_ising_sampler *s, const pass *ps) {
  if (ob_device_props_get(s->dev)->exec_timeout != 1) return SIZE_MAX;
  const double flips = (double)s->n * (double)ps->nwords * s->cfg.spin_bits;
  const double k = floor(WATCHDOG_FLIPS_PER_LAUNCH / (flips > 1 ? flips : 1));
  return k < 1 ? 1 : (size_t)k;
}

/* Local path: the pass's sweeps [sweep0, sweep0 + nsweeps) from `in` into the pass state. */
static ob_status run_local(ob_ising_sampler *s, const pass *ps, cl_mem in, uint64_t sweep0,
                           size_t nsweeps, bool observe, double *seconds) {
  const ob_ising_config *c = &s->cfg;
  cl_uint ncol = (cl_uint)s->ncolours, nn = (cl_uint)s->n, stride = (cl_uint)ps->nwords;
  cl_uint nelem = stride, w0 = (cl_uint)(s->word_base + ps->word0), wshift = 0;
  while ((1u << wshift) < c->wg_words) wshift++;
  cl_uint k0 = (cl_uint)s->seed, k1 = (cl_uint)(s->seed >> 32);
  cl_uint ns1 = 1, ns2 = (cl_uint)s->npos, es1 = 1, es2 = (cl_uint)s->nsell, tw, tm;
  tail_of(s, ps, &tw, &tm);
  cl_mem ncnt = observe ? s->d_node_cnt : s->d_dummy, ecnt = observe ? s->d_edge_cnt : s->d_dummy;
  const size_t chunk = sweeps_per_launch(s, ps);
  const size_t groups = (ps->nwords + c->wg_words - 1) / c->wg_words;
  const size_t global = groups * c->wg_size, local = c->wg_size;
  const bool sched = c->schedule == OB_ISING_PATH_LOCAL;
  const cl_kernel k = sched ? s->k_local_sched : s->k_local;
  const cl_uint nsell = (cl_uint)s->nsell;
  for (size_t done = 0; done < nsweeps;) {
    cl_uint first = (cl_uint)(sweep0 + done);
    cl_uint count = (cl_uint)(nsweeps - done < chunk ? nsweeps - done : chunk);
    cl_uint obs_from = observe ? first : 0xffffffffu;
    cl_mem src = done ? ps->state : in;
    const ob_kernel_arg args[] = {
        OB_KARG(s->d_pos), OB_KARG(s->d_colour_start), OB_KARG(ncol),  OB_KARG(s->d_sell),
        OB_KARG(src),      OB_KARG(ps->state),         OB_KARG(nn),    OB_KARG(stride),
        OB_KARG(nelem),    OB_KARG(w0),                OB_KARG(wshift), OB_KARG(k0),
        OB_KARG(k1),       OB_KARG(first),             OB_KARG(count), OB_KARG(obs_from),
        OB_KARG(ncnt),     OB_KARG(ns1),               OB_KARG(ns2),   OB_KARG(ecnt),
        OB_KARG(es1),      OB_KARG(es2),               OB_KARG(tw),    OB_KARG(tm),
        OB_KARG(s->d_thr), OB_KARG(nsell)};
    const size_t nargs = sizeof args / sizeof *args - (sched ? 0 : 1); /* nsell: sched only */
    OB_TRY(ob_kernel_set_args(k, 0, args, nargs));
    const ob_kernel_arg scratch = {c->local_bytes, NULL}; /* __local */
    OB_TRY(ob_kernel_set_args(k, (cl_uint)nargs, &scratch, 1));
    cl_event ev = NULL;
    OB_TRY(ob_enqueue_kernel(s->dev, k, 1, &global, &local, &ev));
    ob_status st = OB_CL(clWaitForEvents(1, &ev));
    double t = 0.0;
    if (st == OB_OK) st = ob_event_seconds(ev, &t);
    clReleaseEvent(ev);
    OB_TRY(st);
    *seconds += t;
    done += count;
  }
  return OB_OK;
}

/* Global path: one launch per colour per sweep on the pass state. */
static ob_status run_global(ob_ising_sampler *s, const pass *ps, uint64_t sweep0, size_t nsweeps,
                            bool observe) {
  cl_uint stride = (cl_uint)ps->nwords, nelem = stride, w0 = (cl_uint)(s->word_base + ps->word0);
  cl_uint k0 = (cl_uint)s->seed, k1 = (cl_uint)(s->seed >> 32), obs = observe ? 1u : 0u;
  cl_uint ns1 = stride, ns2 = 1, es1 = stride, es2 = 1, tw, tm;
  tail_of(s, ps, &tw, &tm);
  cl_mem ncnt = observe ? s->d_node_cnt : s->d_dummy, ecnt = observe ? s->d_edge_cnt : s->d_dummy;
  /* Arguments 6, 7 (the colour's positions) and 10 (the sweep) are set per launch below. */
  const ob_kernel_arg head[] = {OB_KARG(s->d_pos), OB_KARG(s->d_sell), OB_KARG(ps->state),
                                OB_KARG(stride),   OB_KARG(nelem),     OB_KARG(w0)},
                      key[] = {OB_KARG(k0), OB_KARG(k1)},
                      tail[] = {OB_KARG(obs), OB_KARG(ncnt), OB_KARG(ns1), OB_KARG(ns2),
                                OB_KARG(ecnt), OB_KARG(es1), OB_KARG(es2), OB_KARG(tw),
                                OB_KARG(tm), OB_KARG(s->d_thr)};
  OB_TRY(ob_kernel_set_args(s->k_global, 0, head, 6));
  OB_TRY(ob_kernel_set_args(s->k_global, 8, key, 2));
  OB_TRY(ob_kernel_set_args(s->k_global, 11, tail, 10));
  const size_t local = s->cfg.wg_size;
  for (size_t sw = 0; sw < nsweeps; sw++) {
    cl_uint sweep = (cl_uint)(sweep0 + sw);
    OB_TRY(ob_kernel_set_args(s->k_global, 10, &OB_KARG(sweep), 1));
    for (size_t col = 0; col < s->ncolours; col++) {
      cl_uint p0 = s->colour_start[col], count = s->colour_start[col + 1] - p0;
      if (!count) continue;
      const ob_kernel_arg range[] = {OB_KARG(p0), OB_KARG(count)};
      OB_TRY(ob_kernel_set_args(s->k_global, 6, range, 2));
      const size_t global = round_up((size_t)count * ps->nwords, local);
      OB_TRY(ob_enqueue_kernel(s->dev, s->k_global, 1, &global, &local, NULL));
    }
  }
  return OB_OK;
}

/* Sums one pass's counters over its words into the moment totals. */
static ob_status collect(ob_ising_sampler *s, const pass *ps) {
  const bool local = s->cfg.path == OB_ISING_PATH_LOCAL;
  const cl_uint nelem = (cl_uint)ps->nwords;
  for (int which = 0; which < 2; which++) {
    const cl_uint rows = (cl_uint)(which == 0 ? s->npos : s->nsell);
    if (!rows) continue;
    cl_mem cnt = which == 0 ? s->d_node_cnt : s->d_edge_cnt;
    const cl_uint s1 = local ? 1 : nelem, s2 = local ? rows : 1;
    const ob_kernel_arg args[] = {OB_KARG(cnt), OB_KARG(rows), OB_KARG(nelem),
                                  OB_KARG(s1),  OB_KARG(s2),   OB_KARG(s->d_reduced)};
    OB_TRY(ob_kernel_set_args(s->k_reduce, 0, args, 6));
    const size_t lsz = ob_device_wg_size(s->dev, s->k_reduce, 64);
    const size_t global = round_up(rows, lsz);
    OB_TRY(ob_enqueue_kernel(s->dev, s->k_reduce, 1, &global, &lsz, NULL));
    OB_TRY(ob_buffer_read(s->dev, s->d_reduced, 0, rows * sizeof(cl_long), s->reduced));
    if (which == 0)
      for (size_t p = 0; p < s->npos; p++) s->node_sum[s->pos[4 * p]] += s->reduced[p];
    else
      for (size_t k = 0; k < s->nsell; k++)
        if (s->sell_edge[k] >= 0) s->edge_sum[s->sell_edge[k]] += s->reduced[k];
  }
  return OB_OK;
}

static ob_status zero_counters(ob_ising_sampler *s) {
  const cl_int zero = 0;
  const size_t wpp = s->cfg.words_per_pass;
  OB_TRY(ob_buffer_fill(s->dev, s->d_node_cnt, &zero, sizeof zero, (s->npos ? s->npos : 1) * wpp * 4));
  return ob_buffer_fill(s->dev, s->d_edge_cnt, &zero, sizeof zero,
                        (s->nsell ? s->nsell : 1) * wpp * 4);
}

/* Runs every pass; from_snapshot: start from the snapshot state and sweep index. */
static ob_status run_passes(ob_ising_sampler *s, size_t nsweeps, bool observe, bool from_snapshot,
                            double *seconds) {
  if (s->sweep + nsweeps > UINT32_MAX)
    return ob_fail(OB_ERR_INVALID, "sweep index would pass 2^32");
  if (observe) OB_TRY(alloc_counters(s));
  const uint64_t sweep0 = from_snapshot ? s->snap_sweep : s->sweep;
  double total = 0.0;
  for (size_t p = 0; p < s->cfg.passes; p++) {
    pass *ps = &s->passes[p];
    if (observe) OB_TRY(zero_counters(s));
    if (s->cfg.path == OB_ISING_PATH_LOCAL) {
      OB_TRY(run_local(s, ps, from_snapshot ? ps->snap : ps->state, sweep0, nsweeps, observe,
                       &total));
    } else {
      if (from_snapshot) {
        OB_TRY(OB_CL(clEnqueueCopyBuffer(ob_device_queue(s->dev), ps->snap, ps->state, 0, 0,
                                         s->n * ps->nwords * word_bytes(s), 0, NULL, NULL)));
      }
      OB_TRY(ob_device_finish(s->dev));
      const double t0 = ob_now();
      OB_TRY(run_global(s, ps, sweep0, nsweeps, observe));
      OB_TRY(ob_device_finish(s->dev));
      total += ob_now() - t0;
    }
    if (observe) OB_TRY(collect(s, ps));
  }
  s->sweep = sweep0 + nsweeps;
  if (observe) s->observed += nsweeps;
  if (seconds) *seconds = total;
  return OB_OK;
}

ob_status ob_ising_sampler_run(ob_ising_sampler *s, size_t nsweeps, bool observe,
                               double *seconds) {
  return ob_stream_record(ob_device_stream(s->dev),
                          run_passes(s, nsweeps, observe, false, seconds));
}

static ob_status snapshot(ob_ising_sampler *s) {
  for (size_t p = 0; p < s->cfg.passes; p++) {
    pass *ps = &s->passes[p];
    const size_t bytes = s->n * ps->nwords * word_bytes(s);
    if (!ps->snap) OB_TRY(ob_buffer_create(s->dev, CL_MEM_READ_WRITE, bytes, NULL, &ps->snap));
    OB_TRY(OB_CL(clEnqueueCopyBuffer(ob_device_queue(s->dev), ps->state, ps->snap, 0, 0, bytes, 0,
                                     NULL, NULL)));
  }
  OB_TRY(ob_device_finish(s->dev));
  s->snap_sweep = s->sweep;
  s->have_snapshot = true;
  return OB_OK;
}

ob_status ob_ising_sampler_snapshot(ob_ising_sampler *s) {
  return ob_stream_record(ob_device_stream(s->dev), snapshot(s));
}

ob_status ob_ising_sampler_rerun(ob_ising_sampler *s, size_t nsweeps, double *seconds) {
  const ob_status st = s->have_snapshot ? run_passes(s, nsweeps, false, true, seconds)
                                        : ob_fail(OB_ERR_INVALID, "rerun without a snapshot");
  return ob_stream_record(ob_device_stream(s->dev), st);
}

/* ------------------------------------------------------------------ results */

ob_status ob_ising_sampler_moment_sums(const ob_ising_sampler *s, int64_t *node, int64_t *edge,
                                      uint64_t *samples) {
  size_t *col = calloc(s->n + 1, sizeof *col); /* per node: its clamp column + 1, 0: free */
  if (!col) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t j = 0; j < s->nclamp; j++) col[s->clamp_nodes[j]] = j + 1;
  const uint32_t *ed = ob_ising_edge_list(s->model);
  /* Clamped nodes are not counted on the device: their sums follow from the clamp values. */
  for (size_t i = 0; node && i < s->n; i++) {
    int64_t sum = s->node_sum[i];
    if (col[i]) {
      sum = 0;
      for (size_t c = 0; c < s->chains; c++) sum += s->clamp_vals[c * s->nclamp + col[i] - 1];
      sum *= (int64_t)s->observed;
    }
    node[i] = sum;
  }
  for (size_t k = 0; edge && k < s->m; k++) {
    const uint32_t i = ed[2 * k], j = ed[2 * k + 1];
    int64_t sum = s->edge_sum[k];
    if (col[i] && col[j]) {
      sum = 0;
      for (size_t c = 0; c < s->chains; c++)
        sum += s->clamp_vals[c * s->nclamp + col[i] - 1] * s->clamp_vals[c * s->nclamp + col[j] - 1];
      sum *= (int64_t)s->observed;
    }
    edge[k] = sum;
  }
  *samples = (uint64_t)s->chains * s->observed;
  free(col);
  return OB_OK;
}

ob_status ob_ising_moments_from_sums(const ob_ising_model *model, const int64_t *node,
                                     const int64_t *edge, uint64_t samples,
                                     ob_ising_moments *out) {
  const size_t n = ob_ising_nodes(model), m = ob_ising_edges(model);
  const double scale = samples > 0 ? 1.0 / (double)samples : 0.0;
  const double *h = ob_ising_h_const(model), *J = ob_ising_J_const(model);
  double energy = 0.0, mag = 0.0;
  for (size_t i = 0; i < n; i++) {
    const double v = (double)node[i] * scale;
    energy -= h[i] * v;
    mag += v / (double)n;
    if (out->node) out->node[i] = v;
  }
  for (size_t k = 0; k < m; k++) {
    const double e = (double)edge[k] * scale;
    energy -= J[k] * e;
    if (out->edge) out->edge[k] = e;
  }
  out->energy = energy;
  out->magnetisation = mag;
  out->samples = samples;
  return OB_OK;
}

ob_status ob_ising_moments_of(const ob_ising_model *model, ob_ising_sums_fn sums,
                              const void *source, ob_ising_moments *out) {
  const size_t n = ob_ising_nodes(model), m = ob_ising_edges(model);
  int64_t *node = malloc((n + 1) * sizeof *node), *edge = malloc((m + 1) * sizeof *edge);
  uint64_t samples = 0;
  ob_status st = node && edge ? sums(source, node, edge, &samples)
                              : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) st = ob_ising_moments_from_sums(model, node, edge, samples, out);
  free(node);
  free(edge);
  return st;
}

static ob_status sampler_sums(const void *source, int64_t *node, int64_t *edge,
                              uint64_t *samples) {
  return ob_ising_sampler_moment_sums(source, node, edge, samples);
}

ob_status ob_ising_sampler_moments(const ob_ising_sampler *s, ob_ising_moments *out) {
  return ob_ising_moments_of(s->model, sampler_sums, s, out);
}

/* Reads the words [w0, w0 + nw) of every node of a pass: an n x nw block of the state. */
static ob_status read_columns(ob_ising_sampler *s, const pass *ps, size_t w0, size_t nw,
                              unsigned char *buf) {
  const size_t wb = word_bytes(s);
  const size_t origin[3] = {w0 * wb, 0, 0}, host[3] = {0, 0, 0}, region[3] = {nw * wb, s->n, 1};
  return OB_CL(clEnqueueReadBufferRect(ob_device_queue(s->dev), ps->state, CL_TRUE, origin, host,
                                       region, ps->nwords * wb, 0, nw * wb, 0, buf, 0, NULL,
                                       NULL));
}

ob_status ob_ising_sampler_samples(ob_ising_sampler *s, size_t chain0, size_t count,
                                   int8_t *out) {
  if (chain0 > s->chains || count > s->chains - chain0)
    return ob_fail(OB_ERR_INVALID, "samples: chains [%zu, %zu) out of range (%zu chains)", chain0,
                   chain0 + count, s->chains);
  const size_t G = s->cfg.spin_bits, wb = word_bytes(s);
  for (size_t p = 0; p < s->cfg.passes && count; p++) {
    const pass *ps = &s->passes[p];
    const size_t c_lo = ps->word0 * G, c_hi = (ps->word0 + ps->nwords) * G;
    if (chain0 + count <= c_lo || chain0 >= c_hi) continue;
    const size_t first = chain0 > c_lo ? chain0 : c_lo;
    const size_t end = chain0 + count < c_hi ? chain0 + count : c_hi;
    const size_t w0 = first / G - ps->word0, nw = (end - 1) / G - ps->word0 - w0 + 1;
    unsigned char *buf = malloc(s->n * nw * wb);
    if (!buf) return ob_fail(OB_ERR_NOMEM, "out of memory");
    ob_status st = read_columns(s, ps, w0, nw, buf);
    for (size_t c = first; st == OB_OK && c < end; c++) {
      const size_t w = c / G - ps->word0 - w0, b = bit_of_chain((unsigned)G, c % G);
      for (size_t i = 0; i < s->n; i++) {
        uint32_t x = 0;
        memcpy(&x, buf + (i * nw + w) * wb, wb); /* little-endian hosts and devices */
        out[(c - chain0) * s->n + i] = (int8_t)((x >> b) & 1 ? -1 : 1);
      }
    }
    free(buf);
    OB_TRY(st);
  }
  return OB_OK;
}
