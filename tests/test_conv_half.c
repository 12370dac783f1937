/* Own convolution with half storage (OB_CONV_FP16): every pass on the shapes of test_conv
 * (odd sizes, 1x1, stride 2 and 3, padding, groups, depthwise, bias in and bias gradient out)
 * against the double reference within the fp16 bound; every
 * output bit-identical to the host's rounding of the fp32 plan's output on the same half
 * inputs (also with split-K and float4 fetches of A); the rounding itself at ties, subnormals
 * and overflow; buffer sizes and the storage field of the plan API; a driver whose half loads
 * do not build makes fp16 plans unsupported. */
#include "conv_support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv/conv_ref.h"
#include "gemm/gemm_ref.h" /* ob_half_from_float, ob_half_to_float */

/* Same bits: memcmp, so that +0 and -0 differ. */
static bool same_float(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

static float half_round(float v) { return ob_half_to_float(ob_half_from_float(v)); }

/* Runs the pass with fp32 and fp16 storage on the same half-valued inputs and configuration.
 * The fp16 plan computes exactly the fp32 plan's sums (the same kernel code, fp32 accumulation
 * in the same order) and rounds them, so each of its outputs (and bias gradients) must be the
 * host's round-to-nearest-even of the fp32 output; it must also pass the reference check. */
static void check_half_rounds_fp32(const ob_conv_shape *s, ob_conv_pass pass,
                                   const ob_test_conv_opts *opts, bool with_bias) {
  ob_test_conv_opts o32 = *opts, o16 = *opts;
  o32.storage = OB_CONV_FP32;
  o16.storage = OB_CONV_FP16;
  ob_test_conv_run r32, r16;
  ob_test_conv_run_pass(s, pass, &o32, with_bias, true, &r32);
  ob_test_conv_run_pass(s, pass, &o16, with_bias, true, &r16);
  char what[480];
  ob_test_conv_describe(s, pass, OB_CONV_FP16, what, sizeof what);
  snprintf(what + strlen(what), sizeof what - strlen(what), " %s", r16.config);
  /* The same inputs and configuration. */
  assert_memory_equal(r32.x, r16.x, ob_conv_input_elems(s) * sizeof(float));
  assert_memory_equal(r32.w, r16.w, ob_conv_filter_elems(s) * sizeof(float));
  assert_memory_equal(r32.y, r16.y, ob_conv_output_elems(s) * sizeof(float));
  assert_memory_equal(r32.b, r16.b, (size_t)s->k * sizeof(float));
  assert_string_equal(r32.config, r16.config);
  for (size_t i = 0; i < r32.nout; i++)
    if (!same_float(r16.out[i], half_round(r32.out[i])))
      fail_msg("%s: output %zu is %a, the fp32 result %a rounds to %a", what, i, r16.out[i],
               r32.out[i], half_round(r32.out[i]));
  assert_true((r32.db == NULL) == (r16.db == NULL));
  for (int k = 0; r32.db && k < s->k; k++)
    if (!same_float(r16.db[k], half_round(r32.db[k])))
      fail_msg("%s: db[%d] is %a, the fp32 result %a rounds to %a", what, k, r16.db[k],
               r32.db[k], half_round(r32.db[k]));
  ob_test_conv_check_run(s, pass, OB_CONV_FP16, &r16);
  ob_test_conv_run_free(&r32);
  ob_test_conv_run_free(&r16);
}

/* Every test shape but the last (36 taps: its bounds test without tap masks reads elements
 * through the same load as the others, and its three kernel builds per storage type would
 * cost ~20 s on PoCL). */
static void all_passes_round_the_fp32_result_with_the_device_default(void **state) {
  (void)state;
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = OB_TUNE_OFF;
  for (size_t i = 0; i + 1 < ob_test_conv_nshapes; i++)
    for (int pass = 0; pass < OB_CONV_NPASSES; pass++)
      check_half_rounds_fp32(&ob_test_conv_shapes[i], (ob_conv_pass)pass, &o, i % 2 == 0);
}

/* Split-K (fp32 partials; the reduction adds the half bias and stores halves, or the bias
 * gradient kernel reads and writes halves) with float4 fetches of A (stride 2: 36-element
 * filter rows), in the configuration test_conv runs in fp32. */
static void split_k_rounds_the_fp32_result(void **state) {
  (void)state;
  const ob_test_conv_opts o = ob_test_conv_forced("tm=128,tn=128,tk=16,wm=8,wn=8,wtx=4,split=3");
  check_half_rounds_fp32(&ob_test_conv_shapes[3], OB_CONV_FORWARD, &o, true);
  check_half_rounds_fp32(&ob_test_conv_shapes[3], OB_CONV_BACKWARD_WEIGHT, &o, true);
}

/* A 1x1 convolution whose fp32 sums are exact (one nonzero weight per filter: x * w of two
 * halves needs at most 22 bits), plus a half bias (one fp32 rounding, the same on the host):
 * the device's rounding to half must match ob_half_from_float bit for bit, at ties (odd
 * 11-bit significands times 1.5), in the subnormal range, at the largest half (65504) and
 * past it (65520 and above round to infinity), and for underflow to signed zeros. Four input
 * channels give float4 fetches of the filters; without and with split-K. */
static void half_rounding_matches_the_host(void **state) {
  (void)state;
  const ob_conv_shape s = {2, 4, 16, 16, 6, 1, 1, 1, 0, 1};
  const size_t nx = ob_conv_input_elems(&s), nw = ob_conv_filter_elems(&s);
  const size_t ny = ob_conv_output_elems(&s), plane = 16 * 16;
  float *x = malloc(nx * sizeof *x), *w = calloc(nw, sizeof *w);
  assert_true(x && w);
  /* Filter k takes input channel 0 only. */
  const float w0[6] = {1.5f, -1.5f, 0x1p10f, 0x1p-12f, 0.75f, -3.0f};
  for (int k = 0; k < s.k; k++) w[k * s.c] = w0[k];
  uint64_t st = 99;
  for (size_t i = 0; i < nx; i++) {
    /* Halves with odd significands 1025..2047 over exponents -20..12, random signs (those
     * below 2^-14 lose bits to the subnormal range when uploaded). */
    st = st * 6364136223846793005ull + 1442695040888963407ull;
    const int m = 1024 + 2 * (int)((st >> 33) % 512) + 1, e = (int)((st >> 45) % 33) - 20;
    x[i] = ((st >> 60) & 1 ? -1.0f : 1.0f) * ldexpf((float)m, e - 10);
    if (i % 89 == 0) x[i] = 63.96875f; /* x 2^10 = 65504, the largest half */
    if (i % 83 == 0) x[i] = 64.0f;     /* x 2^10 = 65536: infinity */
  }
  const char *configs[] = {NULL, "tm=128,tn=128,tk=16,wm=8,wn=8,wtx=4,split=3"};
  for (size_t c = 0; c < 2; c++) {
    float b[6];
    for (int k = 0; k < s.k; k++) b[k] = c ? half_round(0.1f * (float)k) : 0.0f;
    ob_test_conv_opts o;
    memset(&o, 0, sizeof o);
    o.mode = OB_TUNE_OFF;
    if (configs[c]) o = ob_test_conv_forced(configs[c]);
    o.storage = OB_CONV_FP16;
    ob_device *dev = ob_test_device();
    ob_conv_plan *plan = ob_test_conv_plan(&s, OB_CONV_FORWARD, &o, NULL);
    cl_mem mx = NULL, mw = NULL, mb = NULL, my = NULL;
    OB_ASSERT_OK(ob_conv_tensor_create(dev, OB_CONV_FP16, CL_MEM_READ_ONLY, x, nx, &mx));
    OB_ASSERT_OK(ob_conv_tensor_create(dev, OB_CONV_FP16, CL_MEM_READ_ONLY, w, nw, &mw));
    OB_ASSERT_OK(ob_conv_tensor_create(dev, OB_CONV_FP16, CL_MEM_READ_ONLY, b, 6, &mb));
    OB_ASSERT_OK(ob_conv_tensor_create(dev, OB_CONV_FP16, CL_MEM_READ_WRITE, NULL, ny, &my));
    OB_ASSERT_OK(ob_conv_forward(plan, mx, mw, mb, my));
    float *y = malloc(ny * sizeof *y);
    assert_non_null(y);
    OB_ASSERT_OK(ob_conv_tensor_read(dev, OB_CONV_FP16, my, ny, y));
    size_t ties = 0, subnormal = 0, inf = 0, neg_zero = 0, largest = 0;
    for (size_t i = 0; i < ny; i++) {
      const int k = (int)(i / plane % (size_t)s.k);
      const float prod = x[i / (plane * (size_t)s.k) * (size_t)s.c * plane + i % plane] * w0[k];
      const float exact = prod + b[k], want = half_round(exact);
      if (!same_float(y[i], want))
        fail_msg("%s: y[%zu] = %a, the host rounds %a to %a",
                 configs[c] ? configs[c] : "default", i, y[i], exact, want);
      if (c == 0 && fabsf(prod) >= 0x1p-14f && fabsf(prod) < 65504.0f) {
        const float ulp = ldexpf(1.0f, ilogbf(prod) - 10); /* of half at |prod| */
        ties += fmodf(fabsf(prod), ulp) == 0.5f * ulp;
      }
      subnormal += want != 0.0f && fabsf(want) < 0x1p-14f;
      inf += isinf(want);
      neg_zero += want == 0.0f && signbit(want);
      largest += fabsf(want) == 65504.0f;
    }
    /* What the values covered (without bias, the product is what gets rounded). */
    if (c == 0)
      assert_true(ties > 100 && subnormal > 100 && inf > 0 && neg_zero > 0 && largest > 0);
    free(y);
    ob_buffer_release(dev, mx);
    ob_buffer_release(dev, mw);
    ob_buffer_release(dev, mb);
    ob_buffer_release(dev, my);
    ob_conv_plan_destroy(plan);
  }
  free(x);
  free(w);
}

/* The storage field of the plan API, buffer sizes in halves, the tensor helpers. */
static void half_plans_and_tensors(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  assert_string_equal(ob_conv_storage_name(OB_CONV_FP32), "fp32");
  assert_string_equal(ob_conv_storage_name(OB_CONV_FP16), "fp16");
  assert_int_equal(ob_conv_storage_bytes(OB_CONV_FP16), 2);
  assert_int_equal(ob_conv_storage_bytes(OB_CONV_FP32), 4);
  /* Uploading rounds the host copy in place to what the device holds; reading gives it back. */
  float v[5] = {1.0f, 1.0f + 0x1p-11f, 1.0f + 0x3p-11f, 1e-8f, 70000.0f};
  const float rounded[5] = {1.0f, 1.0f, 1.0f + 0x1p-9f, 0.0f, INFINITY};
  cl_mem m = NULL;
  OB_ASSERT_OK(ob_conv_tensor_create(dev, OB_CONV_FP16, CL_MEM_READ_WRITE, v, 5, &m));
  assert_memory_equal(v, rounded, sizeof v);
  float back[5];
  OB_ASSERT_OK(ob_conv_tensor_read(dev, OB_CONV_FP16, m, 5, back));
  assert_memory_equal(back, rounded, sizeof back);
  ob_buffer_release(dev, m);
  /* A half plan takes buffers of 2 bytes per element: exactly that, not less. */
  const ob_conv_shape s = {2, 4, 8, 8, 6, 3, 3, 1, 1, 2};
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = OB_TUNE_OFF;
  o.storage = OB_CONV_FP16;
  ob_conv_plan *plan = ob_test_conv_plan(&s, OB_CONV_FORWARD, &o, NULL);
  assert_int_equal(ob_conv_plan_storage(plan), OB_CONV_FP16);
  cl_mem x = NULL, w = NULL, y = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 2 * ob_conv_input_elems(&s), NULL, &x));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 2 * ob_conv_filter_elems(&s), NULL, &w));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 2 * ob_conv_output_elems(&s) - 2, NULL,
                                &y));
  assert_int_equal(ob_conv_forward(plan, x, w, NULL, y), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "fp16"));
  ob_buffer_release(dev, y);
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 2 * ob_conv_output_elems(&s), NULL, &y));
  OB_ASSERT_OK(ob_conv_forward(plan, x, w, NULL, y));
  OB_ASSERT_OK(ob_device_finish(dev));
  ob_buffer_release(dev, x);
  ob_buffer_release(dev, w);
  ob_buffer_release(dev, y);
  ob_conv_plan_destroy(plan);
  /* An fp32 plan (the default of zeroed options) needs 4 bytes per element. */
  o.storage = OB_CONV_FP32;
  plan = ob_test_conv_plan(&s, OB_CONV_FORWARD, &o, NULL);
  assert_int_equal(ob_conv_plan_storage(plan), OB_CONV_FP32);
  const ob_conv_config cfg = *ob_conv_plan_config(plan);
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 2 * ob_conv_output_elems(&s), NULL, &y));
  assert_int_equal(ob_conv_forward(plan, y, y, NULL, y), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "fp32"));
  ob_buffer_release(dev, y);
  ob_conv_plan_destroy(plan);
  plan = NULL;
  assert_int_equal(
      ob_conv_plan_create(dev, &s, OB_CONV_FORWARD, (ob_conv_storage)7, &cfg, &plan),
      OB_ERR_INVALID);
  assert_null(plan);
}

/* Writes the embedded kernel sources into a fresh directory, `broken` with an #error under
 * HALF_IO, and returns the directory (for ob_test_kernel_dir). */
static const char *kernel_dir_with_broken_half(const char *broken) {
  const char *dir = ob_test_tmpdir();
  const char *files[] = {"conv_gemm.cl", "conv_aux.cl"};
  for (size_t i = 0; i < 2; i++) {
    char *src = NULL;
    size_t len = 0;
    OB_ASSERT_OK(ob_kernel_source(files[i], &src, &len));
    const char *prefix =
        strcmp(files[i], broken) == 0 ? "#if HALF_IO\n#error no half\n#endif\n" : "";
    char *text = malloc(strlen(prefix) + len + 1);
    assert_non_null(text);
    snprintf(text, strlen(prefix) + len + 1, "%s%s", prefix, src);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    OB_ASSERT_OK(ob_write_file_atomic(path, text, strlen(text)));
    free(text);
    free(src);
  }
  return dir;
}

/* A driver whose half loads and stores do not build makes fp16 plans unsupported (a skipped
 * row with the reason), whichever program fails. Runs first: the device keeps the programs it
 * built, by file and options, for the rest of the process (the helpers' first, as the plan
 * builds them before the GEMM). */
static void half_build_failure_is_unsupported(void **state) {
  (void)state;
  const ob_conv_shape s = {1, 4, 6, 6, 4, 3, 3, 1, 1, 1};
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = OB_TUNE_OFF;
  o.storage = OB_CONV_FP16;
  const char *broken[] = {"conv_aux.cl", "conv_gemm.cl"};
  for (size_t i = 0; i < 2; i++) {
    ob_test_kernel_dir(kernel_dir_with_broken_half(broken[i]));
    ob_conv_choice choice;
    OB_ASSERT_OK(ob_test_conv_select(&s, OB_CONV_FORWARD, &o, &choice));
    ob_conv_plan *plan = NULL;
    assert_int_equal(ob_conv_plan_create(ob_test_device(), &s, OB_CONV_FORWARD, o.storage,
                                         &choice.cfg, &plan),
                     OB_ERR_UNSUPPORTED);
    assert_null(plan);
    assert_non_null(strstr(ob_error_detail(), "no half support"));
    ob_test_kernel_dir(NULL);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(half_build_failure_is_unsupported),
      cmocka_unit_test(half_plans_and_tensors),
      cmocka_unit_test(all_passes_round_the_fp32_result_with_the_device_default),
      cmocka_unit_test(split_k_rounds_the_fp32_result),
      cmocka_unit_test(half_rounding_matches_the_host),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
