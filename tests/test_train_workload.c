/* The `train` workload table entry (models/simplecnn/train_workload.h): its cases (variants, params,
 * metrics, FLOPs, series) in both modes, and quick cases set up, run and verified on the test
 * device. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simplecnn/simplecnn.h"
#include "simplecnn/train_workload.h"

#define MAX_CASES 64

static size_t cases_for(bool quick, ob_case *cases) {
  ob_run_opts opts = {.quick = quick, .seconds = 1.0};
  return ob_workload_train.list_cases(ob_test_device(), &opts, cases, MAX_CASES);
}

static const ob_case *find(const ob_case *cases, size_t n, const char *variant,
                           const char *params) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(cases[i].variant, variant) == 0 && strcmp(cases[i].params, params) == 0)
      return &cases[i];
  fail_msg("no case %s %s", variant, params);
  return NULL;
}

static void cases_cover_batches_parts_and_inputs(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(false, cases);
  assert_int_equal(n, 3 * 4 + 2); /* 3 batches x 4 parts, 2 extra forward input sizes */
  const ob_case *c = find(cases, n, "step", "model=simplecnn;batch=32;input=3x224x224");
  ob_simplecnn_dims d;
  ob_simplecnn_dims_default(&d);
  ob_simplecnn_counts k;
  ob_simplecnn_count(&d, &k);
  assert_string_equal(c->precision, "fp32");
  assert_true(c->flops == k.forward_flops * 3.0 + k.optimizer_flops);
  assert_int_equal(c->nmetrics, 2);
  assert_string_equal(c->metrics[0].name, "step_time");
  assert_string_equal(c->metrics[0].unit, "us");
  assert_int_equal(c->metrics[0].kind, OB_METRIC_TIME);
  assert_true(c->metrics[0].scale == 1e6);
  assert_string_equal(c->metrics[1].name, "gflops");
  assert_int_equal(c->metrics[1].peak, OB_PEAK_FP32);
  assert_true(c->metrics[1].work == c->flops);
  c = find(cases, n, "forward", "model=simplecnn;batch=32;input=3x224x224");
  assert_true(c->flops == k.forward_flops);
  c = find(cases, n, "backward", "model=simplecnn;batch=128;input=3x224x224");
  assert_true(c->flops == 4.0 * 2.0 * k.forward_flops);
  c = find(cases, n, "optimizer", "model=simplecnn;batch=8;input=3x224x224");
  assert_string_equal(c->metrics[1].name, "bandwidth");
  assert_int_equal(c->metrics[1].peak, OB_PEAK_BANDWIDTH);
  assert_true(c->bytes == 28.0 * k.params);
  find(cases, n, "forward", "model=simplecnn;batch=32;input=3x128x128");
  find(cases, n, "forward", "model=simplecnn;batch=32;input=3x256x256");
  /* A series is one part; its cases carry their work as cost, so the runner can predict
   * each from the previous one and skip what exceeds the budget. */
  for (size_t i = 0; i < n; i++) {
    assert_true(cases[i].cost > 0);
    assert_string_equal(cases[i].series, cases[i].variant);
  }
  n = cases_for(true, cases);
  assert_int_equal(n, 2 * 4 + 2);
  find(cases, n, "step", "model=simplecnn;batch=2;input=3x224x224");
  find(cases, n, "optimizer", "model=simplecnn;batch=8;input=3x224x224");
  find(cases, n, "forward", "model=simplecnn;batch=2;input=3x256x256");
  for (size_t i = 0; i < n; i++) assert_null(strstr(cases[i].params, "batch=32"));
}

/* Sets up, runs twice (warm-up, timed) and verifies the case. */
static void run_case(const ob_case *proto) {
  ob_case c = *proto;
  void *st = calloc(1, ob_workload_train.state_size);
  assert_non_null(st);
  ob_status s = ob_workload_train.setup(st, ob_test_device(), &c);
  if (s != OB_OK) {
    ob_workload_train.teardown(st);
    free(st);
    fail_msg("setup %s %s: %s", c.variant, c.params, ob_error_detail());
  }
  double t = 0.0;
  OB_ASSERT_OK(ob_workload_train.run(st, &t));
  OB_ASSERT_OK(ob_workload_train.run(st, &t));
  assert_true(t > 0.0);
  ob_verdict v;
  memset(&v, 0, sizeof v);
  OB_ASSERT_OK(ob_workload_train.verify(st, &v));
  print_message("  %s %s: %s\n", c.variant, c.params, v.note);
  if (!v.checked || !v.ok) fail_msg("%s %s: %s", c.variant, c.params, v.note);
  assert_non_null(strstr(v.note, "max_rel_err="));
  assert_non_null(strstr(v.note, "launches="));
  assert_non_null(strstr(v.note, strcmp(c.variant, "forward") == 0 ? "logits of 2 images"
                                                                    : "whole step of 2 images"));
  ob_workload_train.teardown(st);
  free(st);
}

static void quick_cases_run_and_verify(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(true, cases);
  run_case(find(cases, n, "step", "model=simplecnn;batch=2;input=3x224x224"));
  run_case(find(cases, n, "optimizer", "model=simplecnn;batch=2;input=3x224x224"));
  run_case(find(cases, n, "forward", "model=simplecnn;batch=2;input=3x128x128"));
}

int main(void) {
  /* The devices' default configurations (read with the environment by the test fixture):
   * tuning is the tuners' tests', and costs builds on slow compilers. */
  setenv("OCLBENCH_TUNE", "off", 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cases_cover_batches_parts_and_inputs),
      cmocka_unit_test(quick_cases_run_and_verify),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
