/* int8 GEMM (models/gemm/igemm.h) and the linear workload's int8 op (models/gemm/linear.h):
 * exact equality with the host's int64 sums for odd sizes, every transpose, offsets and
 * leading dimensions, several tile configurations, the largest k at the extremes of int8;
 * argument and configuration checks; dot-mode selection; the int8 cases run through the
 * runner with a small workload table. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm/igemm.h"
#include "gemm/igemm_ref.h"
#include "gemm/igemm_tune.h"
#include "gemm/linear.h"
#include "runner.h"

#define CFG(bm_, bn_, tm_, tn_, vm_, vn_, bk_, pad_, local_)                                     \
  {.bm = bm_, .bn = bn_, .tm = tm_, .tn = tn_, .vm = vm_, .vn = vn_, .bk = bk_, .pad = pad_,     \
   .local = local_}

/* Small tiles so that the test sizes span several tiles, slices and work-items, each vector
 * width, a k-slice of 16 and one of 64, unpadded local rows; the NVIDIA default (two uint4
 * groups per work-item and direction, 256 work-items); the CPU form without local memory. */
static const ob_igemm_config configs[] = {
    CFG(16, 16, 4, 4, 4, 4, 16, 4, 1),
    CFG(32, 16, 4, 2, 2, 1, 32, 0, 1),
    CFG(8, 32, 1, 4, 1, 4, 64, 4, 1),
    CFG(128, 128, 8, 8, 4, 4, 32, 4, 1),
    CFG(16, 32, 2, 4, 1, 1, 16, 0, 0), /* no local memory, B word-major */
};
#define NCONFIGS (sizeof configs / sizeof *configs)

static ob_igemm *create(const ob_igemm_config *cfg) {
  ob_igemm *g = NULL;
  OB_ASSERT_OK(ob_igemm_create(ob_test_device(), cfg, OB_IGEMM_DOT_AUTO, &g));
  return g;
}

/* One product with host operands a, b (stored as the args say) against the reference; C is
 * filled with a pattern first, so entries outside m x n must keep it. Returns the launches. */
static int check_product(ob_igemm *g, ob_igemm_args args, const int8_t *a, size_t abytes,
                         const int8_t *b, size_t bbytes, const char *what) {
  ob_device *dev = ob_test_device();
  const size_t cn = args.c_off + args.m * args.ldc + 8;
  /* one byte more: never an empty buffer */
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY, abytes + 1, NULL, &args.a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY, bbytes + 1, NULL, &args.b));
  if (abytes) OB_ASSERT_OK(ob_buffer_write(dev, args.a, 0, abytes, a));
  if (bbytes) OB_ASSERT_OK(ob_buffer_write(dev, args.b, 0, bbytes, b));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, cn * sizeof(int32_t), NULL, &args.c));
  const int32_t pattern = 0x7eadbeef;
  OB_ASSERT_OK(ob_buffer_fill(dev, args.c, &pattern, sizeof pattern, cn * sizeof(int32_t)));
  double t = 0.0;
  OB_ASSERT_OK(ob_igemm_run_timed(g, &args, &t));
  const int launches = ob_igemm_last_launches(g);
  int32_t *c = malloc(cn * sizeof *c);
  assert_non_null(c);
  OB_ASSERT_OK(ob_buffer_read(dev, args.c, 0, cn * sizeof *c, c));
  const ob_igemm_ref_problem p = {.ta = args.ta == OB_GEMM_T, .tb = args.tb == OB_GEMM_T,
                                  .m = args.m, .n = args.n, .k = args.k,
                                  .a = a + args.a_off, .lda = args.lda,
                                  .b = b + args.b_off, .ldb = args.ldb};
  for (size_t i = 0; i < args.m; i++)
    for (size_t j = 0; j < args.n; j++) {
      const int64_t want = ob_igemm_ref_entry(&p, i, j), got = c[args.c_off + i * args.ldc + j];
      if (want != got)
        fail_msg("%s: C(%zu,%zu) = %lld, want %lld", what, i, j, (long long)got,
                 (long long)want);
    }
  /* untouched: before C, the gaps of ldc, after C */
  for (size_t e = 0; e < cn; e++) {
    const bool inside = e >= args.c_off && (e - args.c_off) / args.ldc < args.m &&
                        (e - args.c_off) % args.ldc < args.n;
    if (!inside && c[e] != pattern) fail_msg("%s: C[%zu] outside the result written", what, e);
  }
  free(c);
  ob_buffer_release(dev, args.a);
  ob_buffer_release(dev, args.b);
  ob_buffer_release(dev, args.c);
  return launches;
}

/* Operands with the given layout, offsets and padding of the leading dimensions. */
static void run_shape(ob_igemm *g, size_t m, size_t n, size_t k, ob_gemm_trans ta,
                      ob_gemm_trans tb, size_t off, size_t pad, const char *what) {
  ob_igemm_args args = {.ta = ta, .tb = tb, .m = m, .n = n, .k = k, .a_off = off,
                        .lda = (ta ? m : k) + pad, .b_off = 2 * off,
                        .ldb = (tb ? k : n) + pad, .c_off = 3 * off, .ldc = n + pad};
  const size_t abytes = args.a_off + (ta ? k : m) * args.lda;
  const size_t bbytes = args.b_off + (tb ? n : k) * args.ldb;
  int8_t *a = malloc(abytes + 1), *b = malloc(bbytes + 1);
  assert_true(a && b);
  ob_igemm_ref_fill(a, abytes, 11 + m);
  ob_igemm_ref_fill(b, bbytes, 17 + n);
  check_product(g, args, a, abytes, b, bbytes, what);
  free(a);
  free(b);
}

static void odd_sizes_and_transposes_are_exact(void **state) {
  (void)state;
  static const size_t shapes[][3] = {{37, 29, 50}, {1, 1, 1}, {16, 16, 16}, {5, 70, 3},
                                     {65, 33, 129}};
  for (size_t c = 0; c < NCONFIGS; c++) {
    ob_igemm *g = create(&configs[c]);
    assert_int_equal(ob_igemm_dot_mode(g) == OB_IGEMM_DOT_AUTO, 0);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
      for (int t = 0; t < 4; t++) {
        const ob_gemm_trans ta = (t & 1) ? OB_GEMM_T : OB_GEMM_N;
        const ob_gemm_trans tb = (t & 2) ? OB_GEMM_T : OB_GEMM_N;
        char what[128];
        snprintf(what, sizeof what, "config %zu, %zux%zux%zu, %s%s, offsets and padding", c,
                 shapes[s][0], shapes[s][1], shapes[s][2], ta ? "T" : "N", tb ? "T" : "N");
        run_shape(g, shapes[s][0], shapes[s][1], shapes[s][2], ta, tb, (size_t)(t * 5 + 3), 7,
                  what);
        what[strlen(what) - strlen(", offsets and padding")] = '\0';
        run_shape(g, shapes[s][0], shapes[s][1], shapes[s][2], ta, tb, 0, 0, what);
      }
    ob_igemm_destroy(g);
  }
  ob_igemm_destroy(NULL);
}

/* NT with 16-byte aligned rows and whole tiles reads the operands as stored (one launch);
 * any other layout packs them first. */
static void aligned_nt_needs_no_packing(void **state) {
  (void)state;
  const ob_igemm_config *cfg = &configs[0]; /* 16 x 16 tiles, 16-value slices */
  ob_igemm *g = create(cfg);
  const size_t m = 48, n = 32, k = 64;
  int8_t *a = malloc(m * k), *b = malloc(n * k);
  assert_true(a && b);
  ob_igemm_ref_fill(a, m * k, 1);
  ob_igemm_ref_fill(b, n * k, 2);
  ob_igemm_args args = {.ta = OB_GEMM_N, .tb = OB_GEMM_T, .m = m, .n = n, .k = k, .lda = k,
                        .ldb = k, .ldc = n};
  assert_int_equal(check_product(g, args, a, m * k, b, n * k, "aligned NT"), 1);
  args.tb = OB_GEMM_N; /* B stored k x n: packed */
  args.ldb = n;
  assert_int_equal(check_product(g, args, a, m * k, b, n * k, "NN"), 2);
  args.ta = OB_GEMM_T; /* both packed */
  args.lda = m;
  assert_int_equal(check_product(g, args, a, m * k, b, n * k, "TN"), 3);
  args = (ob_igemm_args){.ta = OB_GEMM_N, .tb = OB_GEMM_T, .m = m - 1, .n = n, .k = k,
                         .lda = k, .ldb = k, .ldc = n};
  assert_int_equal(check_product(g, args, a, m * k, b, n * k, "partial tile"), 2);
  ob_igemm_destroy(g);
  g = create(&configs[4]); /* without local memory B is always packed, word-major */
  args.m = m;
  assert_int_equal(check_product(g, args, a, m * k, b, n * k, "aligned NT, local=0"), 2);
  free(a);
  free(b);
  ob_igemm_destroy(g);
}

/* The largest k with every product at (-128)^2: 131071 * 16384 = 2147467264 < 2^31. */
static void largest_k_case(const ob_igemm_config *cfg) {
  ob_igemm *g = create(cfg);
  const size_t k = OB_IGEMM_MAX_K;
  int8_t *a = malloc(2 * k), *b = malloc(2 * k);
  assert_true(a && b);
  for (size_t l = 0; l < 2 * k; l++) {
    a[l] = -128;
    b[l] = l < k ? -128 : 127; /* row 1 of B^T: products -16256 */
  }
  ob_igemm_args args = {.ta = OB_GEMM_N, .tb = OB_GEMM_T, .m = 2, .n = 2, .k = k, .lda = k,
                        .ldb = k, .ldc = 2};
  check_product(g, args, a, 2 * k, b, 2 * k, "k = 2^17 - 1 at the int8 extremes");
  args.k = k + 1; /* refused before the (NULL) buffers are looked at */
  assert_int_equal(ob_igemm_enqueue(g, &args, NULL, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "int32"));
  free(a);
  free(b);
  ob_igemm_destroy(g);
}

static void largest_k_stays_exact(void **state) {
  (void)state;
  largest_k_case(&configs[0]); /* local memory */
  largest_k_case(&configs[4]); /* vectors, no local memory */
}

static void empty_dimensions(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_igemm *g = create(&configs[1]);
  int8_t a[64], b[64];
  ob_igemm_ref_fill(a, 64, 3);
  ob_igemm_ref_fill(b, 64, 4);
  /* k = 0: C = 0 */
  ob_igemm_args args = {.ta = OB_GEMM_N, .tb = OB_GEMM_N, .m = 5, .n = 3, .k = 0, .lda = 1,
                        .ldb = 3, .ldc = 3};
  assert_int_equal(check_product(g, args, a, 64, b, 64, "k = 0"), 1);
  /* m = 0: nothing launched, no events */
  cl_mem c = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64, NULL, &c));
  args = (ob_igemm_args){.ta = OB_GEMM_N, .tb = OB_GEMM_N, .m = 0, .n = 3, .k = 4, .lda = 4,
                         .ldb = 3, .ldc = 3, .a = NULL, .b = c, .c = c};
  cl_event first = (cl_event)&args, last = (cl_event)&args;
  OB_ASSERT_OK(ob_igemm_enqueue(g, &args, &first, &last));
  assert_null(first);
  assert_null(last);
  assert_int_equal(ob_igemm_last_launches(g), 0);
  ob_buffer_release(dev, c);
  ob_igemm_destroy(g);
}

static void arguments_are_checked(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_igemm *g = create(&configs[0]);
  cl_mem small = NULL, big = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 100, NULL, &small));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 4096, NULL, &big));
  const ob_igemm_args ok = {.ta = OB_GEMM_N, .tb = OB_GEMM_N, .m = 8, .n = 8, .k = 8, .a = big,
                            .lda = 8, .b = big, .ldb = 8, .c = big, .ldc = 8};
  OB_ASSERT_OK(ob_igemm_enqueue(g, &ok, NULL, NULL));
  OB_ASSERT_OK(ob_device_finish(dev));
  struct {
    ob_igemm_args a;
    const char *word;
  } bad[] = {{ok, "NULL"}, {ok, "leading dimension of A"}, {ok, "leading dimension of B"},
             {ok, "leading dimension of C"}, {ok, "A needs"}, {ok, "C needs"}};
  bad[0].a.b = NULL;
  bad[1].a.lda = 7;
  bad[2].a.ta = OB_GEMM_T, bad[2].a.tb = OB_GEMM_T, bad[2].a.ldb = 7;
  bad[3].a.ldc = 7;
  bad[4].a.a = small, bad[4].a.a_off = 40;
  bad[5].a.c = small;
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(ob_igemm_enqueue(g, &bad[i].a, NULL, NULL), OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad[i].word))
      fail_msg("case %zu: '%s' lacks '%s'", i, ob_error_detail(), bad[i].word);
  }
  ob_buffer_release(dev, small);
  ob_buffer_release(dev, big);
  ob_igemm_destroy(g);
}

static void configurations_are_checked(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_igemm_config cand[16];
  const size_t n = ob_igemm_candidates(dev, cand, 16);
  assert_true(n >= 2);
  ob_igemm_config def;
  ob_igemm_config_default(dev, &def);
  assert_memory_equal(&cand[0], &def, sizeof def);
  for (size_t i = 0; i < n; i++) OB_ASSERT_OK(ob_igemm_config_check(&cand[i], dev));
  for (size_t i = 0; i < NCONFIGS; i++) OB_ASSERT_OK(ob_igemm_config_check(&configs[i], dev));
  const ob_igemm_config bad[] = {
      CFG(16, 16, 3, 4, 1, 4, 16, 4, 1),   /* tm does not divide bm */
      CFG(16, 16, 4, 4, 3, 4, 16, 4, 1),   /* vm not 1, 2, 4 */
      CFG(16, 16, 2, 4, 4, 4, 16, 4, 1),   /* vm does not divide tm */
      CFG(16, 16, 4, 4, 4, 4, 24, 4, 1),   /* bk not a multiple of 16 */
      CFG(16, 16, 4, 4, 4, 4, 16, 2, 1),   /* bm + pad not a multiple of vm */
      CFG(128, 128, 1, 1, 1, 1, 16, 0, 1), /* 16384 work-items */
      CFG(64, 64, 16, 32, 4, 4, 16, 4, 1), /* 512 results per work-item */
      CFG(16, 16, 4, 4, 4, 4, 16, 4, 0),   /* no local memory: vm, vn, pad unused */
      CFG(16, 16, 4, 4, 1, 1, 16, 0, 2),   /* local 0 or 1 */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_int_equal(ob_igemm_config_check(&bad[i], NULL), OB_ERR_INVALID);
    ob_igemm *g = (ob_igemm *)&i;
    assert_int_equal(ob_igemm_create(dev, &bad[i], OB_IGEMM_DOT_AUTO, &g), OB_ERR_INVALID);
    assert_null(g);
  }
  char text[128];
  ob_tune_format(&ob_igemm_family, &configs[1], text, sizeof text);
  assert_string_equal(text, "bm=32,bn=16,tm=4,tn=2,vm=2,vn=1,bk=32,pad=0,local=1");
  ob_tune_defines(&ob_igemm_family, &configs[1], text, sizeof text);
  assert_string_equal(text, "-DBM=32 -DBN=16 -DTM=4 -DTN=2 -DVM=2 -DVN=1 -DBK=32 -DPAD=0 "
                            "-DLOCAL=1");
  ob_igemm *g = (ob_igemm *)&text;
  assert_int_equal(ob_igemm_create(dev, NULL, OB_IGEMM_DOT_AUTO, &g), OB_ERR_INVALID);
  assert_null(g);
}

/* The selection step: the default with tuning off (and the dot mode the default builds with),
 * a forced configuration whatever the mode (its dot mode chosen at creation). */
static void selection_default_and_forced(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  s.mode = OB_TUNE_OFF;
  ob_igemm_config cfg, def;
  ob_igemm_dot dot = OB_IGEMM_DOT_AUTO;
  ob_tune_source source;
  ob_igemm_config_default(dev, &def);
  OB_ASSERT_OK(ob_igemm_select(dev, &s, OB_IGEMM_DOT_AUTO, &cfg, &dot, &source));
  assert_int_equal(source, OB_TUNE_DEFAULT);
  assert_memory_equal(&cfg, &def, sizeof cfg);
  assert_true(dot != OB_IGEMM_DOT_AUTO);
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_igemm_family,
                                      "bm=16,bn=32,tm=2,tn=4,vm=1,vn=1,bk=16,pad=0,local=0"));
  OB_ASSERT_OK(ob_igemm_select(dev, &s, OB_IGEMM_DOT_AUTO, &cfg, &dot, &source));
  assert_string_equal(ob_tune_source_name(source), "env");
  assert_memory_equal(&cfg, &configs[4], sizeof cfg);
  assert_int_equal(dot, OB_IGEMM_DOT_AUTO);
  ob_igemm *g = NULL;
  OB_ASSERT_OK(ob_igemm_create(dev, &cfg, dot, &g));
  assert_int_equal(ob_igemm_dot_mode(g), OB_IGEMM_DOT_PLAIN);
  run_shape(g, 19, 23, 45, OB_GEMM_N, OB_GEMM_T, 1, 3, "forced");
  ob_igemm_destroy(g);
}

/* Plain arithmetic always; cl_khr_integer_dot_product only where reported; PTX only on NVIDIA. */
static void dot_modes(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_igemm *g = NULL;
  OB_ASSERT_OK(ob_igemm_create(dev, &configs[0], OB_IGEMM_DOT_PLAIN, &g));
  assert_int_equal(ob_igemm_dot_mode(g), OB_IGEMM_DOT_PLAIN);
  run_shape(g, 19, 23, 45, OB_GEMM_N, OB_GEMM_N, 1, 3, "plain");
  ob_igemm_destroy(g);
  const bool khr = ob_device_has_extension(dev, "cl_khr_integer_dot_product");
  const bool nvidia = ob_device_props_get(dev)->vendor_class == OB_VENDOR_NVIDIA;
  const ob_igemm_dot modes[] = {OB_IGEMM_DOT_KHR, OB_IGEMM_DOT_PTX};
  for (int i = 0; i < 2; i++) {
    g = NULL;
    ob_status st = ob_igemm_create(dev, &configs[0], modes[i], &g);
    if (st == OB_OK) {
      assert_true(i == 0 ? khr : nvidia);
      assert_int_equal(ob_igemm_dot_mode(g), modes[i]);
      run_shape(g, 19, 23, 45, OB_GEMM_T, OB_GEMM_N, 1, 3, ob_igemm_dot_name(modes[i]));
    } else {
      assert_int_equal(st, OB_ERR_UNSUPPORTED);
      assert_null(g);
    }
    ob_igemm_destroy(g);
  }
  assert_int_equal(ob_igemm_create(dev, NULL, (ob_igemm_dot)9, &g), OB_ERR_INVALID);
  assert_string_equal(ob_igemm_dot_name(OB_IGEMM_DOT_KHR), "khr");
}

/* ---------------------------------------------------------------- the workload cases */

/* The linear workload's int8 cases (the last ones it lists). */
static size_t int8_cases(const ob_run_opts *opts, ob_case *cases, size_t max) {
  ob_case all[64];
  const size_t n = ob_linear_list_cases(ob_test_device(), opts, all, 64);
  size_t k = 0;
  for (size_t i = 0; i < n && k < max; i++)
    if (strcmp(all[i].precision, "int8") == 0) cases[k++] = all[i];
  return k;
}

static void cases_are_listed(void **state) {
  (void)state;
  ob_case cases[8];
  const ob_run_opts quick = {.quick = true, .seconds = 0.2}, full = {.seconds = 1};
  assert_int_equal(int8_cases(&quick, cases, 8), 2);
  const size_t n = int8_cases(&full, cases, 8);
  assert_int_equal(n, 4);
  const char *params[] = {"m=1024;n=1024;k=1024;ta=N;tb=T", "m=2048;n=2048;k=2048;ta=N;tb=T",
                          "m=4096;n=4096;k=4096;ta=N;tb=T",
                          "layer=fc1024;batch=128;pass=forward;m=128;n=1024;k=1024;ta=N;tb=T"};
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(cases[i].params, params[i]);
    assert_string_equal(cases[i].variant, "own");
    assert_string_equal(cases[i].precision, "int8");
    const ob_linear_case *spec = cases[i].spec;
    assert_int_equal(spec->op, OB_LINEAR_OWN_INT8);
    assert_int_equal(cases[i].nmetrics, 1);
    assert_string_equal(cases[i].metrics[0].name, "gops");
    assert_string_equal(cases[i].metrics[0].unit, "GOP/s");
    assert_true(isnan(cases[i].flops));
    const double m = (double)spec->shape->m, nn = (double)spec->shape->n,
                 k = (double)spec->shape->k;
    assert_true(cases[i].metrics[0].work == 2.0 * m * nn * k);
    assert_true(cases[i].bytes == m * k + k * nn + 4.0 * m * nn);
  }
  assert_string_equal(cases[0].series, "own-int8-square");
  assert_string_equal(cases[2].series, cases[0].series);
  assert_true(cases[2].cost == 8.0 * cases[1].cost);
  assert_string_equal(cases[3].series, "");
  assert_int_equal(ob_linear_list_cases(ob_test_device(), &full, cases, 1), 1);
}

/* Small cases (odd sizes, every transpose, a tile-sized NT one) of the int8 op. */
static const ob_linear_shape tiny_shapes[] = {
    {NULL, 33, 17, 70, OB_GEMM_N, OB_GEMM_N, true}, {NULL, 33, 17, 70, OB_GEMM_T, OB_GEMM_N, true},
    {NULL, 33, 17, 70, OB_GEMM_N, OB_GEMM_T, true}, {NULL, 33, 17, 70, OB_GEMM_T, OB_GEMM_T, true},
    {NULL, 128, 128, 128, OB_GEMM_N, OB_GEMM_T, true}};
static const ob_linear_case tiny[] = {
    {OB_LINEAR_OWN_INT8, &tiny_shapes[0]}, {OB_LINEAR_OWN_INT8, &tiny_shapes[1]},
    {OB_LINEAR_OWN_INT8, &tiny_shapes[2]}, {OB_LINEAR_OWN_INT8, &tiny_shapes[3]},
    {OB_LINEAR_OWN_INT8, &tiny_shapes[4]}};

static size_t tiny_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                         size_t max) {
  (void)dev, (void)opts;
  size_t n = 0;
  for (size_t i = 0; i < sizeof tiny / sizeof *tiny && n < max; i++)
    ob_linear_case_init(&cases[n++], &tiny[i]);
  return n;
}

static void cases_run_through_the_runner(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_workload tiny_int8 = ob_workload_linear;
  tiny_int8.list_cases = tiny_cases;
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &tiny_int8, &opts));
  assert_int_equal(ob_session_failed(session), 0);
  size_t measured = 0;
  for (size_t r = 0; r < rows->n; r++) {
    const ob_result *row = &rows->items[r];
    if (strcmp(row->variant, "compile") == 0) continue;
    measured++;
    assert_string_equal(row->precision, "int8");
    assert_string_equal(row->metric, "gops");
    assert_string_equal(row->unit, "GOP/s");
    if (row->status != OB_RESULT_OK || row->verified != OB_VERIFIED_YES)
      fail_msg("row %zu: %s", r, row->note);
    assert_non_null(strstr(row->note, "entries equal (int64 reference)"));
    assert_non_null(strstr(row->note, "dot="));
    print_message("int8 %s: %g GOP/s; %s\n", row->params, row->value, row->note);
    assert_true(row->value > 0);
  }
  assert_int_equal(measured, 5);
  assert_true(ob_session_mem_peak(session, dev) > 0);
  ob_session_destroy(session);
}

/* A wrong result (a wrong term in the plain products of both kernel forms: a product
 * subtracted, a byte taken twice its value) fails verification, or the tuner's exactness
 * check rejects every candidate first. */
static void verification_catches_a_wrong_kernel(void **state) {
  (void)state;
  char *src = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_kernel_source("igemm.cl", &src, &len));
  const char *fix[][2] = {{"return x.s0 * y.s0 + x.s1 * y.s1", "return x.s0 * y.s0 - x.s1 * y.s1"},
                          {"acc[i] = mad24(b2, (IVEC)((x << 16) >> 24), acc[i]);",
                           "acc[i] = mad24(b2, (IVEC)((x << 16) >> 23), acc[i]);"}};
  for (int i = 0; i < 2; i++) {
    char *bug = strstr(src, fix[i][0]);
    assert_non_null(bug);
    assert_int_equal(strlen(fix[i][0]), strlen(fix[i][1]));
    memcpy(bug, fix[i][1], strlen(fix[i][1]));
  }
  char dir[4096], path[4200];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  snprintf(path, sizeof path, "%s/igemm.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, src, len));
  free(src);
  OB_ASSERT_OK(ob_kernel_source("paste.cl", &src, &len)); /* built in front of igemm.cl */
  snprintf(path, sizeof path, "%s/paste.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, src, len));
  free(src);
  ob_test_kernel_dir(dir);
  ob_registry *reg = NULL;
  OB_ASSERT_OK(ob_registry_create(&reg));
  ob_device *dev = ob_registry_device(reg, ob_device_index(ob_test_device()));
  static const ob_linear_shape shape = {NULL, 20, 12, 9, OB_GEMM_N, OB_GEMM_N, true};
  static const ob_linear_case spec = {OB_LINEAR_OWN_INT8, &shape};
  ob_case c;
  ob_linear_case_init(&c, &spec);
  void *st = calloc(1, ob_workload_linear.state_size);
  assert_non_null(st);
  ob_verdict v = {0};
  ob_status s = ob_linear_setup(st, dev, &c);
  /* the dot modes other than plain fail their exactness check and fall back to plain */
  if (s == OB_OK) s = ob_linear_run(st, &(double){0});
  if (s == OB_OK) s = ob_linear_verify(st, &v);
  ob_linear_teardown(st);
  free(st);
  ob_registry_destroy(reg);
  ob_test_kernel_dir(NULL);
  if (s == OB_ERR_UNSUPPORTED) { /* the tuner found every candidate inexact */
    assert_non_null(strstr(ob_error_detail(), ": inexact)"));
    return;
  }
  OB_ASSERT_OK(s);
  assert_true(v.checked);
  if (strstr(v.note, "dot=plain")) {
    assert_false(v.ok);
    assert_non_null(strstr(v.note, "differ, first C("));
  }
}

int main(void) {
  /* OCLBENCH_LOG=info shows the dot-mode choice and the GPU tuning (GOP/s per candidate):
   * tests/support.c configures the core from the environment as the CLI does. */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(configurations_are_checked),
      cmocka_unit_test(selection_default_and_forced),
      cmocka_unit_test(odd_sizes_and_transposes_are_exact),
      cmocka_unit_test(aligned_nt_needs_no_packing),
      cmocka_unit_test(largest_k_stays_exact),
      cmocka_unit_test(empty_dimensions),
      cmocka_unit_test(arguments_are_checked),
      cmocka_unit_test(dot_modes),
      cmocka_unit_test(cases_are_listed),
      cmocka_unit_test(cases_run_through_the_runner),
      cmocka_unit_test(verification_catches_a_wrong_kernel),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
