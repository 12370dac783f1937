/* The device sampler's determinism: Philox known answers, the decision arithmetic, device
 * states equal to the host loop's bit for bit for every path, word size (1 to 32 chains),
 * work-group size, schedule placement and pass split, with clamping and partial words;
 * snapshots; exact moment counts. */
#include "ising_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ising/ising_graph.h"
#include "ising/ising_hostref.h"
#include "ising/ising_rule.h"
#include "ising/ising_sampler.h"
#include "ising/ising_tune.h"
#include "philox.h"

/* Known-answer vectors of Random123's philox4x32_10 (kat_vectors). */
static void philox_known_answers(void **state) {
  (void)state;
  const struct { uint32_t ctr[4], key[2], out[4]; } kat[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{~0u, ~0u, ~0u, ~0u}, {~0u, ~0u}, {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (size_t i = 0; i < sizeof kat / sizeof *kat; i++) {
    uint32_t out[4];
    ob_philox4x32_10(kat[i].ctr, kat[i].key[0], kat[i].key[1], out);
    assert_memory_equal(out, kat[i].out, sizeof out);
  }
}

static void decision_arithmetic(void **state) {
  (void)state;
  double worst = 0.0;
  for (double t = -125.0; t <= 125.0; t += 0.0137) {
    const double want = exp2((double)(float)t);
    worst = fmax(worst, fabs(ob_ising_exp2((float)t) / want - 1.0));
  }
  assert_true(worst < 4e-7);
  assert_true(ob_ising_exp2(1000.0f) == ob_ising_exp2(125.0f));
  assert_true(ob_ising_exp2(-1000.0f) > 0.0f);
  assert_true(ob_ising_uniform(0) == 0x1p-24f);
  assert_true(ob_ising_uniform(~0u) == 1.0f - 0x1p-24f);
  assert_true(ob_ising_uniform(0x80000000u) == 0.5f + 0x1p-24f);
  /* P(+1) = 1 / (1 + 2^t): t = 0 splits the uniforms at 1/2; extremes saturate. */
  assert_false(ob_ising_minus(0.0f, 0x7fffffffu));
  assert_true(ob_ising_minus(0.0f, 0x80000000u));
  assert_false(ob_ising_minus(-125.0f, ~0u));
  assert_true(ob_ising_minus(125.0f, 0u));
  /* The empirical frequency of +1 over a uniform grid of r is the sigmoid. */
  for (float t = -6.0f; t <= 6.0f; t += 1.5f) {
    size_t plus = 0, n = 1 << 16;
    for (size_t k = 0; k < n; k++) plus += !ob_ising_minus(t, (uint32_t)(k << 16));
    assert_true(fabs((double)plus / n - 1.0 / (1.0 + exp2(t))) < 1e-4);
  }
}

static void states_equal_the_host_loop_for_every_configuration(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("pegasus:2", OB_ISING_WEIGHTS_GAUSS);
  const size_t chains = 150; /* partial last word for every word size from 4 chains */
  const ob_ising_path L = OB_ISING_PATH_LOCAL, G = OB_ISING_PATH_GLOBAL;
  const ob_ising_tuning cfgs[] = {
      {0},
      {.spin_bits = 8, .path = L, .wg_size = 32},
      {.spin_bits = 16, .path = L, .wg_words = 2, .max_pass_chains = 64, .schedule = G},
      {.spin_bits = 32, .path = L, .wg_size = 64, .max_pass_chains = 64, .schedule = L},
      {.spin_bits = 8, .path = G, .wg_size = 16},
      {.spin_bits = 32, .path = G, .max_pass_chains = 100},
      /* words of fewer than 8 chains: Philox outputs shared between words, passes that start
       * inside a counter's quad (37 chains), schedule in local and global memory */
      {.spin_bits = 1, .path = L, .max_pass_chains = 37, .schedule = L},
      {.spin_bits = 2, .path = L, .wg_size = 32, .wg_words = 4, .schedule = G},
      {.spin_bits = 4, .path = L, .wg_words = 2, .max_pass_chains = 56, .schedule = L},
      {.spin_bits = 2, .path = G, .max_pass_chains = 74},
      /* the signs of +-w by multiply-add: the same bits */
      {.spin_bits = 32, .path = L, .wg_size = 64, .sign = OB_ISING_SIGN_MAD},
      {.spin_bits = 8, .path = G, .max_pass_chains = 64, .sign = OB_ISING_SIGN_MAD},
      {.spin_bits = 1, .path = L, .max_pass_chains = 37, .sign = OB_ISING_SIGN_MAD},
      /* ... and by select, for every width of the kernel's vectors (1 to 16 lanes) */
      {.spin_bits = 32, .path = L, .wg_size = 64, .sign = OB_ISING_SIGN_SEL},
      {.spin_bits = 16, .path = G, .max_pass_chains = 64, .sign = OB_ISING_SIGN_SEL},
      {.spin_bits = 8, .path = L, .wg_size = 32, .sign = OB_ISING_SIGN_SEL},
      {.spin_bits = 4, .path = G, .max_pass_chains = 56, .sign = OB_ISING_SIGN_SEL},
      {.spin_bits = 2, .path = L, .wg_size = 32, .wg_words = 4, .sign = OB_ISING_SIGN_SEL},
      {.spin_bits = 1, .path = L, .max_pass_chains = 37, .sign = OB_ISING_SIGN_SEL},
      /* Philox by lanes: the same numbers */
      {.spin_bits = 8, .path = L, .wg_size = 32, .philox = OB_ISING_PHILOX_LANES},
      {.spin_bits = 16, .path = G, .max_pass_chains = 64, .philox = OB_ISING_PHILOX_LANES},
      {.spin_bits = 32, .path = L, .wg_size = 64, .sign = OB_ISING_SIGN_MAD,
       .philox = OB_ISING_PHILOX_LANES},
  };
  ob_test_ising_configurations_agree(m, chains, 13, cfgs, sizeof cfgs / sizeof *cfgs, NULL, 0, NULL);
  ob_ising_model_destroy(m);
}

/* The local path's deal (cl_kernels/ising.cl, dealt_units): pegasus:4's colours of about 66
 * positions take two or three rounds of the work-group, and the round-robin's start moves by
 * whole slices from colour to colour and from work-group to work-group (300 chains: ten
 * work-groups of one 32-chain word), for the float and the multispin updates. */
static void the_local_deal_over_several_rounds_matches_the_host_loop(void **state) {
  (void)state;
  const ob_ising_path L = OB_ISING_PATH_LOCAL;
  ob_ising_model *m = ob_test_ising_model("pegasus:4", OB_ISING_WEIGHTS_GAUSS);
  const ob_ising_tuning floats[] = {
      {.spin_bits = 32, .path = L, .wg_size = 64},
      {.spin_bits = 8, .path = L, .wg_size = 32, .philox = OB_ISING_PHILOX_LANES},
      {.spin_bits = 32, .path = L, .wg_size = 64, .sign = OB_ISING_SIGN_MAD,
       .philox = OB_ISING_PHILOX_LANES},
  };
  ob_test_ising_configurations_agree(m, 300, 7, floats, sizeof floats / sizeof *floats, NULL, 0, NULL);
  ob_ising_model_destroy(m);
  m = ob_test_ising_model("pegasus:4", OB_ISING_WEIGHTS_PM1);
  const ob_ising_tuning pm1[] = {
      {.update = OB_ISING_UPDATE_MULTISPIN, .path = L, .wg_size = 64},
      {.update = OB_ISING_UPDATE_MULTISPIN, .path = L, .wg_size = 128, .wg_words = 2},
  };
  ob_test_ising_configurations_agree(m, 300, 7, pm1, sizeof pm1 / sizeof *pm1, NULL, 0, NULL);
  ob_ising_model_destroy(m);
}

/* The multispin update: states equal its host loop and each other on both paths, with two
 * work-group sizes, both schedule placements, passes, partial words and a clamp; +-w
 * couplings with biases; a model of other couplings, or other words, refused. */
static void multispin_states_for_every_configuration(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("pegasus:2", OB_ISING_WEIGHTS_PM1);
  const size_t n = ob_ising_nodes(m), chains = 150;
  for (size_t i = 0; i < n; i++) ob_ising_h(m)[i] = 0.25 * (double)(i % 5) - 0.5;
  for (size_t k = 0; k < ob_ising_edges(m); k++) ob_ising_J(m)[k] *= 0.8;
  const ob_ising_update M = OB_ISING_UPDATE_MULTISPIN;
  const ob_ising_path L = OB_ISING_PATH_LOCAL, G = OB_ISING_PATH_GLOBAL;
  const ob_ising_tuning cfgs[] = {
      {.update = M, .path = L, .wg_size = 32, .schedule = L},
      {.update = M, .path = L, .wg_size = 64, .wg_words = 2, .max_pass_chains = 64,
       .schedule = G},
      {.update = M, .path = G, .wg_size = 16},
      {.update = M, .path = G, .wg_size = 64, .max_pass_chains = 100},
  };
  const uint32_t held[2] = {3, 17};
  int8_t *vals = malloc(chains * 2);
  for (size_t c = 0; c < chains * 2; c++) vals[c] = (int8_t)(c % 3 ? 1 : -1);
  ob_test_ising_configurations_agree(m, chains, 13, cfgs, sizeof cfgs / sizeof *cfgs, held, 2, vals);
  free(vals);
  ob_ising_sampler *s = NULL;
  const ob_ising_tuning narrow = {.update = M, .spin_bits = 8};
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 64, 1, &narrow, &s),
                   OB_ERR_INVALID);
  ob_ising_model_destroy(m);
  /* 1.2 million decisions in one sweep, each of them in the states compared: about 18 need
   * the 7 low bits of the uniform (its 16-bit prefix equals the threshold's) */
  m = ob_test_ising_model("grid:3x3", OB_ISING_WEIGHTS_PM1);
  for (size_t k = 0; k < 3; k += 2)
    free(ob_test_ising_equals_host(m, (size_t)1 << 17, 1, &cfgs[k], NULL, 0, NULL));
  ob_ising_model_destroy(m);
  /* degree 20: five count planes, the counts regrouped in 8-bit fields (4 bits up to degree 15) */
  m = ob_test_ising_model("random:48:20", OB_ISING_WEIGHTS_PM1);
  for (size_t k = 0; k < 3; k += 2) free(ob_test_ising_equals_host(m, 40, 5, &cfgs[k], NULL, 0, NULL));
  ob_ising_model_destroy(m);
  m = ob_test_ising_model("pegasus:2", OB_ISING_WEIGHTS_GAUSS);
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 64, 1, &cfgs[0], &s),
                   OB_ERR_UNSUPPORTED);
  assert_null(s);
  assert_non_null(strstr(ob_error_detail(), "not all +-w"));
  ob_ising_model_destroy(m);
}

static void clamped_nodes_keep_their_values(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("grid:6x5", OB_ISING_WEIGHTS_PM1);
  const size_t chains = 70;
  const uint32_t nodes[] = {0, 7, 29};
  int8_t vals[70 * 3];
  for (size_t c = 0; c < chains; c++)
    for (size_t j = 0; j < 3; j++) vals[c * 3 + j] = (int8_t)((c + j) % 3 ? 1 : -1);
  const ob_ising_tuning local = {.spin_bits = 16}, global = {.path = OB_ISING_PATH_GLOBAL},
                       small = {.spin_bits = 1, .schedule = OB_ISING_PATH_LOCAL};
  int8_t *a = ob_test_ising_equals_host(m, chains, 20, &local, nodes, 3, vals);
  int8_t *b = ob_test_ising_equals_host(m, chains, 20, &global, nodes, 3, vals);
  int8_t *d = ob_test_ising_equals_host(m, chains, 20, &small, nodes, 3, vals);
  assert_memory_equal(a, b, chains * 30);
  assert_memory_equal(a, d, chains * 30);
  for (size_t c = 0; c < chains; c++)
    for (size_t j = 0; j < 3; j++) assert_int_equal(a[c * 30 + nodes[j]], vals[c * 3 + j]);
  free(a);
  free(b);
  free(d);
  ob_ising_sampler *s = NULL;
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, 1, NULL, &s));
  const uint32_t twice[] = {3, 3}, far[] = {30};
  assert_int_equal(ob_ising_sampler_clamp(s, twice, 2, vals), OB_ERR_INVALID);
  assert_int_equal(ob_ising_sampler_clamp(s, far, 1, vals), OB_ERR_INVALID);
  int8_t zeros[70] = {0};
  assert_int_equal(ob_ising_sampler_clamp(s, nodes, 1, zeros), OB_ERR_INVALID);
  ob_ising_sampler_destroy(s);
  ob_ising_model_destroy(m);
}

/* Moments are exact counts: the same for every configuration; the snapshot reruns exactly. */
static void moments_and_snapshots(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("random:40:4", OB_ISING_WEIGHTS_GAUSS);
  const size_t n = 40, e = ob_ising_edges(m), chains = 77;
  const ob_ising_tuning cfgs[] = {{.spin_bits = 8},
                                  {.spin_bits = 32, .path = OB_ISING_PATH_GLOBAL},
                                  {.spin_bits = 16, .max_pass_chains = 32},
                                  {.spin_bits = 2, .schedule = OB_ISING_PATH_LOCAL},
                                  {.spin_bits = 2, .resident = OB_ISING_RESIDENT_ON}};
  double node[5][40], edge[5][80];
  for (size_t k = 0; k < 5; k++) {
    ob_ising_sampler *s = NULL;
    OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, 5, &cfgs[k], &s));
    OB_ASSERT_OK(ob_ising_sampler_run(s, 10, false, NULL));
    OB_ASSERT_OK(ob_ising_sampler_run(s, 25, true, NULL));
    ob_ising_moments mo = {.node = node[k], .edge = edge[k]};
    OB_ASSERT_OK(ob_ising_sampler_moments(s, &mo));
    assert_int_equal(mo.samples, chains * 25);
    /* <E> and <m> follow from the moments */
    double energy = 0, mag = 0;
    for (size_t i = 0; i < n; i++) {
      energy -= ob_ising_h(m)[i] * node[k][i];
      mag += node[k][i] / n;
    }
    for (size_t j = 0; j < e; j++) energy -= ob_ising_J(m)[j] * edge[k][j];
    assert_true(fabs(mo.energy - energy) < 1e-9 && fabs(mo.magnetisation - mag) < 1e-12);
    /* a snapshot reruns to the same state, without touching the moments */
    int8_t *x = malloc(chains * n), *y = malloc(chains * n);
    OB_ASSERT_OK(ob_ising_sampler_snapshot(s));
    OB_ASSERT_OK(ob_ising_sampler_rerun(s, 7, NULL));
    OB_ASSERT_OK(ob_ising_sampler_samples(s, 0, chains, x));
    OB_ASSERT_OK(ob_ising_sampler_rerun(s, 7, NULL));
    OB_ASSERT_OK(ob_ising_sampler_samples(s, 0, chains, y));
    assert_memory_equal(x, y, chains * n);
    assert_int_equal(ob_ising_sampler_sweep(s), 42);
    OB_ASSERT_OK(ob_ising_sampler_moments(s, &mo));
    assert_int_equal(mo.samples, chains * 25);
    ob_ising_sampler_clear_moments(s);
    OB_ASSERT_OK(ob_ising_sampler_moments(s, &mo));
    assert_int_equal(mo.samples, 0);
    free(x);
    free(y);
    ob_ising_sampler_destroy(s);
  }
  assert_memory_equal(node[0], node[1], sizeof node[0]);
  assert_memory_equal(node[0], node[2], sizeof node[0]);
  assert_memory_equal(node[0], node[3], sizeof node[0]);
  assert_memory_equal(node[0], node[4], sizeof node[0]);
  assert_memory_equal(edge[0], edge[1], e * sizeof(double));
  assert_memory_equal(edge[0], edge[2], e * sizeof(double));
  assert_memory_equal(edge[0], edge[3], e * sizeof(double));
  assert_memory_equal(edge[0], edge[4], e * sizeof(double));
  ob_ising_model_destroy(m);
}

/* Resident units (forced on), byte words: states equal the host loop's for 1, 2 and 4 chains
 * per word, one and two words per work-group (a group's second word beyond the pass: units it
 * does not have), the schedule in local and in global memory, passes, a clamp, degrees 2 to 4
 * (padding slots); where they cannot run, on is refused; auto runs them on GPUs only, off
 * never. */
static void resident_units(void **state) {
  (void)state;
  const ob_ising_path L = OB_ISING_PATH_LOCAL, G = OB_ISING_PATH_GLOBAL;
  const ob_ising_resident ON = OB_ISING_RESIDENT_ON, OFF = OB_ISING_RESIDENT_OFF;
  ob_ising_model *grid = ob_test_ising_model("grid:5x4", OB_ISING_WEIGHTS_GAUSS);
  const size_t chains = 13;
  const ob_ising_tuning cfgs[] = {
      {.spin_bits = 1, .resident = ON, .schedule = L},
      {.spin_bits = 2, .resident = ON, .wg_words = 2, .schedule = G},
      {.spin_bits = 4, .resident = ON, .wg_size = 64, .max_pass_chains = 8, .schedule = L},
      {.spin_bits = 2, .resident = ON, .schedule = L, .sign = OB_ISING_SIGN_MAD},
      {.spin_bits = 4, .resident = ON, .schedule = G, .sign = OB_ISING_SIGN_SEL},
  };
  const uint32_t held[2] = {0, 7};
  int8_t vals[13 * 2];
  for (size_t c = 0; c < chains * 2; c++) vals[c] = (int8_t)(c % 3 ? 1 : -1);
  for (size_t k = 0; k < sizeof cfgs / sizeof *cfgs; k++) {
    ob_ising_sampler *s = NULL;
    ob_ising_config c;
    OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), grid, chains, 1, &cfgs[k], &s));
    ob_ising_sampler_config(s, &c);
    assert_true(c.resident);
    /* the sign form built is the one asked for */
    if (cfgs[k].sign) assert_int_equal(c.sign, cfgs[k].sign);
    ob_ising_sampler_destroy(s);
  }
  ob_test_ising_configurations_agree(grid, chains, 9, cfgs, sizeof cfgs / sizeof *cfgs, NULL, 0, NULL);
  free(ob_test_ising_equals_host(grid, chains, 9, &cfgs[0], held, 2, vals));
  /* refused when forced, done without otherwise */
  ob_ising_model *dense = ob_test_ising_model("random:30:25", OB_ISING_WEIGHTS_GAUSS);
  const ob_ising_tuning global = {.path = G, .resident = ON},
                        narrow = {.spin_bits = 1, .wg_size = 8, .resident = ON},
                        one = {.spin_bits = 1}, off = {.spin_bits = 1, .resident = OFF};
  ob_ising_sampler *s = NULL;
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), grid, 8, 1, &global, &s),
                   OB_ERR_UNSUPPORTED);
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), grid, 8, 1, &narrow, &s),
                   OB_ERR_UNSUPPORTED);
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), dense, 8, 1, &cfgs[0], &s),
                   OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "colours x largest degree"));
  ob_ising_config c;
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), grid, 8, 1, &one, &s));
  ob_ising_sampler_config(s, &c);
  assert_int_equal(c.resident, !ob_device_is_cpu(ob_test_device()));
  ob_ising_sampler_destroy(s);
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), grid, 8, 1, &off, &s));
  ob_ising_sampler_config(s, &c);
  assert_false(c.resident);
  ob_ising_sampler_destroy(s);
  ob_ising_model_destroy(dense);
  ob_ising_model_destroy(grid);
}

/* Resident units without observation: 4-chain words, two per work-group (the last group's
 * second word beyond the pass), 3 colours, the schedule in local memory. Oclgrind's
 * uninitialised-value check runs this one (one sampler: its plugin takes the observation
 * counters' fill, and a buffer reusing a released one's memory, for uninitialised memory). */
static void resident_units_unobserved(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("random:12:3", OB_ISING_WEIGHTS_GAUSS);
  const ob_ising_tuning t = {.spin_bits = 4, .resident = OB_ISING_RESIDENT_ON, .wg_words = 2,
                             .schedule = OB_ISING_PATH_LOCAL};
  free(ob_test_ising_run_equals_host(m, 11, 4, &t, NULL, 0, NULL, false));
  ob_ising_model_destroy(m);
}

/* Resident units on words of 8 and 32 chains (vectors of lanes), 4 colours, degrees 3 to 13. */
static void resident_units_wide_words(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("pegasus:2", OB_ISING_WEIGHTS_GAUSS);
  const ob_ising_tuning cfgs[] = {
      {.spin_bits = 8, .resident = OB_ISING_RESIDENT_ON, .schedule = OB_ISING_PATH_GLOBAL},
      {.spin_bits = 32, .resident = OB_ISING_RESIDENT_ON, .schedule = OB_ISING_PATH_LOCAL},
  };
  ob_test_ising_configurations_agree(m, 40, 7, cfgs, sizeof cfgs / sizeof *cfgs, NULL, 0, NULL);
  ob_ising_model_destroy(m);
}

static void sampler_rejects_what_cannot_work(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("grid:4x4", OB_ISING_WEIGHTS_GAUSS);
  ob_ising_sampler *s = NULL;
  assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 0, 1, NULL, &s), OB_ERR_INVALID);
  const ob_ising_tuning bad[] = {{.spin_bits = 12}, {.spin_bits = 3}, {.spin_bits = 64},
                                 {.wg_words = 3},
                                 {.path = OB_ISING_PATH_GLOBAL, .schedule = OB_ISING_PATH_LOCAL},
                                 {.update = OB_ISING_UPDATE_MULTISPIN, .sign = OB_ISING_SIGN_MAD},
                                 {.update = OB_ISING_UPDATE_MULTISPIN, .sign = OB_ISING_SIGN_SEL},
                                 {.spin_bits = 4, .philox = OB_ISING_PHILOX_LANES},
                                 {.update = OB_ISING_UPDATE_MULTISPIN,
                                  .philox = OB_ISING_PHILOX_LANES}};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
    assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 8, 1, &bad[k], &s),
                     OB_ERR_INVALID);
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, 8, 1, NULL, &s));
  int8_t out[16];
  assert_int_equal(ob_ising_sampler_samples(s, 7, 2, out), OB_ERR_INVALID);
  assert_int_equal(ob_ising_sampler_rerun(s, 1, NULL), OB_ERR_INVALID);
  ob_ising_sampler_destroy(s);
  ob_ising_sampler_destroy(NULL);
  ob_ising_model_destroy(m);
}

/* The schedule goes to local memory only where it fits beside the state: on a GPU by default
 * for a small graph, never for one whose neighbour lists exceed the device's local memory. */
static void schedule_placement(void **state) {
  (void)state;
  const cl_ulong have = ob_device_props_get(ob_test_device())->local_mem;
  ob_ising_model *small = ob_test_ising_model("grid:4x4", OB_ISING_WEIGHTS_GAUSS);
  ob_ising_sampler *s = NULL;
  ob_ising_config c;
  const ob_ising_tuning one = {.spin_bits = 1, .path = OB_ISING_PATH_LOCAL};
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), small, 8, 1, &one, &s));
  ob_ising_sampler_config(s, &c);
  assert_int_equal(c.schedule, ob_device_is_cpu(ob_test_device()) ? OB_ISING_PATH_GLOBAL
                                                                   : OB_ISING_PATH_LOCAL);
  ob_ising_sampler_destroy(s);
  const ob_ising_tuning in_local = {.spin_bits = 1, .schedule = OB_ISING_PATH_LOCAL,
                                    .resident = OB_ISING_RESIDENT_OFF};
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), small, 8, 1, &in_local, &s));
  ob_ising_sampler_config(s, &c);
  assert_int_equal(c.schedule, OB_ISING_PATH_LOCAL);
  /* 16 positions, one slice of 32 SELL slots x depth 4, 2 colours, then 16 one-byte words */
  assert_int_equal(c.local_bytes, 16 * 16 + 8 * 32 * 4 + 4 * 3 + 16);
  ob_ising_sampler_destroy(s);
  const ob_ising_tuning global = {.spin_bits = 1, .schedule = OB_ISING_PATH_GLOBAL,
                                  .resident = OB_ISING_RESIDENT_OFF};
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), small, 8, 1, &global, &s));
  ob_ising_sampler_config(s, &c);
  assert_int_equal(c.path, OB_ISING_PATH_LOCAL);
  assert_int_equal(c.schedule, OB_ISING_PATH_GLOBAL);
  assert_int_equal(c.local_bytes, 16);
  ob_ising_sampler_destroy(s);
  ob_ising_model_destroy(small);
  /* a grid whose state (a byte per node) fits local memory and whose schedule (16 bytes per
   * position, 8 per neighbour slot) does not */
  char spec[64];
  const size_t side = (size_t)sqrt((double)have / 16.0) + 1;
  snprintf(spec, sizeof spec, "grid:%zux%zu", side, side);
  ob_ising_model *big = ob_test_ising_model(spec, OB_ISING_WEIGHTS_PM1);
  if (side * side <= have) {
    OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), big, 1, 1, &one, &s));
    ob_ising_sampler_config(s, &c);
    assert_int_equal(c.path, OB_ISING_PATH_LOCAL);
    assert_int_equal(c.schedule, OB_ISING_PATH_GLOBAL);
    ob_ising_sampler_destroy(s);
    assert_int_equal(ob_ising_sampler_create(ob_test_device(), big, 1, 1, &in_local, &s),
                     OB_ERR_UNSUPPORTED);
  }
  ob_ising_model_destroy(big);
}

/* The autotuner picks a configuration that runs, and the second time reads it from its cache;
 * tuning off leaves the choices to the sampler, a forced tuning is taken as given. */
static void autotune_picks_and_caches(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("grid:5x3", OB_ISING_WEIGHTS_GAUSS);
  ob_ising_tuning first = {0}, again = {0};
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  ob_tune_source src;
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_AUTO, &first, &src));
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_AUTO, &again, &src));
  assert_int_equal(src, OB_TUNE_CACHED);
  assert_memory_equal(&first, &again, sizeof first);
  assert_true(first.path == OB_ISING_PATH_LOCAL || first.path == OB_ISING_PATH_GLOBAL);
  assert_true(first.schedule == OB_ISING_PATH_LOCAL || first.schedule == OB_ISING_PATH_GLOBAL);
  free(ob_test_ising_equals_host(m, 40, 6, &first, NULL, 0, NULL));
  s.mode = OB_TUNE_OFF;
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_AUTO, &again, &src));
  assert_int_equal(src, OB_TUNE_DEFAULT);
  const ob_ising_tuning none = {0};
  assert_memory_equal(&again, &none, sizeof again);
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_ising_family, "path=global,spin_bits=8"));
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_AUTO, &again, &src));
  assert_int_equal(src, OB_TUNE_FORCED);
  assert_true(again.path == OB_ISING_PATH_GLOBAL && again.spin_bits == 8 && again.wg_size == 0);
  char text[OB_TUNE_TEXT_MAX];
  ob_tune_format(&ob_ising_family, &again, text, sizeof text);
  assert_string_equal(text,
                      "path=global,spin_bits=8,wg_size=0,wg_words=0,schedule=auto,update=auto,"
                      "resident=auto,sign=auto,philox=auto,decision=auto,exp2=auto,regs=0");
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "spin_bits=12"), OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "update=multispin,sign=mad"),
                   OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "update=multispin,sign=sel"),
                   OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "sign=neg"), OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "spin_bits=2,philox=lanes"),
                   OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_ising_family, "path=global,schedule=local"),
                   OB_ERR_INVALID);
  ob_ising_model_destroy(m);
}

/* A required update: the search keeps only its candidates (its own cache entry), and the
 * multispin update of a model without +-w couplings is refused. */
static void autotune_within_one_update(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("grid:4x3", OB_ISING_WEIGHTS_PM1);
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  ob_tune_source src;
  ob_ising_tuning ms = {0}, fl = {0};
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_MULTISPIN, &ms, &src));
  assert_int_equal(ms.update, OB_ISING_UPDATE_MULTISPIN);
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_FLOAT, &fl, &src));
  assert_int_not_equal(fl.update, OB_ISING_UPDATE_MULTISPIN);
  free(ob_test_ising_equals_host(m, 40, 4, &ms, NULL, 0, NULL));
  s.mode = OB_TUNE_OFF;
  OB_ASSERT_OK(ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_MULTISPIN, &ms, &src));
  assert_int_equal(ms.update, OB_ISING_UPDATE_MULTISPIN);
  ob_ising_model_destroy(m);
  m = ob_test_ising_model("grid:4x3", OB_ISING_WEIGHTS_GAUSS);
  s.mode = OB_TUNE_ON;
  assert_int_not_equal(
      ob_ising_select(ob_test_device(), &s, m, 40, OB_ISING_UPDATE_MULTISPIN, &ms, &src), OB_OK);
  ob_ising_model_destroy(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(philox_known_answers),
      cmocka_unit_test(decision_arithmetic),
      cmocka_unit_test(states_equal_the_host_loop_for_every_configuration),
      cmocka_unit_test(the_local_deal_over_several_rounds_matches_the_host_loop),
      cmocka_unit_test(multispin_states_for_every_configuration),
      cmocka_unit_test(clamped_nodes_keep_their_values),
      cmocka_unit_test(moments_and_snapshots),
      cmocka_unit_test(resident_units),
      cmocka_unit_test(resident_units_unobserved),
      cmocka_unit_test(resident_units_wide_words),
      cmocka_unit_test(sampler_rejects_what_cannot_work),
      cmocka_unit_test(schedule_placement),
      cmocka_unit_test(autotune_picks_and_caches),
      cmocka_unit_test(autotune_within_one_update),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
