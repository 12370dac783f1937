/* The direct algorithm of the own convolution's gradients (algo=direct, cl_kernels/
 * conv_direct.cl), forced through the configuration as OCLBENCH_CONFIG_CONV forces it: the
 * data gradient and the weight gradient (with the bias gradient) against the double
 * reference within the fp32 bound on small shapes of stride 1, 2 and 3, odd sizes, pad 0, 1
 * and 2, 1 to 4 input channels, rectangular filters, groups, strips and output-channel blocks
 * that do not divide the sizes, one part and several (partial sums); half storage; which
 * passes and shapes it refuses, and which ones the tuner offers it for. */
#include "conv_support.h"

#include <stdio.h>
#include <string.h>

/* n c h w k r s stride pad groups. */
static const ob_conv_shape shapes[] = {
    {2, 3, 13, 11, 5, 3, 3, 2, 1, 1}, /* SimpleCNN's first layer in small: odd sizes, stride 2 */
    {1, 1, 9, 8, 3, 3, 3, 1, 1, 1},   /* one channel, stride 1 */
    {2, 4, 7, 9, 6, 3, 3, 2, 0, 1},   /* pad 0 */
    {1, 2, 10, 7, 3, 5, 3, 3, 2, 1},  /* rectangular filter, stride 3, pad 2 */
    {1, 4, 6, 5, 4, 3, 3, 1, 1, 2},   /* two groups */
    {2, 3, 5, 5, 7, 1, 1, 2, 0, 1},   /* 1x1, stride 2: taps that skip pixels */
};
#define NSHAPES (sizeof shapes / sizeof *shapes)

static void check_shapes(ob_conv_pass pass, const char *keys) {
  char text[256];
  snprintf(text, sizeof text, "%s,algo=direct", keys);
  ob_test_conv_opts o = ob_test_conv_forced(text);
  for (size_t i = 0; i < NSHAPES; i++) {
    ob_test_conv_run r;
    ob_test_conv_run_pass(&shapes[i], pass, &o, pass == OB_CONV_BACKWARD_WEIGHT, false, &r);
    assert_int_equal(r.algo, OB_CONV_ALGO_DIRECT);
    assert_non_null(strstr(r.config, "algo=direct "));
    ob_test_conv_check_run(&shapes[i], pass, OB_CONV_FP32, &r);
    ob_test_conv_run_free(&r);
  }
}

static void backward_data_matches_reference(void **state) {
  (void)state;
  check_shapes(OB_CONV_BACKWARD_DATA, "px=1,wx=4");
  check_shapes(OB_CONV_BACKWARD_DATA, "px=3,wx=2"); /* strips past the row's end */
}

static void backward_weight_matches_reference(void **state) {
  (void)state;
  check_shapes(OB_CONV_BACKWARD_WEIGHT, "kb=1,wx=4,split=1");
  check_shapes(OB_CONV_BACKWARD_WEIGHT, "kb=3,wx=2,split=3"); /* blocks past k; partials */
  check_shapes(OB_CONV_BACKWARD_WEIGHT, "kb=0,wx=0,split=0"); /* the defaults */
}

static void half_storage(void **state) {
  (void)state;
  for (int pass = OB_CONV_BACKWARD_DATA; pass <= OB_CONV_BACKWARD_WEIGHT; pass++) {
    ob_test_conv_opts o = ob_test_conv_forced("px=2,kb=2,wx=4,split=2,algo=direct");
    o.storage = OB_CONV_FP16;
    ob_test_conv_check_pass(&shapes[0], (ob_conv_pass)pass, &o, false);
  }
}

static void refuses_what_it_cannot_run(void **state) {
  (void)state;
  const ob_conv_shape s = shapes[0];
  const ob_conv_config none = {0};
  assert_int_equal(ob_conv_direct_check(&s, OB_CONV_FORWARD, OB_CONV_FP32, &none),
                   OB_ERR_UNSUPPORTED);
  OB_ASSERT_OK(ob_conv_direct_check(&s, OB_CONV_BACKWARD_DATA, OB_CONV_FP32, &none));
  OB_ASSERT_OK(ob_conv_direct_check(&s, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP16, &none));
  const ob_conv_config many = {.split = 27}; /* 2 x 7 rows of dy */
  assert_int_equal(ob_conv_direct_check(&s, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32, &many),
                   OB_ERR_UNSUPPORTED);
  ob_conv_shape wide = s;
  wide.c = 200; /* 200 x 2 x 2 sums per work-item */
  assert_int_equal(ob_conv_direct_check(&wide, OB_CONV_BACKWARD_DATA, OB_CONV_FP32, &none),
                   OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "sums per work-item"));
  /* Forced on the forward pass: the selection fails naming the variable. */
  ob_test_conv_opts o = ob_test_conv_forced("tm=32,tn=64,tk=8,wm=4,wn=4,wtx=16,algo=direct") /* tiles ignored */;
  ob_conv_choice choice;
  assert_int_equal(ob_test_conv_select(&s, OB_CONV_FORWARD, &o, &choice), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "OCLBENCH_CONFIG_CONV"));
}

/* The tuner offers it for gradients of few input channels (SimpleCNN's first layer), not for
 * the forward pass nor for wide layers. */
static void suits_few_channels(void **state) {
  (void)state;
  const ob_conv_shape simplecnn = {32, 3, 224, 224, 32, 3, 3, 2, 1, 1};
  const ob_conv_shape resnet = {32, 64, 56, 56, 64, 3, 3, 1, 1, 1};
  assert_true(ob_conv_direct_suits(&simplecnn, OB_CONV_BACKWARD_DATA));
  assert_true(ob_conv_direct_suits(&simplecnn, OB_CONV_BACKWARD_WEIGHT));
  assert_false(ob_conv_direct_suits(&simplecnn, OB_CONV_FORWARD));
  assert_false(ob_conv_direct_suits(&resnet, OB_CONV_BACKWARD_DATA));
  assert_false(ob_conv_direct_suits(&resnet, OB_CONV_BACKWARD_WEIGHT));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(refuses_what_it_cannot_run),
      cmocka_unit_test(suits_few_channels),
      cmocka_unit_test(backward_data_matches_reference),
      cmocka_unit_test(backward_weight_matches_reference),
      cmocka_unit_test(half_storage),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
