/* One Ising batch over several devices: the split, the batch set-up, and results identical to
 * one device with the same seed whatever the split (moment sums, states, the CLI's moments
 * file). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ising/ising_batch.h"

static void split_follows_rates_in_aligned_shares(void **state) {
  (void)state;
  size_t sh[3];
  const double even[3] = {1, 1, 1};
  ob_ising_split(300, even, 3, sh);
  assert_int_equal(sh[0] + sh[1] + sh[2], 300);
  assert_int_equal(sh[0] % OB_ISING_SHARD_ALIGN, 0);
  assert_int_equal(sh[1] % OB_ISING_SHARD_ALIGN, 0);
  assert_int_equal(sh[0], 96);
  const double skew[3] = {3, 1, 0};
  ob_ising_split(1000, skew, 3, sh);
  assert_int_equal(sh[2], 0); /* no rate, no chains */
  assert_int_equal(sh[0], 736);
  assert_int_equal(sh[1], 264);
  const double none[2] = {0, 0};
  ob_ising_split(50, none, 2, sh);
  assert_int_equal(sh[0], 0);
  assert_int_equal(sh[1], 50);
  ob_ising_split(10, even, 3, sh); /* fewer chains than one aligned block */
  assert_int_equal(sh[0] + sh[1] + sh[2], 10);
}

/* Two devices of the test device's platform when there are (POCL_DEVICES="pthread pthread"),
 * else the same one twice. */
static void two_devices(ob_device **devs) {
  if (ob_test_device_group(devs, 2) < 2) devs[1] = devs[0];
}

static void sharded_results_equal_one_device(void **state) {
  (void)state;
  const size_t chains = 300, sweeps = 12;
  const uint64_t seed = 99;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:6x5", OB_ISING_WEIGHTS_GAUSS, 5, 0.7, &m));
  const size_t n = ob_ising_nodes(m), e = ob_ising_edges(m);
  int64_t *node1 = calloc(n, sizeof *node1), *edge1 = calloc(e, sizeof *edge1);
  int64_t *node2 = calloc(n, sizeof *node2), *edge2 = calloc(e, sizeof *edge2);
  int8_t *s1 = malloc(chains * n), *s2 = malloc(chains * n);
  uint64_t k1 = 0, k2 = 0;
  ob_ising_sampler *one = NULL;
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, seed, NULL, &one));
  OB_ASSERT_OK(ob_ising_sampler_run(one, 3, false, NULL));
  OB_ASSERT_OK(ob_ising_sampler_run(one, sweeps, true, NULL));
  OB_ASSERT_OK(ob_ising_sampler_moment_sums(one, node1, edge1, &k1));
  OB_ASSERT_OK(ob_ising_sampler_samples(one, 0, chains, s1));
  ob_ising_sampler_destroy(one);
  ob_device *devs[3];
  two_devices(devs);
  devs[2] = devs[0];
  /* Splits with empty shards, unequal shares, three shards and word sizes forced apart. */
  const size_t splits[][3] = {{32, 268, 0}, {128, 172, 0}, {0, 300, 0}, {64, 64, 172}};
  const size_t nshards[] = {2, 2, 2, 3};
  for (size_t v = 0; v < 4; v++) {
    ob_ising_tuning tunings[3] = {{.spin_bits = 8}, {.spin_bits = 32}, {.spin_bits = 1}};
    ob_ising_shards *set = NULL;
    OB_ASSERT_OK(ob_ising_shards_create(devs, nshards[v], m, 0, splits[v], seed, tunings, &set));
    OB_ASSERT_OK(ob_ising_shards_run(set, 3, false, NULL, NULL));
    double wall = 0, dev_s[3] = {0};
    OB_ASSERT_OK(ob_ising_shards_run(set, sweeps, true, &wall, dev_s));
    assert_true(wall > 0);
    OB_ASSERT_OK(ob_ising_shards_moment_sums(set, node2, edge2, &k2));
    assert_int_equal(k1, k2);
    assert_memory_equal(node1, node2, n * sizeof *node1);
    assert_memory_equal(edge1, edge2, e * sizeof *edge1);
    memset(s2, 0, chains * n);
    OB_ASSERT_OK(ob_ising_shards_samples(set, 0, chains, s2));
    assert_memory_equal(s1, s2, chains * n);
    ob_ising_shards_destroy(set);
  }
  /* A shard must start on an aligned chain. */
  ob_ising_sampler *bad = NULL;
  assert_int_equal(ob_ising_sampler_create_range(devs[0], m, 16, 32, seed, NULL, &bad),
                   OB_ERR_INVALID);
  ob_ising_shards_destroy(NULL);
  free(node1);
  free(edge1);
  free(node2);
  free(edge2);
  free(s1);
  free(s2);
  ob_ising_model_destroy(m);
}

/* A shard that fails on its thread (or, alone, on the caller's) is named with the reason its
 * device's stream recorded. */
static void a_failing_shard_names_its_device_and_reason(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:4x4", OB_ISING_WEIGHTS_GAUSS, 5, 1.0, &m));
  ob_device *devs[2];
  two_devices(devs);
  const size_t splits[][2] = {{32, 32}, {64, 0}};
  for (size_t v = 0; v < 2; v++) {
    ob_ising_shards *set = NULL;
    OB_ASSERT_OK(ob_ising_shards_create(devs, 2, m, 0, splits[v], 7, NULL, &set));
    ob_error_clear();
    assert_int_equal(ob_ising_shards_rerun(set, 2, NULL, NULL), OB_ERR_INVALID); /* no snapshot */
    assert_non_null(strstr(ob_error_detail(), ob_device_slug(devs[0])));
    assert_non_null(strstr(ob_error_detail(), "rerun without a snapshot"));
    assert_non_null(strstr(ob_stream_error(ob_device_stream(devs[0])), "rerun without a snapshot"));
    ob_ising_shards_destroy(set);
  }
  ob_ising_model_destroy(m);
}

/* The batch set-up: calibrated rates and a split for several devices, a policy per batch (the
 * given tuning, or the autotuner's keeping the given pass limit), rates measured elsewhere. */
static void batch_setup_follows_its_policy(void **state) {
  (void)state;
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec("grid:4x4", OB_ISING_WEIGHTS_GAUSS, 5, 1.0, &m));
  ob_device *devs[2];
  two_devices(devs);
  ob_ising_batch b = {0};
  ob_ising_batch_opts o = {.chains = 96, .seed = 3, .policy = OB_ISING_TUNE_GIVEN,
                           .tuning = {.spin_bits = 8}};
  OB_ASSERT_OK(ob_ising_batch_setup(&b, devs, 2, m, &o));
  assert_true(b.calibrated);
  assert_true(b.rates[0] > 0 && b.rates[1] > 0);
  assert_int_equal(b.shares[0] + b.shares[1], 96);
  for (size_t i = 0; i < 2; i++) {
    assert_false(b.tuned[i]);
    assert_int_equal(b.tunings[i].spin_bits, 8);
  }
  assert_non_null(b.set);
  o.policy = OB_ISING_TUNE_AUTO;
  o.tuning = (ob_ising_tuning){.max_pass_chains = 64};
  OB_ASSERT_OK(ob_ising_batch_setup(&b, devs, 1, m, &o));
  assert_false(b.calibrated);
  assert_true(b.rates[0] == 1.0);
  assert_true(b.tuned[0]);
  assert_int_equal(b.tunings[0].max_pass_chains, 64);
  assert_int_equal(ob_ising_shards_count(b.set), 1);
  const double rates[2] = {0, 1};
  o = (ob_ising_batch_opts){.first_chain = 64, .chains = 40, .seed = 3, .rates = rates};
  OB_ASSERT_OK(ob_ising_batch_setup(&b, devs, 2, m, &o));
  assert_false(b.calibrated);
  assert_int_equal(b.shares[0], 0);
  assert_int_equal(b.shares[1], 40);
  assert_ptr_equal(ob_ising_shards_device(b.set, 0), devs[1]);
  ob_ising_batch_clear(&b);
  assert_int_equal(ob_ising_batch_setup(&b, devs, 0, m, &o), OB_ERR_INVALID);
  ob_ising_batch_clear(&b);
  ob_ising_model_destroy(m);
}

static void cli_shard_writes_the_same_moments(void **state) {
  (void)state;
  char dir[4200], args[8192], err[4096], group[1024], *a = NULL, *b = NULL;
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  snprintf(args, sizeof args,
           "ising --graph grid:7x7 --chains 200 --sweeps 10 --seed 3 %s --moments "
           "%s/one.csv --samples %s/one_s.csv",
           ob_test_device_args(), dir, dir);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  ob_test_device_group_args(group, sizeof group);
  snprintf(args, sizeof args,
           "ising --graph grid:7x7 --chains 200 --sweeps 10 --seed 3 --shard %s --moments "
           "%s/all.csv --samples %s/all_s.csv",
           group, dir, dir);
  if (ob_test_cli(args, err, sizeof err) != 0) fail_msg("--shard: %s", err);
  const char *pairs[2][2] = {{"one.csv", "all.csv"}, {"one_s.csv", "all_s.csv"}};
  for (int p = 0; p < 2; p++) {
    char pa[8192], pb[8192];
    size_t la = 0, lb = 0;
    snprintf(pa, sizeof pa, "%s/%s", dir, pairs[p][0]);
    snprintf(pb, sizeof pb, "%s/%s", dir, pairs[p][1]);
    OB_ASSERT_OK(ob_read_file(pa, &a, &la));
    OB_ASSERT_OK(ob_read_file(pb, &b, &lb));
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
  }
  assert_int_equal(ob_test_cli("ising --shard --train x.csv", err, sizeof err), 2);
}

/* A rate is believed only with a time that advanced with the wall clock and below 16 flips per
 * FLOP of the theoretical FP32 peak (where that peak is known). */
static void rates_are_checked_before_they_are_printed(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  OB_ASSERT_OK(ob_ising_rate_check(&dev, 1, 1e6, 1e-3, 1.1e-3));
  assert_int_equal(ob_ising_rate_check(&dev, 1, 1e6, 1e-9, 1e-3), OB_ERR_TIMING);
  assert_int_equal(ob_ising_rate_check(&dev, 1, 1e6, 0.0, 0.0), OB_ERR_TIMING);
  if (ob_device_fp32_theoretical(dev) > 0) {
    assert_int_equal(ob_ising_rate_check(&dev, 1, 1e18, 1e-3, 1e-3), OB_ERR_TIMING);
    assert_non_null(strstr(ob_error_detail(), "implausible"));
  }
}

int main(void) {
  /* Two PoCL devices on this host (ignored by other OpenCL platforms). */
  setenv("POCL_DEVICES", "pthread pthread", 0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(split_follows_rates_in_aligned_shares),
      cmocka_unit_test(sharded_results_equal_one_device),
      cmocka_unit_test(a_failing_shard_names_its_device_and_reason),
      cmocka_unit_test(batch_setup_follows_its_policy),
      cmocka_unit_test(cli_shard_writes_the_same_moments),
      cmocka_unit_test(rates_are_checked_before_they_are_printed),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
