/* The `conv` workload table entry: its cases (shapes, params, precisions, series, FLOPs) and a
 * few of them set up, run and verified on the test device (own forward, CLBlast forward, own
 * weight gradient; own forward and weight gradient with half storage), at the --quick batch;
 * CLBlast's fp16 case skipped with the reason where the device has no working fp16; a
 * Winograd row forced through the configuration. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv/conv.h"
#include "conv/conv_workload.h"

#define MAX_CASES 64

static size_t cases_for(bool quick, ob_case *cases) {
  ob_run_opts opts = {.quick = quick, .seconds = 1.0};
  return ob_workload_conv.list_cases(ob_test_device(), &opts, cases, MAX_CASES);
}

static const ob_case *find(const ob_case *cases, size_t n, const char *variant,
                           const char *precision, const char *params) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(cases[i].variant, variant) == 0 && strcmp(cases[i].precision, precision) == 0 &&
        strcmp(cases[i].params, params) == 0)
      return &cases[i];
  fail_msg("no case %s %s %s", variant, precision, params);
  return NULL;
}

static bool device_fp16(void) { return ob_device_fp16(ob_test_device()); }

static void cases_cover_the_shapes_and_passes(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(false, cases);
  /* 5 shapes x (own fwd, clblast fwd, own bwd data, own bwd weight) in fp32, the same in fp16
   * but CLBlast's once (a skipped row) where the device has no working fp16. */
  const size_t expect = 5 * 4 + 5 * 3 + (device_fp16() ? 5 : 1);
  assert_int_equal(n, expect);
  const ob_case *c = find(cases, n, "own", "fp32", "shape=resnet_64x56;n=32;c=64;h=56;w=56;k=64;"
                                                   "r=3;s=3;stride=1;pad=1;pass=forward");
  assert_string_equal(c->precision, "fp32");
  assert_true(fabs(c->flops - 2.0 * 32 * 56 * 56 * 64 * 64 * 9) < 1.0);
  assert_int_equal(c->nmetrics, 1);
  assert_string_equal(c->metrics[0].name, "gflops");
  assert_int_equal(c->metrics[0].peak, OB_PEAK_FP32);
  assert_true(c->metrics[0].work == c->flops && c->metrics[0].scale == 1e9);
  const double bytes32 = c->bytes;
  assert_true(fabs(bytes32 - 4.0 * (32.0 * 64 * 56 * 56 * 2 + 64 * 64 * 9)) < 1.0);
  /* Half storage: the same FLOPs, half the bytes, a fraction of the FP32 peak (fp32 math). */
  c = find(cases, n, "own", "fp16", "shape=resnet_64x56;n=32;c=64;h=56;w=56;k=64;r=3;s=3;"
                                    "stride=1;pad=1;pass=forward");
  assert_true(fabs(c->flops - 2.0 * 32 * 56 * 56 * 64 * 64 * 9) < 1.0);
  assert_true(c->bytes == bytes32 / 2);
  assert_int_equal(c->metrics[0].peak, OB_PEAK_FP32);
  find(cases, n, "clblast", "fp32", "shape=simplecnn_3x224;n=32;c=3;h=224;w=224;k=32;r=3;s=3;"
                                    "stride=2;pad=1;pass=forward");
  find(cases, n, "own", "fp32", "shape=resnet_512x7;n=32;c=512;h=7;w=7;k=512;r=3;s=3;stride=1;"
                                "pad=1;pass=backward_weight");
  find(cases, n, "own", "fp16", "shape=resnet_512x7;n=32;c=512;h=7;w=7;k=512;r=3;s=3;stride=1;"
                                "pad=1;pass=backward_weight");
  find(cases, n, "own", "fp32", "shape=resnet_256x14;n=32;c=256;h=14;w=14;k=256;r=3;s=3;stride=1;"
                                "pad=1;pass=backward_data");
  find(cases, n, "own", "fp16", "shape=resnet_256x14;n=32;c=256;h=14;w=14;k=256;r=3;s=3;stride=1;"
                                "pad=1;pass=backward_data");
  /* CLBlast's Hconvgemm computes in half: its rate is not a fraction of the FP32 peak. */
  c = find(cases, n, "clblast", "fp16", "shape=simplecnn_3x224;n=32;c=3;h=224;w=224;k=32;r=3;"
                                        "s=3;stride=2;pad=1;pass=forward");
  assert_int_equal(c->metrics[0].peak, OB_PEAK_NONE);
  /* Within a series (variant, pass, shape family) the cost grows or stays: the runner
   * predicts each case from the previous one and skips what would exceed the budget. */
  for (size_t i = 0; i < n; i++) {
    assert_true(cases[i].cost > 0 && cases[i].series[0]);
    for (size_t j = 0; j < i; j++)
      if (strcmp(cases[i].series, cases[j].series) == 0) assert_true(cases[j].cost <= cases[i].cost);
  }
  /* Series differ by variant, pass, precision and shape family. */
  const ob_case *f32 = find(cases, n, "own", "fp32", "shape=resnet_128x28;n=32;c=128;h=28;w=28;"
                                                     "k=128;r=3;s=3;stride=1;pad=1;pass=forward");
  const ob_case *f16 = find(cases, n, "own", "fp16", "shape=resnet_128x28;n=32;c=128;h=28;w=28;"
                                                     "k=128;r=3;s=3;stride=1;pad=1;pass=forward");
  const ob_case *simple = find(cases, n, "own", "fp32", "shape=simplecnn_3x224;n=32;c=3;h=224;"
                                                        "w=224;k=32;r=3;s=3;stride=2;pad=1;"
                                                        "pass=forward");
  assert_string_not_equal(f32->series, f16->series);
  assert_string_not_equal(f32->series, simple->series);
  n = cases_for(true, cases);
  assert_int_equal(n, expect);
  for (size_t i = 0; i < n; i++) assert_non_null(strstr(cases[i].params, ";n=2;"));
}

/* Sets up, runs twice (warm-up, timed) and verifies a copy of the case: into *out and *v. */
static void run_case_into(const ob_case *proto, ob_case *out, ob_verdict *v_out) {
  ob_case c = *proto;
  void *st = calloc(1, ob_workload_conv.state_size);
  assert_non_null(st);
  ob_status s = ob_workload_conv.setup(st, ob_test_device(), &c);
  if (s != OB_OK) {
    ob_workload_conv.teardown(st);
    free(st);
    fail_msg("setup %s %s %s: %s", c.variant, c.precision, c.params, ob_error_detail());
  }
  double t = 0.0;
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  assert_true(t > 0.0);
  ob_verdict v;
  memset(&v, 0, sizeof v);
  OB_ASSERT_OK(ob_workload_conv.verify(st, &v));
  if (!v.checked || !v.ok) fail_msg("%s %s %s: %s", c.variant, c.precision, c.params, v.note);
  assert_non_null(strstr(v.note, "rel_err="));
  /* fp16: the own kernels sum in fp32 (storage bound); CLBlast's Hconvgemm sums in half. */
  const bool half = strcmp(c.precision, "fp16") == 0, own = strcmp(c.variant, "own") == 0;
  if (half) assert_non_null(strstr(v.note, own ? "= 2^-11 + 1e-5 sqrt(K)" : "= 2e-3 sqrt(K)"));
  if (own) assert_non_null(strstr(v.note, "config="));
  ob_workload_conv.teardown(st);
  free(st);
  *out = c;
  *v_out = v;
}

static void run_case(const ob_case *proto) {
  ob_case c;
  ob_verdict v;
  run_case_into(proto, &c, &v);
}

/* Setting up a copy of the case is OB_ERR_UNSUPPORTED (a skipped row) with why in the detail. */
static void expect_skipped(const ob_case *proto, const char *why) {
  ob_case c = *proto;
  void *st = calloc(1, ob_workload_conv.state_size);
  assert_non_null(st);
  assert_int_equal(ob_workload_conv.setup(st, ob_test_device(), &c), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), why));
  ob_workload_conv.teardown(st);
  free(st);
}

/* Forced algo=winograd or winograd4 (as OCLBENCH_CONFIG_CONV forces them): the row's note
 * names the algorithm and its tile, its bound is that algorithm's, and its rate, still in
 * direct-conv FLOPs, may reach 2.25x (F(2x2,3x3)) or 4x (F(4x4,3x3)) the FP32 peak (the
 * arithmetic done) before it is implausible; a pass it cannot run is skipped. */
static void winograd_rows_say_so(void **state) {
  (void)state;
  static const struct {
    const char *algo, *note, *bound;
    double limit;
  } algos[] = {{"winograd", "algo=winograd F(2x2,3x3)", "= 9e-5 sqrt(K)", 2.25},
               {"winograd4", "algo=winograd4 F(4x4,3x3)", "= 2.56e-3 sqrt(K)", 4.0}};
  const ob_tune_settings saved = *ob_tune_settings_current();
  for (size_t a = 0; a < 2; a++) {
    ob_tune_settings forced = saved;
    char text[128];
    snprintf(text, sizeof text, "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=16,algo=%s", algos[a].algo);
    OB_ASSERT_OK(ob_tune_settings_force(&forced, &ob_conv_family, text));
    ob_tune_settings_install(&forced);
    ob_case cases[MAX_CASES];
    size_t n = cases_for(true, cases);
    ob_case c;
    ob_verdict v;
    run_case_into(find(cases, n, "own", "fp32", "shape=resnet_512x7;n=2;c=512;h=7;w=7;k=512;"
                                                "r=3;s=3;stride=1;pad=1;pass=forward"),
                  &c, &v);
    assert_non_null(strstr(c.note, algos[a].note));
    assert_true(c.metrics[0].limit_per_peak == algos[a].limit);
    assert_non_null(strstr(v.note, algos[a].bound));
    assert_non_null(strstr(v.note, text + strlen("tm=32,tn=64,tk=8,wm=4,wn=4,wtx=16,")));
    expect_skipped(find(cases, n, "own", "fp16", "shape=resnet_512x7;n=2;c=512;h=7;w=7;k=512;"
                                                 "r=3;s=3;stride=1;pad=1;pass=forward"),
                   algos[a].algo);
  }
  ob_tune_settings_install(&saved);
}

static void quick_cases_run_and_verify(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(true, cases);
  const char *simple = "shape=simplecnn_3x224;n=2;c=3;h=224;w=224;k=32;r=3;s=3;stride=2;pad=1;"
                       "pass=forward";
  const char *wgrad = "shape=resnet_512x7;n=2;c=512;h=7;w=7;k=512;r=3;s=3;stride=1;pad=1;"
                      "pass=backward_weight";
  run_case(find(cases, n, "own", "fp32", simple));
  run_case(find(cases, n, "clblast", "fp32", simple));
  run_case(find(cases, n, "own", "fp32", wgrad));
  run_case(find(cases, n, "own", "fp16", simple));
  run_case(find(cases, n, "own", "fp16", wgrad));
  const ob_case *h = find(cases, n, "clblast", "fp16", simple);
  if (device_fp16()) {
    run_case(h);
  } else {
    expect_skipped(h, "no working fp16");
  }
}

/* A traced CLBlast case records each call as one library span with the convolution's FLOPs
 * (CLBlast's kernels are invisible to oclbench). */
static void clblast_calls_are_traced(void **state) {
  (void)state;
  ob_case cases[MAX_CASES];
  size_t n = cases_for(true, cases);
  ob_case c = *find(cases, n, "clblast", "fp32", "shape=resnet_512x7;n=2;c=512;h=7;w=7;k=512;"
                                                 "r=3;s=3;stride=1;pad=1;pass=forward");
  void *st = calloc(1, ob_workload_conv.state_size);
  assert_non_null(st);
  OB_ASSERT_OK(ob_workload_conv.setup(st, ob_test_device(), &c));
  double t = 0.0;
  OB_ASSERT_OK(ob_workload_conv.run(st, &t)); /* CLBlast compiles its kernels: untraced */
  ob_trace_reset();
  ob_trace_enable(true);
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  OB_ASSERT_OK(ob_workload_conv.run(st, &t));
  ob_trace_enable(false);
  ob_trace_flush();
  size_t spans = 0;
  for (size_t i = 0; i < ob_trace_count(); i++) {
    ob_trace_record r;
    assert_true(ob_trace_get(i, &r));
    if (strcmp(r.name, "CLBlastSconvgemm") != 0) continue;
    spans++;
    assert_string_equal(r.category, "library");
    assert_true(r.seconds > 0.0 && r.seconds <= t * 1.5 + 1e-3);
    assert_true(r.flops == c.flops);
  }
  assert_int_equal(spans, 2);
  ob_trace_reset();
  ob_workload_conv.teardown(st);
  free(st);
}

int main(void) {
  /* The devices' default configurations (read with the environment by the test fixture):
   * tuning is the tuners' tests', and costs builds on slow compilers. */
  setenv("OCLBENCH_TUNE", "off", 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cases_cover_the_shapes_and_passes),
      cmocka_unit_test(quick_cases_run_and_verify),
      cmocka_unit_test(winograd_rows_say_so),
      cmocka_unit_test(clblast_calls_are_traced),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
