/* Ising models on the host: generators against networkx/dwave_networkx references, colouring,
 * edge/bias/data files and their errors, weights, exact enumeration, CLI input validation. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ising/ising_exact.h"
#include "ising/ising_graph.h"
#include "ising/ising_train.h"

static const char *source_dir(void) {
  const char *d = getenv("OB_SOURCE_DIR");
  return d && *d ? d : ".";
}

static ob_ising_model *make(const char *spec) {
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 1, 1.0, &m));
  return m;
}

static uint64_t edge_hash(const ob_ising_model *m) {
  uint64_t h = OB_HASH_INIT;
  const uint32_t *e = ob_ising_edge_list(m);
  for (size_t k = 0; k < ob_ising_edges(m); k++) {
    char b[32];
    int n = snprintf(b, sizeof b, "%u,%u\n", e[2 * k], e[2 * k + 1]);
    h = ob_hash(h, b, (size_t)n);
  }
  return h;
}

static void assert_proper_colouring(const ob_ising_model *m) {
  const uint32_t *c = ob_ising_colour(m), *e = ob_ising_edge_list(m);
  for (size_t k = 0; k < ob_ising_edges(m); k++) assert_int_not_equal(c[e[2 * k]], c[e[2 * k + 1]]);
  for (size_t i = 0; i < ob_ising_nodes(m); i++) assert_true(c[i] < ob_ising_ncolours(m));
}

/* CSR rows ascending, symmetric, and consistent with the edge list. */
static void assert_csr(const ob_ising_model *m) {
  const uint32_t *rp = ob_ising_row_ptr(m), *col = ob_ising_col(m), *ce = ob_ising_col_edge(m);
  const uint32_t *e = ob_ising_edge_list(m);
  assert_int_equal(rp[ob_ising_nodes(m)], 2 * ob_ising_edges(m));
  for (size_t i = 0; i < ob_ising_nodes(m); i++)
    for (uint32_t x = rp[i]; x < rp[i + 1]; x++) {
      if (x > rp[i]) assert_true(col[x] > col[x - 1]);
      const uint32_t a = e[2 * ce[x]], b = e[2 * ce[x] + 1];
      assert_true((a == i && b == col[x]) || (b == i && a == col[x]));
    }
}

static void generators_match_networkx_and_dwave(void **state) {
  (void)state;
  char path[4200];
  snprintf(path, sizeof path, "%s/tests/data/ising_graphs_ref.txt", source_dir());
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char spec[64];
  size_t n, m, deg, lines = 0;
  unsigned long long hash;
  while (fscanf(f, "%63s %zu %zu %zu %llx", spec, &n, &m, &deg, &hash) == 5) {
    ob_ising_model *g = make(spec);
    if (ob_ising_nodes(g) != n || ob_ising_edges(g) != m || ob_ising_max_degree(g) != deg ||
        edge_hash(g) != hash)
      fail_msg("%s: got %zu nodes, %zu edges, degree %zu, hash %016llx; want %zu %zu %zu %016llx",
               spec, ob_ising_nodes(g), ob_ising_edges(g), ob_ising_max_degree(g),
               (unsigned long long)edge_hash(g), n, m, deg, hash);
    assert_proper_colouring(g);
    assert_csr(g);
    ob_ising_model_destroy(g);
    lines++;
  }
  fclose(f);
  assert_true(lines >= 15);
}

static void colours_of_the_benchmark_graphs(void **state) {
  (void)state;
  const struct { const char *spec; size_t colours; } want[] = {
      {"pegasus:14", 4}, {"grid:20x20", 2}, {"grid3:8x8x8", 2}, {"chimera:16", 2}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    ob_ising_model *g = make(want[i].spec);
    assert_int_equal(ob_ising_ncolours(g), want[i].colours);
    ob_ising_model_destroy(g);
  }
  ob_ising_model *p = make("pegasus:14");
  assert_int_equal(ob_ising_nodes(p), 4264);
  assert_int_equal(ob_ising_edges(p), 30404);
  assert_int_equal(ob_ising_max_degree(p), 15);
  ob_ising_model_destroy(p);
}

static void random_regular_graphs(void **state) {
  (void)state;
  ob_ising_model *a = NULL, *b = NULL, *c = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("random:1000:5", OB_ISING_WEIGHTS_GAUSS, 7, 1, &a));
  OB_ASSERT_OK(ob_ising_model_from_spec("random:1000:5", OB_ISING_WEIGHTS_GAUSS, 7, 1, &b));
  OB_ASSERT_OK(ob_ising_model_from_spec("random:1000:5", OB_ISING_WEIGHTS_GAUSS, 8, 1, &c));
  assert_int_equal(ob_ising_edges(a), 2500);
  const uint32_t *rp = ob_ising_row_ptr(a);
  for (size_t i = 0; i < 1000; i++) assert_int_equal(rp[i + 1] - rp[i], 5);
  assert_csr(a);
  assert_proper_colouring(a);
  assert_true(edge_hash(a) == edge_hash(b));
  assert_true(edge_hash(a) != edge_hash(c));
  assert_memory_equal(ob_ising_J(a), ob_ising_J(b), 2500 * sizeof(double));
  ob_ising_model_destroy(a);
  ob_ising_model_destroy(b);
  ob_ising_model_destroy(c);
}

static void weights_gauss_and_pm1(void **state) {
  (void)state;
  ob_ising_model *g = make("grid:100x100");
  double sum = 0, sq = 0;
  const size_t m = ob_ising_edges(g);
  for (size_t k = 0; k < m; k++) {
    sum += ob_ising_J(g)[k];
    sq += ob_ising_J(g)[k] * ob_ising_J(g)[k];
  }
  assert_true(fabs(sum / m) < 0.03 && fabs(sq / m - 1.0) < 0.05);
  ob_ising_model_destroy(g);
  ob_ising_model *p = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("chimera:4", OB_ISING_WEIGHTS_PM1, 3, 0.5, &p));
  size_t plus = 0;
  for (size_t k = 0; k < ob_ising_edges(p); k++) {
    assert_true(fabs(ob_ising_J(p)[k]) == 1.0);
    plus += ob_ising_J(p)[k] > 0;
  }
  for (size_t i = 0; i < ob_ising_nodes(p); i++) assert_true(ob_ising_h(p)[i] == 0.0);
  assert_true(plus > ob_ising_edges(p) / 4 && plus < 3 * ob_ising_edges(p) / 4);
  assert_true(ob_ising_beta(p) == 0.5);
  ob_ising_model_destroy(p);
}

static void bad_specs(void **state) {
  (void)state;
  const char *bad[] = {"grid:0x3", "grid:3", "grid:3x", "grid:axb", "grid3:2x2", "chimera:0",
                       "pegasus:1", "pegasus:x", "random:5:3", "random:10:0", "random:10:10",
                       "torus:3", "", "edges:", "grid:99999x99999"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ob_ising_model *m = NULL;
    assert_int_equal(ob_ising_model_from_spec(bad[i], OB_ISING_WEIGHTS_GAUSS, 1, 1, &m),
                     OB_ERR_INVALID);
    assert_null(m);
    assert_true(strlen(ob_error_detail()) > 0);
  }
  ob_ising_model *m = NULL;
  assert_int_equal(ob_ising_model_from_spec("grid:2x2", OB_ISING_WEIGHTS_GAUSS, 1, NAN, &m),
                   OB_ERR_INVALID);  /* Sizes the spec declares are checked before anything is generated or allocated, each with
   * a message naming the limit; strict integers (no spaces, signs or overflow). */
  const struct { const char *spec, *want; } big[] = {
      {"grid:8192x8192", "67108864 nodes, more than the 16777216 supported"},
      {"grid3:406x406x406", "66923416 nodes, more than the 16777216 supported"},
      {"grid3:16777216x16777216x16777216", "nodes, more than the 16777216 supported"},
      {"random:16777216:64", "536870912 edges, more than the 33554432 supported"},
      {"random:67108864:64", "expected random:N:D with N in [1, 16777216]"},
      {"grid:99999999999999999999x2", "expected grid:WxH with W, H in [1, 16777216]"},
      {"grid: 5x5", "expected grid:WxH"},
      {"grid:+5x5", "expected grid:WxH"},
      {"grid:5x5 ", "expected grid:WxH"},
      {"chimera:0x10", "expected chimera:M"},
  };
  for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
    ob_ising_model *x = NULL;
    assert_int_equal(ob_ising_model_from_spec(big[i].spec, OB_ISING_WEIGHTS_GAUSS, 1, 1, &x),
                     OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), big[i].want))
      fail_msg("%s: '%s' lacks '%s'", big[i].spec, ob_error_detail(), big[i].want);
  }
}

static const char *write_file(const char *dir, const char *name, const char *text) {
  static char path[4300];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static void edge_files(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char spec[4400];
  snprintf(spec, sizeof spec, "edges:%s",
           write_file(dir, "ok.csv", "i,j,w\n0,1,0.5\n3,1,-1.25\n 2 , 3 , 2e-1 \n"));
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_PM1, 1, 1, &m));
  assert_int_equal(ob_ising_nodes(m), 4);
  assert_int_equal(ob_ising_edges(m), 3);
  const uint32_t want[] = {0, 1, 1, 3, 2, 3};
  assert_memory_equal(ob_ising_edge_list(m), want, sizeof want);
  assert_true(ob_ising_J(m)[0] == 0.5 && ob_ising_J(m)[1] == -1.25 && ob_ising_J(m)[2] == 0.2);
  assert_true(ob_ising_h(m)[0] == 0.0);
  OB_ASSERT_OK(ob_ising_model_load_biases(m, write_file(dir, "h.csv", "i,h\n3,0.5\n0,-2\n")));
  assert_true(ob_ising_h(m)[3] == 0.5 && ob_ising_h(m)[0] == -2 && ob_ising_h(m)[1] == 0);
  const struct { const char *text, *want; } bad_h[] = {
      {"i,h\n4,1\n", "h.csv:2: node id (column i) 4 is out of range"},
      {"i,h\n1,1\n1,2\n", "h.csv:3: duplicate bias for node 1"},
      {"i,x\n1,1\n", "h.csv:1: missing header"},
      {"", "h.csv:1: empty file"},
      {"i,h\n", "h.csv:2: no biases"},
      {"i,h\n1,abc\n", "h.csv:2: bias h 'abc' is not a finite number"},
      {"i,h\n-1,0\n", "h.csv:2: negative node id"},
  };
  for (size_t i = 0; i < sizeof bad_h / sizeof *bad_h; i++) {
    assert_int_equal(ob_ising_model_load_biases(m, write_file(dir, "h.csv", bad_h[i].text)),
                     OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad_h[i].want))
      fail_msg("'%s' lacks '%s'", ob_error_detail(), bad_h[i].want);
  }
  assert_true(ob_ising_h(m)[3] == 0.5); /* a failed load changes nothing */
  ob_ising_model_destroy(m);
  const struct { const char *text, *want; } bad[] = {
      {"i,j,w\n0,1,1\nx,2,1\n", "e.csv:3: node id (column i) 'x' is not a number"},
      {"i,j,w\n0,-1,1\n", "e.csv:2: negative node id (column j)"},
      {"i,j,w\n0,1.5,1\n", "e.csv:2: node id (column j) '1.5' is not an integer"},
      {"i,j,w\n0,99999999999,1\n", "e.csv:2: node id (column j) 99999999999 is out of range"},
      {"i,j,w\n0,1,1\n2,2,1\n", "e.csv:3: self-loop on node 2"},
      {"i,j,w\n0,1,1\n1,2,1\n1,0,3\n", "e.csv:4: duplicate edge (0, 1), first on line 2"},
      {"", "e.csv:1: empty file"},
      {"i,j,w\n", "e.csv:2: no edges"},
      {"0,1,1\n", "e.csv:1: missing header"},
      {"i,j,w\n0,1\n", "e.csv:2: expected 3 fields"},
      {"i,j,w\n0,1,inf\n", "e.csv:2: weight w 'inf' is not a finite number"},
      {"i,j,w\n0,1,\"1\n", "e.csv:2: malformed CSV"},
      {"i,j,w\n0,0x10,1\n", "e.csv:2: node id (column j) '0x10' is not an integer"},
      {"i,j,w\n1e3,0,1\n", "e.csv:2: node id (column i) '1e3' is not an integer"},
      {"i,j,w\n0,2147483000,1\n", "e.csv:2: node id (column j) 2147483000 is out of "
                                   "range: ids run from 0 to 16777215"},
      /* 19 bytes declaring 16.7 million nodes: refused before anything of that size exists */
      {"i,j,w\n0,16777000,1\n", "e.csv:2: node id 16777000: 16777001 nodes for 1 edges; an "
                                 "edges file may have at most 2 x edges + 65536 nodes"},
      {"i,j,w\r0,1,1\r1,2,1\r1,0,3\r", "e.csv:4: duplicate edge (0, 1), first on line 2"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(spec, sizeof spec, "edges:%s", write_file(dir, "e.csv", bad[i].text));
    ob_ising_model *x = NULL;
    assert_int_equal(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 1, 1, &x),
                     OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad[i].want))
      fail_msg("'%s' lacks '%s'", ob_error_detail(), bad[i].want);
  }
  snprintf(spec, sizeof spec, "edges:%s/missing.csv", dir);
  assert_int_equal(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 1, 1, &m), OB_ERR_IO);
}

static void data_files(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  uint32_t *vis = NULL;
  int8_t *data = NULL;
  size_t nvis = 0, rows = 0;
  OB_ASSERT_OK(ob_ising_data_load(write_file(dir, "d.csv", "3,0\n1,-1\n-1,-1\n 1 ,1\n"), 4, &vis,
                                  &nvis, &data, &rows));
  assert_int_equal(nvis, 2);
  assert_int_equal(rows, 3);
  assert_true(vis[0] == 3 && vis[1] == 0);
  const int8_t want[] = {1, -1, -1, -1, 1, 1};
  assert_memory_equal(data, want, sizeof want);
  free(vis);
  free(data);
  const struct { const char *text, *want; } bad[] = {
      {"0,4\n1,1\n", "d.csv:1: visible node 4 out of range"},
      {"0,0\n1,1\n", "d.csv:1: visible node 0 listed twice"},
      {"a,1\n1,1\n", "d.csv:1: header field 1 'a' is not a node id"},
      {"0,1\n1,0\n", "d.csv:2: value '0' is not +1 or -1"},
      {"0,1\n1\n", "d.csv:2: expected 2 values, found 1"},
      {"0,1\n", "d.csv:2: no examples"},
      {"0,1\n1,0x1\n", "d.csv:2: value '0x1' is not +1 or -1"},
      {"0,1e0\n1,1\n", "d.csv:1: header field 2 '1e0' is not a node id"},
      {"0,99999999999999999999\n1,1\n", "d.csv:1: visible node 99999999999999999999 out of range"},
      {"", "d.csv:1: empty file"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(ob_ising_data_load(write_file(dir, "d.csv", bad[i].text), 4, &vis, &nvis,
                                        &data, &rows),
                     OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad[i].want))
      fail_msg("'%s' lacks '%s'", ob_error_detail(), bad[i].want);
  }
}

static void models_from_arrays(void **state) {
  (void)state;
  const uint32_t ij[] = {0, 1, 2, 1};
  const double J[] = {1.0, -0.5}, h[] = {0.1, 0.2, 0.3};
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_edges(3, 2, ij, J, h, 2.0, &m));
  const int8_t s[] = {1, -1, -1};
  /* E = -(0.1 - 0.2 - 0.3) - (1*(1)(-1) + -0.5*(-1)(-1)) = 0.4 + 1.5 */
  assert_true(fabs(ob_ising_energy(m, s) - 1.9) < 1e-12);
  float ht[3], wt[4];
  ob_ising_scale(m, ht, wt);
  assert_true(fabsf(ht[0] - (float)(-2 * 2.0 * M_LOG2E * 0.1)) == 0.0f);
  ob_ising_model *c = NULL;
  OB_ASSERT_OK(ob_ising_model_clone(m, &c));
  ob_ising_J(c)[0] = 9;
  assert_true(ob_ising_J(m)[0] == 1.0);
  ob_ising_model_destroy(c);
  ob_ising_model_destroy(m);
  const uint32_t loop[] = {1, 1}, dup[] = {0, 1, 1, 0}, far[] = {0, 3};
  assert_int_equal(ob_ising_model_from_edges(3, 1, loop, J, NULL, 1, &m), OB_ERR_INVALID);
  assert_int_equal(ob_ising_model_from_edges(3, 2, dup, J, NULL, 1, &m), OB_ERR_INVALID);
  assert_int_equal(ob_ising_model_from_edges(3, 1, far, J, NULL, 1, &m), OB_ERR_INVALID);
  const double bad_J[] = {INFINITY};
  assert_int_equal(ob_ising_model_from_edges(3, 1, ij, bad_J, NULL, 1, &m), OB_ERR_INVALID);
}

/* Two coupled spins: Z = sum exp(beta (h0 s0 + h1 s1 + J s0 s1)) by hand. */
static void exact_enumeration_by_hand(void **state) {
  (void)state;
  const uint32_t ij[] = {0, 1};
  const double J[] = {0.7}, h[] = {0.3, -0.2}, beta = 1.3;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_edges(2, 1, ij, J, h, beta, &m));
  double w[4], z = 0;
  for (int x = 0; x < 4; x++) {
    const double s0 = x & 1 ? 1 : -1, s1 = x & 2 ? 1 : -1;
    w[x] = exp(beta * (h[0] * s0 + h[1] * s1 + J[0] * s0 * s1));
    z += w[x];
  }
  double node[2], edge[1], prob[4];
  ob_ising_exact_summary sum;
  OB_ASSERT_OK(ob_ising_exact_moments(m, NULL, node, edge, prob, &sum));
  for (int x = 0; x < 4; x++) assert_true(fabs(prob[x] - w[x] / z) < 1e-14);
  assert_true(fabs(node[0] - (w[1] + w[3] - w[0] - w[2]) / z) < 1e-14);
  assert_true(fabs(edge[0] - (w[0] + w[3] - w[1] - w[2]) / z) < 1e-14);
  assert_true(fabs(sum.log_z - log(z)) < 1e-12);
  const int8_t clamp[] = {0, -1}; /* s1 = -1: P(s0 = +1) = w[1] / (w[0] + w[1]) */
  OB_ASSERT_OK(ob_ising_exact_moments(m, clamp, node, edge, prob, &sum));
  assert_true(fabs(node[0] - (w[1] - w[0]) / (w[0] + w[1])) < 1e-14);
  assert_true(fabs(node[1] + 1.0) < 1e-14 && prob[2] == 0.0 && prob[3] == 0.0);
  ob_ising_model_destroy(m);
  ob_ising_model *big = make("grid:3x7");
  assert_int_equal(ob_ising_exact_moments(big, NULL, NULL, NULL, NULL, NULL), OB_ERR_INVALID);
  ob_ising_model_destroy(big);
}

/* The exact KL gradient equals a finite difference of the exact negative log-likelihood. */
static void exact_kl_gradient_is_the_nll_derivative(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:1x4", OB_ISING_WEIGHTS_GAUSS, 5, 0.8, &m));
  const uint32_t vis[] = {0, 3};
  const int8_t data[] = {1, 1, -1, 1, 1, 1, -1, -1};
  double gh[4], gj[3], nll0, nll1;
  OB_ASSERT_OK(ob_ising_exact_kl_grad(m, vis, 2, data, 4, gh, gj, &nll0));
  const double eps = 1e-6;
  for (size_t k = 0; k < 3; k++) {
    ob_ising_J(m)[k] += eps;
    double th[4], tj[3];
    OB_ASSERT_OK(ob_ising_exact_kl_grad(m, vis, 2, data, 4, th, tj, &nll1));
    ob_ising_J(m)[k] -= eps;
    assert_true(fabs((nll1 - nll0) / eps - gj[k]) < 1e-4);
  }
  for (size_t i = 0; i < 4; i++) {
    ob_ising_h(m)[i] += eps;
    double th[4], tj[3];
    OB_ASSERT_OK(ob_ising_exact_kl_grad(m, vis, 2, data, 4, th, tj, &nll1));
    ob_ising_h(m)[i] -= eps;
    assert_true(fabs((nll1 - nll0) / eps - gh[i]) < 1e-4);
  }
  ob_ising_model_destroy(m);
}

/* ob_ising_model_write: what edges:FILE and --biases read back, bit for bit. */
static void written_models_read_back_exactly(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char epath[4300], bpath[4300], spec[4400];
  snprintf(epath, sizeof epath, "%s/m.edges.csv", dir);
  snprintf(bpath, sizeof bpath, "%s/m.biases.csv", dir);
  ob_ising_model *m = make("chimera:2"), *back = NULL;
  for (size_t i = 0; i < ob_ising_nodes(m); i++) ob_ising_h(m)[i] = 1.0 / (3.0 + (double)i);
  ob_csv_writer *we = NULL, *wb = NULL;
  OB_ASSERT_OK(ob_csv_writer_create_path(epath, ob_ising_edges_header, 3, &we));
  OB_ASSERT_OK(ob_csv_writer_create_path(bpath, ob_ising_biases_header, 2, &wb));
  OB_ASSERT_OK(ob_ising_model_write(m, we, wb));
  OB_ASSERT_OK(ob_csv_writer_commit(we));
  OB_ASSERT_OK(ob_csv_writer_commit(wb));
  snprintf(spec, sizeof spec, "edges:%s", epath);
  OB_ASSERT_OK(ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 0, 1.0, &back));
  OB_ASSERT_OK(ob_ising_model_load_biases(back, bpath));
  const size_t n = ob_ising_nodes(m), e = ob_ising_edges(m);
  assert_int_equal(ob_ising_nodes(back), n);
  assert_int_equal(ob_ising_edges(back), e);
  assert_memory_equal(ob_ising_edge_list(back), ob_ising_edge_list(m), 2 * e * sizeof(uint32_t));
  assert_memory_equal(ob_ising_J(back), ob_ising_J(m), e * sizeof(double));
  assert_memory_equal(ob_ising_h(back), ob_ising_h(m), n * sizeof(double));
  ob_ising_model_destroy(back);
  ob_ising_model_destroy(m);
  /* A last node without an edge: an edge file cannot hold the graph. */
  const uint32_t ij[] = {0, 1};
  const double J[] = {0.5};
  OB_ASSERT_OK(ob_ising_model_from_edges(3, 1, ij, J, NULL, 1.0, &m));
  assert_false(ob_ising_model_fits_edges_file(m));
  OB_ASSERT_OK(ob_csv_writer_create_path(epath, ob_ising_edges_header, 3, &we));
  OB_ASSERT_OK(ob_csv_writer_create_path(bpath, ob_ising_biases_header, 2, &wb));
  assert_int_equal(ob_ising_model_write(m, we, wb), OB_ERR_INVALID);
  ob_csv_writer_destroy(we);
  ob_csv_writer_destroy(wb);
  ob_ising_model_destroy(m);
}

static void cli_rejects_bad_input_and_writes_nothing(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char edges[4300], args[9000], err[2048], out[4300];
  snprintf(edges, sizeof edges, "%s", write_file(dir, "e.csv", "i,j,w\n0,1,1\n1,1,2\n"));
  snprintf(out, sizeof out, "%s/m.csv", dir);
  snprintf(args, sizeof args, "ising --graph edges:%s --moments %s", edges, out);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "e.csv:3: self-loop on node 1"));
  assert_int_equal(access(out, F_OK), -1);
  const char *bad_args[] = {"ising --graph torus:4", "ising --chains 0", "ising --sweeps x",
                            "ising --weights nope", "ising --lr 0.1", "ising --spin-bits 12",
                            "ising --wg-words 3", "ising --path fast", "ising --seed -1",
                            "ising --graph grid:2x2 --bogus", "ising --host-loop --moments x.csv",
                            "ising --spin-bits 3", "ising --spin-bits 64", "ising --schedule fast",
                            "ising --tune --schedule local",
                            "ising --graph grid:2x2 --path global --schedule local"};
  for (size_t i = 0; i < sizeof bad_args / sizeof *bad_args; i++)
    if (ob_test_cli(bad_args[i], err, sizeof err) != 2) fail_msg("'%s' did not exit 2", bad_args[i]);
  snprintf(args, sizeof args, "ising --graph grid:2x2 --biases %s",
           write_file(dir, "h.csv", "i,h\n7,1\n"));
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  assert_non_null(strstr(err, "h.csv:2: node id (column i) 7 is out of range"));
  snprintf(args, sizeof args, "ising --graph edges:%s --weights pm1 --info",
           write_file(dir, "ok.csv", "i,j,w\n0,1,1\n"));
  assert_int_equal(ob_test_cli(args, err, sizeof err), 2);
  snprintf(args, sizeof args, "ising --graph pegasus:14 --info");
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(generators_match_networkx_and_dwave),
      cmocka_unit_test(colours_of_the_benchmark_graphs),
      cmocka_unit_test(random_regular_graphs),
      cmocka_unit_test(weights_gauss_and_pm1),
      cmocka_unit_test(bad_specs),
      cmocka_unit_test(edge_files),
      cmocka_unit_test(data_files),
      cmocka_unit_test(models_from_arrays),
      cmocka_unit_test(exact_enumeration_by_hand),
      cmocka_unit_test(exact_kl_gradient_is_the_nll_derivative),
      cmocka_unit_test(written_models_read_back_exactly),
      cmocka_unit_test(cli_rejects_bad_input_and_writes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
