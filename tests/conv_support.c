/* Helpers of the convolution tests (see conv_support.h). */
#include "conv_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv/conv_ref.h"
#include "gemm/gemm_ref.h" /* ob_half_from_float, ob_half_to_float */

const ob_conv_shape ob_test_conv_shapes[] = {
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
const size_t ob_test_conv_nshapes = sizeof ob_test_conv_shapes / sizeof *ob_test_conv_shapes;

void ob_test_conv_run_free(ob_test_conv_run *r) {
  free(r->x);
  free(r->w);
  free(r->y);
  free(r->b);
  free(r->out);
  free(r->db);
}

static float *filled(size_t n, uint64_t seed, bool round_to_half) {
  float *v = malloc(n * sizeof *v);
  assert_non_null(v);
  ob_conv_ref_fill(v, n, seed);
  for (size_t i = 0; round_to_half && i < n; i++) v[i] = ob_half_to_float(ob_half_from_float(v[i]));
  return v;
}

static cl_mem upload(ob_conv_storage st, float *h, size_t n) {
  cl_mem m = NULL;
  OB_ASSERT_OK(ob_conv_tensor_create(ob_test_device(), st, CL_MEM_READ_WRITE, h, n, &m));
  return m;
}

static float *download(ob_conv_storage st, cl_mem m, size_t n) {
  float *h = malloc(n * sizeof *h);
  assert_non_null(h);
  OB_ASSERT_OK(ob_conv_tensor_read(ob_test_device(), st, m, n, h));
  return h;
}

ob_status ob_test_conv_select(const ob_conv_shape *s, ob_conv_pass pass,
                              const ob_test_conv_opts *opts, ob_conv_choice *choice) {
  ob_tune_settings tune;
  ob_tune_settings_init(&tune);
  tune.mode = opts->mode;
  if (opts->forced) {
    char text[OB_TUNE_TEXT_MAX];
    ob_tune_format(&ob_conv_family, &opts->config, text, sizeof text);
    OB_TRY(ob_tune_settings_force(&tune, &ob_conv_family, text));
  }
  return ob_conv_select(ob_test_device(), &tune, s, pass, opts->storage, choice);
}

ob_conv_plan *ob_test_conv_plan(const ob_conv_shape *s, ob_conv_pass pass,
                                const ob_test_conv_opts *opts, ob_conv_choice *choice) {
  ob_conv_choice c;
  ob_conv_plan *plan = NULL;
  OB_ASSERT_OK(ob_test_conv_select(s, pass, opts, &c));
  OB_ASSERT_OK(ob_conv_plan_create(ob_test_device(), s, pass, opts->storage, &c.cfg, &plan));
  if (choice) *choice = c;
  return plan;
}

void ob_test_conv_run_pass(const ob_conv_shape *s, ob_conv_pass pass,
                           const ob_test_conv_opts *opts, bool with_bias, bool round_inputs,
                           ob_test_conv_run *r) {
  ob_device *dev = ob_test_device();
  const ob_conv_storage st = opts->storage;
  const size_t nx = ob_conv_input_elems(s), nw = ob_conv_filter_elems(s);
  const size_t ny = ob_conv_output_elems(s);
  memset(r, 0, sizeof *r);
  r->has_bias = with_bias;
  r->x = filled(nx, 1, round_inputs);
  r->w = filled(nw, 2, round_inputs);
  r->y = filled(ny, 3, round_inputs);
  r->b = filled((size_t)s->k, 4, round_inputs);
  ob_conv_choice choice;
  ob_conv_plan *plan = ob_test_conv_plan(s, pass, opts, &choice);
  assert_int_equal(ob_conv_plan_storage(plan), st);
  const bool bias_in = with_bias && pass == OB_CONV_FORWARD;
  const bool bias_out = with_bias && pass == OB_CONV_BACKWARD_WEIGHT;
  cl_mem mb = bias_in || bias_out ? upload(st, bias_in ? r->b : NULL, (size_t)s->k) : NULL;
  cl_mem out = NULL, in0 = NULL, in1 = NULL;
  switch (pass) {
  case OB_CONV_FORWARD:
    in0 = upload(st, r->x, nx), in1 = upload(st, r->w, nw), out = upload(st, NULL, ny);
    r->in0 = r->x, r->in1 = r->w, r->nout = ny;
    OB_ASSERT_OK(ob_conv_forward(plan, in0, in1, mb, out));
    break;
  case OB_CONV_BACKWARD_DATA:
    in0 = upload(st, r->y, ny), in1 = upload(st, r->w, nw), out = upload(st, NULL, nx);
    r->in0 = r->y, r->in1 = r->w, r->nout = nx;
    OB_ASSERT_OK(ob_conv_backward_data(plan, in0, in1, out));
    break;
  case OB_CONV_BACKWARD_WEIGHT:
    in0 = upload(st, r->x, nx), in1 = upload(st, r->y, ny), out = upload(st, NULL, nw);
    r->in0 = r->x, r->in1 = r->y, r->nout = nw;
    OB_ASSERT_OK(ob_conv_backward_weight(plan, in0, in1, out, mb));
    break;
  }
  double secs = 0.0;
  OB_ASSERT_OK(ob_conv_plan_last_seconds(plan, &secs));
  assert_true(secs > 0.0);
  snprintf(r->config, sizeof r->config, "%s", choice.describe);
  r->algo = choice.cfg.algo;
  r->out = download(st, out, r->nout);
  if (bias_out) r->db = download(st, mb, (size_t)s->k);
  ob_buffer_release(dev, in0);
  ob_buffer_release(dev, in1);
  ob_buffer_release(dev, out);
  ob_buffer_release(dev, mb);
  ob_conv_plan_destroy(plan);
}

void ob_test_conv_describe(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage st,
                           char *buf, size_t n) {
  snprintf(buf, n, "%s %s n=%d c=%d h=%d w=%d k=%d r=%d s=%d stride=%d pad=%d groups=%d",
           ob_conv_pass_name(pass), ob_conv_storage_name(st), s->n, s->c, s->h, s->w, s->k, s->r,
           s->s, s->stride, s->pad, s->groups);
}

void ob_test_conv_check_run(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage st,
                            const ob_test_conv_run *r) {
  /* The bias is an input of the forward pass only. */
  const float *bias = pass == OB_CONV_FORWARD && r->has_bias ? r->b : NULL;
  ob_conv_check chk;
  const ob_conv_config algo = {.algo = r->algo};
  const ob_conv_arith arith = ob_conv_arith_of(&algo, st);
  ob_conv_ref_compare(s, pass, r->in0, r->in1, bias, r->out, 1e12, arith, 5, &chk);
  char what[480];
  ob_test_conv_describe(s, pass, st, what, sizeof what);
  snprintf(what + strlen(what), sizeof what - strlen(what), " %s", r->config);
  if (!chk.ok || chk.checked != r->nout)
    fail_msg("%s: rel_err %.3g (bound %.3g), %zu of %zu checked", what, chk.rel_err, chk.bound,
             chk.checked, chk.total);
  /* F(4x4,3x3) measures about 1e-6 (conv_ref.h): its own limit. */
  const double fp32_limit = arith == OB_CONV_ARITH_WINOGRAD4 ? 1e-5 : 1e-6;
  if (st == OB_CONV_FP32 && !(chk.rel_err < fp32_limit))
    fail_msg("%s: rel_err %.3g above %g", what, chk.rel_err, fp32_limit);
  /* Half outputs: the rounding to half dominates (about 2e-4 for these values). */
  if (st == OB_CONV_FP16 && r->nout >= 64 && !(chk.rel_err > 1e-4 && chk.rel_err < 3e-4))
    fail_msg("%s: rel_err %.3g is not near the rounding error of half", what, chk.rel_err);
  const double rel = st == OB_CONV_FP16 ? 0x1p-11 : 0.0;
  for (int k = 0; r->db && k < s->k; k++) {
    const double ref = ob_conv_ref_bias_grad_at(s, r->y, k);
    if (!(fabs(r->db[k] - ref) <= rel * fabs(ref) + 1e-5 * (1.0 + fabs(ref))))
      fail_msg("%s: db[%d] = %.9g, reference %.9g", what, k, r->db[k], ref);
  }
}

void ob_test_conv_check_pass(const ob_conv_shape *s, ob_conv_pass pass,
                             const ob_test_conv_opts *opts, bool with_bias) {
  ob_test_conv_run r;
  ob_test_conv_run_pass(s, pass, opts, with_bias, false, &r);
  ob_test_conv_check_run(s, pass, opts->storage, &r);
  ob_test_conv_run_free(&r);
}

ob_test_conv_opts ob_test_conv_forced(const char *text) {
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.forced = true;
  OB_ASSERT_OK(ob_tune_parse(&ob_conv_family, text, &o.config));
  OB_ASSERT_OK(ob_conv_config_check(&o.config));
  /* A device with less local memory than the tile needs (Oclgrind, rusticl and many integrated
   * GPUs have 32 KiB) runs the same tile with fewer reduction steps per stage. */
  const cl_ulong have = ob_device_props_get(ob_test_device())->local_mem;
  const size_t need = ob_conv_config_local_bytes(&o.config);
  ob_conv_config shallower = o.config;
  while (ob_conv_config_local_bytes(&o.config) > have && shallower.tk > 1) {
    shallower.tk /= 2;
    if (ob_conv_config_check(&shallower) != OB_OK) break;
    o.config = shallower;
  }
  ob_error_clear();
  if (ob_conv_config_local_bytes(&o.config) > have) {
    print_message("skipped: %s needs %zu bytes of local memory, the device has %llu\n", text,
                  ob_conv_config_local_bytes(&o.config), (unsigned long long)have);
    skip();
  }
  if (ob_conv_config_local_bytes(&o.config) < need)
    print_message("%s runs with tk=%d: it needs %zu bytes of local memory, the device has "
                  "%llu\n", text, o.config.tk, need, (unsigned long long)have);
  return o;
}
