/* The sampler against exact enumeration (thrml's criteria): state distributions, moments,
 * the KL gradient and training; the workload's device check and per-case verification.
 * Fixed seeds; the bounds hold with several standard errors to spare. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ising/ising.h"
#include "ising/ising_exact.h"
#include "ising/ising_sampler.h"
#include "ising/ising_train.h"

#define BOUND 0.02

typedef struct dist_check {
  double state_err;   /* max |emp - exact| / max(exact) over states */
  double moment_err;  /* max |emp - exact| over node and edge moments */
} dist_check;

/* Samples `reads` snapshots `thin` sweeps apart from `chains` chains after `warmup` sweeps,
 * with the clamp (node index per chain all set to clamp_value when clamp_node >= 0), and
 * compares the state histogram and the observed moments with exact enumeration. t: the
 * sampler's tuning (NULL: its own). */
static dist_check sample_vs_exact_tuned(const ob_ising_model *m, size_t chains, size_t warmup,
                                        size_t reads, size_t thin, int clamp_node,
                                        int8_t clamp_value, uint64_t seed,
                                        const ob_ising_tuning *t) {
  const size_t n = ob_ising_nodes(m), e = ob_ising_edges(m), states = (size_t)1 << n;
  ob_ising_sampler *s = NULL;
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, seed, t, &s));
  int8_t *clamp = calloc(n, 1);
  if (clamp_node >= 0) {
    int8_t *vals = malloc(chains);
    memset(vals, clamp_value, chains);
    const uint32_t node = (uint32_t)clamp_node;
    OB_ASSERT_OK(ob_ising_sampler_clamp(s, &node, 1, vals));
    clamp[clamp_node] = clamp_value;
    free(vals);
  }
  double *hist = calloc(states, sizeof *hist), *exact = malloc(states * sizeof *exact);
  int8_t *x = malloc(chains * n);
  OB_ASSERT_OK(ob_ising_sampler_run(s, warmup, false, NULL));
  for (size_t r = 0; r < reads; r++) {
    OB_ASSERT_OK(ob_ising_sampler_run(s, thin, true, NULL));
    OB_ASSERT_OK(ob_ising_sampler_samples(s, 0, chains, x));
    for (size_t c = 0; c < chains; c++) {
      size_t idx = 0;
      for (size_t i = 0; i < n; i++) idx |= (size_t)(x[c * n + i] > 0) << i;
      hist[idx] += 1.0 / (double)(chains * reads);
    }
  }
  double *node = malloc(n * sizeof *node), *edge = malloc(e * sizeof *edge);
  double *xnode = malloc(n * sizeof *xnode), *xedge = malloc(e * sizeof *xedge);
  ob_ising_moments mo = {.node = node, .edge = edge};
  OB_ASSERT_OK(ob_ising_sampler_moments(s, &mo));
  OB_ASSERT_OK(ob_ising_exact_moments(m, clamp, xnode, xedge, exact, NULL));
  dist_check d = {0, 0};
  double pmax = 0, dmax = 0;
  for (size_t k = 0; k < states; k++) {
    pmax = fmax(pmax, exact[k]);
    dmax = fmax(dmax, fabs(hist[k] - exact[k]));
  }
  d.state_err = dmax / pmax;
  for (size_t i = 0; i < n; i++) d.moment_err = fmax(d.moment_err, fabs(node[i] - xnode[i]));
  for (size_t k = 0; k < e; k++) d.moment_err = fmax(d.moment_err, fabs(edge[k] - xedge[k]));
  print_message("state error %.4f, moment error %.4f (bound %.2f)\n", d.state_err, d.moment_err,
                BOUND);
  free(hist);
  free(exact);
  free(x);
  free(node);
  free(edge);
  free(xnode);
  free(xedge);
  free(clamp);
  ob_ising_sampler_destroy(s);
  return d;
}

static dist_check sample_vs_exact(const ob_ising_model *m, size_t chains, size_t warmup,
                                  size_t reads, size_t thin, int clamp_node, int8_t clamp_value,
                                  uint64_t seed) {
  return sample_vs_exact_tuned(m, chains, warmup, reads, thin, clamp_node, clamp_value, seed,
                               NULL);
}

static const ob_ising_tuning multispin = {.update = OB_ISING_UPDATE_MULTISPIN};

/* The multispin update against exact enumeration: a +-1 random graph, and +-0.6 couplings with
 * gaussian biases (every node its own thresholds), free and with a clamped node. */
static void multispin_against_exact_enumeration(void **state) {
  (void)state;
  ob_ising_model *pm = NULL, *g = NULL, *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("random:10:3", OB_ISING_WEIGHTS_PM1, 4, 0.7, &pm));
  dist_check d = sample_vs_exact_tuned(pm, 16384, 100, 48, 4, -1, 0, 303, &multispin);
  assert_true(d.state_err < BOUND);
  assert_true(d.moment_err < BOUND);
  OB_ASSERT_OK(ob_ising_model_from_spec("random:10:4", OB_ISING_WEIGHTS_GAUSS, 5, 1.0, &g));
  const size_t n = ob_ising_nodes(g), e = ob_ising_edges(g);
  double J[20];
  assert_true(e <= 20);
  for (size_t k = 0; k < e; k++) J[k] = ob_ising_J_const(g)[k] < 0 ? -0.6 : 0.6;
  OB_ASSERT_OK(ob_ising_model_from_edges(n, e, ob_ising_edge_list(g), J, ob_ising_h_const(g),
                                         1.0, &m));
  d = sample_vs_exact_tuned(m, 16384, 100, 48, 4, 3, -1, 404, &multispin);
  assert_true(d.state_err < BOUND);
  assert_true(d.moment_err < BOUND);
  ob_ising_model_destroy(pm);
  ob_ising_model_destroy(g);
  ob_ising_model_destroy(m);
}

/* On a +-1 torus too large to enumerate, the multispin and float updates' moments agree. */
static void multispin_moments_agree_with_float(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:6x6:periodic", OB_ISING_WEIGHTS_PM1, 8, 0.4, &m));
  const size_t n = ob_ising_nodes(m), e = ob_ising_edges(m), chains = 8192;
  double *mo[2][2];
  for (int u = 0; u < 2; u++) {
    const ob_ising_tuning t = {.update = u ? OB_ISING_UPDATE_MULTISPIN : OB_ISING_UPDATE_FLOAT};
    ob_ising_sampler *s = NULL;
    OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, 505 + (uint64_t)u, &t, &s));
    OB_ASSERT_OK(ob_ising_sampler_run(s, 50, false, NULL));
    OB_ASSERT_OK(ob_ising_sampler_run(s, 100, true, NULL));
    mo[u][0] = malloc(n * sizeof(double));
    mo[u][1] = malloc(e * sizeof(double));
    ob_ising_moments out = {.node = mo[u][0], .edge = mo[u][1]};
    OB_ASSERT_OK(ob_ising_sampler_moments(s, &out));
    ob_ising_sampler_destroy(s);
  }
  double err = 0.0;
  for (size_t i = 0; i < n; i++) err = fmax(err, fabs(mo[0][0][i] - mo[1][0][i]));
  for (size_t k = 0; k < e; k++) err = fmax(err, fabs(mo[0][1][k] - mo[1][1][k]));
  print_message("multispin vs float: moment difference %.4f (bound %.2f)\n", err, BOUND);
  assert_true(err < BOUND);
  for (int u = 0; u < 2; u++) {
    free(mo[u][0]);
    free(mo[u][1]);
  }
  ob_ising_model_destroy(m);
}

static void chain_of_five_with_a_clamped_node(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x5", OB_ISING_WEIGHTS_GAUSS, 21, 1.0, &m));
  const dist_check d = sample_vs_exact(m, 8192, 50, 32, 4, 2, 1, 101);
  assert_true(d.state_err < BOUND);
  assert_true(d.moment_err < BOUND);
  ob_ising_model_destroy(m);
}

static void random_graph_of_ten(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("random:10:3", OB_ISING_WEIGHTS_GAUSS, 4, 1.0, &m));
  const dist_check d = sample_vs_exact(m, 16384, 100, 48, 4, -1, 0, 202);
  assert_true(d.state_err < BOUND);
  assert_true(d.moment_err < BOUND);
  ob_ising_model_destroy(m);
}

/* 4-node chain, nodes 0 and 3 visible, 1 and 2 hidden. */
static ob_ising_model *small_chain(void) {
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x4", OB_ISING_WEIGHTS_GAUSS, 33, 1.0, &m));
  return m;
}

static const uint32_t visible[] = {0, 3};
static const int8_t data[] = {1, 1, 1, 1, -1, -1, 1, -1, 1, 1, -1, -1, 1, 1, -1, 1};
#define ROWS 8

static void kl_gradient_matches_exact(void **state) {
  (void)state;
  ob_ising_model *m = small_chain();
  double gh[4], gj[3], xh[4], xj[3];
  OB_ASSERT_OK(ob_ising_exact_kl_grad(m, visible, 2, data, ROWS, xh, xj, NULL));
  const ob_ising_kl_opts o = {.chains_per_row = 1024, .free_chains = 8192, .warmup = 50,
                              .sweeps = 200, .seed = 77};
  OB_ASSERT_OK(ob_ising_kl_grad(ob_test_device(), m, visible, 2, data, ROWS, &o, gh, gj));
  double emax = 0, xmax = 0;
  for (size_t i = 0; i < 4; i++) {
    emax = fmax(emax, fabs(gh[i] - xh[i]));
    xmax = fmax(xmax, fabs(xh[i]));
  }
  for (size_t k = 0; k < 3; k++) {
    emax = fmax(emax, fabs(gj[k] - xj[k]));
    xmax = fmax(xmax, fabs(xj[k]));
  }
  print_message("KL gradient: max error %.4f, max |exact| %.4f, relative %.4f (bound 0.05)\n",
                emax, xmax, emax / xmax);
  assert_true(xmax > 0.1);
  assert_true(emax / xmax < 0.05);
  ob_ising_model_destroy(m);
}

static void training_lowers_the_exact_nll(void **state) {
  (void)state;
  ob_ising_model *m = small_chain();
  double gh[4], gj[3], before, after;
  OB_ASSERT_OK(ob_ising_exact_kl_grad(m, visible, 2, data, ROWS, gh, gj, &before));
  const ob_ising_kl_opts o = {.chains_per_row = 256, .free_chains = 2048, .warmup = 10,
                              .sweeps = 50, .seed = 9};
  ob_ising_trainer *t = NULL;
  OB_ASSERT_OK(ob_ising_trainer_create(ob_test_device(), m, visible, 2, data, ROWS, &o, &t));
  double norm0 = 0, norm = 0;
  for (int ep = 0; ep < 30; ep++) OB_ASSERT_OK(ob_ising_trainer_step(t, 0.2, ep ? &norm : &norm0));
  ob_ising_trainer_destroy(t);
  OB_ASSERT_OK(ob_ising_exact_kl_grad(m, visible, 2, data, ROWS, gh, gj, &after));
  print_message("NLL %.4f -> %.4f, gradient norm %.4f -> %.4f\n", before, after, norm0, norm);
  assert_true(after < before - 0.05);
  assert_true(norm < norm0);
  ob_ising_model_destroy(m);
}

static void workload_check_and_verification(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_verdict v = {0};
  OB_ASSERT_OK(ob_ising_device_check(dev, &v));
  assert_true(v.checked && v.ok);
  ob_run_opts quick = {.quick = true, .seconds = 0.1};
  ob_case cases[32];
  const size_t n = ob_ising_list_cases(dev, &quick, cases, 32);
  assert_true(n >= 6);
  assert_non_null(strstr(cases[0].params, "graph=grid:20x20;chains=8;sweeps=100"));
  assert_string_equal(cases[0].metrics[0].name, "flips_per_ns");
  assert_string_equal(cases[0].metrics[0].unit, "flips/ns");
  void *st = calloc(1, ob_workload_ising.state_size);
  assert_non_null(st);
  OB_ASSERT_OK(ob_ising_setup(st, dev, &cases[1]));
  assert_non_null(strstr(cases[1].note, "path="));
  assert_null(strstr(cases[1].params, "path="));
  double t1 = 0, t2 = 0;
  OB_ASSERT_OK(ob_ising_run(st, &t1));
  OB_ASSERT_OK(ob_ising_run(st, &t2));
  assert_true(t1 > 0 && t2 > 0);
  ob_verdict cv = v;
  OB_ASSERT_OK(ob_ising_verify(st, &cv));
  assert_true(cv.checked && cv.ok);
  assert_non_null(strstr(cv.note, "equal the host loop"));
  ob_ising_teardown(st);
  free(st);
  ob_run_opts full = {.quick = false, .seconds = 1};
  const size_t nfull = ob_ising_list_cases(dev, &full, cases, 32);
  assert_true(nfull > n);
  assert_non_null(strstr(cases[nfull - 4].params, "graph=pegasus:14;chains=320000"));
  assert_non_null(strstr(cases[nfull - 3].params, "graph=pegasus:14;chains=320000"));
  assert_non_null(strstr(cases[nfull - 3].params, "weights=pm1;update=multispin"));
  /* the small lattice predicts the large one's time (one series) */
  assert_non_null(strstr(cases[nfull - 2].params, "graph=grid:128x128:periodic"));
  assert_non_null(strstr(cases[nfull - 1].params, "graph=grid:1024x1024:periodic"));
  assert_string_equal(cases[nfull - 2].series, cases[nfull - 1].series);
}

typedef struct moments_file {
  size_t rows, nodes, edges;
  double node[4], edge[3];
  bool header_ok, scalars;
} moments_file;

static ob_status on_moment(void *user, size_t line, char **f, size_t n) {
  moments_file *x = user;
  if (n != 4) return ob_fail(OB_ERR_INVALID, "line %zu: %zu fields", line, n);
  double v = 0;
  if (line == 1) {
    x->header_ok = !strcmp(f[0], "kind") && !strcmp(f[1], "i") && !strcmp(f[2], "j") &&
                   !strcmp(f[3], "value");
    return OB_OK;
  }
  if (!ob_parse_double(f[3], &v)) return ob_fail(OB_ERR_INVALID, "line %zu: value", line);
  if (!strcmp(f[0], "node") && x->nodes < 4 && !f[2][0]) x->node[x->nodes++] = v;
  else if (!strcmp(f[0], "edge") && x->edges < 3) x->edge[x->edges++] = v;
  else x->scalars = x->scalars || !strcmp(f[0], "energy") || !strcmp(f[0], "magnetisation");
  x->rows++;
  return OB_OK;
}

static ob_status count_rows(void *user, size_t line, char **f, size_t n) {
  (void)line;
  (void)f;
  size_t *rows = user;
  if (n != 5) return ob_fail(OB_ERR_INVALID, "%zu fields", n);
  (*rows)++;
  return OB_OK;
}

/* oclbench ising end to end: moments and samples files, training, the host loop. */
static void cli_sampling_training_and_outputs(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char args[8192], err[4096], mpath[4200], spath[4200], dpath[4200];
  snprintf(mpath, sizeof mpath, "%s/m.csv", dir);
  snprintf(spath, sizeof spath, "%s/s.csv", dir);
  snprintf(dpath, sizeof dpath, "%s/d.csv", dir);
  snprintf(args, sizeof args, "ising --graph grid:1x4 --seed 3 --chains 2000 --warmup 20 "
           "--sweeps 200 --moments %s --samples %s", mpath, spath);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  moments_file mf = {0};
  OB_ASSERT_OK(ob_csv_read(mpath, on_moment, &mf));
  assert_true(mf.header_ok && mf.scalars);
  assert_int_equal(mf.nodes, 4);
  assert_int_equal(mf.edges, 3);
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x4", OB_ISING_WEIGHTS_GAUSS, 3, 1.0, &m));
  double node[4], edge[3];
  OB_ASSERT_OK(ob_ising_exact_moments(m, NULL, node, edge, NULL, NULL));
  for (int i = 0; i < 4; i++) assert_true(fabs(mf.node[i] - node[i]) < BOUND);
  for (int k = 0; k < 3; k++) assert_true(fabs(mf.edge[k] - edge[k]) < BOUND);
  ob_ising_model_destroy(m);
  size_t rows = 0;
  OB_ASSERT_OK(ob_csv_read(spath, count_rows, &rows));
  assert_int_equal(rows, 2001);
  FILE *f = fopen(dpath, "w");
  assert_non_null(f);
  fputs("0,3\n1,1\n-1,-1\n1,-1\n", f);
  fclose(f);
  snprintf(args, sizeof args, "ising --graph grid:1x4 --train %s --epochs 3 --lr 0.1 "
           "--chains 512 --sweeps 50", dpath);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  assert_int_equal(ob_test_cli("ising --graph grid:4x4 --chains 16 --sweeps 5 --host-loop", err,
                               sizeof err),
                   0);
  /* a device-side failure (the local path cannot hold 1024 words of 900 nodes) is exit 1 */
  remove(mpath);
  snprintf(args, sizeof args, "ising --graph grid:30x30 --path local --spin-bits 32 "
           "--wg-words 1024 --sweeps 1 --moments %s", mpath);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 1);
  assert_non_null(strstr(err, "local memory"));
  assert_null(fopen(mpath, "r"));
}

/* ising --train --save-model: the two files read back (edges:FILE, --biases) as the model the
 * same training gives in this process, exactly; no graph line before a device error. */
static void cli_saved_model_reads_back(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char dpath[4200], prefix[4200], args[9000], err[2048], spec[4300], bpath[4300];
  snprintf(dpath, sizeof dpath, "%s/d.csv", dir);
  snprintf(prefix, sizeof prefix, "%s/model", dir);
  FILE *f = fopen(dpath, "w");
  assert_non_null(f);
  fputs("0,3\n1,1\n-1,-1\n1,-1\n", f);
  fclose(f);
  snprintf(args, sizeof args, "ising --graph grid:1x4 --seed 5 --train %s --epochs 2 --lr 0.2 "
           "--chains 64 --sweeps 20 --save-model %s %s", dpath, prefix, ob_test_device_args());
  int rc = 0;
  char *out = ob_test_cli_stdout(args, &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(out, "saved the trained model"));
  free(out);
  /* The same training here (clamped chains: 64 over 3 rows, 22 each). */
  ob_ising_model *want = NULL, *got = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x4", OB_ISING_WEIGHTS_GAUSS, 5, 1.0, &want));
  uint32_t *vis = NULL;
  int8_t *rows_data = NULL;
  size_t nvis = 0, rows = 0;
  OB_ASSERT_OK(ob_ising_data_load(dpath, 4, &vis, &nvis, &rows_data, &rows));
  const ob_ising_kl_opts o = {.chains_per_row = 22, .free_chains = 64, .sweeps = 20, .seed = 5};
  ob_ising_trainer *t = NULL;
  OB_ASSERT_OK(ob_ising_trainer_create(ob_test_device(), want, vis, nvis, rows_data, rows, &o, &t));
  for (int ep = 0; ep < 2; ep++) OB_ASSERT_OK(ob_ising_trainer_step(t, 0.2, NULL));
  ob_ising_trainer_destroy(t);
  snprintf(spec, sizeof spec, "edges:%s.edges.csv", prefix);
  snprintf(bpath, sizeof bpath, "%s.biases.csv", prefix);
  OB_ASSERT_OK(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 0, 1.0, &got));
  OB_ASSERT_OK(ob_ising_model_load_biases(got, bpath));
  assert_int_equal(ob_ising_nodes(got), 4);
  assert_int_equal(ob_ising_edges(got), 3);
  assert_memory_equal(ob_ising_edge_list(got), ob_ising_edge_list(want), 6 * sizeof(uint32_t));
  assert_memory_equal(ob_ising_J(got), ob_ising_J(want), 3 * sizeof(double));
  assert_memory_equal(ob_ising_h(got), ob_ising_h(want), 4 * sizeof(double));
  /* Training moved the weights away from the seed's. */
  ob_ising_model *start = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x4", OB_ISING_WEIGHTS_GAUSS, 5, 1.0, &start));
  assert_true(ob_ising_J(start)[0] != ob_ising_J(got)[0]);
  ob_ising_model_destroy(start);
  ob_ising_model_destroy(want);
  ob_ising_model_destroy(got);
  free(vis);
  free(rows_data);
  /* Errors before output: a device that is not there prints no graph line. */
  out = ob_test_cli_stdout("ising --graph grid:2x2 --device no-such-device", &rc);
  assert_int_equal(rc, 2);
  assert_string_equal(out, "");
  free(out);
  snprintf(args, sizeof args, "ising --save-model %s", prefix);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "--save-model need --train"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(chain_of_five_with_a_clamped_node),
      cmocka_unit_test(random_graph_of_ten),
      cmocka_unit_test(multispin_against_exact_enumeration),
      cmocka_unit_test(multispin_moments_agree_with_float),
      cmocka_unit_test(kl_gradient_matches_exact),
      cmocka_unit_test(training_lowers_the_exact_nll),
      cmocka_unit_test(workload_check_and_verification),
      cmocka_unit_test(cli_sampling_training_and_outputs),
      cmocka_unit_test(cli_saved_model_reads_back),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
