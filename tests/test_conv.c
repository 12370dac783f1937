/* Own convolution (models/conv/conv.h): all three passes and the bias gradient against the double
 * reference on odd sizes, 1x1, stride 2, padding 0/1, groups, depthwise, bias, kernels with
 * and without tap masks; split-K, tiles larger than the problem, register blocks and fetch
 * layouts; shape and configuration validation. */
#include "conv_support.h"

#include <string.h>

static void check_all_shapes(const ob_test_conv_opts *opts) {
  for (size_t i = 0; i < ob_test_conv_nshapes; i++)
    for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
      ob_test_conv_check_pass(&ob_test_conv_shapes[i], (ob_conv_pass)pass, opts, i % 2 == 0);
}

static void all_passes_match_reference_with_the_device_default(void **state) {
  (void)state;
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = OB_TUNE_OFF;
  check_all_shapes(&o);
}

static void split_k_and_tiles_larger_than_the_problem(void **state) {
  (void)state;
  /* 128x128 tiles on outputs of a few rows and columns; 3 reduction splits. */
  ob_test_conv_opts o = ob_test_conv_forced("tm=128,tn=128,tk=16,wm=8,wn=8,wtx=4,split=3");
  check_all_shapes(&o);
}

static void register_blocks_and_fetch_layouts(void **state) {
  (void)state;
  /* 8x16 and 16x8 blocks (float4 A fetches in the forward pass where rows allow), and 256
   * work-items with 4 steps per tile, where B is fetched in whole-tile runs instead of warps. */
  const char *configs[] = {"tm=128,tn=128,tk=8,wm=8,wn=16,wtx=8,split=2",
                           "tm=256,tn=64,tk=8,wm=16,wn=8,wtx=8",
                           "tm=64,tn=64,tk=4,wm=4,wn=4,wtx=8,split=1"};
  /* Shapes with float4 rows of A and without (groups), stride phases; 4 kernel builds per
   * configuration (each costs seconds on PoCL the first time). */
  const size_t some[] = {2, 3, 5};
  for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
    ob_test_conv_opts o = ob_test_conv_forced(configs[i]);
    for (size_t j = 0; j < sizeof some / sizeof *some; j++)
      for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
        ob_test_conv_check_pass(&ob_test_conv_shapes[some[j]], (ob_conv_pass)pass, &o,
                                j % 2 == 0);
  }
}

static void shape_validation(void **state) {
  (void)state;
  const ob_conv_shape ok = {2, 4, 8, 8, 6, 3, 3, 1, 1, 2};
  OB_ASSERT_OK(ob_conv_shape_check(&ok));
  assert_int_equal(ob_conv_out_h(&ok), 8);
  assert_int_equal(ob_conv_filter_elems(&ok), 6 * 2 * 9);
  assert_true(ob_conv_macs(&ok) == 2.0 * 8 * 8 * 6 * 2 * 9);
  ob_conv_shape bad = ok;
  bad.groups = 3;
  assert_int_equal(ob_conv_shape_check(&bad), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "groups"));
  bad = ok;
  bad.stride = 0;
  assert_int_equal(ob_conv_shape_check(&bad), OB_ERR_INVALID);
  bad = ok;
  bad.pad = -1;
  assert_int_equal(ob_conv_shape_check(&bad), OB_ERR_INVALID);
  bad = ok;
  bad.r = 11;
  assert_int_equal(ob_conv_shape_check(&bad), OB_ERR_INVALID);
  bad = ok;
  bad.n = 1 << 20, bad.c = 1 << 10;
  assert_int_equal(ob_conv_shape_check(&bad), OB_ERR_TOO_LARGE);
  /* A plan of one pass refuses the others. */
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = OB_TUNE_OFF;
  ob_conv_plan *plan = ob_test_conv_plan(&ok, OB_CONV_FORWARD, &o, NULL);
  double s = 0;
  assert_int_equal(ob_conv_plan_last_seconds(plan, &s), OB_ERR_INVALID);
  assert_int_equal(ob_conv_backward_data(plan, NULL, NULL, NULL), OB_ERR_INVALID);
  cl_mem small = NULL;
  OB_ASSERT_OK(ob_buffer_create(ob_test_device(), CL_MEM_READ_WRITE, 16, NULL, &small));
  assert_int_equal(ob_conv_forward(plan, small, small, NULL, small), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "bytes"));
  ob_buffer_release(ob_test_device(), small);
  ob_conv_plan_destroy(plan);
  ob_conv_plan_destroy(NULL);
}

static void config_parsing_and_environment(void **state) {
  (void)state;
  ob_conv_config c;
  memset(&c, 0, sizeof c);
  OB_ASSERT_OK(ob_tune_parse(&ob_conv_family, "tn=64,tm=32,tk=8,wm=4,wn=4,wtx=8", &c));
  assert_int_equal(c.tm, 32);
  assert_int_equal(c.tn, 64);
  assert_int_equal(c.split, 0);
  OB_ASSERT_OK(ob_conv_config_check(&c));
  char text[128];
  c.split = 5;
  ob_tune_format(&ob_conv_family, &c, text, sizeof text);
  assert_string_equal(text, "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,split=5,px=0,kb=0,wx=0,algo=gemm");
  ob_tune_defines(&ob_conv_family, &c, text, sizeof text);
  assert_string_equal(text, "-DTM=32 -DTN=64 -DTK=8 -DWM=4 -DWN=4 -DWTX=8");
  ob_conv_config back;
  memset(&back, 0, sizeof back);
  ob_tune_format(&ob_conv_family, &c, text, sizeof text);
  OB_ASSERT_OK(ob_tune_parse(&ob_conv_family, text, &back));
  assert_memory_equal(&c, &back, sizeof c);
  /* Syntax (parse) and rules (check), as OCLBENCH_CONFIG_CONV is validated at start-up. */
  const char *bad[] = {"", "tm=32", "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,zz=1",
                       "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=x", "tm=32,tn=64,tk=8,wm=3,wn=4,wtx=8",
                       "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=3", "tm=32,tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8",
                       "tm=32,tn=64,tk=7,wm=4,wn=4,wtx=8", "tm=-32,tn=64,tk=8,wm=4,wn=4,wtx=8"};
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(ob_tune_settings_force(&s, &ob_conv_family, bad[i]), OB_ERR_INVALID);
    assert_true(strlen(ob_error_detail()) > 0);
  }
  assert_int_equal(ob_tune_settings_force(&s, &ob_conv_family, "tm=32"), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "tn is missing"));
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_conv_family,
                                      "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,split=2"));
  /* algo=direct runs no GEMM: its configuration needs no tile keys */
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_conv_family, "algo=direct,px=2"));
  assert_int_equal(ob_tune_settings_force(&s, &ob_conv_family, "algo=winograd,px=2"),
                   OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "tm is missing"));
  /* The CLI: the new variables validated, the old ones refused with what replaced them. */
  char err[512];
  setenv("OCLBENCH_CONFIG_CONV", "tm=32", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_CONFIG_CONV='tm=32': conv config: tn is missing"));
  unsetenv("OCLBENCH_CONFIG_CONV");
  setenv("OCLBENCH_CONV_TUNE", "redo", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_CONV_TUNE is now OCLBENCH_TUNE=off|on|redo"));
  unsetenv("OCLBENCH_CONV_TUNE");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shape_validation),
      cmocka_unit_test(config_parsing_and_environment),
      cmocka_unit_test(all_passes_match_reference_with_the_device_default),
      cmocka_unit_test(split_k_and_tiles_larger_than_the_problem),
      cmocka_unit_test(register_blocks_and_fetch_layouts),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
