/* The Winograd algorithms of the own convolution, F(2x2,3x3) (algo=winograd) and F(4x4,3x3)
 * (algo=winograd4), forced through the configuration as OCLBENCH_CONFIG_CONV forces them: the
 * forward pass (with bias), the data gradient and the weight gradient (with the bias
 * gradient) against the double reference within each one's bound (conv_ref.h derives them)
 * on odd sizes, outputs of odd height and width and of sizes no multiple of 4 (masked
 * tiles), pad 0, 1 and 2, batches of 1 and 2, channel counts that are multiples of nothing,
 * split-K in the inner GEMM; which shapes they refuse; the bounds themselves. */
#include "conv_support.h"

#include <stdio.h>
#include <string.h>

#include "conv/conv_ref.h"

/* n c h w k r s stride pad groups: 3x3, stride 1, groups 1 (the shapes Winograd runs). */
static const ob_conv_shape shapes[] = {
    {2, 3, 11, 13, 5, 3, 3, 1, 1, 1}, /* odd sizes: 11x13 outputs, masked last tiles */
    {1, 5, 9, 8, 7, 3, 3, 1, 0, 1},   /* pad 0: 7x6 outputs */
    {2, 6, 7, 7, 9, 3, 3, 1, 1, 1},   /* 7x7, as ResNet's last layer */
    {1, 4, 5, 6, 3, 3, 3, 1, 2, 1},   /* pad 2: outputs larger than the input */
    {1, 2, 3, 3, 2, 3, 3, 1, 0, 1},   /* one output: a single tile, mostly masked */
};
#define NSHAPES (sizeof shapes / sizeof *shapes)

/* The two algorithms, as configuration values and names. */
static const int algos[] = {OB_CONV_ALGO_WINOGRAD, OB_CONV_ALGO_WINOGRAD4};
static const char *const names[] = {"winograd", "winograd4"};

/* Options forcing the inner GEMM's tile `tile` (ob_conv_family text without algo) and
 * algorithm names[i]. */
static ob_test_conv_opts forced(const char *tile, size_t i) {
  char text[256];
  snprintf(text, sizeof text, "%s,algo=%s", tile, names[i]);
  return ob_test_conv_forced(text);
}

static void check_shapes(ob_conv_pass pass) {
  for (size_t a = 0; a < 2; a++) {
    ob_test_conv_opts o = forced("tm=32,tn=64,tk=8,wm=4,wn=4,wtx=16,split=1", a);
    for (size_t i = 0; i < NSHAPES; i++) {
      ob_test_conv_run r;
      ob_test_conv_run_pass(&shapes[i], pass, &o, pass != OB_CONV_BACKWARD_DATA, false, &r);
      assert_int_equal(r.algo, algos[a]);
      char want[32];
      snprintf(want, sizeof want, "algo=%s ", names[a]);
      assert_non_null(strstr(r.config, want));
      ob_test_conv_check_run(&shapes[i], pass, OB_CONV_FP32, &r);
      ob_test_conv_run_free(&r);
    }
  }
}

static void forward_matches_reference(void **state) {
  (void)state;
  check_shapes(OB_CONV_FORWARD);
}

static void backward_data_matches_reference(void **state) {
  (void)state;
  check_shapes(OB_CONV_BACKWARD_DATA);
}

static void backward_weight_matches_reference(void **state) {
  (void)state;
  check_shapes(OB_CONV_BACKWARD_WEIGHT);
}

static void split_k_in_the_inner_gemm(void **state) {
  (void)state;
  /* The GEMMs reduce over the channels (forward, data gradient: 2 splits of the 6 or 9 of
   * shapes[2]) or over the tiles (weight gradient: 2 x 16 tiles of 2x2, 2 x 4 of 4x4). */
  for (size_t a = 0; a < 2; a++) {
    ob_test_conv_opts o = forced("tm=32,tn=64,tk=4,wm=4,wn=4,wtx=16,split=2", a);
    for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
      ob_test_conv_check_pass(&shapes[2], (ob_conv_pass)pass, &o, true);
  }
}

static void refuses_what_it_cannot_run(void **state) {
  (void)state;
  const ob_conv_shape ok = shapes[0];
  assert_int_equal(ob_conv_winograd_check(&ok, OB_CONV_FORWARD, OB_CONV_FP32, OB_CONV_ALGO_GEMM),
                   OB_ERR_INVALID);
  for (size_t a = 0; a < 2; a++) {
    const int algo = algos[a];
    OB_ASSERT_OK(ob_conv_winograd_check(&ok, OB_CONV_FORWARD, OB_CONV_FP32, algo));
    OB_ASSERT_OK(ob_conv_winograd_check(&ok, OB_CONV_BACKWARD_DATA, OB_CONV_FP32, algo));
    OB_ASSERT_OK(ob_conv_winograd_check(&ok, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32, algo));
    assert_int_equal(ob_conv_winograd_check(&ok, OB_CONV_FORWARD, OB_CONV_FP16, algo),
                     OB_ERR_UNSUPPORTED);
    ob_conv_shape bad = ok;
    bad.stride = 2;
    assert_int_equal(ob_conv_winograd_check(&bad, OB_CONV_FORWARD, OB_CONV_FP32, algo),
                     OB_ERR_UNSUPPORTED);
    assert_non_null(strstr(ob_error_detail(), "stride"));
    bad = ok;
    bad.r = bad.s = 1, bad.pad = 0;
    assert_int_equal(ob_conv_winograd_check(&bad, OB_CONV_FORWARD, OB_CONV_FP32, algo),
                     OB_ERR_UNSUPPORTED);
    bad = ok;
    bad.pad = 3; /* forward: any padding; the data gradient would need a negative one */
    OB_ASSERT_OK(ob_conv_winograd_check(&bad, OB_CONV_FORWARD, OB_CONV_FP32, algo));
    OB_ASSERT_OK(ob_conv_winograd_check(&bad, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32, algo));
    assert_int_equal(ob_conv_winograd_check(&bad, OB_CONV_BACKWARD_DATA, OB_CONV_FP32, algo),
                     OB_ERR_UNSUPPORTED);
    /* Forced where it cannot run: the selection fails naming the variable and the reason. */
    ob_test_conv_opts o = forced("tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8", a);
    ob_conv_choice choice;
    bad = ok;
    bad.stride = 2;
    assert_int_equal(ob_test_conv_select(&bad, OB_CONV_FORWARD, &o, &choice),
                     OB_ERR_UNSUPPORTED);
    assert_non_null(strstr(ob_error_detail(), "OCLBENCH_CONFIG_CONV"));
    assert_non_null(strstr(ob_error_detail(), names[a]));
  }
}

/* 9x the fp32 bound for F(2x2,3x3), 256x for F(4x4,3x3) (conv_ref.h derives them). */
static void bounds_scale_the_fp32_bound(void **state) {
  (void)state;
  const ob_conv_shape s = shapes[2];
  for (int pass = 0; pass < OB_CONV_NPASSES; pass++) {
    const double fp32 = ob_conv_ref_bound(&s, (ob_conv_pass)pass, OB_CONV_ARITH_FP32);
    assert_true(ob_conv_ref_bound(&s, (ob_conv_pass)pass, OB_CONV_ARITH_WINOGRAD) == 9.0 * fp32);
    assert_true(ob_conv_ref_bound(&s, (ob_conv_pass)pass, OB_CONV_ARITH_WINOGRAD4) ==
                256.0 * fp32);
  }
  const ob_conv_config gemm = {.algo = OB_CONV_ALGO_GEMM}, wino = {.algo = OB_CONV_ALGO_WINOGRAD},
                       wino4 = {.algo = OB_CONV_ALGO_WINOGRAD4};
  assert_int_equal(ob_conv_arith_of(&gemm, OB_CONV_FP32), OB_CONV_ARITH_FP32);
  assert_int_equal(ob_conv_arith_of(&wino, OB_CONV_FP32), OB_CONV_ARITH_WINOGRAD);
  assert_int_equal(ob_conv_arith_of(&wino4, OB_CONV_FP32), OB_CONV_ARITH_WINOGRAD4);
  assert_int_equal(ob_conv_arith_of(&gemm, OB_CONV_FP16), OB_CONV_ARITH_FP16_STORAGE);
  assert_int_equal(ob_conv_algo_tile(OB_CONV_ALGO_GEMM), 0);
  assert_int_equal(ob_conv_algo_tile(OB_CONV_ALGO_WINOGRAD), 2);
  assert_int_equal(ob_conv_algo_tile(OB_CONV_ALGO_WINOGRAD4), 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(refuses_what_it_cannot_run),
      cmocka_unit_test(bounds_scale_the_fp32_bound),
      cmocka_unit_test(forward_matches_reference),
      cmocka_unit_test(backward_data_matches_reference),
      cmocka_unit_test(backward_weight_matches_reference),
      cmocka_unit_test(split_k_in_the_inner_gemm),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
