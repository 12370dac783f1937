/* The project's SGEMM: configurations, correctness of both kernel paths on odd sizes,
 * transposes, alpha/beta, leading dimensions and offsets, with fp32 and half storage (and the
 * device's rounding to half bit-exact against the host's); argument checks; kernel selection
 * (environment, tuning, cache, fp16 shapes apart); the host reference and half conversions. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm/clblast_gemm.h"
#include "gemm/gemm.h"
#include "gemm/gemm_ref.h"
#include "gemm/gemm_tune.h"

/* One configuration of each kernel path (fixed: no tuning in the correctness tests). */
static const char *const test_configs[] = {
    /* GPU style: local memory, strided float4 tiles, double-buffered K-slices */
    "bm=32,bn=64,tm=4,tn=4,vm=4,vn=4,strided=1,local=1,bk=16,vg=4,pad=4,kc=0,lm=0,ln=0,"
    "splitk=0,pack=0,panel=0,persist=0,streamk=0",
    /* CPU style: register tiles from global memory, barriers every kc steps */
    "bm=16,bn=64,tm=4,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=16,lm=0,ln=0,"
    "splitk=0",
    /* GPU style with 2 x 4 lane grids of 4 x 4 work-items (warp tiles), 8 x 8 per work-item,
     * one-float A loads and stores (vg=1) */
    "bm=32,bn=128,tm=8,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=1,pad=4,kc=0,lm=2,ln=4,"
    "splitk=0",
    /* the first two with K split into 3 and 2 ranges (same kernels, plus the reduction) */
    "bm=32,bn=64,tm=4,tn=4,vm=4,vn=4,strided=1,local=1,bk=16,vg=4,pad=4,kc=0,lm=0,ln=0,"
    "splitk=3",
    "bm=16,bn=64,tm=4,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=16,lm=0,ln=0,"
    "splitk=2",
    /* CPU style with the B panel of kc steps packed in local memory (kc not dividing k) */
    "bm=32,bn=32,tm=4,tn=16,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=16,lm=0,ln=0,"
    "splitk=0,pack=1",
    /* CPU style with A and B copied into panels once per call (6-row A micro-panels: copy
     * blocks straddle them; kc not dividing k), and with B alone in panels (no kc) */
    "bm=12,bn=32,tm=6,tn=16,vm=1,vn=8,strided=0,local=0,bk=1,vg=1,pad=0,kc=16,lm=0,ln=0,"
    "splitk=0,panel=3",
    "bm=16,bn=32,tm=8,tn=16,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=0,lm=0,ln=0,"
    "splitk=0,panel=2",
    /* CPU style, persistent BLIS-ordered work-groups packing blocks into local memory (kc not
     * dividing k, several row, column and k blocks per work-group, 16-element packing runs
     * straddling A's 8-row micro-panels and within B's 32-column ones) */
    "bm=16,bn=64,tm=8,tn=32,vm=1,vn=16,strided=0,local=0,bk=1,vg=1,pad=0,kc=16,lm=0,ln=0,"
    "splitk=0,persist=1",
    /* GPU style, register tiles taller than wide (16 x 8 per work-item: four A vectors per k) */
    "bm=64,bn=32,tm=16,tn=8,vm=4,vn=4,strided=1,local=1,bk=8,vg=4,pad=4,kc=0,lm=0,ln=0,"
    "splitk=0",
};
#define PERSIST_CONFIG 8 /* test_configs' persistent configuration */

static ob_gemm_config parse_config(const char *text) {
  ob_gemm_config cfg;
  memset(&cfg, 0, sizeof cfg);
  OB_ASSERT_OK(ob_tune_parse(&ob_gemm_family, text, &cfg));
  OB_ASSERT_OK(ob_gemm_config_check(&cfg, ob_test_device()));
  return cfg;
}

/* Bytes per element of a storage type. */
static size_t elem_bytes(ob_gemm_storage st) { return st == OB_GEMM_FP16 ? 2 : sizeof(float); }

/* A new buffer holding the n host floats x in the storage type; with half storage x is
 * rounded in place first, so that it holds the values the device reads. */
static cl_mem upload(float *x, size_t n, ob_gemm_storage st) {
  ob_device *dev = ob_test_device();
  cl_mem buf = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * elem_bytes(st), NULL, &buf));
  if (st == OB_GEMM_FP32) {
    OB_ASSERT_OK(ob_buffer_write(dev, buf, 0, n * sizeof *x, x));
    return buf;
  }
  uint16_t *h = malloc(n * sizeof *h);
  assert_non_null(h);
  for (size_t i = 0; i < n; i++) {
    h[i] = ob_half_from_float(x[i]);
    x[i] = ob_half_to_float(h[i]);
  }
  OB_ASSERT_OK(ob_buffer_write(dev, buf, 0, n * sizeof *h, h));
  free(h);
  return buf;
}

/* Reads n elements of buf in the storage type into the floats x. */
static void download(cl_mem buf, float *x, size_t n, ob_gemm_storage st) {
  ob_device *dev = ob_test_device();
  if (st == OB_GEMM_FP32) {
    OB_ASSERT_OK(ob_buffer_read(dev, buf, 0, n * sizeof *x, x));
    return;
  }
  uint16_t *h = malloc(n * sizeof *h);
  assert_non_null(h);
  OB_ASSERT_OK(ob_buffer_read(dev, buf, 0, n * sizeof *h, h));
  for (size_t i = 0; i < n; i++) x[i] = ob_half_to_float(h[i]);
  free(h);
}

/* A GEMM call on host data with room around the matrices: operand offsets and leading
 * dimensions larger than the stored width. */
typedef struct problem {
  ob_gemm_trans ta, tb;
  size_t m, n, k, pad_ld, off;
  float alpha, beta;
} problem;

/* Runs pr with A, B and C in storage st through g, or with g NULL through CLBlast (Sgemm, or
 * Hgemm for half storage), and compares C with the double reference of the stored inputs
 * (fp32 bound; for half storage the fp16-storage bound, CLBlast's half arithmetic the fp16
 * bound). */
static void check_problem(ob_gemm *g, const problem *pr, ob_gemm_storage st) {
  const size_t ar = pr->ta ? pr->k : pr->m, ac = pr->ta ? pr->m : pr->k;
  const size_t br = pr->tb ? pr->n : pr->k, bc = pr->tb ? pr->k : pr->n;
  const size_t lda = ac + pr->pad_ld, ldb = bc + pr->pad_ld, ldc = pr->n + pr->pad_ld;
  const size_t na = pr->off + ar * lda + 1, nb = pr->off + br * ldb + 1,
               nc = pr->off + pr->m * ldc + 1;
  float *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b), *c0 = malloc(nc * sizeof *c0),
        *c = malloc(nc * sizeof *c);
  assert_non_null(a && b && c0 && c);
  ob_gemm_ref_fill(a, na, 11);
  ob_gemm_ref_fill(b, nb, 12);
  ob_gemm_ref_fill(c0, nc, 13);
  if (pr->beta == 0.0f)
    for (size_t i = 0; i < nc; i++) c0[i] = NAN; /* beta = 0 must not read C */
  ob_gemm_args args = {.storage = st, .ta = pr->ta, .tb = pr->tb, .m = pr->m, .n = pr->n,
                       .k = pr->k, .alpha = pr->alpha, .beta = pr->beta, .a_off = pr->off,
                       .lda = lda, .b_off = pr->off, .ldb = ldb, .c_off = pr->off, .ldc = ldc};
  args.a = upload(a, na, st);
  args.b = upload(b, nb, st);
  args.c = upload(c0, nc, st);
  if (g)
    OB_ASSERT_OK(ob_gemm_enqueue(g, &args, NULL));
  else
    OB_ASSERT_OK(ob_clblast_gemm(ob_test_device(),
                                 st == OB_GEMM_FP16 ? OB_CLBLAST_FP16 : OB_CLBLAST_FP32, &args));
  download(args.c, c, nc, st);
  const ob_gemm_ref_problem p = {.ta = pr->ta, .tb = pr->tb, .m = pr->m, .n = pr->n,
                                 .k = pr->k, .alpha = pr->alpha, .beta = pr->beta,
                                 .a = a + pr->off, .lda = lda, .b = b + pr->off, .ldb = ldb,
                                 .c0 = c0 + pr->off, .ldc0 = ldc};
  ob_gemm_ref_result r;
  const double bound = st == OB_GEMM_FP32 ? ob_gemm_ref_bound_fp32(pr->k)
                       : g                ? ob_gemm_ref_bound_fp16_storage(pr->k)
                                          : ob_gemm_ref_bound_fp16(pr->k);
  ob_gemm_ref_check(&p, c + pr->off, ldc, bound, 1, &r);
  if (!r.ok)
    fail_msg("%s %zux%zux%zu ta=%d tb=%d alpha=%g beta=%g: rel_err %.3g (bound %.3g)",
             st == OB_GEMM_FP16 ? "fp16" : "fp32", pr->m, pr->n, pr->k, pr->ta, pr->tb,
             pr->alpha, pr->beta, r.rel_err, bound);
  assert_false(r.sampled);
  /* Nothing outside C was written: the padding columns and the guard entries keep C0. */
  for (size_t i = 0; i < pr->m; i++)
    for (size_t j = pr->n; j < ldc; j++) {
      const float want = c0[pr->off + i * ldc + j], got = c[pr->off + i * ldc + j];
      assert_true(got == want || (isnan(got) && isnan(want)));
    }
  assert_true(c[nc - 1] == c0[nc - 1] || (isnan(c[nc - 1]) && isnan(c0[nc - 1])));
  ob_device *dev = ob_test_device();
  ob_buffer_release(dev, args.a);
  ob_buffer_release(dev, args.b);
  ob_buffer_release(dev, args.c);
  free(a);
  free(b);
  free(c0);
  free(c);
}

static void config_text_round_trip_and_rules(void **state) {
  (void)state;
  ob_gemm_config cfg = parse_config(test_configs[0]);
  char text[200];
  ob_tune_format(&ob_gemm_family, &cfg, text, sizeof text);
  assert_string_equal(text, test_configs[0]);
  ob_gemm_config back;
  memset(&back, 0, sizeof back);
  OB_ASSERT_OK(ob_tune_parse(&ob_gemm_family, text, &back));
  assert_memory_equal(&cfg, &back, sizeof cfg);
  /* Partial text only changes the keys given. */
  OB_ASSERT_OK(ob_tune_parse(&ob_gemm_family, "bk=32", &back));
  assert_int_equal(back.bk, 32);
  assert_int_equal(back.bm, 32);
  /* Syntax errors name the bad pair. */
  assert_int_equal(ob_tune_parse(&ob_gemm_family, "bm=12x", &back), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "bm='12x'"));
  assert_int_equal(ob_tune_parse(&ob_gemm_family, "colour=3", &back), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "colour"));
  assert_int_equal(ob_tune_parse(&ob_gemm_family, "bm=-4", &back), OB_ERR_INVALID);
  /* The -D options, in gemm.cl's order (splitk is not a kernel define). */
  char defines[256];
  ob_tune_defines(&ob_gemm_family, &cfg, defines, sizeof defines);
  assert_string_equal(defines, "-DBM=32 -DBN=64 -DTM=4 -DTN=4 -DVM=4 -DVN=4 -DSTRIDED=1 "
                               "-DLOCAL=1 -DBK=16 -DVG=4 -DPAD=4 -DKC=0 -DLM=0 -DLN=0");
  /* Rule violations. */
  cfg = parse_config(test_configs[0]);
  cfg.tm = 3;
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[0]);
  cfg.vn = 3;
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[0]);
  cfg.pad = 2; /* not a multiple of the vector widths */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[0]);
  cfg.bk = 2; /* slice of 32x2 floats not shared evenly by 128 work-items in float4s */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[0]);
  cfg.lm = 3; /* does not divide the 8 work-items along m */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "lm must divide"));
  cfg = parse_config(test_configs[1]);
  cfg.ln = 2; /* lane grids need the strided layout */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[0]);
  cfg.pack = 1; /* packing is the local=0 path's */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "pack"));
  cfg = parse_config(test_configs[1]);
  cfg.pack = 1;
  cfg.kc = 0; /* a panel needs a bounded number of steps */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  cfg = parse_config(test_configs[PERSIST_CONFIG]);
  cfg.kc = 24; /* persistent blocks are whole 16-element packing runs */
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "persist"));
  cfg = parse_config(test_configs[PERSIST_CONFIG]);
  cfg.panel = 2;
  assert_int_equal(ob_gemm_config_check(&cfg, NULL), OB_ERR_INVALID);
  /* No register-cap key: NVIDIA's compiler ignores a cap on this kernel (its work-group size
   * is fixed), so a cache line or OCLBENCH_CONFIG_GEMM that names one is not taken. */
  assert_int_equal(ob_tune_parse(&ob_gemm_family, "regs=128", &back), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "unknown key 'regs'"));
  /* Device limits (a valid configuration this device cannot run): local memory. */
  cfg = parse_config(test_configs[0]);
  cfg.bk = 4096;
  cfg.bm = cfg.bn = 512;
  cfg.tm = cfg.tn = 64;
  cfg.vm = cfg.vn = 4;
  assert_int_equal(ob_gemm_config_check(&cfg, ob_test_device()), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "local memory"));
  /* The persistent blocks: kc x (bm + bn) floats, checked against the device's size. */
  cfg = parse_config(test_configs[PERSIST_CONFIG]);
  cfg.kc = 4096;
  cfg.bm = 512; /* 128 work-items, 9 MiB */
  assert_int_equal(ob_gemm_config_check(&cfg, ob_test_device()), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "local memory"));
}

static void defaults_and_candidates_are_valid(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_gemm_config def, cand[16];
  ob_gemm_config_default(dev, &def);
  OB_ASSERT_OK(ob_gemm_config_check(&def, dev));
  size_t n = ob_gemm_candidates(dev, cand, 16);
  assert_true(n >= 3);
  assert_memory_equal(&cand[0], &def, sizeof def);
  for (size_t i = 0; i < n; i++) OB_ASSERT_OK(ob_gemm_config_check(&cand[i], dev));
  char key[64];
  ob_gemm_args shape = {.ta = OB_GEMM_N, .tb = OB_GEMM_T, .m = 128, .n = 1000, .k = 1025};
  ob_gemm_shape_key(&shape, key, sizeof key);
  assert_string_equal(key, "NT:m128:n1024:k2048");
  shape.storage = OB_GEMM_FP16; /* tuned apart */
  ob_gemm_shape_key(&shape, key, sizeof key);
  assert_string_equal(key, "NT:m128:n1024:k2048:fp16");
  shape = (ob_gemm_args){.ta = OB_GEMM_T, .tb = OB_GEMM_N, .m = 1, .n = 3, .k = 4};
  ob_gemm_shape_key(&shape, key, sizeof key);
  assert_string_equal(key, "TN:m1:n4:k4");
}

/* Odd sizes (non-multiples of every tile), all transposes, alpha/beta, ld > width, offsets
 * that break vector alignment. */
static const problem problems[] = {
    {OB_GEMM_N, OB_GEMM_N, 1, 1, 1, 0, 0, 1.0f, 0.0f},
    {OB_GEMM_N, OB_GEMM_N, 77, 131, 45, 0, 0, 1.0f, 0.0f},
    {OB_GEMM_N, OB_GEMM_T, 77, 131, 45, 3, 1, 0.5f, 2.0f},
    {OB_GEMM_T, OB_GEMM_N, 33, 65, 17, 1, 5, -1.5f, 0.25f},
    {OB_GEMM_T, OB_GEMM_T, 64, 128, 64, 0, 0, 1.0f, 1.0f},   /* exact tile multiples */
    {OB_GEMM_N, OB_GEMM_N, 64, 128, 96, 4, 16, 2.0f, -1.0f}, /* aligned ld and offsets */
    {OB_GEMM_T, OB_GEMM_T, 5, 200, 3, 2, 7, 1.0f, 0.0f},
    {OB_GEMM_N, OB_GEMM_T, 130, 1, 70, 0, 2, 1.0f, 0.5f},
};
#define NPROBLEMS (sizeof problems / sizeof *problems)

/* The problems on both kernel paths (and split-K), in storage st. */
static void check_every_config(ob_gemm_storage st) {
  for (size_t c = 0; c < sizeof test_configs / sizeof *test_configs; c++) {
    ob_gemm_config cfg = parse_config(test_configs[c]);
    ob_gemm *g = NULL;
    OB_ASSERT_OK(ob_gemm_create(ob_test_device(), &cfg, &g));
    for (size_t p = 0; p < NPROBLEMS; p++) {
      /* The lane-grid configuration on NN and TT only: they cover its four local-store paths
       * (A and B each as columns and as rows) with half the PoCL builds. */
      if (c == 2 && problems[p].ta != problems[p].tb) continue;
      /* Half storage: every layout on the two base configurations (local memory, loading A
       * and B as rows and as columns; none); NN on the others, whose differences (one-half
       * loads, lane grids, split-K's float partial products and the reduction's rounding)
       * do not depend on the layout. Fewer PoCL builds. The persistent configuration on every
       * layout (its packing converts halves along either dimension). */
      if (st == OB_GEMM_FP16 && c >= 2 && c != PERSIST_CONFIG && (problems[p].ta || problems[p].tb))
        continue;
      check_problem(g, &problems[p], st);
    }
    assert_memory_equal(ob_gemm_config_get(g), &cfg, sizeof cfg);
    ob_gemm_destroy(g);
  }
}

static void both_paths_match_the_reference(void **state) {
  (void)state;
  check_every_config(OB_GEMM_FP32);
}

/* The same problems with A, B and C stored as half (fp32 arithmetic): within 2^-11 plus the
 * fp32 bound of the product of the stored (half-rounded) inputs. */
static void half_storage_matches_the_reference(void **state) {
  (void)state;
  check_every_config(OB_GEMM_FP16);
}

/* CLBlast's Sgemm, and Hgemm where the device has fp16, on the same problems (the library
 * calls of the linear workload, at sizes small enough for Oclgrind). */
static void clblast_matches_the_reference(void **state) {
  (void)state;
  for (size_t p = 0; p < NPROBLEMS; p++) check_problem(NULL, &problems[p], OB_GEMM_FP32);
  if (!ob_device_fp16(ob_test_device())) return;
  for (size_t p = 0; p < NPROBLEMS; p++) check_problem(NULL, &problems[p], OB_GEMM_FP16);
}

/* A random half with a biased exponent in [emin, emax] (0: subnormal) and a random sign. */
static uint16_t random_half(uint64_t *seed, unsigned emin, unsigned emax) {
  *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
  const unsigned r = (unsigned)(*seed >> 33);
  const unsigned e = emin + r % (emax - emin + 1), mant = (r >> 5) & 0x3ffu;
  return (uint16_t)(((r >> 20) & 1u ? 0x8000u : 0u) | e << 10 | (mant | (e ? 0u : 1u)));
}

/* C = alpha * A B + beta * C0 with k = 1 (and beta 0 or 1, alpha a power of two): every
 * product of two halves is exact in fp32, so is the sum with one half (a single fp32
 * rounding, the same on the host), and the device's rounding of C to half (vstore_half_rte,
 * vector and element stores, the split-K reduction) must give the host's round-to-nearest-
 * even bits exactly: ties (x 1.5 of odd significands), subnormal and underflowing results,
 * overflow to infinity, both signs. The loads (vload_half, the copy's conversion) must be
 * exact too. */
static void half_rounding_is_exact(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  enum { M = 37, N = 45, LDC = 48 }; /* LDC: VN-aligned rows, a partial vector at the end */
  uint16_t a[M], b[N], c0[M * LDC], c[M * LDC];
  uint64_t seed = 99;
  for (int i = 0; i < M; i++) a[i] = random_half(&seed, 0, 22); /* 0 (subnormal) .. 2^7 */
  a[0] = 0x3c01;                                                    /* 1 + 2^-10 */
  a[1] = 0x3c03;                                                    /* 1 + 3 * 2^-10 */
  a[2] = 0x0001;                                                    /* 2^-24 */
  a[3] = 0x7bff;                                                    /* 65504 */
  static const uint16_t special[] = {0x3e00, 0xbe00, 0x3d00, 0x3a00, 0x4200, 0x1200, 0x3c00};
  for (int j = 0; j < N; j++)
    b[j] = j < (int)(sizeof special / sizeof *special) ? special[j] : random_half(&seed, 5, 24);
  for (int i = 0; i < M * LDC; i++) c0[i] = random_half(&seed, 1, 30);
  static const float alphas[] = {1.0f, 0.25f}, betas[] = {0.0f, 1.0f};
  for (size_t cf = 0; cf < sizeof test_configs / sizeof *test_configs; cf++) {
    ob_gemm_config cfg = parse_config(test_configs[cf]);
    ob_gemm *g = NULL;
    OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
    for (int v = 0; v < 2; v++) {
      ob_gemm_args args = {.storage = OB_GEMM_FP16, .m = M, .n = N, .k = 1,
                           .alpha = alphas[v], .beta = betas[v], .lda = 1, .ldb = N,
                           .ldc = LDC};
      OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY, sizeof a, NULL, &args.a));
      OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY, sizeof b, NULL, &args.b));
      OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, sizeof c0, NULL, &args.c));
      OB_ASSERT_OK(ob_buffer_write(dev, args.a, 0, sizeof a, a));
      OB_ASSERT_OK(ob_buffer_write(dev, args.b, 0, sizeof b, b));
      OB_ASSERT_OK(ob_buffer_write(dev, args.c, 0, sizeof c0, c0));
      OB_ASSERT_OK(ob_gemm_enqueue(g, &args, NULL));
      OB_ASSERT_OK(ob_buffer_read(dev, args.c, 0, sizeof c, c));
      size_t ties = 0, subnormal = 0, inf = 0;
      for (int i = 0; i < M; i++)
        for (int j = 0; j < LDC; j++) {
          const size_t e = (size_t)i * LDC + (size_t)j;
          if (j >= N) { /* padding columns: untouched */
            assert_int_equal(c[e], c0[e]);
            continue;
          }
          const float p = ob_half_to_float(a[i]) * ob_half_to_float(b[j]); /* exact */
          const float sum = alphas[v] * p + betas[v] * ob_half_to_float(c0[e]);
          const uint16_t want = ob_half_from_float(sum);
          if (c[e] != want)
            fail_msg("%s beta=%g: C(%d,%d) = %04x * %04x -> %.9g: device %04x, host %04x",
                     test_configs[cf], betas[v], i, j, a[i], b[j], (double)sum, c[e], want);
          uint32_t bits;
          memcpy(&bits, &sum, sizeof bits);
          ties += (want & 0x7c00u) != 0 && (bits & 0x1fffu) == 0x1000u;
          subnormal += (want & 0x7c00u) == 0 && sum != 0.0f;
          inf += (want & 0x7fffu) == 0x7c00u;
        }
      if (betas[v] == 0.0f) /* the data exercise what they claim to */
        assert_true(ties >= 8 && subnormal >= 8 && inf >= 4);
      ob_buffer_release(dev, args.a);
      ob_buffer_release(dev, args.b);
      ob_buffer_release(dev, args.c);
    }
    ob_gemm_destroy(g);
  }
}

/* Multiples of the tile with aligned operands launch the GEMM kernel alone; anything else
 * adds operand copies; k = 0 gives C = beta * C. */
static void launch_count_and_empty_inner_dimension(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_gemm_config cfg = parse_config(test_configs[0]);
  ob_gemm *g = NULL;
  OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
  const size_t n = 64;
  ob_gemm_args a = {.m = n, .n = n, .k = n, .alpha = 1.0f, .beta = 0.0f, .lda = n, .ldb = n,
                    .ldc = n};
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 4, NULL, &a.a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 4, NULL, &a.b));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 4, NULL, &a.c));
  const float one = 1.0f, three = 3.0f;
  OB_ASSERT_OK(ob_buffer_fill(dev, a.a, &one, sizeof one, n * n * 4));
  OB_ASSERT_OK(ob_buffer_fill(dev, a.b, &one, sizeof one, n * n * 4));
  double t = 0.0;
  OB_ASSERT_OK(ob_gemm_run_timed(g, &a, &t));
  assert_int_equal(ob_gemm_last_launches(g), 1);
  assert_true(t > 0.0);
  float v = 0.0f;
  OB_ASSERT_OK(ob_buffer_read(dev, a.c, 4 * (n * n - 1), sizeof v, &v));
  assert_true(v == (float)n);
  /* Row bands of bm = 32 rows per launch (watchdog devices): two launches, same result. */
  ob_gemm_set_launch_limit(g, 2.0 * 32 * 64 * 64);
  OB_ASSERT_OK(ob_gemm_run_timed(g, &a, &t));
  assert_int_equal(ob_gemm_last_launches(g), 2);
  OB_ASSERT_OK(ob_buffer_read(dev, a.c, 0, sizeof v, &v));
  assert_true(v == (float)n);
  const problem banded[] = {{OB_GEMM_T, OB_GEMM_N, 77, 131, 45, 1, 3, 1.0f, 0.5f},
                            {OB_GEMM_N, OB_GEMM_T, 100, 20, 33, 0, 1, 2.0f, 0.0f}};
  for (size_t p = 0; p < 2; p++) check_problem(g, &banded[p], OB_GEMM_FP32);
  assert_int_equal(ob_gemm_last_launches(g), 2 + 4); /* two copies, four bands of 32 rows */
  ob_gemm_set_launch_limit(g, 0.0);
  a.m = n - 1; /* A needs padding rows */
  OB_ASSERT_OK(ob_gemm_run_timed(g, &a, &t));
  assert_int_equal(ob_gemm_last_launches(g), 2);
  a.m = n;
  a.a_off = 1; /* misaligned for float4 loads */
  a.k = n - 1;
  OB_ASSERT_OK(ob_gemm_run_timed(g, &a, &t));
  assert_int_equal(ob_gemm_last_launches(g), 3);
  OB_ASSERT_OK(ob_buffer_fill(dev, a.c, &three, sizeof three, n * n * 4));
  a.a_off = 0;
  a.k = 0;
  a.beta = 0.5f;
  OB_ASSERT_OK(ob_gemm_enqueue(g, &a, NULL));
  OB_ASSERT_OK(ob_buffer_read(dev, a.c, 0, sizeof v, &v));
  assert_true(v == 1.5f);
  a.m = 0; /* empty C: nothing launched */
  OB_ASSERT_OK(ob_gemm_enqueue(g, &a, NULL));
  assert_int_equal(ob_gemm_last_launches(g), 0);
  /* Split-K: the GEMM and the reduction; k = 0 still gives beta * C. */
  ob_gemm *split = NULL;
  cfg = parse_config(test_configs[3]);
  OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &split));
  a.m = a.k = n;
  a.beta = 0.0f;
  OB_ASSERT_OK(ob_buffer_fill(dev, a.c, &three, sizeof three, n * n * 4));
  OB_ASSERT_OK(ob_gemm_run_timed(split, &a, &t));
  /* K padded to 96 (3 ranges of 2 slices of 16): copies of A and B, the GEMM, the reduction */
  assert_int_equal(ob_gemm_last_launches(split), 4);
  assert_true(t > 0.0);
  OB_ASSERT_OK(ob_buffer_read(dev, a.c, 4 * (n * n - 1), sizeof v, &v));
  assert_true(v == (float)n);
  a.k = 0;
  a.beta = 0.5f;
  OB_ASSERT_OK(ob_gemm_enqueue(split, &a, NULL));
  OB_ASSERT_OK(ob_buffer_read(dev, a.c, 0, sizeof v, &v));
  assert_true(v == 0.5f * (float)n);
  /* Panels: a copy per operand in panels on every call, aligned or not (A and B: two copies;
   * B alone: one, A read in place); persistent kernels: the GEMM alone, whatever the call. */
  for (int c = 6; c <= PERSIST_CONFIG; c++) {
    ob_gemm *pg = NULL;
    cfg = parse_config(test_configs[c]);
    OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &pg));
    a.k = n;
    a.beta = 0.0f;
    OB_ASSERT_OK(ob_gemm_run_timed(pg, &a, &t));
    assert_int_equal(ob_gemm_last_launches(pg), cfg.panel == 3 ? 3 : cfg.panel ? 2 : 1);
    OB_ASSERT_OK(ob_buffer_read(dev, a.c, 4 * (n * n - 1), sizeof v, &v));
    assert_true(v == (float)n);
    ob_gemm_destroy(pg);
  }
  char info[400];
  ob_gemm_build_info(split, &a, info, sizeof info);
  assert_non_null(strstr(info, "private "));
  ob_gemm_destroy(split);
  ob_buffer_release(dev, a.a);
  ob_buffer_release(dev, a.b);
  ob_buffer_release(dev, a.c);
  ob_gemm_destroy(g);
  ob_gemm_destroy(NULL);
}

/* Persistent work-groups share C out as a grid (pm x pn, chosen in the kernel by what each
 * packs): three per compute unit give grids of several shapes on any device; tall, wide and
 * square problems pick different ones, and every element is checked. */
static void persistent_grids_match_the_reference(void **state) {
  (void)state;
  ob_gemm_config cfg = parse_config(test_configs[PERSIST_CONFIG]);
  cfg.persist = 3;
  ob_gemm *g = NULL;
  OB_ASSERT_OK(ob_gemm_create(ob_test_device(), &cfg, &g));
  const problem shapes[] = {{OB_GEMM_N, OB_GEMM_N, 77, 131, 45, 0, 0, 1.0f, 0.0f},
                            {OB_GEMM_N, OB_GEMM_N, 250, 40, 33, 1, 2, 1.0f, 0.5f},
                            {OB_GEMM_N, OB_GEMM_N, 9, 330, 20, 0, 1, -1.0f, 1.0f}};
  for (size_t p = 0; p < sizeof shapes / sizeof *shapes; p++)
    check_problem(g, &shapes[p], OB_GEMM_FP32);
  assert_int_equal(ob_gemm_last_launches(g), 1);
  ob_gemm_destroy(g);
}

/* Stream-K (streamk = 1, 2 on the first configuration, 32 x 64 tiles, 16-step slices): the
 * tiles past the whole waves of work-groups (one per compute unit) split by K-slices, runs of
 * slices crossing tiles wherever the rest does not divide evenly (9 tiles of 77 x 131 on two
 * compute units: 6 data-parallel, 3 in runs of 1.5 tiles with streamk = 2), every layout,
 * offsets, alpha and beta, K = 1 (one slice) to 96, fp32 and half storage (NN). Then the
 * launches of an aligned 96 x 192 x 64 call: the data-parallel part where it has whole waves,
 * the stream-K part and the reduction. Then streamk = 2 with tiles 6 and 3 wide (the
 * reduction two and one elements per work-item; 4 with the first), NN. */
static void streamk_matches_the_reference(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  for (int sk = 1; sk <= 2; sk++) {
    ob_gemm_config cfg = parse_config(test_configs[0]);
    cfg.streamk = sk;
    OB_ASSERT_OK(ob_gemm_config_check(&cfg, dev));
    ob_gemm *g = NULL;
    OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
    for (size_t p = 0; p < NPROBLEMS; p++) {
      if (sk == 1 && (problems[p].ta || problems[p].tb)) continue; /* fewer PoCL builds */
      check_problem(g, &problems[p], OB_GEMM_FP32);
      if (!problems[p].ta && !problems[p].tb) check_problem(g, &problems[p], OB_GEMM_FP16);
    }
    const problem aligned = {OB_GEMM_N, OB_GEMM_N, 96, 192, 64, 0, 0, 1.0f, 0.0f};
    check_problem(g, &aligned, OB_GEMM_FP32);
    const cl_uint units = ob_device_props_get(dev)->compute_units;
    const size_t cus = units ? units : 1;
    const size_t waves = 9 / cus > (size_t)sk - 1 ? 9 / cus - (size_t)sk + 1 : 0;
    const int want = (waves ? 1 : 0) + (waves * cus < 9 ? 2 : 0);
    assert_int_equal(ob_gemm_last_launches(g), want);
    ob_gemm_destroy(g);
  }
  const char *const narrow[] = {
      "bm=16,bn=6,tm=4,tn=3,vm=1,vn=1,strided=0,local=1,bk=4,vg=1,pad=0,kc=0,streamk=2",
      "bm=16,bn=3,tm=4,tn=3,vm=1,vn=1,strided=0,local=1,bk=4,vg=1,pad=0,kc=0,streamk=2"};
  for (size_t c = 0; c < sizeof narrow / sizeof *narrow; c++) {
    const ob_gemm_config cfg = parse_config(narrow[c]); /* checked against the device */
    ob_gemm *g = NULL;
    OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
    for (size_t p = 0; p < NPROBLEMS; p++) {
      if (problems[p].ta || problems[p].tb) continue;
      check_problem(g, &problems[p], OB_GEMM_FP32);
      check_problem(g, &problems[p], OB_GEMM_FP16);
    }
    ob_gemm_destroy(g);
  }
  ob_gemm_config bad = parse_config(test_configs[1]); /* no local memory */
  bad.streamk = 1;
  assert_int_equal(ob_gemm_config_check(&bad, NULL), OB_ERR_INVALID);
  bad = parse_config(test_configs[3]); /* split-K */
  bad.streamk = 2;
  assert_int_equal(ob_gemm_config_check(&bad, NULL), OB_ERR_INVALID);
  bad.splitk = 0;
  bad.streamk = 3;
  assert_int_equal(ob_gemm_config_check(&bad, NULL), OB_ERR_INVALID);
}

/* Half storage: aligned tile multiples launch the GEMM alone on local-memory configurations;
 * configurations without local memory convert A to fp32 first (one copy); split-K adds its
 * reduction, which rounds C. Buffer sizes are checked in halves. */
static void half_storage_launches_and_buffer_checks(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  const size_t n = 64;
  ob_gemm_args a = {.storage = OB_GEMM_FP16, .m = n, .n = n, .k = n, .alpha = 1.0f,
                    .beta = 0.0f, .lda = n, .ldb = n, .ldc = n};
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 2, NULL, &a.a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 2, NULL, &a.b));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * n * 2, NULL, &a.c));
  const uint16_t one = 0x3c00, quarter = 0x3400;
  OB_ASSERT_OK(ob_buffer_fill(dev, a.a, &one, sizeof one, n * n * 2));
  OB_ASSERT_OK(ob_buffer_fill(dev, a.b, &quarter, sizeof quarter, n * n * 2));
  static const struct {
    size_t config;
    int launches;
  } cases[] = {{0, 1}, {1, 2}, {3, 4}}; /* split-K: K padded to 96, copies of A and B */
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ob_gemm_config cfg = parse_config(test_configs[cases[i].config]);
    ob_gemm *g = NULL;
    OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
    double t = 0.0;
    OB_ASSERT_OK(ob_gemm_run_timed(g, &a, &t));
    assert_int_equal(ob_gemm_last_launches(g), cases[i].launches);
    assert_true(t > 0.0);
    uint16_t v[2] = {0, 0};
    OB_ASSERT_OK(ob_buffer_read(dev, a.c, 0, sizeof v[0], &v[0]));
    OB_ASSERT_OK(ob_buffer_read(dev, a.c, 2 * (n * n - 1), sizeof v[1], &v[1]));
    assert_int_equal(v[0], 0x4c00); /* 64 * 1 * 0.25 = 16 */
    assert_int_equal(v[1], 0x4c00);
    char info[400];
    ob_gemm_build_info(g, &a, info, sizeof info);
    assert_non_null(strstr(info, "private "));
    /* The same buffers hold only half as many floats. */
    a.storage = OB_GEMM_FP32;
    assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
    assert_non_null(strstr(ob_error_detail(), "exceeds its"));
    a.storage = (ob_gemm_storage)2;
    assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
    assert_non_null(strstr(ob_error_detail(), "storage"));
    a.storage = OB_GEMM_FP16;
    ob_gemm_destroy(g);
  }
  ob_buffer_release(dev, a.a);
  ob_buffer_release(dev, a.b);
  ob_buffer_release(dev, a.c);
}

static void bad_arguments_are_rejected(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_gemm *g = NULL;
  ob_gemm_config cfg = parse_config(test_configs[1]);
  OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
  ob_gemm_args a = {.m = 8, .n = 8, .k = 8, .alpha = 1.0f, .lda = 8, .ldb = 8, .ldc = 8};
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64 * 4, NULL, &a.a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64 * 4, NULL, &a.b));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64 * 4, NULL, &a.c));
  a.lda = 7;
  assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "ldA=7"));
  a.lda = 8;
  a.b_off = 1; /* one float past the end of B */
  assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "matrix B"));
  a.b_off = 0;
  a.ldc = 9;
  assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
  a.ldc = 8;
  a.ta = (ob_gemm_trans)2;
  assert_int_equal(ob_gemm_enqueue(g, &a, NULL), OB_ERR_INVALID);
  cfg.tm = 5;
  ob_gemm *bad = NULL;
  assert_int_equal(ob_gemm_create(dev, &cfg, &bad), OB_ERR_INVALID);
  assert_null(bad);
  ob_buffer_release(dev, a.a);
  ob_buffer_release(dev, a.b);
  ob_buffer_release(dev, a.c);
  ob_gemm_destroy(g);
}

/* Forced over cache over search over default (the tuning facility); the tuned choice is
 * cached on disk per shape class and storage. */
static void selection_precedence_and_tuning_cache(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_gemm_config cfg, def;
  ob_tune_source source;
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  ob_gemm_config_default(dev, &def);
  ob_gemm_args shape = {.m = 48, .n = 48, .k = 48};
  s.mode = OB_TUNE_OFF;
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_string_equal(ob_tune_source_name(source), "default");
  assert_memory_equal(&cfg, &def, sizeof cfg);
  s.mode = OB_TUNE_REDO;
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_string_equal(ob_tune_source_name(source), "tuned");
  OB_ASSERT_OK(ob_gemm_config_check(&cfg, dev));
  const ob_gemm_config tuned = cfg;
  /* The half-storage class of the same shape is tuned on its own (verified exactly on half
   * data) and cached next to the fp32 entry. */
  shape.storage = OB_GEMM_FP16;
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_int_equal(source, OB_TUNE_SEARCHED);
  const ob_gemm_config tuned_half = cfg;
  /* Same shape classes (64x64x64), from the cache file written by the searches. */
  s.mode = OB_TUNE_ON;
  shape = (ob_gemm_args){.m = 60, .n = 50, .k = 40};
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_string_equal(ob_tune_source_name(source), "cache");
  assert_memory_equal(&cfg, &tuned, sizeof cfg);
  shape.storage = OB_GEMM_FP16;
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_int_equal(source, OB_TUNE_CACHED);
  assert_memory_equal(&cfg, &tuned_half, sizeof cfg);
  /* Forced: over the device default, on every shape. */
  shape.storage = OB_GEMM_FP32;
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_gemm_family, test_configs[1]));
  OB_ASSERT_OK(ob_gemm_select(dev, &s, &shape, &cfg, &source));
  assert_string_equal(ob_tune_source_name(source), "env");
  assert_int_equal(cfg.tn, 32);
  /* A handle runs the selection and computes correctly with it. */
  ob_gemm *g = NULL;
  OB_ASSERT_OK(ob_gemm_create(dev, &cfg, &g));
  const problem p = {OB_GEMM_T, OB_GEMM_N, 19, 23, 29, 1, 1, 1.0f, 0.0f};
  check_problem(g, &p, OB_GEMM_FP32);
  assert_int_equal(ob_gemm_config_get(g)->tn, 32);
  ob_gemm_destroy(g);
  assert_int_equal(ob_gemm_create(dev, NULL, &g), OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_gemm_family, "bm=64,tm=5"), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "tm | bm"));
  /* The CLI refuses a bad value, and the old variables, with exit code 2. */
  char err[512];
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 0);
  setenv("OCLBENCH_CONFIG_GEMM", "vn=3", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_CONFIG_GEMM='vn=3'"));
  unsetenv("OCLBENCH_CONFIG_GEMM");
  setenv("OCLBENCH_GEMM_TUNE", "0", 1);
  assert_int_equal(ob_test_cli("devices", err, sizeof err), 2);
  assert_non_null(strstr(err, "OCLBENCH_GEMM_TUNE is now OCLBENCH_TUNE=off|on|redo"));
  unsetenv("OCLBENCH_GEMM_TUNE");
}

static void reference_check_and_bounds(void **state) {
  (void)state;
  /* 2x3 times 3x2, by hand. */
  const float a[] = {1, 2, 3, 4, 5, 6}, b[] = {1, 0, 0, 1, 1, 1}, c0[] = {1, 1, 1, 1};
  ob_gemm_ref_problem p = {.m = 2, .n = 2, .k = 3, .alpha = 2.0, .beta = 1.0, .a = a,
                           .lda = 3, .b = b, .ldb = 2, .c0 = c0, .ldc0 = 2};
  assert_true(ob_gemm_ref_entry(&p, 0, 0) == 2 * (1 + 3) + 1);
  assert_true(ob_gemm_ref_entry(&p, 1, 1) == 2 * (5 + 6) + 1);
  p.tb = 1; /* B read as stored 2x3: B^T(l, j) = b[j*3 + l] */
  p.ldb = 3;
  assert_true(ob_gemm_ref_entry(&p, 0, 1) == 2 * (1 + 2 + 3) + 1);
  const float wrong[] = {9, 5, 23, 23}, close[] = {9, 11, 21, 24};
  p.tb = 0;
  p.ldb = 2;
  ob_gemm_ref_result r;
  const float exact[] = {9, 11, 21, 23};
  ob_gemm_ref_check(&p, exact, 2, ob_gemm_ref_bound_fp32(3), 1, &r);
  assert_true(r.ok && r.rel_err == 0.0 && r.compared == 4 && !r.sampled);
  ob_gemm_ref_check(&p, wrong, 2, ob_gemm_ref_bound_fp32(3), 1, &r);
  assert_false(r.ok);
  ob_gemm_ref_check(&p, close, 2, 1.0, 1, &r);
  assert_true(r.ok); /* a loose bound accepts it */
  const float nan_c[] = {9, 11, NAN, 23};
  ob_gemm_ref_check(&p, nan_c, 2, 1e9, 1, &r);
  assert_false(r.ok);
  assert_true(fabs(ob_gemm_ref_bound_fp32(1024) - 3.2e-4) < 1e-12);
  assert_true(fabs(ob_gemm_ref_bound_fp16(4) - 4e-3) < 1e-12);
  char note[128];
  ob_gemm_ref_note(&r, note, sizeof note);
  assert_non_null(strstr(note, "rel_err="));
  assert_non_null(strstr(note, "bound=1.00e+09"));
}

/* The register and spill lines of an NVIDIA verbose build log, as the tuning log shows them. */
static void build_log_summary(void **state) {
  (void)state;
  const char *log = "ptxas info    : 0 bytes gmem\n"
                    "ptxas info    : Compiling entry function 'gemm' for 'sm_90'\n"
                    "ptxas info    : Function properties for gemm\n"
                    "ptxas         .     16 bytes stack frame, 0 bytes spill stores, 0 bytes "
                    "spill loads\n"
                    "ptxas info    : Used 128 registers, 16896 bytes smem, 400 bytes cmem[0]\n";
  char buf[200] = "private 16 B";
  ob_gemm_build_log_summary(log, buf, sizeof buf);
  assert_string_equal(buf, "private 16 B; 16 bytes stack frame, 0 bytes spill stores, 0 bytes "
                           "spill loads; Used 128 registers, 16896 bytes smem, 400 bytes cmem[0]");
  char small[24] = "";
  ob_gemm_build_log_summary(log, small, sizeof small); /* truncated, still terminated */
  assert_int_equal(strlen(small), sizeof small - 1);
  ob_gemm_build_log_summary("no such lines\n", small, sizeof small);
  assert_int_equal(strlen(small), sizeof small - 1);
}

static void half_conversions(void **state) {
  (void)state;
  assert_int_equal(ob_half_from_float(1.0f), 0x3c00);
  assert_int_equal(ob_half_from_float(-2.0f), 0xc000);
  assert_int_equal(ob_half_from_float(65504.0f), 0x7bff);
  assert_int_equal(ob_half_from_float(65520.0f), 0x7c00); /* rounds to infinity */
  assert_int_equal(ob_half_from_float(ldexpf(1.0f, -24)), 0x0001);
  assert_int_equal(ob_half_from_float(ldexpf(1.0f, -14)), 0x0400);
  assert_int_equal(ob_half_from_float(ldexpf(1.0f, -26)), 0x0000);
  assert_int_equal(ob_half_from_float(0.1f), 0x2e66);
  assert_int_equal(ob_half_from_float(1.0f + ldexpf(1.0f, -11)), 0x3c00); /* tie to even */
  assert_int_equal(ob_half_from_float(1.0f + 3 * ldexpf(1.0f, -11)), 0x3c02);
  assert_true(ob_half_to_float(0x3c00) == 1.0f);
  assert_true(ob_half_to_float(0x0001) == ldexpf(1.0f, -24));
  assert_true(ob_half_to_float(0xfbff) == -65504.0f);
  assert_true(isinf(ob_half_to_float(0x7c00)));
  assert_true(isnan(ob_half_to_float(ob_half_from_float(NAN))));
  for (uint32_t h = 0; h < 0x7c00; h++) /* every finite half survives a round trip */
    assert_int_equal(ob_half_from_float(ob_half_to_float((uint16_t)h)), h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(config_text_round_trip_and_rules),
      cmocka_unit_test(defaults_and_candidates_are_valid),
      cmocka_unit_test(both_paths_match_the_reference),
      cmocka_unit_test(half_storage_matches_the_reference),
      cmocka_unit_test(clblast_matches_the_reference),
      cmocka_unit_test(half_rounding_is_exact),
      cmocka_unit_test(launch_count_and_empty_inner_dimension),
      cmocka_unit_test(persistent_grids_match_the_reference),
      cmocka_unit_test(streamk_matches_the_reference),
      cmocka_unit_test(half_storage_launches_and_buffer_checks),
      cmocka_unit_test(bad_arguments_are_rejected),
      cmocka_unit_test(selection_precedence_and_tuning_cache),
      cmocka_unit_test(reference_check_and_bounds),
      cmocka_unit_test(build_log_summary),
      cmocka_unit_test(half_conversions),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
