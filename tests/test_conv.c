/* Own convolution (models/conv.h): all three passes and the bias gradient against the double
 * reference on odd sizes, 1x1, stride 2, padding 0/1, groups, depthwise, bias, kernels with
 * and without tap masks; split-K, tiles larger than the problem, register blocks and fetch
 * layouts; shape and configuration validation. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "conv_ref.h"

static const ob_conv_shape shapes[] = {
    /* n  c   h   w   k   r  s  stride pad groups */
    {2, 3, 11, 13, 5, 3, 3, 1, 1, 1},   /* odd sizes, not multiples of any tile */
    {2, 16, 7, 7, 24, 1, 1, 1, 0, 1},   /* 1x1 */
    {2, 8, 8, 8, 16, 3, 3, 1, 1, 1},    /* aligned rows: whole float4 stores */
    {2, 4, 15, 12, 8, 3, 3, 2, 1, 1},   /* stride 2, pad 1 (the SimpleCNN conv, small) */
    {1, 5, 9, 9, 7, 3, 3, 1, 0, 1},     /* pad 0 */
    {2, 8, 9, 10, 12, 3, 3, 1, 1, 4},   /* groups */
    {1, 6, 8, 8, 6, 3, 3, 2, 1, 6},     /* depthwise, stride 2 */
    {1, 3, 10, 9, 4, 2, 5, 3, 2, 1},    /* rectangular kernel, stride 3, pad 2 */
    {1, 2, 2, 5, 3, 2, 2, 3, 1, 1},     /* input smaller than the stride: empty phases */
    {1, 4, 9, 8, 3, 6, 6, 1, 2, 1},     /* 36 taps: bounds tests without tap masks */
};
#define NSHAPES (sizeof shapes / sizeof *shapes)

static cl_mem upload(ob_device *dev, const float *h, size_t n) {
  cl_mem m = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * sizeof(float), NULL, &m));
  if (h) OB_ASSERT_OK(ob_buffer_write(dev, m, 0, n * sizeof(float), h));
  return m;
}

static float *download(ob_device *dev, cl_mem m, size_t n) {
  float *h = malloc(n * sizeof *h);
  assert_non_null(h);
  OB_ASSERT_OK(ob_buffer_read(dev, m, 0, n * sizeof(float), h));
  return h;
}

/* Runs one pass of shape s with opts and compares every element with the reference. */
static void check_pass(const ob_conv_shape *s, ob_conv_pass pass, const ob_conv_options *opts,
                       bool with_bias) {
  ob_device *dev = ob_test_device();
  const size_t nx = ob_conv_input_elems(s), nw = ob_conv_filter_elems(s);
  const size_t ny = ob_conv_output_elems(s);
  float *x = malloc(nx * sizeof *x), *w = malloc(nw * sizeof *w), *y = malloc(ny * sizeof *y);
  float *b = malloc((size_t)s->k * sizeof *b);
  assert_true(x && w && y && b);
  ob_conv_ref_fill(x, nx, 1);
  ob_conv_ref_fill(w, nw, 2);
  ob_conv_ref_fill(y, ny, 3);
  ob_conv_ref_fill(b, (size_t)s->k, 4);
  ob_conv_plan *plan = NULL;
  OB_ASSERT_OK(ob_conv_plan_create(dev, s, pass, opts, &plan));
  /* The bias is an input of the forward pass and an output (db) of the weight gradient. */
  const bool bias_in = with_bias && pass == OB_CONV_FORWARD;
  const bool bias_out = with_bias && pass == OB_CONV_BACKWARD_WEIGHT;
  cl_mem mb = bias_in || bias_out ? upload(dev, bias_in ? b : NULL, (size_t)s->k) : NULL;
  cl_mem out = NULL, in0 = NULL, in1 = NULL;
  const float *h0 = NULL, *h1 = NULL;
  size_t nout = 0;
  switch (pass) {
  case OB_CONV_FORWARD:
    in0 = upload(dev, x, nx), in1 = upload(dev, w, nw), out = upload(dev, NULL, ny);
    h0 = x, h1 = w, nout = ny;
    OB_ASSERT_OK(ob_conv_forward(plan, in0, in1, mb, out));
    break;
  case OB_CONV_BACKWARD_DATA:
    in0 = upload(dev, y, ny), in1 = upload(dev, w, nw), out = upload(dev, NULL, nx);
    h0 = y, h1 = w, nout = nx;
    OB_ASSERT_OK(ob_conv_backward_data(plan, in0, in1, out));
    break;
  case OB_CONV_BACKWARD_WEIGHT:
    in0 = upload(dev, x, nx), in1 = upload(dev, y, ny), out = upload(dev, NULL, nw);
    h0 = x, h1 = y, nout = nw;
    OB_ASSERT_OK(ob_conv_backward_weight(plan, in0, in1, out, mb));
    break;
  }
  double secs = 0.0;
  OB_ASSERT_OK(ob_conv_plan_last_seconds(plan, &secs));
  assert_true(secs > 0.0);
  float *got = download(dev, out, nout);
  ob_conv_check chk;
  ob_conv_ref_compare(s, pass, h0, h1, bias_in ? b : NULL, got,
                      1e12, 5, &chk);
  if (!chk.ok || chk.checked != nout)
    fail_msg("%s n=%d c=%d h=%d w=%d k=%d r=%d s=%d stride=%d pad=%d groups=%d %s: rel_err "
             "%.3g (bound %.3g), %zu of %zu checked", ob_conv_pass_name(pass), s->n, s->c, s->h,
             s->w, s->k, s->r, s->s, s->stride, s->pad, s->groups, ob_conv_plan_describe(plan),
             chk.rel_err, chk.bound, chk.checked, chk.total);
  assert_true(chk.rel_err < 1e-6);
  if (bias_out) {
    float *db = download(dev, mb, (size_t)s->k);
    for (int k = 0; k < s->k; k++) {
      double ref = ob_conv_ref_bias_grad_at(s, y, k);
      assert_true(fabs(db[k] - ref) <= 1e-5 * (1.0 + fabs(ref)));
    }
    free(db);
  }
  free(got);
  ob_buffer_release(dev, in0);
  ob_buffer_release(dev, in1);
  ob_buffer_release(dev, out);
  ob_buffer_release(dev, mb);
  ob_conv_plan_destroy(plan);
  free(x);
  free(w);
  free(y);
  free(b);
}

static void check_all_shapes(const ob_conv_options *opts) {
  for (size_t i = 0; i < NSHAPES; i++)
    for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
      check_pass(&shapes[i], (ob_conv_pass)pass, opts, i % 2 == 0);
}

static ob_conv_options forced(const char *text) {
  ob_conv_options o;
  memset(&o, 0, sizeof o);
  o.forced = true;
  OB_ASSERT_OK(ob_conv_config_parse(text, &o.config));
  return o;
}

static void all_passes_match_reference_with_the_device_default(void **state) {
  (void)state;
  ob_conv_options o;
  memset(&o, 0, sizeof o);
  o.tune = OB_CONV_TUNE_OFF;
  check_all_shapes(&o);
}

static void split_k_and_tiles_larger_than_the_problem(void **state) {
  (void)state;
  /* 128x128 tiles on outputs of a few rows and columns; 3 reduction splits. */
  ob_conv_options o = forced("tm=128,tn=128,tk=16,wm=8,wn=8,wtx=4,split=3");
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
    ob_conv_options o = forced(configs[i]);
    for (size_t j = 0; j < sizeof some / sizeof *some; j++)
      for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
        check_pass(&shapes[some[j]], (ob_conv_pass)pass, &o, j % 2 == 0);
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
  ob_conv_options o;
  memset(&o, 0, sizeof o);
  o.tune = OB_CONV_TUNE_OFF;
  ob_conv_plan *plan = NULL;
  OB_ASSERT_OK(ob_conv_plan_create(ob_test_device(), &ok, OB_CONV_FORWARD, &o, &plan));
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
  OB_ASSERT_OK(ob_conv_config_parse("tn=64,tm=32,tk=8,wm=4,wn=4,wtx=8", &c));
  assert_int_equal(c.tm, 32);
  assert_int_equal(c.tn, 64);
  assert_int_equal(c.split, 0);
  char text[128];
  c.split = 5;
  ob_conv_config_format(&c, text, sizeof text);
  assert_string_equal(text, "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,split=5");
  ob_conv_config back;
  OB_ASSERT_OK(ob_conv_config_parse(text, &back));
  assert_memory_equal(&c, &back, sizeof c);
  const char *bad[] = {"", "tm=32", "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,zz=1",
                       "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=x", "tm=32,tn=64,tk=8,wm=3,wn=4,wtx=8",
                       "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=3", "tm=32,tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8",
                       "tm=32,tn=64,tk=7,wm=4,wn=4,wtx=8", "tm=-32,tn=64,tk=8,wm=4,wn=4,wtx=8"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(ob_conv_config_parse(bad[i], &c), OB_ERR_INVALID);
    assert_true(strlen(ob_error_detail()) > 0);
  }
  ob_conv_options o;
  setenv("OCLBENCH_CONV_TUNE", "sometimes", 1);
  assert_int_equal(ob_conv_options_from_env(&o), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "OCLBENCH_CONV_TUNE"));
  setenv("OCLBENCH_CONV_TUNE", "redo", 1);
  setenv("OCLBENCH_CONV_CONFIG", "tm=32", 1);
  assert_int_equal(ob_conv_options_from_env(&o), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "OCLBENCH_CONV_CONFIG"));
  assert_non_null(strstr(ob_error_detail(), "tn is missing"));
  setenv("OCLBENCH_CONV_CONFIG", "tm=32,tn=64,tk=8,wm=4,wn=4,wtx=8,split=2", 1);
  OB_ASSERT_OK(ob_conv_options_from_env(&o));
  assert_int_equal(o.tune, OB_CONV_TUNE_REDO);
  assert_true(o.forced && o.config.split == 2);
  unsetenv("OCLBENCH_CONV_TUNE");
  unsetenv("OCLBENCH_CONV_CONFIG");
  OB_ASSERT_OK(ob_conv_options_from_env(&o));
  assert_int_equal(o.tune, OB_CONV_TUNE_AUTO);
  assert_false(o.forced);
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
