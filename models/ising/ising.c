/* The Ising workload ("ising"): block Gibbs sampling throughput in flips/ns on grid:20x20 and
 * pegasus:14 (thrml's benchmark sizes, 100 sweeps), and +-1 couplings on the multispin update
 * (pegasus:14 at a large batch, a 1024x1024 torus), every row verified twice: once per device
 * by comparing sampled moments with exact enumeration (device_check), once per case by
 * comparing the final states of sampled chains bit for bit with the host loop. Each case runs
 * the configuration the autotuner picks (cached per device, driver, graph and batch; see
 * ising_tune.h). */
#include "ising.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ising_batch.h"
#include "ising_exact.h"
#include "ising_hostref.h"
#include "ising_sampler.h"

#define BENCH_SWEEPS 100
#define BENCH_SEED 20240611u
#define CHECK_TOLERANCE 0.02
#define VERIFY_CHAINS 4 /* at each end of the batch */

typedef struct bench_size {
  const char *graph;
  double nodes;       /* for the cost of a case before its graph is built */
  size_t chains;
  bool quick;
  bool pm1;           /* +-1 couplings on the multispin update (else gaussian, tuned) */
  const char *series; /* the sizes a case's time is predicted from (ob_case_init); NULL: its
                         graph's */
} bench_size;

#define GRID 400
#define PEG 4264
#define TORUS (1024.0 * 1024.0)
/* The periodic lattices: the small one predicts the large one's time, so a device that would
 * take longer than the budget (a CPU: minutes) skips it unmeasured. */
#define LATTICES "grid:periodic"
static const bench_size sizes[] = {
    {"grid:20x20", GRID, 8, true, false, NULL},
    {"grid:20x20", GRID, 16, true, false, NULL},
    {"grid:20x20", GRID, 32, true, false, NULL},
    {"grid:20x20", GRID, 64, true, false, NULL},
    {"grid:20x20", GRID, 128, true, false, NULL},
    {"grid:20x20", GRID, 1024, false, false, NULL},
    {"grid:20x20", GRID, 8192, false, false, NULL},
    {"pegasus:14", PEG, 8, true, false, NULL},
    {"pegasus:14", PEG, 80, true, false, NULL},
    {"pegasus:14", PEG, 800, false, false, NULL},
    {"pegasus:14", PEG, 8000, false, false, NULL},
    {"pegasus:14", PEG, 64000, false, false, NULL},
    {"pegasus:14", PEG, 320000, false, false, NULL},
    {"pegasus:14", PEG, 320000, false, true, NULL},
    {"grid:128x128:periodic", 128 * 128, 256, false, true, LATTICES},
    {"grid:1024x1024:periodic", TORUS, 1024, false, true, LATTICES},
};

static double graph_nodes(const char *graph) {
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    if (strcmp(sizes[i].graph, graph) == 0) return sizes[i].nodes;
  return 1.0;
}

/* Relative time of a case, to predict it from the previous size: the spin updates of whole
 * words (a CPU runs 32 chains per word, a GPU down to one for small batches) spread over at
 * most one work-group per compute unit. */
static double case_cost(const ob_device *dev, const bench_size *sz) {
  const double word = ob_device_is_cpu(dev) ? 32 : 1;
  const double words = ceil((double)sz->chains / word);
  const double cus = (double)ob_device_props_get(dev)->compute_units;
  return (double)BENCH_SWEEPS * graph_nodes(sz->graph) * words * word / fmin(words, cus);
}

size_t ob_ising_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                           size_t max) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes && n < max; i++) {
    if (opts->quick && !sizes[i].quick) continue;
    ob_case *c = &cases[n++];
    const double flips = (double)BENCH_SWEEPS * graph_nodes(sizes[i].graph) * sizes[i].chains;
    ob_case_init(c, &sizes[i], "gibbs", "fp32", sizes[i].series ? sizes[i].series : sizes[i].graph,
                 case_cost(dev, &sizes[i]));
    snprintf(c->size, sizeof c->size, "%s", sizes[i].graph);
    snprintf(c->detail, sizeof c->detail, "chains=%zu", sizes[i].chains);
    c->chains = sizes[i].chains;
    ob_case_param(c, "graph", "%s", sizes[i].graph);
    ob_case_param(c, "chains", "%zu", sizes[i].chains);
    ob_case_param(c, "sweeps", "%d", BENCH_SWEEPS);
    ob_case_param(c, "weights", "%s", sizes[i].pm1 ? "pm1" : "gauss");
    if (sizes[i].pm1) ob_case_param(c, "update", "multispin");
    ob_case_param(c, "beta", "1");
    ob_metric *m =
        ob_case_metric(c, "flips_per_ns", "flips/ns", OB_METRIC_RATE, flips, 1e9, OB_PEAK_NONE);
    m->limit_per_peak = OB_ISING_FLIPS_PER_FLOP;
    ob_metric_per_joule(m, "flips_per_j", "flips/J", 1.0);
  }
  return n;
}

typedef struct bench {
  ob_ising_model *model;
  ob_ising_batch batch;   /* one device, or a --shard group */
  size_t chains;
  double *device_seconds; /* per shard, of the last repetition */
} bench;

void ob_ising_teardown(void *state) {
  bench *b = state;
  ob_ising_batch_clear(&b->batch);
  ob_ising_model_destroy(b->model);
  free(b->device_seconds);
}

/* The notes of a case: one device's configuration, or a group's split; how the tunings came:
 * "search" when any was searched now, "cache" when all were cached, else how the others came
 * ("default" with tuning off, "env" when forced). */
static void note_batch(ob_case *c, const ob_ising_batch *batch) {
  const char *how = "cache";
  for (size_t i = 0; i < batch->n; i++) {
    const ob_tune_source src = batch->tuned[i] ? batch->sources[i] : OB_TUNE_CACHED;
    if (src == OB_TUNE_SEARCHED) how = "search";
    else if (src != OB_TUNE_CACHED && strcmp(how, "search") != 0) how = ob_tune_source_name(src);
  }
  if (batch->n == 1) {
    ob_ising_config cfg;
    ob_ising_sampler_config(ob_ising_shards_sampler(batch->set, 0), &cfg);
    if (cfg.update == OB_ISING_UPDATE_MULTISPIN) ob_case_note(c, "update", "multispin");
    if (cfg.sign != OB_ISING_SIGN_XOR) ob_case_note(c, "sign", "%s", ob_ising_sign_name(cfg.sign));
    if (cfg.philox == OB_ISING_PHILOX_LANES) ob_case_note(c, "philox", "lanes");
    if (cfg.decision == OB_ISING_DECISION_SCREEN) ob_case_note(c, "decision", "screen");
    if (cfg.exp2 == OB_ISING_EXP2_PTX) ob_case_note(c, "exp2", "ptx");
    if (cfg.regs) ob_case_note(c, "regs", "%u", cfg.regs);
    ob_case_note(c, "path", "%s", ob_ising_path_name(cfg.path));
    ob_case_note(c, "spin_bits", "%u", cfg.spin_bits);
    ob_case_note(c, "wg", "%zu", cfg.wg_size);
    if (cfg.path == OB_ISING_PATH_LOCAL) {
      if (cfg.wg_words > 1) ob_case_note(c, "wg_words", "%zu", cfg.wg_words);
      ob_case_note(c, "schedule", "%s", ob_ising_path_name(cfg.schedule));
      if (cfg.resident) ob_case_note(c, "resident", "on");
    }
    if (cfg.passes > 1) ob_case_note(c, "passes", "%zu", cfg.passes);
  } else {
    char split[128] = "";
    for (size_t i = 0; i < batch->n; i++)
      snprintf(split + strlen(split), sizeof split - strlen(split), "%s%zu", i ? "+" : "",
               batch->shares[i]);
    ob_case_note(c, "devices", "%zu", batch->n);
    ob_case_note(c, "split", "%s", split);
  }
  ob_case_note(c, "tuned", "%s", how);
}

ob_status ob_ising_setup_group(void *state, ob_device *const *devs, size_t n, ob_case *c) {
  bench *b = state;
  const bench_size *sz = c->spec;
  b->chains = sz->chains;
  if (!(b->device_seconds = calloc(n, sizeof *b->device_seconds)))
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  /* +-1 rows run the multispin update, tuned among its configurations */
  const ob_ising_batch_opts opts = {
      .chains = b->chains, .seed = BENCH_SEED, .policy = OB_ISING_TUNE_AUTO,
      .tuning = {.update = sz->pm1 ? OB_ISING_UPDATE_MULTISPIN : OB_ISING_UPDATE_AUTO}};
  OB_TRY(ob_ising_model_from_spec(sz->graph,
                                  sz->pm1 ? OB_ISING_WEIGHTS_PM1 : OB_ISING_WEIGHTS_GAUSS,
                                  BENCH_SEED, 1.0, &b->model));
  OB_TRY(ob_ising_batch_setup(&b->batch, devs, n, b->model, &opts));
  OB_TRY(ob_ising_shards_snapshot(b->batch.set));
  note_batch(c, &b->batch);
  return OB_OK;
}

ob_status ob_ising_setup(void *state, ob_device *dev, ob_case *c) {
  return ob_ising_setup_group(state, &dev, 1, c);
}

/* One device: its kernel time; a group: the wall clock over all devices running at once. */
ob_status ob_ising_run(void *state, double *seconds) {
  bench *b = state;
  double wall = 0.0;
  OB_TRY(ob_ising_shards_rerun(b->batch.set, BENCH_SWEEPS, &wall, b->device_seconds));
  *seconds = ob_ising_shards_count(b->batch.set) == 1 ? b->device_seconds[0] : wall;
  return OB_OK;
}

/* The last repetition's final states of the first and last chains against the host loop. */
ob_status ob_ising_verify(void *state, ob_verdict *out) {
  bench *b = state;
  const size_t n = ob_ising_nodes(b->model);
  const size_t each = b->chains < 2 * VERIFY_CHAINS ? b->chains : VERIFY_CHAINS;
  const size_t starts[2] = {0, b->chains - each};
  const size_t nblocks = b->chains <= each ? 1 : 2;
  int8_t *dev_s = malloc(each * n), *host_s = malloc(each * n);
  ob_ising_hostref *ref = NULL;
  ob_status st = dev_s && host_s ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_ising_config cfg;
  ob_ising_sampler_config(ob_ising_shards_sampler(b->batch.set, 0), &cfg);
  if (st == OB_OK)
    st = ob_ising_hostref_create(b->model, NULL, cfg.update == OB_ISING_UPDATE_MULTISPIN, &ref);
  size_t differ = 0, checked = 0;
  for (size_t k = 0; k < nblocks && st == OB_OK; k++) {
    st = ob_ising_shards_samples(b->batch.set, starts[k], each, dev_s);
    if (st != OB_OK) break;
    ob_ising_hostref_init(ref, BENCH_SEED, starts[k], each, host_s);
    ob_ising_hostref_sweeps(ref, BENCH_SEED, starts[k], each, 0, BENCH_SWEEPS, host_s);
    for (size_t i = 0; i < each * n; i++) differ += dev_s[i] != host_s[i];
    checked += each;
  }
  ob_ising_hostref_destroy(ref);
  free(dev_s);
  free(host_s);
  OB_TRY(st);
  out->checked = true;
  out->ok = differ == 0;
  snprintf(out->note + strlen(out->note), sizeof out->note - strlen(out->note),
           "%sstates of %zu chains %s the host loop (%zu of %zu spins differ)",
           out->note[0] ? "; " : "", checked, differ ? "differ from" : "equal", differ,
           checked * n);
  return OB_OK;
}

/* Moments of a random 10-node model against exact enumeration, with a clamped node. */
ob_status ob_ising_device_check(ob_device *dev, ob_verdict *out) {
  const size_t chains = 4096, warmup = 100, sweeps = 200;
  ob_ising_model *model = NULL;
  OB_TRY(ob_ising_model_from_spec("random:10:3", OB_ISING_WEIGHTS_GAUSS, 3, 1.0, &model));
  const size_t n = ob_ising_nodes(model), m = ob_ising_edges(model);
  double *node = malloc(n * sizeof *node), *edge = malloc(m * sizeof *edge);
  double *xnode = malloc(n * sizeof *xnode), *xedge = malloc(m * sizeof *xedge);
  int8_t *clamp = calloc(n, 1), *values = malloc(chains);
  ob_ising_sampler *s = NULL;
  ob_status st = node && edge && xnode && xedge && clamp && values
                     ? OB_OK
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  double err = 0.0;
  for (int clamped = 0; clamped < 2 && st == OB_OK; clamped++) {
    const uint32_t held = 0;
    clamp[held] = clamped ? 1 : 0;
    for (size_t c = 0; c < chains; c++) values[c] = 1;
    st = ob_ising_sampler_create(dev, model, chains, BENCH_SEED + (uint64_t)clamped, NULL, &s);
    if (st == OB_OK && clamped) st = ob_ising_sampler_clamp(s, &held, 1, values);
    if (st == OB_OK) st = ob_ising_sampler_run(s, warmup, false, NULL);
    if (st == OB_OK) st = ob_ising_sampler_run(s, sweeps, true, NULL);
    ob_ising_moments mo = {.node = node, .edge = edge};
    if (st == OB_OK) st = ob_ising_sampler_moments(s, &mo);
    if (st == OB_OK) st = ob_ising_exact_moments(model, clamp, xnode, xedge, NULL, NULL);
    for (size_t i = 0; st == OB_OK && i < n; i++) err = fmax(err, fabs(node[i] - xnode[i]));
    for (size_t k = 0; st == OB_OK && k < m; k++) err = fmax(err, fabs(edge[k] - xedge[k]));
    ob_ising_sampler_destroy(s);
    s = NULL;
  }
  free(node);
  free(edge);
  free(xnode);
  free(xedge);
  free(clamp);
  free(values);
  ob_ising_model_destroy(model);
  OB_TRY(st);
  out->checked = true;
  out->ok = err < CHECK_TOLERANCE;
  snprintf(out->note, sizeof out->note,
           "moments vs exact enumeration (random:10:3, free and clamped): max error %.4f "
           "(bound %.2f)",
           err, CHECK_TOLERANCE);
  return OB_OK;
}

const ob_workload ob_workload_ising = {
    .name = "ising",
    .description = "Ising block Gibbs sampler, grid:20x20 and pegasus:14, flips/ns",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(bench),
    .list_cases = ob_ising_list_cases,
    .device_check = ob_ising_device_check,
    .setup = ob_ising_setup,
    .setup_group = ob_ising_setup_group,
    .run = ob_ising_run,
    .verify = ob_ising_verify,
    .teardown = ob_ising_teardown,
};
