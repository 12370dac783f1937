/* The `conv` workload table entry: its cases (shapes, params, series, FLOPs) and a few of them
 * set up, run and verified on the test device (own forward, CLBlast forward, own weight
 * gradient), at the --quick batch. */
#include "support.h"

#include <math.h>
#include <string.h>

#include "conv_workload.h"

#define MAX_CASES 64

static size_t cases_for(bool quick, ob_case *cases) {
  ob_run_opts opts = {.quick = quick, .seconds = 1.0};
  return ob_workload_conv.list_cases(ob_test_device(), &opts, cases, MAX_CASES);
}

static const ob_case *find(const ob_case *cases, size_t n, const char *variant,
                           const char *params) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(cases[i].variant, variant) == 0 && strcmp(cases[i].params, params) == 0)
      return &cases[i];
  fail_msg("no case %s %s", variant, params);
  return NULL;
}

static void cases_cover_the_shapes_and_passes(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(false, cases);
  assert_int_equal(n, 5 * 4); /* 5 shapes x (own fwd, clblast fwd, own bwd data, own bwd weight) */
  const ob_case *c = find(cases, n, "own", "shape=resnet_64x56;n=32;c=64;h=56;w=56;k=64;r=3;s=3;"
                                           "stride=1;pad=1;pass=forward");
  assert_string_equal(c->precision, "fp32");
  assert_true(fabs(c->flops - 2.0 * 32 * 56 * 56 * 64 * 64 * 9) < 1.0);
  assert_int_equal(c->nmetrics, 1);
  assert_string_equal(c->metrics[0].name, "gflops");
  assert_int_equal(c->metrics[0].peak, OB_PEAK_FP32);
  assert_true(c->metrics[0].work == c->flops && c->metrics[0].scale == 1e9);
  find(cases, n, "clblast", "shape=simplecnn_3x224;n=32;c=3;h=224;w=224;k=32;r=3;s=3;stride=2;"
                            "pad=1;pass=forward");
  find(cases, n, "own", "shape=resnet_512x7;n=32;c=512;h=7;w=7;k=512;r=3;s=3;stride=1;pad=1;"
                        "pass=backward_weight");
  find(cases, n, "own", "shape=resnet_256x14;n=32;c=256;h=14;w=14;k=256;r=3;s=3;stride=1;pad=1;"
                        "pass=backward_data");
  /* Within a series (variant, pass, shape family) the cost grows or stays: the runner
   * predicts each case from the previous one and skips what would exceed the budget. */
  for (size_t i = 0; i < n; i++) {
    assert_true(cases[i].cost > 0 && cases[i].series[0]);
    for (size_t j = 0; j < i; j++)
      if (strcmp(cases[i].series, cases[j].series) == 0) assert_true(cases[j].cost <= cases[i].cost);
  }
  assert_string_not_equal(cases[0].series, cases[4].series); /* simplecnn vs resnet family */
  n = cases_for(true, cases);
  assert_int_equal(n, 20);
  for (size_t i = 0; i < n; i++) assert_non_null(strstr(cases[i].params, ";n=2;"));
}

/* Sets up, runs twice (warm-up, timed) and verifies the case. */
static void run_case(const ob_case *proto) {
  ob_case c = *proto;
  void *st = NULL;
  ob_status s = ob_workload_conv.setup(ob_test_device(), &c, &st);
  if (s != OB_OK) {
    ob_workload_conv.teardown(st);
    fail_msg("setup %s %s: %s", c.variant, c.params, ob_error_detail());
  }
  double t = 0.0;
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  assert_true(t > 0.0);
  ob_verdict v;
  memset(&v, 0, sizeof v);
  OB_ASSERT_OK(ob_workload_conv.verify(st, &v));
  if (!v.checked || !v.ok) fail_msg("%s %s: %s", c.variant, c.params, v.note);
  assert_non_null(strstr(v.note, "rel_err="));
  if (strcmp(c.variant, "own") == 0) assert_non_null(strstr(v.note, "config="));
  ob_workload_conv.teardown(st);
}

static void quick_cases_run_and_verify(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(true, cases);
  run_case(find(cases, n, "own", "shape=simplecnn_3x224;n=2;c=3;h=224;w=224;k=32;r=3;s=3;stride=2;"
                                 "pad=1;pass=forward"));
  run_case(find(cases, n, "clblast", "shape=simplecnn_3x224;n=2;c=3;h=224;w=224;k=32;r=3;s=3;"
                                     "stride=2;pad=1;pass=forward"));
  run_case(find(cases, n, "own", "shape=resnet_512x7;n=2;c=512;h=7;w=7;k=512;r=3;s=3;stride=1;"
                                 "pad=1;pass=backward_weight"));
  ob_workload_conv.teardown(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cases_cover_the_shapes_and_passes),
      cmocka_unit_test(quick_cases_run_and_verify),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
