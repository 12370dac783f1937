/* Adam / AdamW: hand-checked sequences for every option on every implementation (fused with the
 * device's default shape, fused with forced float4 / float2 / scalar shapes, eager), tensor
 * sizes that are not multiples of the vector width, empty and 1-element tensors, fused ==
 * eager == host reference, the list form, validation, the selection of the launch shape, and
 * the `adam` workload on small cases. */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adam/adam.h"
#include "adam/adam_ref.h"
#include "adam/adam_tune.h"
#include "adam/adam_workload.h"
#include "gemm/gemm_ref.h"

/* The implementations every hand-checked sequence runs on. */
typedef struct impl {
  const char *name;
  ob_adam_impl impl;
  ob_adam_tuning tuning;
} impl;

static const impl impls[] = {
    {"fused-default", OB_ADAM_FUSED, {0, 0, 0}},
    {"fused-wg8-items2-float4", OB_ADAM_FUSED, {8, 2, 4}}, /* 64-element chunks, tails */
    {"fused-wg8-items3-float2", OB_ADAM_FUSED, {8, 3, 2}},
    {"fused-wg16-items1-float", OB_ADAM_FUSED, {16, 1, 1}},
    {"eager", OB_ADAM_EAGER, {0, 0, 0}},
};
#define NIMPLS (sizeof impls / sizeof *impls)

static void options_for(ob_adam_options *o, const impl *im) {
  o->impl = im->impl;
  o->tuning = im->tuning;
}

/* |got - want| within rel * |want| + abs. */
static void assert_close(double got, double want, double rel, double abs_tol, const char *what) {
  if (!(fabs(got - want) <= rel * fabs(want) + abs_tol))
    fail_msg("%s: got %.9g, want %.9g (diff %.3g)", what, got, want, fabs(got - want));
}

static cl_mem buffer_from(const float *data, size_t n) {
  cl_mem m = NULL;
  OB_ASSERT_OK(ob_buffer_create(ob_test_device(), CL_MEM_READ_WRITE, n * sizeof(float), NULL, &m));
  OB_ASSERT_OK(ob_buffer_write(ob_test_device(), m, 0, n * sizeof(float), data));
  return m;
}

static void buffer_set(cl_mem m, float value, size_t n) {
  OB_ASSERT_OK(ob_buffer_fill(ob_test_device(), m, &value, sizeof value, n * sizeof(float)));
}

/* ---------------------------------------------------------------- hand-checked sequences */

/* One tensor of SEQ_N equal elements (two float4 and a scalar tail; with the float2 shape a
 * tail too): p starts at p0, the gradient of step s is grads[s]. After the steps, every
 * element must equal want_p (and want_m, want_v, want_vmax when not NAN). */
#define SEQ_N 9

typedef struct seq {
  ob_adam_options o;
  double p0;
  const double *grads;
  int steps;
  double want_p, want_m, want_v, want_vmax;
} seq;

static void seq_run(const seq *s) {
  ob_device *dev = ob_test_device();
  for (size_t k = 0; k < NIMPLS; k++) {
    ob_adam_options o = s->o;
    options_for(&o, &impls[k]);
    float pv[SEQ_N], gv[SEQ_N];
    for (int j = 0; j < SEQ_N; j++) pv[j] = (float)s->p0;
    cl_mem p = buffer_from(pv, SEQ_N), g = buffer_from(pv, SEQ_N);
    const size_t off = 0, count = SEQ_N;
    ob_adam *a = NULL;
    OB_ASSERT_OK(ob_adam_create_flat(dev, &o, p, g, &off, &count, 1, &a));
    for (int t = 0; t < s->steps; t++) {
      if (t == 0 || s->grads[t] != s->grads[t - 1]) buffer_set(g, (float)s->grads[t], SEQ_N);
      OB_ASSERT_OK(ob_adam_step(a, NULL));
    }
    assert_int_equal(ob_adam_step_count(a), s->steps);
    char what[96];
    OB_ASSERT_OK(ob_buffer_read(dev, p, 0, sizeof pv, pv));
    const double want[] = {s->want_m, s->want_v, s->want_vmax};
    const char *names[] = {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
    for (int j = 0; j < SEQ_N; j++) {
      snprintf(what, sizeof what, "%s: param[%d]", impls[k].name, j);
      assert_close(pv[j], s->want_p, 1e-6, 1e-7, what);
    }
    for (int q = 0; q < 3; q++) {
      if (isnan(want[q])) continue;
      OB_ASSERT_OK(ob_adam_state_read(a, (ob_adam_state)q, 0, 0, SEQ_N, gv));
      for (int j = 0; j < SEQ_N; j++) {
        snprintf(what, sizeof what, "%s: %s[%d]", impls[k].name, names[q], j);
        assert_close(gv[j], want[q], 1e-5, 1e-9, what);
      }
    }
    ob_adam_destroy(a);
    ob_buffer_release(dev, p);
    ob_buffer_release(dev, g);
  }
}

/* lr 0.1, betas (0.9, 0.999), eps 0.25 (large, so its place in the formula shows). */
static void seq_options(ob_adam_options *o) {
  ob_adam_options_init(o, false);
  o->lr = 0.1;
  o->eps = 0.25;
}

static void step1_bias_corrected(void **state) {
  (void)state;
  static const double g[] = {0.5};
  seq s = {.p0 = 1.5, .grads = g, .steps = 1};
  seq_options(&s.o);
  /* m = 0.1 * 0.5 = 0.05; v = 0.001 * 0.25 = 0.00025; bias corrections 0.1 and 0.001:
   * denom = sqrt(0.00025) / sqrt(0.001) + 0.25 = 0.75; step_size = 0.1 / 0.1 = 1
   * p = 1.5 - 1 * 0.05 / 0.75 = 1.4333... */
  s.want_p = 1.5 - 0.05 / 0.75;
  s.want_m = 0.05;
  s.want_v = 0.00025;
  s.want_vmax = NAN;
  assert_close(s.want_p, 1.43333333333, 1e-10, 0, "hand value");
  seq_run(&s);
}

static void step2_changing_gradient(void **state) {
  (void)state;
  static const double g[] = {0.5, -1.0};
  seq s = {.p0 = 1.5, .grads = g, .steps = 2};
  seq_options(&s.o);
  /* step 2: m = 0.9 * 0.05 - 0.1 = -0.055; v = 0.999 * 0.00025 + 0.001 = 0.00124975;
   * bias corrections 1 - 0.81 = 0.19 and 1 - 0.998001 = 0.001999:
   * p = 1.43333... - (0.1 / 0.19) * -0.055 / (sqrt(0.00124975 / 0.001999) + 0.25) */
  s.want_m = -0.055;
  s.want_v = 0.00124975;
  s.want_vmax = NAN;
  s.want_p = (1.5 - 0.05 / 0.75) + (0.1 / 0.19) * 0.055 / (sqrt(0.00124975 / 0.001999) + 0.25);
  assert_close(s.want_p, 1.46114894, 1e-8, 0, "hand value");
  seq_run(&s);
}

static void weight_decay_l2_adds_to_the_gradient(void **state) {
  (void)state;
  static const double g[] = {0.5};
  seq s = {.p0 = 1.5, .grads = g, .steps = 1};
  seq_options(&s.o);
  s.o.weight_decay = 0.5;
  /* grad = 0.5 + 0.5 * 1.5 = 1.25; m = 0.125; v = 0.0015625; denom = 1.25 + 0.25 = 1.5
   * p = 1.5 - 0.125 / 1.5 */
  s.want_p = 1.5 - 0.125 / 1.5;
  s.want_m = 0.125;
  s.want_v = 0.0015625;
  s.want_vmax = NAN;
  seq_run(&s);
}

static void weight_decay_decoupled_adamw(void **state) {
  (void)state;
  static const double g[] = {0.5};
  seq s = {.p0 = 1.5, .grads = g, .steps = 1};
  ob_adam_options_init(&s.o, true);
  s.o.lr = 0.1;
  s.o.eps = 0.25;
  s.o.weight_decay = 0.5;
  /* p = 1.5 * (1 - 0.1 * 0.5) = 1.425, then the plain step: - 0.05 / 0.75 */
  s.want_p = 1.425 - 0.05 / 0.75;
  s.want_m = 0.05;
  s.want_v = 0.00025;
  s.want_vmax = NAN;
  seq_run(&s);
}

static void maximize_ascends(void **state) {
  (void)state;
  static const double g[] = {0.5};
  seq s = {.p0 = 1.5, .grads = g, .steps = 1};
  seq_options(&s.o);
  s.o.maximize = true;
  s.want_p = 1.5 + 0.05 / 0.75;
  s.want_m = -0.05;
  s.want_v = 0.00025;
  s.want_vmax = NAN;
  seq_run(&s);
}

static void maximize_negates_before_l2_decay(void **state) {
  (void)state;
  static const double g[] = {0.5, 0.5};
  seq s = {.p0 = 1.0, .grads = g, .steps = 2};
  ob_adam_options_init(&s.o, false);
  s.o.maximize = true;
  s.o.weight_decay = 0.5;
  /* grad = -0.5 + 0.5 * 1.0 = 0 exactly: moments stay 0 and p does not move. (Decay first,
   * then negation, would give grad -1.) */
  s.want_p = 1.0;
  s.want_m = 0.0;
  s.want_v = 0.0;
  s.want_vmax = NAN;
  seq_run(&s);
}

static void amsgrad_divides_by_the_running_max(void **state) {
  (void)state;
  static const double g[] = {1.0, 0.0};
  seq s = {.p0 = 1.5, .grads = g, .steps = 2};
  seq_options(&s.o);
  s.o.beta2 = 0.5;
  s.o.amsgrad = true;
  /* step 1: m = 0.1, v = vmax = 0.5; denom = sqrt(0.5) / sqrt(0.5) + 0.25; p = 1.5 - 0.1/1.25
   * step 2: m = 0.09, v = 0.25 but vmax stays 0.5; bias corrections 0.19 and 0.75:
   * p = 1.42 - (0.1 / 0.19) * 0.09 / (sqrt(0.5) / sqrt(0.75) + 0.25) */
  s.want_m = 0.09;
  s.want_v = 0.25;
  s.want_vmax = 0.5;
  s.want_p = 1.42 - (0.1 / 0.19) * 0.09 / (sqrt(0.5 / 0.75) + 0.25);
  assert_close(s.want_p, 1.37558502, 1e-8, 0, "hand value");
  seq_run(&s);
}

static void bias_correction_at_step_1000(void **state) {
  (void)state;
  static double g[1000];
  g[999] = 0.5; /* zero gradients for 999 steps leave everything at rest */
  seq s = {.p0 = 1.0, .grads = g, .steps = 1000};
  ob_adam_options_init(&s.o, false);
  s.o.lr = 0.01;
  /* step 1000: m = 0.05, v = 0.00025, bias corrections 1 - 0.9^1000 and 1 - 0.999^1000
   * (0.6323): the step is lr * 2.5146, not the lr * 1 of a step-1 correction. */
  const double bc1 = 1.0 - pow(0.9, 1000), bc2 = 1.0 - pow(0.999, 1000);
  s.want_p = 1.0 - (0.01 / bc1) * 0.05 / (sqrt(0.00025) / sqrt(bc2) + 1e-8);
  s.want_m = 0.05;
  s.want_v = 0.00025;
  s.want_vmax = NAN;
  assert_close(1.0 - s.want_p, 0.0251456, 1e-5, 0, "hand value");
  seq_run(&s);
}

/* ---------------------------------------------------------------- against the reference */

/* Deterministic values in [-1, 1). */
static float uniform(unsigned *state) {
  *state = *state * 1664525u + 1013904223u;
  return (float)((double)(*state >> 8) * 0x1p-23 - 1.0);
}

/* A flat layout of tensors with the given counts; gaps hold a sentinel that must survive. */
typedef struct problem {
  size_t n, total;
  const size_t *counts;
  size_t offsets[16];
  float *p0, *grads; /* grads: steps x total */
  int steps;
} problem;

#define SENTINEL 1234.0f /* exact in half too */

static void problem_make(problem *pb, const size_t *counts, size_t n, int steps, unsigned seed) {
  pb->n = n;
  pb->counts = counts;
  pb->steps = steps;
  pb->total = ob_adam_layout(counts, n, 0, pb->offsets) + OB_ADAM_ALIGN; /* a gap at the end */
  pb->p0 = malloc(pb->total * sizeof(float));
  pb->grads = malloc((size_t)steps * pb->total * sizeof(float));
  assert_non_null(pb->p0);
  assert_non_null(pb->grads);
  for (size_t j = 0; j < pb->total; j++) pb->p0[j] = SENTINEL;
  for (size_t j = 0; j < (size_t)steps * pb->total; j++) pb->grads[j] = uniform(&seed);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < counts[i]; j++) pb->p0[pb->offsets[i] + j] = uniform(&seed);
}

static void problem_free(problem *pb) {
  free(pb->p0);
  free(pb->grads);
}

/* Final parameters and state per implementation, packed like the parameter buffer. */
typedef struct result {
  float *p, *m, *v, *vmax;
} result;

static void result_alloc(result *r, size_t total) {
  r->p = calloc(total, sizeof(float));
  r->m = calloc(total, sizeof(float));
  r->v = calloc(total, sizeof(float));
  r->vmax = calloc(total, sizeof(float));
  assert_true(r->p && r->m && r->v && r->vmax);
}

static void result_free(result *r) {
  free(r->p);
  free(r->m);
  free(r->v);
  free(r->vmax);
}

/* Writes n floats into m as fp32 or, for OB_ADAM_FP16, as half (rounded to nearest even). */
static void buffer_write_as(cl_mem m, const float *data, size_t n, ob_adam_precision prec) {
  if (prec == OB_ADAM_FP32) {
    OB_ASSERT_OK(ob_buffer_write(ob_test_device(), m, 0, n * sizeof(float), data));
    return;
  }
  uint16_t *h = malloc((n + 1) * sizeof *h);
  assert_non_null(h);
  for (size_t j = 0; j < n; j++) h[j] = ob_half_from_float(data[j]);
  OB_ASSERT_OK(ob_buffer_write(ob_test_device(), m, 0, n * sizeof *h, h));
  free(h);
}

/* Reads n fp32 or half values of m as floats. */
static void buffer_read_as(cl_mem m, float *out, size_t n, ob_adam_precision prec) {
  if (prec == OB_ADAM_FP32) {
    OB_ASSERT_OK(ob_buffer_read(ob_test_device(), m, 0, n * sizeof(float), out));
    return;
  }
  uint16_t *h = malloc((n + 1) * sizeof *h);
  assert_non_null(h);
  OB_ASSERT_OK(ob_buffer_read(ob_test_device(), m, 0, n * sizeof *h, h));
  for (size_t j = 0; j < n; j++) out[j] = ob_half_to_float(h[j]);
  free(h);
}

static cl_mem buffer_from_as(const float *data, size_t n, ob_adam_precision prec) {
  cl_mem m = NULL;
  const size_t elem = prec == OB_ADAM_FP16 ? 2 : sizeof(float);
  OB_ASSERT_OK(ob_buffer_create(ob_test_device(), CL_MEM_READ_WRITE, n * elem, NULL, &m));
  buffer_write_as(m, data, n, prec);
  return m;
}

static void device_run(const problem *pb, const ob_adam_options *o, result *r) {
  ob_device *dev = ob_test_device();
  cl_mem p = buffer_from_as(pb->p0, pb->total, o->precision),
         g = buffer_from_as(pb->grads, pb->total, o->precision);
  ob_adam *a = NULL;
  OB_ASSERT_OK(ob_adam_create_flat(dev, o, p, g, pb->offsets, pb->counts, pb->n, &a));
  for (int t = 0; t < pb->steps; t++) {
    buffer_write_as(g, pb->grads + (size_t)t * pb->total, pb->total, o->precision);
    OB_ASSERT_OK(ob_adam_step(a, NULL));
  }
  result_alloc(r, pb->total);
  buffer_read_as(p, r->p, pb->total, o->precision);
  for (size_t i = 0; i < pb->n; i++) {
    const size_t off = pb->offsets[i], c = pb->counts[i];
    OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG, i, 0, c, r->m + off));
    OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG_SQ, i, 0, c, r->v + off));
    if (o->amsgrad)
      OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_MAX_EXP_AVG_SQ, i, 0, c, r->vmax + off));
  }
  ob_adam_destroy(a);
  ob_buffer_release(dev, p);
  ob_buffer_release(dev, g);
}

/* The host reference in double, rounded to float at the end. */
static void reference_run(const problem *pb, const ob_adam_options *o, result *r) {
  const size_t n = pb->total;
  double *p = calloc(n, sizeof *p), *g = calloc(n, sizeof *g), *m = calloc(n, sizeof *m),
         *v = calloc(n, sizeof *v), *vm = calloc(n, sizeof *vm);
  assert_true(p && g && m && v && vm);
  for (size_t j = 0; j < n; j++) p[j] = pb->p0[j];
  for (int t = 0; t < pb->steps; t++)
    for (size_t i = 0; i < pb->n; i++) {
      const size_t off = pb->offsets[i];
      for (size_t j = 0; j < pb->counts[i]; j++) g[off + j] = pb->grads[(size_t)t * n + off + j];
      ob_adam_ref_step(o, t + 1, p + off, g + off, m + off, v + off, vm + off, pb->counts[i]);
    }
  result_alloc(r, n);
  for (size_t j = 0; j < n; j++) {
    r->p[j] = (float)p[j];
    r->m[j] = (float)m[j];
    r->v[j] = (float)v[j];
    r->vmax[j] = (float)vm[j];
  }
  free(p);
  free(g);
  free(m);
  free(v);
  free(vm);
}

/* Every element of every tensor within rel_p (parameters) or rel_state (moments) of b,
 * relative to the tensor's largest |value|, and the gaps between tensors untouched. */
static void assert_results_within(const problem *pb, const result *a, const result *b,
                                  bool amsgrad, double rel_p, double rel_state, const char *what) {
  const float *qa[] = {a->p, a->m, a->v, a->vmax}, *qb[] = {b->p, b->m, b->v, b->vmax};
  const char *names[] = {"param", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  for (size_t i = 0; i < pb->n; i++)
    for (int q = 0; q < (amsgrad ? 4 : 3); q++) {
      const size_t off = pb->offsets[i];
      const double rel = q == 0 ? rel_p : rel_state;
      double scale = 0.0;
      for (size_t j = 0; j < pb->counts[i]; j++) scale = fmax(scale, fabs(qb[q][off + j]));
      for (size_t j = 0; j < pb->counts[i]; j++)
        if (!(fabs(qa[q][off + j] - qb[q][off + j]) <= rel * scale))
          fail_msg("%s: tensor %zu (%zu elements) %s[%zu]: %.9g vs %.9g", what, i,
                   pb->counts[i], names[q], j, qa[q][off + j], qb[q][off + j]);
    }
  size_t next = 0;
  for (size_t i = 0; i <= pb->n; i++) {
    const size_t end = i < pb->n ? pb->offsets[i] : pb->total;
    for (size_t j = next; j < end; j++)
      if (a->p[j] != SENTINEL) fail_msg("%s: gap element %zu changed to %.9g", what, j, a->p[j]);
    if (i < pb->n) next = pb->offsets[i] + pb->counts[i];
  }
}

static void assert_results_match(const problem *pb, const result *a, const result *b, bool amsgrad,
                                 double rel, const char *what) {
  assert_results_within(pb, a, b, amsgrad, rel, rel, what);
}

/* Fused (every shape) and eager against the reference and against each other. */
static void check_all_impls(const problem *pb, const ob_adam_options *base, size_t nimpls) {
  result ref, eager;
  reference_run(pb, base, &ref);
  ob_adam_options o = *base;
  o.impl = OB_ADAM_EAGER;
  device_run(pb, &o, &eager);
  assert_results_match(pb, &eager, &ref, base->amsgrad, 2e-6, "eager vs reference");
  for (size_t k = 0; k < nimpls; k++) {
    if (impls[k].impl != OB_ADAM_FUSED) continue;
    result fused;
    o = *base;
    options_for(&o, &impls[k]);
    device_run(pb, &o, &fused);
    char what[96];
    snprintf(what, sizeof what, "%s vs reference", impls[k].name);
    assert_results_match(pb, &fused, &ref, base->amsgrad, 2e-6, what);
    snprintf(what, sizeof what, "%s vs eager", impls[k].name);
    assert_results_match(pb, &fused, &eager, base->amsgrad, 2e-6, what);
    result_free(&fused);
  }
  result_free(&ref);
  result_free(&eager);
}

static void odd_sizes_empty_and_single_element_tensors(void **state) {
  (void)state;
  /* Not multiples of 4, empty, 1 element, and more than one 64-element chunk of the wg8
   * shapes; the 1023 + 4097 tensors also span several chunks of the tuned shape on GPUs. */
  static const size_t counts[] = {0, 1, 3, 5, 7, 1023, 0, 4097, 13, 2, 64, 65};
  problem pb;
  problem_make(&pb, counts, sizeof counts / sizeof *counts, 4, 7u);
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.lr = 0.01;
  o.amsgrad = true;
  o.weight_decay = 0.1;
  check_all_impls(&pb, &o, NIMPLS);
  problem_free(&pb);
}

static void every_option_combination_matches(void **state) {
  (void)state;
  static const size_t counts[] = {5, 64, 1, 130};
  problem pb;
  problem_make(&pb, counts, sizeof counts / sizeof *counts, 3, 11u);
  for (int combo = 0; combo < 12; combo++) {
    ob_adam_options o;
    const int decay = combo % 3; /* none, L2, decoupled */
    ob_adam_options_init(&o, decay == 2);
    o.lr = 0.05;
    o.beta1 = 0.8;
    o.beta2 = 0.99;
    o.eps = 1e-3;
    o.weight_decay = decay ? 0.2 : 0.0;
    o.amsgrad = (combo / 3) % 2;
    o.maximize = combo / 6;
    check_all_impls(&pb, &o, 1); /* tuned fused and eager */
  }
  problem_free(&pb);
}

/* ---------------------------------------------------------------- PyTorch's own numbers */

/* tests/data/adam_torch.csv (tools/adam_torch_ref.py): torch.optim.Adam / AdamW in float64 on
 * one tensor of TORCH_N elements, TORCH_STEPS steps per case. */
#define TORCH_N 5
#define TORCH_STEPS 6
#define TORCH_MAX_CASES 16

typedef struct torch_case {
  ob_adam_options o;
  double p[TORCH_STEPS + 1][TORCH_N], g[TORCH_STEPS + 1][TORCH_N];
  double m[TORCH_STEPS + 1][TORCH_N], v[TORCH_STEPS + 1][TORCH_N], vmax[TORCH_STEPS + 1][TORCH_N];
} torch_case;

typedef struct torch_data {
  torch_case cases[TORCH_MAX_CASES];
  size_t ncases, nrows;
} torch_data;

static ob_status torch_row(void *user, size_t line, char **f, size_t n) {
  torch_data *d = user;
  if (line == 1) return OB_OK; /* header */
  double x[16];
  if (n != 16) return ob_fail(OB_ERR_INVALID, "line %zu: %zu fields", line, n);
  for (int k = 0; k < 16; k++)
    if (!ob_parse_double(f[k], &x[k])) return ob_fail(OB_ERR_INVALID, "line %zu: '%s'", line, f[k]);
  const size_t c = (size_t)x[0], step = (size_t)x[9], i = (size_t)x[10];
  if (c >= TORCH_MAX_CASES || step > TORCH_STEPS || i >= TORCH_N)
    return ob_fail(OB_ERR_INVALID, "line %zu: case/step/element out of range", line);
  torch_case *t = &d->cases[c];
  ob_adam_options_init(&t->o, x[8] != 0);
  t->o.lr = x[1];
  t->o.beta1 = x[2];
  t->o.beta2 = x[3];
  t->o.eps = x[4];
  t->o.weight_decay = x[5];
  t->o.amsgrad = x[6] != 0;
  t->o.maximize = x[7] != 0;
  t->g[step][i] = x[11];
  t->p[step][i] = x[12];
  t->m[step][i] = x[13];
  t->v[step][i] = x[14];
  t->vmax[step][i] = x[15];
  if (c + 1 > d->ncases) d->ncases = c + 1;
  d->nrows++;
  return OB_OK;
}

static void matches_pytorch_sequences(void **state) {
  (void)state;
  const char *top = getenv("OB_SOURCE_DIR");
  char path[4200];
  snprintf(path, sizeof path, "%s/tests/data/adam_torch.csv", top && *top ? top : ".");
  torch_data *d = calloc(1, sizeof *d);
  assert_non_null(d);
  OB_ASSERT_OK(ob_csv_read(path, torch_row, d));
  assert_int_equal(d->ncases, 14);
  assert_int_equal(d->nrows, d->ncases * (TORCH_STEPS + 1) * TORCH_N);
  ob_device *dev = ob_test_device();
  for (size_t c = 0; c < d->ncases; c++) {
    const torch_case *t = &d->cases[c];
    /* The host reference, step by step, to double rounding. */
    double p[TORCH_N], m[TORCH_N] = {0}, v[TORCH_N] = {0}, vm[TORCH_N] = {0};
    memcpy(p, t->p[0], sizeof p);
    for (int s = 1; s <= TORCH_STEPS; s++) {
      ob_adam_ref_step(&t->o, s, p, t->g[s], m, v, vm, TORCH_N);
      for (int i = 0; i < TORCH_N; i++) {
        assert_close(p[i], t->p[s][i], 1e-12, 1e-15, "reference param vs torch");
        assert_close(m[i], t->m[s][i], 1e-12, 1e-15, "reference exp_avg vs torch");
        assert_close(v[i], t->v[s][i], 1e-12, 1e-15, "reference exp_avg_sq vs torch");
        if (t->o.amsgrad) assert_close(vm[i], t->vmax[s][i], 1e-12, 1e-15, "reference vmax");
      }
    }
    /* Fused and eager on the device, in fp32. */
    for (int e = 0; e < 2; e++) {
      ob_adam_options o = t->o;
      o.impl = e ? OB_ADAM_EAGER : OB_ADAM_FUSED;
      float pv[TORCH_N], gv[TORCH_N];
      for (int i = 0; i < TORCH_N; i++) pv[i] = (float)t->p[0][i];
      cl_mem pb = buffer_from(pv, TORCH_N), gb = buffer_from(pv, TORCH_N);
      const size_t off = 0, count = TORCH_N;
      ob_adam *a = NULL;
      OB_ASSERT_OK(ob_adam_create_flat(dev, &o, pb, gb, &off, &count, 1, &a));
      for (int s = 1; s <= TORCH_STEPS; s++) {
        for (int i = 0; i < TORCH_N; i++) gv[i] = (float)t->g[s][i];
        OB_ASSERT_OK(ob_buffer_write(dev, gb, 0, sizeof gv, gv));
        OB_ASSERT_OK(ob_adam_step(a, NULL));
      }
      OB_ASSERT_OK(ob_buffer_read(dev, pb, 0, sizeof pv, pv));
      char what[64];
      snprintf(what, sizeof what, "case %zu %s param", c, e ? "eager" : "fused");
      for (int i = 0; i < TORCH_N; i++) assert_close(pv[i], t->p[TORCH_STEPS][i], 2e-6, 1e-7, what);
      OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG_SQ, 0, 0, TORCH_N, pv));
      snprintf(what, sizeof what, "case %zu %s exp_avg_sq", c, e ? "eager" : "fused");
      for (int i = 0; i < TORCH_N; i++) assert_close(pv[i], t->v[TORCH_STEPS][i], 2e-6, 1e-9, what);
      ob_adam_destroy(a);
      ob_buffer_release(dev, pb);
      ob_buffer_release(dev, gb);
    }
  }
  free(d);
}

/* ---------------------------------------------------------------- fp16 parameters */

/* The hand-checked first step with half parameters and gradients on every fused shape (float4,
 * float2, scalar, tails): p = 1.5 - 0.05 / 0.75 = 1.43333 in fp32 is stored as the nearest
 * half, 1468 * 2^-10 = 1.43359375 (the neighbours are 0.00072 and 0.00072 + 0.00098 away). */
static void fp16_step1_rounds_to_the_nearest_half(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  for (size_t k = 0; k < NIMPLS; k++) {
    if (impls[k].impl != OB_ADAM_FUSED) continue;
    ob_adam_options o;
    seq_options(&o);
    options_for(&o, &impls[k]);
    o.precision = OB_ADAM_FP16;
    float pv[SEQ_N], gv[SEQ_N];
    for (int j = 0; j < SEQ_N; j++) pv[j] = 1.5f, gv[j] = 0.5f;
    cl_mem p = buffer_from_as(pv, SEQ_N, OB_ADAM_FP16), g = buffer_from_as(gv, SEQ_N, OB_ADAM_FP16);
    const size_t off = 0, count = SEQ_N;
    ob_adam *a = NULL;
    OB_ASSERT_OK(ob_adam_create_flat(dev, &o, p, g, &off, &count, 1, &a));
    OB_ASSERT_OK(ob_adam_step(a, NULL));
    buffer_read_as(p, pv, SEQ_N, OB_ADAM_FP16);
    OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG_SQ, 0, 0, SEQ_N, gv));
    for (int j = 0; j < SEQ_N; j++) {
      if (pv[j] != 1.43359375f)
        fail_msg("%s: param[%d] = %.9g, not the half 1.43359375", impls[k].name, j, pv[j]);
      assert_close(gv[j], 0.00025, 1e-6, 0, "fp16: exp_avg_sq (fp32)");
    }
    ob_adam_destroy(a);
    ob_buffer_release(dev, p);
    ob_buffer_release(dev, g);
  }
}

/* Half parameters and gradients against the double reference that starts from the same half
 * values and is never rounded: the device rounds the parameters once per step, at most 2^-11
 * of |p| each time, so steps x 2^-11 bounds the parameters; the fp32 moments see the same
 * half gradients (and, with L2 decay, the rounded parameters times weight_decay). */
static void fp16_parameters_match_the_reference(void **state) {
  (void)state;
  static const size_t counts[] = {0, 1, 3, 5, 7, 1023, 4097, 13, 2, 64, 65};
  problem pb;
  problem_make(&pb, counts, sizeof counts / sizeof *counts, 4, 9u);
  for (size_t j = 0; j < pb.total; j++)
    pb.p0[j] = ob_half_to_float(ob_half_from_float(pb.p0[j]));
  for (size_t j = 0; j < (size_t)pb.steps * pb.total; j++)
    pb.grads[j] = ob_half_to_float(ob_half_from_float(pb.grads[j]));
  const double rel_p = pb.steps * 0x1p-11;
  for (int combo = 0; combo < 4; combo++) {
    const int decay = combo % 3; /* none, L2, decoupled; combo 3: amsgrad */
    ob_adam_options o;
    ob_adam_options_init(&o, decay == 2);
    o.lr = 0.01;
    o.weight_decay = decay ? 0.1 : 0.0;
    o.amsgrad = combo == 3;
    o.precision = OB_ADAM_FP16;
    result ref;
    reference_run(&pb, &o, &ref);
    for (size_t k = 0; k < NIMPLS; k++) {
      if (impls[k].impl != OB_ADAM_FUSED) continue;
      result dev;
      options_for(&o, &impls[k]);
      device_run(&pb, &o, &dev);
      char what[96];
      snprintf(what, sizeof what, "fp16 %s, decay %d, amsgrad %d", impls[k].name, decay,
               o.amsgrad);
      assert_results_within(&pb, &dev, &ref, o.amsgrad, rel_p, decay == 1 ? rel_p : 2e-6, what);
      result_free(&dev);
    }
    result_free(&ref);
  }
  problem_free(&pb);
}

/* fp16 is fused only; ranges count in half elements; zero_grad zeroes halves. */
static void fp16_options_ranges_and_zero_grad(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.precision = OB_ADAM_FP16;
  OB_ASSERT_OK(ob_adam_options_check(&o));
  o.impl = OB_ADAM_EAGER;
  assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "fused"));
  o.impl = OB_ADAM_FUSED;
  o.precision = (ob_adam_precision)7;
  assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
  /* 64 halves (128 bytes) per buffer: [40, 44) fits as half, not as fp32 (32 floats) */
  float v[64];
  for (int j = 0; j < 64; j++) v[j] = 0.5f;
  cl_mem p = buffer_from_as(v, 64, OB_ADAM_FP16), g = buffer_from_as(v, 64, OB_ADAM_FP16);
  const ob_adam_tensor t = {p, g, 40, 40, 4};
  ob_adam *a = NULL;
  o.precision = OB_ADAM_FP32;
  assert_int_equal(ob_adam_create(dev, &o, &t, 1, &a), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "exceeds"));
  o.precision = OB_ADAM_FP16;
  const ob_adam_tensor over = {p, g, 60, 0, 5};
  assert_int_equal(ob_adam_create(dev, &o, &over, 1, &a), OB_ERR_INVALID);
  OB_ASSERT_OK(ob_adam_create(dev, &o, &t, 1, &a));
  OB_ASSERT_OK(ob_adam_zero_grad(a));
  buffer_read_as(g, v, 64, OB_ADAM_FP16);
  for (int j = 0; j < 64; j++) assert_true(v[j] == (j >= 40 && j < 44 ? 0.0f : 0.5f));
  OB_ASSERT_OK(ob_adam_step(a, NULL)); /* zero gradient: nothing moves */
  buffer_read_as(p, v, 64, OB_ADAM_FP16);
  for (int j = 0; j < 64; j++) assert_true(v[j] == 0.5f);
  ob_adam_destroy(a);
  ob_buffer_release(dev, p);
  ob_buffer_release(dev, g);
}

/* The kernel trace gets the bytes of every fused launch: 28 per parameter (fp32), 22 (fp16),
 * 36 (amsgrad). */
static void trace_records_the_bytes_moved(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  static const size_t counts[] = {5, 64};
  const size_t offsets[] = {0, 8};
  float v[72];
  for (int j = 0; j < 72; j++) v[j] = 0.25f;
  static const struct {
    ob_adam_precision prec;
    bool amsgrad;
    double per_param;
  } want[] = {{OB_ADAM_FP32, false, 28}, {OB_ADAM_FP16, false, 22}, {OB_ADAM_FP32, true, 36}};
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    ob_adam_options o;
    ob_adam_options_init(&o, false);
    o.precision = want[k].prec;
    o.amsgrad = want[k].amsgrad;
    cl_mem p = buffer_from_as(v, 72, o.precision), g = buffer_from_as(v, 72, o.precision);
    ob_adam *a = NULL;
    OB_ASSERT_OK(ob_adam_create_flat(dev, &o, p, g, offsets, counts, 2, &a));
    ob_trace_reset();
    ob_trace_enable(true);
    OB_ASSERT_OK(ob_adam_step(a, NULL));
    ob_trace_enable(false);
    ob_trace_flush();
    size_t found = 0;
    for (size_t i = 0; i < ob_trace_count(); i++) {
      ob_trace_record r;
      assert_true(ob_trace_get(i, &r));
      if (strcmp(r.name, "adam_fused") != 0) continue;
      found++;
      assert_true(r.bytes == want[k].per_param * 69);
    }
    assert_int_equal(found, 1);
    ob_trace_reset();
    ob_adam_destroy(a);
    ob_buffer_release(dev, p);
    ob_buffer_release(dev, g);
  }
}

/* ---------------------------------------------------------------- API */

static void options_are_validated(void **state) {
  (void)state;
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  assert_true(o.lr == 1e-3 && o.beta1 == 0.9 && o.beta2 == 0.999 && o.eps == 1e-8);
  assert_true(o.weight_decay == 0.0 && !o.decoupled && !o.amsgrad && !o.maximize);
  OB_ASSERT_OK(ob_adam_options_check(&o));
  ob_adam_options_init(&o, true);
  assert_true(o.weight_decay == 1e-2 && o.decoupled);
  const struct {
    double lr, b1, b2, eps, wd;
    const char *word;
  } bad[] = {{-1e-3, 0.9, 0.999, 1e-8, 0, "learning rate"},
             {NAN, 0.9, 0.999, 1e-8, 0, "learning rate"},
             {1e-3, 1.0, 0.999, 1e-8, 0, "beta1"},
             {1e-3, -0.1, 0.999, 1e-8, 0, "beta1"},
             {1e-3, 0.9, 1.0, 1e-8, 0, "beta2"},
             {1e-3, 0.9, 0.999, -1, 0, "eps"},
             {1e-3, 0.9, 0.999, 1e-8, -0.1, "weight_decay"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ob_adam_options_init(&o, false);
    o.lr = bad[i].lr;
    o.beta1 = bad[i].b1;
    o.beta2 = bad[i].b2;
    o.eps = bad[i].eps;
    o.weight_decay = bad[i].wd;
    assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
    assert_non_null(strstr(ob_error_detail(), bad[i].word));
  }
  ob_adam_options_init(&o, false);
  o.tuning = (ob_adam_tuning){6, 1, 1}; /* 6 elements per chunk: not aligned */
  assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
  o.tuning = (ob_adam_tuning){64, 1, 3};
  assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
  o.tuning = (ob_adam_tuning){64, 0, 4};
  assert_int_equal(ob_adam_options_check(&o), OB_ERR_INVALID);
  o.tuning = (ob_adam_tuning){64, 2, 2};
  OB_ASSERT_OK(ob_adam_options_check(&o));
  /* create checks the options too */
  ob_adam *a = (ob_adam *)&o;
  o.lr = -1;
  assert_int_equal(ob_adam_create(ob_test_device(), &o, NULL, 0, &a), OB_ERR_INVALID);
  assert_null(a);
}

static void layout_packs_aligned(void **state) {
  (void)state;
  const size_t counts[] = {3, 0, 4, 1, 9};
  size_t off[5];
  assert_int_equal(ob_adam_layout(counts, 5, 0, off), 4 + 0 + 4 + 4 + 12);
  const size_t want[] = {0, 4, 4, 8, 12};
  for (int i = 0; i < 5; i++) assert_int_equal(off[i], want[i]);
  assert_int_equal(ob_adam_layout(counts, 0, 0, off), 0);
  /* 128-byte alignment (sub-buffers), and an alignment rounded up to a multiple of 4 */
  assert_int_equal(ob_adam_layout(counts, 5, 32, off), 32 + 0 + 32 + 32 + 32);
  const size_t want32[] = {0, 32, 32, 64, 96};
  for (int i = 0; i < 5; i++) assert_int_equal(off[i], want32[i]);
  assert_int_equal(ob_adam_layout(counts, 5, 6, off), 8 + 0 + 8 + 8 + 16);
}

static void tensors_are_validated(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  cl_mem p = NULL, g = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64 * sizeof(float), NULL, &p));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 64 * sizeof(float), NULL, &g));
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  const struct {
    ob_adam_tensor t[2];
    size_t n;
    const char *word;
  } bad[] = {
      {{{p, g, 2, 0, 4}}, 1, "multiple of 4"},
      {{{p, g, 0, 6, 4}}, 1, "multiple of 4"},
      {{{p, g, 60, 0, 5}}, 1, "exceeds"},
      {{{NULL, g, 0, 0, 4}}, 1, "NULL"},
      {{{p, g, 0, 0, 8}, {p, g, 4, 8, 8}}, 2, "overlap"},  /* parameter ranges overlap */
      {{{p, g, 0, 0, 8}, {g, g, 4, 16, 4}}, 2, "overlap"}, /* a parameter range on a gradient */
      {{{p, p, 0, 0, 4}}, 1, "overlap"},                   /* its own gradient */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ob_adam *a = NULL;
    assert_int_equal(ob_adam_create(dev, &o, bad[i].t, bad[i].n, &a), OB_ERR_INVALID);
    if (!strstr(ob_error_detail(), bad[i].word))
      fail_msg("case %zu: '%s' lacks '%s'", i, ob_error_detail(), bad[i].word);
    assert_null(a);
  }
  /* Fine: parameters and gradients in one buffer side by side, shared gradients, empty
   * tensors anywhere (even with NULL buffers). */
  const ob_adam_tensor ok[] = {{p, p, 0, 32, 32}, {NULL, NULL, 3, 5, 0}, {g, p, 0, 40, 8},
                               {g, p, 8, 40, 8}};
  ob_adam *a = NULL;
  OB_ASSERT_OK(ob_adam_create(dev, &o, ok, 4, &a));
  assert_int_equal(ob_adam_launches_per_step(a), 2);
  ob_adam_destroy(a);
  ob_adam_destroy(NULL);
  ob_buffer_release(dev, p);
  ob_buffer_release(dev, g);
}

static void list_of_separate_buffers(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  /* Three parameter buffers; two tensors share the second one; all gradients in one buffer. */
  static const size_t counts[] = {7, 33, 4, 1};
  problem pb;
  problem_make(&pb, counts, 4, 3, 5u);
  ob_adam_options o;
  ob_adam_options_init(&o, true);
  o.lr = 0.02;
  result ref;
  reference_run(&pb, &o, &ref);
  for (int e = 0; e < 2; e++) {
    o.impl = e ? OB_ADAM_EAGER : OB_ADAM_FUSED;
    cl_mem pbuf[3], g = buffer_from(pb.grads, pb.total);
    pbuf[0] = buffer_from(pb.p0 + pb.offsets[0], counts[0]);
    pbuf[1] = buffer_from(pb.p0 + pb.offsets[1], pb.offsets[3] - pb.offsets[1]);
    pbuf[2] = buffer_from(pb.p0 + pb.offsets[3], counts[3]);
    const size_t second = pb.offsets[2] - pb.offsets[1]; /* tensor 2 in tensor 1's buffer */
    const ob_adam_tensor t[] = {{pbuf[0], g, 0, pb.offsets[0], counts[0]},
                                {pbuf[1], g, 0, pb.offsets[1], counts[1]},
                                {pbuf[1], g, second, pb.offsets[2], counts[2]},
                                {pbuf[2], g, 0, pb.offsets[3], counts[3]}};
    ob_adam *a = NULL;
    OB_ASSERT_OK(ob_adam_create(dev, &o, t, 4, &a));
    assert_int_equal(ob_adam_launches_per_step(a), e ? 4 * 8 : 3);
    for (int s = 0; s < pb.steps; s++) {
      OB_ASSERT_OK(ob_buffer_write(dev, g, 0, pb.total * sizeof(float),
                                   pb.grads + (size_t)s * pb.total));
      cl_event ev = NULL;
      OB_ASSERT_OK(ob_adam_step(a, &ev));
      assert_non_null(ev);
      OB_ASSERT_OK(OB_CL(clWaitForEvents(1, &ev)));
      clReleaseEvent(ev);
    }
    for (size_t i = 0; i < 4; i++) {
      float got[64];
      OB_ASSERT_OK(ob_buffer_read(dev, t[i].param, t[i].param_offset * sizeof(float),
                                  counts[i] * sizeof(float), got));
      for (size_t j = 0; j < counts[i]; j++)
        assert_close(got[j], ref.p[pb.offsets[i] + j], 2e-6, 1e-7, "list-form param");
      OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG, i, 0, counts[i], got));
      for (size_t j = 0; j < counts[i]; j++)
        assert_close(got[j], ref.m[pb.offsets[i] + j], 2e-6, 1e-7, "list-form exp_avg");
    }
    ob_adam_destroy(a);
    for (int k = 0; k < 3; k++) ob_buffer_release(dev, pbuf[k]);
    ob_buffer_release(dev, g);
  }
  result_free(&ref);
  problem_free(&pb);
}

static void empty_optimizers_step(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  for (int e = 0; e < 2; e++) {
    ob_adam_options o;
    ob_adam_options_init(&o, false);
    o.impl = e ? OB_ADAM_EAGER : OB_ADAM_FUSED;
    ob_adam *a = NULL;
    OB_ASSERT_OK(ob_adam_create(dev, &o, NULL, 0, &a));
    cl_event ev = (cl_event)&o;
    OB_ASSERT_OK(ob_adam_step(a, &ev));
    assert_null(ev);
    assert_int_equal(ob_adam_step_count(a), 1);
    assert_int_equal(ob_adam_launches_per_step(a), 0);
    assert_int_equal(ob_adam_state_read(a, OB_ADAM_EXP_AVG, 0, 0, 0, NULL), OB_ERR_INVALID);
    ob_adam_destroy(a);
    const size_t off[] = {0, 0}, counts[] = {0, 0};
    OB_ASSERT_OK(ob_adam_create_flat(dev, &o, NULL, NULL, off, counts, 2, &a));
    OB_ASSERT_OK(ob_adam_step(a, NULL));
    OB_ASSERT_OK(ob_adam_reset(a));
    assert_int_equal(ob_adam_launches_per_step(a), 0);
    ob_adam_destroy(a);
  }
}

static void reset_learning_rate_and_state_reads(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  const float pv[] = {1, 2, 3, 4, 5}, gv[] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
  cl_mem p = buffer_from(pv, 5), g = buffer_from(gv, 5);
  const size_t off = 0, count = 5;
  ob_adam_options o;
  ob_adam_options_init(&o, true); /* AdamW: lr 0 must also stop the decay */
  ob_adam *a = NULL;
  OB_ASSERT_OK(ob_adam_create_flat(dev, &o, p, g, &off, &count, 1, &a));
  for (int s = 0; s < 3; s++) OB_ASSERT_OK(ob_adam_step(a, NULL));
  OB_ASSERT_OK(ob_adam_reset(a));
  assert_int_equal(ob_adam_step_count(a), 0);
  float m[5];
  OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG, 0, 0, 5, m));
  for (int j = 0; j < 5; j++) assert_true(m[j] == 0.0f);
  OB_ASSERT_OK(ob_adam_step(a, NULL)); /* a first step again: m = (1 - beta1) * g */
  OB_ASSERT_OK(ob_adam_state_read(a, OB_ADAM_EXP_AVG, 0, 1, 3, m));
  for (int j = 0; j < 3; j++) assert_close(m[j], 0.05, 1e-6, 0, "exp_avg after reset");
  float before[5], after[5];
  OB_ASSERT_OK(ob_buffer_read(dev, p, 0, sizeof before, before));
  assert_int_equal(ob_adam_set_lr(a, -1.0), OB_ERR_INVALID);
  OB_ASSERT_OK(ob_adam_set_lr(a, 0.0));
  OB_ASSERT_OK(ob_adam_step(a, NULL));
  OB_ASSERT_OK(ob_buffer_read(dev, p, 0, sizeof after, after));
  assert_memory_equal(before, after, sizeof before);
  assert_int_equal(ob_adam_state_read(a, OB_ADAM_EXP_AVG, 1, 0, 1, m), OB_ERR_INVALID);
  assert_int_equal(ob_adam_state_read(a, OB_ADAM_EXP_AVG, 0, 3, 3, m), OB_ERR_INVALID);
  assert_int_equal(ob_adam_state_read(a, OB_ADAM_MAX_EXP_AVG_SQ, 0, 0, 1, m), OB_ERR_INVALID);
  OB_ASSERT_OK(ob_adam_zero_grad(a));
  OB_ASSERT_OK(ob_buffer_read(dev, g, 0, sizeof after, after));
  for (int j = 0; j < 5; j++) assert_true(after[j] == 0.0f);
  assert_non_null(strstr(ob_adam_describe(a), "vec="));
  ob_adam_destroy(a);
  ob_buffer_release(dev, p);
  ob_buffer_release(dev, g);
}

static void tuning_is_cached_per_device(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_tune_settings s;
  ob_tune_settings_init(&s);
  ob_adam_tuning a, b, def;
  ob_tune_source first, second;
  OB_ASSERT_OK(ob_adam_select(dev, &s, &a, &first));
  OB_ASSERT_OK(ob_adam_select(dev, &s, &b, &second));
  assert_true(first == OB_TUNE_SEARCHED || first == OB_TUNE_CACHED);
  assert_int_equal(second, OB_TUNE_CACHED);
  assert_true(a.wg > 0 && a.items >= 1 && (a.vec == 1 || a.vec == 2 || a.vec == 4));
  assert_memory_equal(&a, &b, sizeof a);
  if (s.cache_dir[0]) { /* the device's tuning file holds what the selection returned */
    char cmd[4400], want[160];
    ob_tune_format(&ob_adam_family, &a, want, sizeof want);
    snprintf(cmd, sizeof cmd, "grep -q '^adam fused %s ' '%s'/tune-*.txt", want, s.cache_dir);
    assert_int_equal(system(cmd), 0);
  }
  /* Off: the first candidate; forced: over it. */
  s.mode = OB_TUNE_OFF;
  OB_ASSERT_OK(ob_adam_select(dev, &s, &b, &second));
  assert_int_equal(second, OB_TUNE_DEFAULT);
  ob_adam_tuning_default(dev, &def);
  assert_memory_equal(&b, &def, sizeof b);
  OB_ASSERT_OK(ob_tune_settings_force(&s, &ob_adam_family, "vec=2,items=2"));
  OB_ASSERT_OK(ob_adam_select(dev, &s, &b, &second));
  assert_string_equal(ob_tune_source_name(second), "env");
  assert_true(b.vec == 2 && b.items == 2 && b.wg == def.wg);
  assert_int_equal(ob_tune_settings_force(&s, &ob_adam_family, "vec=3"), OB_ERR_INVALID);
  assert_int_equal(ob_tune_settings_force(&s, &ob_adam_family, "wg=3,vec=1,items=1"),
                   OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "not a multiple of 4"));
}

/* ---------------------------------------------------------------- workload */

static void workload_lists_the_seed_sizes(void **state) {
  (void)state;
  ob_case cases[64];
  ob_run_opts quick = {.quick = true, .seconds = 0.2}, full = {.quick = false, .seconds = 1};
  const size_t nq = ob_workload_adam.list_cases(ob_test_device(), &quick, cases, 64);
  assert_int_equal(nq, 14); /* per size: 5 fp32 configurations, fused Adam and AdamW in fp16 */
  for (size_t i = 0; i < nq; i++) {
    const bool small = i < 7;
    assert_non_null(strstr(cases[i].params, small ? "params=1048576;tensors=16;"
                                                  : "params=10485760;tensors=10;shape=1024x1024"));
    assert_int_equal(cases[i].nmetrics, 2);
    assert_string_equal(cases[i].metrics[0].name, "step_time");
    assert_string_equal(cases[i].metrics[0].unit, "us");
    assert_int_equal(cases[i].metrics[0].kind, OB_METRIC_TIME);
    assert_true(cases[i].metrics[0].scale == 1e6);
    assert_string_equal(cases[i].metrics[1].name, "bandwidth");
    assert_int_equal(cases[i].metrics[1].peak, OB_PEAK_BANDWIDTH);
    const bool ams = strstr(cases[i].params, "amsgrad=1") != NULL;
    const bool fp16 = i % 7 >= 5;
    assert_string_equal(cases[i].precision, fp16 ? "fp16" : "fp32");
    const double params = small ? 1048576.0 : 10485760.0;
    /* p, g (2 or 4 bytes) read, p written; m, v (and vmax) fp32 read and written */
    const double per_param = fp16 ? 22.0 : ams ? 36.0 : 28.0;
    assert_true(cases[i].bytes == per_param * params);
    assert_true(cases[i].metrics[1].work == cases[i].bytes);
  }
  assert_string_equal(cases[0].variant, "fused");
  assert_string_equal(cases[2].variant, "eager");
  assert_non_null(strstr(cases[1].params, "opt=adamw"));
  assert_string_equal(cases[5].variant, "fused");
  assert_non_null(strstr(cases[6].params, "opt=adamw"));
  assert_string_not_equal(cases[5].series, cases[0].series);
  const size_t nf = ob_workload_adam.list_cases(ob_test_device(), &full, cases, 64);
  assert_int_equal(nf, 21);
  assert_non_null(strstr(cases[14].params, "params=100663296;tensors=24;shape=2048x2048"));
  assert_string_equal(cases[14].series, cases[7].series); /* cost predicts 100M from 10.5M */
  assert_true(cases[14].cost > cases[7].cost);
  assert_string_equal(cases[19].series, cases[12].series);
}

static void workload_small_cases_verify(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  void *st = calloc(1, ob_workload_adam.state_size);
  assert_non_null(st);
  for (int k = 0; k < 7; k++) {
    /* 3 x 11x13 = 143 parameters per tensor: tails and padding in the flat layout; k 5 and 6:
     * fp16 parameters, Adam and AdamW */
    const ob_adam_case spec = {k < 3 || k > 4 ? OB_ADAM_FUSED : OB_ADAM_EAGER,
                               k > 4 ? OB_ADAM_FP16 : OB_ADAM_FP32, k % 2, k == 2, 3, 11, 13, true};
    ob_case c;
    ob_adam_workload_case(&c, &spec);
    memset(st, 0, ob_workload_adam.state_size);
    OB_ASSERT_OK(ob_workload_adam.setup(st, dev, &c));
    assert_non_null(strstr(c.note, "launches="));
    assert_null(strstr(c.params, "launches="));
    double secs = 0.0;
    for (int r = 0; r < 3; r++) {
      OB_ASSERT_OK(ob_workload_adam.run(st, &secs));
      assert_true(secs > 0.0);
    }
    ob_verdict v;
    OB_ASSERT_OK(ob_workload_adam.verify(st, &v));
    if (!v.checked || !v.ok) fail_msg("case %d: %s", k, v.note);
    assert_non_null(strstr(v.note, "all 429 params"));
    ob_workload_adam.teardown(st);
  }
  free(st);
}

/* A kernel with a bug (the second moment without the square) must fail verification. */
static void workload_verification_catches_a_wrong_kernel(void **state) {
  (void)state;
  char *src = NULL, *eager = NULL;
  size_t len = 0, elen = 0;
  OB_ASSERT_OK(ob_kernel_source("adam.cl", &src, &len));
  OB_ASSERT_OK(ob_kernel_source("adam_eager.cl", &eager, &elen));
  char *bug = strstr(src, "omb2 * (g * g)");
  assert_non_null(bug);
  memcpy(bug, "omb2 * (g + g)", 14);
  const char *dir = ob_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/adam.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, src, len));
  snprintf(path, sizeof path, "%s/adam_eager.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, eager, elen));
  free(src);
  free(eager);
  ob_test_kernel_dir(dir);
  /* A fresh registry: the shared device keeps the programs it built from the real source. */
  ob_registry *reg = NULL;
  OB_ASSERT_OK(ob_registry_create(&reg));
  ob_device *dev = ob_registry_device(reg, ob_device_index(ob_test_device()));
  ob_verdict v[2] = {0};
  ob_status verify = OB_OK;
  for (int k = 0; k < 2 && verify == OB_OK; k++) { /* fp32 and fp16 parameters */
    const ob_adam_case spec = {OB_ADAM_FUSED, k ? OB_ADAM_FP16 : OB_ADAM_FP32, false, false, 2, 8,
                               8, true};
    ob_case c;
    ob_adam_workload_case(&c, &spec);
    void *st = calloc(1, ob_workload_adam.state_size);
    assert_non_null(st);
    verify = ob_workload_adam.setup(st, dev, &c);
    if (verify == OB_OK) verify = ob_workload_adam.verify(st, &v[k]);
    ob_workload_adam.teardown(st);
    free(st);
  }
  ob_registry_destroy(reg);
  ob_test_kernel_dir(NULL);
  OB_ASSERT_OK(verify);
  for (int k = 0; k < 2; k++) {
    assert_true(v[k].checked);
    assert_false(v[k].ok);
    assert_non_null(strstr(v[k].note, "max_rel_err="));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(options_are_validated),
      cmocka_unit_test(layout_packs_aligned),
      cmocka_unit_test(tensors_are_validated),
      cmocka_unit_test(tuning_is_cached_per_device),
      cmocka_unit_test(step1_bias_corrected),
      cmocka_unit_test(step2_changing_gradient),
      cmocka_unit_test(weight_decay_l2_adds_to_the_gradient),
      cmocka_unit_test(weight_decay_decoupled_adamw),
      cmocka_unit_test(maximize_ascends),
      cmocka_unit_test(maximize_negates_before_l2_decay),
      cmocka_unit_test(amsgrad_divides_by_the_running_max),
      cmocka_unit_test(bias_correction_at_step_1000),
      cmocka_unit_test(odd_sizes_empty_and_single_element_tensors),
      cmocka_unit_test(every_option_combination_matches),
      cmocka_unit_test(fp16_step1_rounds_to_the_nearest_half),
      cmocka_unit_test(fp16_parameters_match_the_reference),
      cmocka_unit_test(fp16_options_ranges_and_zero_grad),
      cmocka_unit_test(trace_records_the_bytes_moved),
      cmocka_unit_test(matches_pytorch_sequences),
      cmocka_unit_test(list_of_separate_buffers),
      cmocka_unit_test(empty_optimizers_step),
      cmocka_unit_test(reset_learning_rate_and_state_reads),
      cmocka_unit_test(workload_lists_the_seed_sizes),
      cmocka_unit_test(workload_small_cases_verify),
      cmocka_unit_test(workload_verification_catches_a_wrong_kernel),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
