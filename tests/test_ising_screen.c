/* The screened decision (ob_ising_decision SCREEN, cl_kernels/ising.cl SCREEN): where the
 * device's native_exp2 passes the screen's check, the screened sampler's states equal the host
 * loop (the exact rule) bit for bit for words of 8, 16 and 32 chains, both paths, resident
 * units, the schedule in local memory, both sign and Philox forms, and in a run long enough
 * that about 165 chains are too close for the screen and take the exact pass; where it fails,
 * the sampler refuses with the check's reason. screen() itself, in both its forms, on words
 * with chains on the decision's boundary. The refusals of the screen and of the register
 * cap. Not among Oclgrind's checks (tools/oclgrind_check.sh): the check evaluates native_exp2
 * at all 2^32 floats. */
#include "ising_support.h"

#include <stdlib.h>
#include <string.h>

#define SEED 0x123456789abcull

/* Whether the screen may run on the test device: creates a screened sampler of m and returns
 * true, or asserts that the refusal is the check's (the device's 2^t too far from the exact
 * one). The 2^t is NVIDIA's ex2.approx.ftz where the compiler takes inline PTX. */
static bool screen_runs(const ob_ising_model *m) {
  const ob_ising_tuning t = {.spin_bits = 32, .decision = OB_ISING_DECISION_SCREEN};
  ob_ising_sampler *s = NULL;
  const ob_status st = ob_ising_sampler_create(ob_test_device(), m, 32, SEED, &t, &s);
  if (st == OB_ERR_UNSUPPORTED) {
    assert_non_null(strstr(ob_error_detail(), "2^t misses"));
    return false;
  }
  OB_ASSERT_OK(st);
  ob_ising_config c;
  ob_ising_sampler_config(s, &c);
  assert_int_equal(c.decision, OB_ISING_DECISION_SCREEN);
  assert_int_equal(c.exp2, ob_device_ptx(ob_test_device()) ? OB_ISING_EXP2_PTX
                                                           : OB_ISING_EXP2_NATIVE);
  assert_true(c.screen_ulps <= 8);
  ob_ising_sampler_destroy(s);
  return true;
}

/* The screened states of the configurations cfgs[0..n) of the graph spec's gaussian model
 * equal the host loop's and each other (the test is skipped where the screen cannot run). */
static void screened_runs_agree(const char *spec, size_t chains, size_t sweeps,
                                const ob_ising_tuning *cfgs, size_t n) {
  ob_ising_model *m = ob_test_ising_model(spec, OB_ISING_WEIGHTS_GAUSS);
  const bool runs = screen_runs(m);
  if (runs) ob_test_ising_configurations_agree(m, chains, sweeps, cfgs, n, NULL, 0, NULL);
  ob_ising_model_destroy(m);
  if (!runs) skip();
}

static void screened_states_equal_the_host_loop(void **state) {
  (void)state;
  const ob_ising_path L = OB_ISING_PATH_LOCAL, G = OB_ISING_PATH_GLOBAL;
  const ob_ising_decision S = OB_ISING_DECISION_SCREEN;
  const ob_ising_tuning cfgs[] = {
      {.spin_bits = 32, .decision = S},
      {.spin_bits = 32, .decision = S, .exp2 = OB_ISING_EXP2_NATIVE}, /* PTX's alternative */
      {.spin_bits = 32, .path = L, .wg_size = 64, .max_pass_chains = 64, .schedule = L,
       .decision = S},
      {.spin_bits = 16, .path = L, .wg_words = 2, .schedule = G, .sign = OB_ISING_SIGN_MAD,
       .decision = S},
      {.spin_bits = 8, .path = L, .wg_size = 32, .philox = OB_ISING_PHILOX_LANES, .decision = S},
      {.spin_bits = 32, .path = G, .max_pass_chains = 100, .decision = S},
      {.spin_bits = 8, .path = G, .wg_size = 16, .sign = OB_ISING_SIGN_MAD, .decision = S},
      /* signs by select: the loop one neighbour ahead (groups of one) and the screen written
       * component by component, for both widths of its vectors (8 and 16 lanes) */
      {.spin_bits = 32, .path = L, .wg_size = 64, .sign = OB_ISING_SIGN_SEL,
       .philox = OB_ISING_PHILOX_LANES, .decision = S},
      {.spin_bits = 16, .path = G, .sign = OB_ISING_SIGN_SEL, .decision = S},
      {.spin_bits = 8, .path = L, .wg_size = 32, .sign = OB_ISING_SIGN_SEL, .decision = S},
      {.spin_bits = 8, .resident = OB_ISING_RESIDENT_ON, .schedule = G, .decision = S},
      {.spin_bits = 32, .resident = OB_ISING_RESIDENT_ON, .schedule = L,
       .philox = OB_ISING_PHILOX_LANES, .decision = S},
  };
  screened_runs_agree("pegasus:2", 150, 13, cfgs, sizeof cfgs / sizeof *cfgs);
}

/* 264 nodes x 4,096 chains x 20 sweeps: 21.6 million decisions, of which about 165 (one in
 * 2^17) fall within the screen's margin and are taken exactly, on both paths. */
static void the_exact_pass_of_a_long_run(void **state) {
  (void)state;
  const ob_ising_tuning cfgs[] = {
      {.spin_bits = 32, .path = OB_ISING_PATH_LOCAL, .decision = OB_ISING_DECISION_SCREEN},
      {.spin_bits = 32, .path = OB_ISING_PATH_GLOBAL, .decision = OB_ISING_DECISION_SCREEN},
      /* the component-by-component screen's flag (signs by select) */
      {.spin_bits = 32, .path = OB_ISING_PATH_LOCAL, .sign = OB_ISING_SIGN_SEL,
       .decision = OB_ISING_DECISION_SCREEN},
  };
  screened_runs_agree("pegasus:4", 4096, 20, cfgs, sizeof cfgs / sizeof *cfgs);
}

/* The screen and the register cap are forms of the float update, the screen of its words of
 * 8 to 32 chains, and the choice of 2^t a form of the screen; the cap needs
 * cl_nv_compiler_options, inline PTX a compiler that takes it. */
static void forms_the_sampler_refuses(void **state) {
  (void)state;
  ob_ising_model *m = ob_test_ising_model("grid:4x4", OB_ISING_WEIGHTS_PM1);
  ob_ising_sampler *s = NULL;
  const ob_ising_tuning invalid[] = {
      {.update = OB_ISING_UPDATE_MULTISPIN, .decision = OB_ISING_DECISION_SCREEN},
      {.update = OB_ISING_UPDATE_MULTISPIN, .regs = 72},
      {.spin_bits = 4, .decision = OB_ISING_DECISION_SCREEN},
      {.decision = OB_ISING_DECISION_EXACT, .exp2 = OB_ISING_EXP2_NATIVE},
      {.exp2 = OB_ISING_EXP2_PTX}};
  for (size_t k = 0; k < sizeof invalid / sizeof *invalid; k++)
    assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 32, SEED, &invalid[k], &s),
                     OB_ERR_INVALID);
  const ob_ising_tuning capped = {.regs = 72};
  const ob_status st = ob_ising_sampler_create(ob_test_device(), m, 32, SEED, &capped, &s);
  if (ob_device_has_extension(ob_test_device(), "cl_nv_compiler_options")) {
    OB_ASSERT_OK(st);
    ob_ising_config c;
    ob_ising_sampler_config(s, &c);
    assert_int_equal(c.regs, 72);
    ob_ising_sampler_destroy(s);
  } else {
    assert_int_equal(st, OB_ERR_UNSUPPORTED);
    assert_non_null(strstr(ob_error_detail(), "cl_nv_compiler_options"));
  }
  /* (before the screen check: the refusal costs no pass over the floats) */
  const ob_ising_tuning ptx = {.spin_bits = 32, .decision = OB_ISING_DECISION_SCREEN,
                               .exp2 = OB_ISING_EXP2_PTX};
  if (!ob_device_ptx(ob_test_device())) {
    assert_int_equal(ob_ising_sampler_create(ob_test_device(), m, 32, SEED, &ptx, &s),
                     OB_ERR_UNSUPPORTED);
    assert_non_null(strstr(ob_error_detail(), "inline PTX"));
  }
  ob_ising_model_destroy(m);
}

/* A kernel that runs ising.cl's screen() on one word per work-item: fields t = 0 and the
 * SPIN_BITS random numbers rs[g * SPIN_BITS + b] of chain b (RAND_VEC's order: the outputs
 * x, y, z, w of the word's counters in turn); out[2g] the word, out[2g + 1] the unsure flag. */
static const char probe_source[] =
    "__kernel void ising_screen_probe(__global const uint *rs, __global uint *out) {\n"
    "  const uint g = get_global_id(0), q = SPIN_BITS / 4;\n"
    "  __global const uint *p = rs + g * SPIN_BITS;\n"
    "  fields f;\n"
    "  for (int v = 0; v < NVEC; v++) f.v[v] = (fvec)(0.0f);\n"
    "  rand4 r;\n"
    "#if SPIN_BITS == 8\n"
    "  r.x = vload2(0, p); r.y = vload2(0, p + q); r.z = vload2(0, p + 2 * q); r.w = vload2(0, p + 3 * q);\n"
    "#elif SPIN_BITS == 16\n"
    "  r.x = vload4(0, p); r.y = vload4(0, p + q); r.z = vload4(0, p + 2 * q); r.w = vload4(0, p + 3 * q);\n"
    "#else\n"
    "  r.x = vload8(0, p); r.y = vload8(0, p + q); r.z = vload8(0, p + 2 * q); r.w = vload8(0, p + 3 * q);\n"
    "#endif\n"
    "  bool unsure;\n"
    "  out[2 * g] = screen(f, r, 0u, &unsure);\n"
    "  out[2 * g + 1] = unsure;\n"
    "}\n";

/* The random number of a chain whose u (minus_bits') is about 1/4 (plus) or 3/4 (minus), far
 * from the boundary, or 1/2 -+ 2^-24 (d = 1 - 2u = +-2^-23 at t = 0, inside the margin); the
 * 9 bits below u's 23 vary. */
enum chain_kind { PLUS, MINUS, CLOSE_BELOW, CLOSE_ABOVE };
static uint32_t chain_random(enum chain_kind k, uint32_t noise) {
  static const uint32_t mantissa[] = {1u << 21, 3u << 21, (1u << 22) - 1, 1u << 22};
  return mantissa[k] << 9 | (noise & 0x1ffu);
}

/* screen() itself, both of its forms (vector, and component by component with signs by
 * select) for words of 8 and 32 chains: each word's unsure flag is set exactly when one of its
 * chains is within the margin (one chain at each position in turn, of either sign, or none),
 * and the bits of the other chains are their signs. At t = 0 every 2^t the screen check
 * passes is 1 within 8 ulps, which leaves these d on their side of the margin. */
static void the_screen_flags_exactly_the_close_words(void **state) {
  (void)state;
  char dir[4096], path[4200], *src = NULL;
  size_t len = 0;
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  OB_ASSERT_OK(ob_kernel_source("ising.cl", &src, &len));
  snprintf(path, sizeof path, "%s/ising.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, src, len));
  free(src);
  snprintf(path, sizeof path, "%s/screen_probe.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, probe_source, strlen(probe_source)));
  ob_test_kernel_dir(dir);
  ob_device *dev = ob_test_device();
  static const unsigned widths[] = {8, 32};
  uint32_t noise = 12345;
  for (size_t wi = 0; wi < 2; wi++)
    for (int by_component = 0; by_component < 2; by_component++) {
      const unsigned bits = widths[wi];
      const size_t words = 4 * (size_t)bits; /* 2 x bits with a close chain, 2 x bits without */
      uint32_t *rs = malloc(words * bits * sizeof *rs), *out = malloc(2 * words * sizeof *out);
      uint32_t *expect = malloc(words * sizeof *expect);
      assert_non_null(rs);
      assert_non_null(out);
      assert_non_null(expect);
      for (size_t w = 0; w < words; w++) {
        expect[w] = 0;
        for (unsigned b = 0; b < bits; b++) {
          noise = noise * 1664525u + 1013904223u;
          enum chain_kind k = noise >> 31 ? MINUS : PLUS;
          if (w < 2 * bits && b == w % bits) k = w < bits ? CLOSE_BELOW : CLOSE_ABOVE;
          if (k == MINUS) expect[w] |= 1u << b;
          rs[w * bits + b] = chain_random(k, noise >> 7);
        }
      }
      char options[96];
      snprintf(options, sizeof options, "-DSPIN_BITS=%u -DSCREEN=1%s", bits,
               by_component ? " -DSIGN_SEL=1" : "");
      cl_kernel k = NULL;
      OB_ASSERT_OK(ob_kernel_create(dev, "ising.cl screen_probe.cl", options,
                                    "ising_screen_probe", &k));
      cl_mem in = NULL, res = NULL;
      OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY, words * bits * sizeof *rs, NULL, &in));
      OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_WRITE_ONLY, 2 * words * sizeof *out, NULL, &res));
      OB_ASSERT_OK(ob_buffer_write(dev, in, 0, words * bits * sizeof *rs, rs));
      const ob_kernel_arg args[] = {OB_KARG(in), OB_KARG(res)};
      OB_ASSERT_OK(ob_kernel_set_args(k, 0, args, 2));
      OB_ASSERT_OK(ob_enqueue_kernel(dev, k, 1, &words, NULL, NULL));
      OB_ASSERT_OK(ob_buffer_read(dev, res, 0, 2 * words * sizeof *out, out));
      for (size_t w = 0; w < words; w++) {
        const bool close = w < 2 * bits;
        const uint32_t mask = (uint32_t)(0xffffffffu >> (32 - bits)) & ~(close ? 1u << w % bits : 0u);
        if (out[2 * w + 1] != (uint32_t)close || ((out[2 * w] ^ expect[w]) & mask))
          fail_msg("%u chains per word%s, word %zu: unsure %u (expected %d), bits %08x, expected "
                   "%08x under %08x", bits, by_component ? " (by component)" : "", w,
                   out[2 * w + 1], close, out[2 * w], expect[w], mask);
      }
      ob_buffer_release(dev, in);
      ob_buffer_release(dev, res);
      clReleaseKernel(k);
      free(rs);
      free(out);
      free(expect);
    }
  ob_test_kernel_dir(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_screen_flags_exactly_the_close_words),
      cmocka_unit_test(screened_states_equal_the_host_loop),
      cmocka_unit_test(the_exact_pass_of_a_long_run),
      cmocka_unit_test(forms_the_sampler_refuses),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
