/* SimpleCNN on the device (models/simplecnn/simplecnn.h) against the double host reference
 * (models/simplecnn/simplecnn_ref.h) and against central finite differences; the reference against
 * PyTorch (tests/data/train_torch.csv, tools/train_torch_ref.py); counts, initialisation,
 * launches and input validation. Tiny models, so that the whole program runs in seconds on
 * PoCL. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam/adam_ref.h"
#include "simplecnn/simplecnn.h"
#include "simplecnn/simplecnn_ref.h"
#include "zoo/zoo.h"

/* Uniform in [-1, 1): the test's own generator (splitmix64). */
static float uniform(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)((double)(z >> 40) * 0x1p-23 - 1.0);
}

typedef struct batch {
  float *x;
  int32_t *labels;
} batch;

static batch batch_make(const ob_simplecnn_dims *d, uint64_t seed) {
  const size_t nx = (size_t)d->batch * d->in_c * d->in_h * d->in_w;
  batch b = {malloc(nx * sizeof(float)), malloc((size_t)d->batch * sizeof(int32_t))};
  assert_true(b.x && b.labels);
  for (size_t i = 0; i < nx; i++) b.x[i] = uniform(&seed);
  for (int n = 0; n < d->batch; n++)
    b.labels[n] = (int32_t)((uniform(&seed) + 1.0f) * 0.5f * (float)d->classes) % d->classes;
  return b;
}

static void batch_free(batch *b) {
  free(b->x);
  free(b->labels);
}

/* Mode off (set by main). */
static ob_tune_settings untuned;

static ob_simplecnn *model_make(const ob_simplecnn_dims *d, uint64_t seed, double lr) {
  ob_simplecnn_config cfg;
  ob_simplecnn_config_init(&cfg);
  cfg.dims = *d;
  cfg.seed = seed;
  cfg.lr = lr;
  cfg.tune = &untuned; /* the default configurations: tuning is the tuners' tests' */
  ob_simplecnn *m = NULL;
  OB_ASSERT_OK(ob_simplecnn_create(ob_test_device(), &cfg, &m));
  return m;
}

/* ---------------------------------------------------------------- device vs reference */

static void check_against_reference(const ob_simplecnn_dims *d) {
  ob_simplecnn *m = model_make(d, 7, 1e-3);
  batch b = batch_make(d, 11);
  ob_simplecnn_check chk;
  OB_ASSERT_OK(ob_simplecnn_check_step(m, b.x, b.labels, &chk));
  for (int q = 0; q < OB_SIMPLECNN_NQ; q++)
    print_message("  batch %d %dx%dx%d ch %d cl %d: %s rel_err %.2e\n", d->batch, d->in_c,
                  d->in_h, d->in_w, d->channels, d->classes,
                  ob_simplecnn_quantity_name((ob_simplecnn_quantity)q), chk.err[q]);
  assert_int_equal(chk.mask_differ, 0);
  for (int q = 0; q < OB_SIMPLECNN_NQ; q++) assert_true(chk.err[q] <= OB_SIMPLECNN_CHECK_BOUND);
  assert_true(chk.ok);
  /* A second check on the same model is refused: its optimizer has stepped. */
  assert_int_equal(ob_simplecnn_check_step(m, b.x, b.labels, &chk), OB_ERR_INVALID);
  batch_free(&b);
  ob_simplecnn_destroy(m);
}

static void device_matches_reference(void **state) {
  (void)state;
  /* Odd sizes (P = 5, Q = 4), a batch that is not a multiple of the images per work-item. */
  const ob_simplecnn_dims odd = {.batch = 3, .in_c = 3, .in_h = 9, .in_w = 7, .channels = 5,
                                 .classes = 3};
  check_against_reference(&odd);
  /* Several image blocks and fc chunks, 10 classes (padded dlogits rows), one input channel. */
  const ob_simplecnn_dims wide = {.batch = 9, .in_c = 1, .in_h = 40, .in_w = 36, .channels = 8,
                                  .classes = 10};
  check_against_reference(&wide);
}

/* ---------------------------------------------------------------- PyTorch's steps */

#define TORCH_STEPS 2
#define TORCH_CASES 2
#define MAX_SERIES 128

/* One named array of tests/data/train_torch.csv: (case, step, name) -> values. */
typedef struct series {
  int c, step;
  char name[32];
  double *v;
  size_t n, cap;
} series;

typedef struct torch_data {
  series s[MAX_SERIES];
  size_t n;
} torch_data;

static ob_status torch_row(void *user, size_t line, char **f, size_t n) {
  torch_data *d = user;
  if (line == 1) return OB_OK; /* header */
  double c = 0, step = 0, idx = 0, v = 0;
  if (n != 5 || !ob_parse_double(f[0], &c) || !ob_parse_double(f[1], &step) ||
      !ob_parse_double(f[3], &idx) || !ob_parse_double(f[4], &v) || strlen(f[2]) >= 32)
    return ob_fail(OB_ERR_INVALID, "line %zu: malformed", line);
  series *s = NULL;
  for (size_t i = 0; i < d->n && !s; i++)
    if (d->s[i].c == (int)c && d->s[i].step == (int)step && strcmp(d->s[i].name, f[2]) == 0)
      s = &d->s[i];
  if (!s) {
    if (d->n == MAX_SERIES) return ob_fail(OB_ERR_INVALID, "line %zu: too many arrays", line);
    s = &d->s[d->n++];
    s->c = (int)c;
    s->step = (int)step;
    snprintf(s->name, sizeof s->name, "%s", f[2]);
  }
  if ((size_t)idx != s->n) return ob_fail(OB_ERR_INVALID, "line %zu: index out of order", line);
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    double *grown = realloc(s->v, s->cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    s->v = grown;
  }
  s->v[s->n++] = v;
  return OB_OK;
}

static const series *torch_get(const torch_data *d, int c, int step, const char *name,
                               size_t n) {
  for (size_t i = 0; i < d->n; i++)
    if (d->s[i].c == c && d->s[i].step == step && strcmp(d->s[i].name, name) == 0) {
      assert_int_equal(d->s[i].n, n);
      return &d->s[i];
    }
  fail_msg("train_torch.csv: no %s for case %d step %d", name, c, step);
  return NULL;
}

static torch_data *torch_load(void) {
  const char *top = getenv("OB_SOURCE_DIR");
  char path[4200];
  snprintf(path, sizeof path, "%s/tests/data/train_torch.csv", top && *top ? top : ".");
  torch_data *d = calloc(1, sizeof *d);
  assert_non_null(d);
  OB_ASSERT_OK(ob_csv_read(path, torch_row, d));
  return d;
}

static void torch_free(torch_data *d) {
  for (size_t i = 0; i < d->n; i++) free(d->s[i].v);
  free(d);
}

/* The case's dimensions, input and initial parameters (fp32 values). */
typedef struct torch_case {
  ob_simplecnn_dims d;
  batch b;
  float *p0[OB_SIMPLECNN_NTENSORS];
} torch_case;

static torch_case torch_case_get(const torch_data *t, int c) {
  torch_case k;
  const series *dims = torch_get(t, c, 0, "dims", 6);
  k.d = (ob_simplecnn_dims){(int)dims->v[0], (int)dims->v[1], (int)dims->v[2],
                            (int)dims->v[3], (int)dims->v[4], (int)dims->v[5]};
  k.b = batch_make(&k.d, 0);
  const size_t nx = (size_t)k.d.batch * k.d.in_c * k.d.in_h * k.d.in_w;
  const series *x = torch_get(t, c, 0, "x", nx), *l = torch_get(t, c, 0, "label", (size_t)k.d.batch);
  for (size_t i = 0; i < nx; i++) k.b.x[i] = (float)x->v[i];
  for (int n = 0; n < k.d.batch; n++) k.b.labels[n] = (int32_t)l->v[n];
  for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) {
    const size_t n = ob_simplecnn_tensor_elems(&k.d, (ob_simplecnn_tensor)p);
    const series *s = torch_get(t, c, 0, ob_simplecnn_tensor_name((ob_simplecnn_tensor)p), n);
    k.p0[p] = malloc(n * sizeof(float));
    assert_non_null(k.p0[p]);
    for (size_t i = 0; i < n; i++) k.p0[p][i] = (float)s->v[i];
  }
  return k;
}

static void torch_case_free(torch_case *k) {
  batch_free(&k->b);
  for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) free(k->p0[p]);
}

/* ||got - want|| / ||want|| for double arrays. */
static double rel_err_d(const double *got, const double *want, size_t n) {
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < n; i++) {
    diff += (got[i] - want[i]) * (got[i] - want[i]);
    norm += want[i] * want[i];
  }
  return norm > 0 ? sqrt(diff / norm) : sqrt(diff);
}

static void reference_matches_pytorch(void **state) {
  (void)state;
  torch_data *t = torch_load();
  for (int c = 0; c < TORCH_CASES; c++) {
    torch_case k = torch_case_get(t, c);
    ob_simplecnn_ref *r = NULL;
    OB_ASSERT_OK(ob_simplecnn_ref_create(&k.d, &r));
    ob_simplecnn_ref_set_params(r, (const float *const *)k.p0);
    ob_adam_options o;
    ob_adam_options_init(&o, false);
    double *m[OB_SIMPLECNN_NTENSORS], *v[OB_SIMPLECNN_NTENSORS];
    for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) {
      m[p] = calloc(ob_simplecnn_tensor_elems(&k.d, (ob_simplecnn_tensor)p), sizeof(double));
      v[p] = calloc(ob_simplecnn_tensor_elems(&k.d, (ob_simplecnn_tensor)p), sizeof(double));
      assert_true(m[p] && v[p]);
    }
    for (int step = 1; step <= TORCH_STEPS; step++) {
      const double loss = ob_simplecnn_ref_forward(r, k.b.x, k.b.labels);
      const size_t nl = (size_t)k.d.batch * k.d.classes;
      assert_true(rel_err_d(ob_simplecnn_ref_logits(r), torch_get(t, c, step, "logits", nl)->v,
                            nl) < 1e-12);
      assert_true(fabs(loss - torch_get(t, c, step, "loss", 1)->v[0]) < 1e-12);
      ob_simplecnn_ref_backward(r, k.b.x);
      for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) {
        const ob_simplecnn_tensor tt = (ob_simplecnn_tensor)p;
        const size_t n = ob_simplecnn_tensor_elems(&k.d, tt);
        char name[48];
        snprintf(name, sizeof name, "grad:%s", ob_simplecnn_tensor_name(tt));
        assert_true(rel_err_d(ob_simplecnn_ref_grad(r, tt), torch_get(t, c, step, name, n)->v,
                              n) < 1e-12);
        ob_adam_ref_step(&o, step, ob_simplecnn_ref_param(r, tt), ob_simplecnn_ref_grad(r, tt),
                         m[p], v[p], NULL, n);
        snprintf(name, sizeof name, "param:%s", ob_simplecnn_tensor_name(tt));
        assert_true(rel_err_d(ob_simplecnn_ref_param(r, tt), torch_get(t, c, step, name, n)->v,
                              n) < 1e-12);
      }
    }
    for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) {
      free(m[p]);
      free(v[p]);
    }
    ob_simplecnn_ref_destroy(r);
    torch_case_free(&k);
  }
  torch_free(t);
}

/* The device's fp32 values against PyTorch's float64 ones. */
#define DEVICE_TORCH_BOUND 1e-5

static void assert_device_close(const float *got, const series *want, const char *what) {
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < want->n; i++) {
    diff += ((double)got[i] - want->v[i]) * ((double)got[i] - want->v[i]);
    norm += want->v[i] * want->v[i];
  }
  const double err = norm > 0 ? sqrt(diff / norm) : sqrt(diff);
  if (!(err <= DEVICE_TORCH_BOUND))
    fail_msg("case %d step %d %s: rel_err %.2e", want->c, want->step, what, err);
}

static void device_matches_pytorch(void **state) {
  (void)state;
  torch_data *t = torch_load();
  for (int c = 0; c < TORCH_CASES; c++) {
    torch_case k = torch_case_get(t, c);
    ob_simplecnn *m = model_make(&k.d, 1, 1e-3);
    for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++)
      OB_ASSERT_OK(ob_simplecnn_write_param(m, (ob_simplecnn_tensor)p, k.p0[p]));
    OB_ASSERT_OK(ob_simplecnn_set_input(m, k.b.x, k.b.labels));
    float *buf = malloc(ob_simplecnn_tensor_elems(&k.d, OB_SIMPLECNN_FC_W) * sizeof *buf);
    assert_non_null(buf);
    for (int step = 1; step <= TORCH_STEPS; step++) {
      OB_ASSERT_OK(ob_simplecnn_forward(m));
      const size_t nl = (size_t)k.d.batch * k.d.classes;
      OB_ASSERT_OK(ob_simplecnn_read_logits(m, buf));
      assert_device_close(buf, torch_get(t, c, step, "logits", nl), "logits");
      OB_ASSERT_OK(ob_simplecnn_loss(m, buf));
      assert_device_close(buf, torch_get(t, c, step, "loss", 1), "loss");
      OB_ASSERT_OK(ob_simplecnn_backward(m));
      OB_ASSERT_OK(ob_simplecnn_update(m));
      for (int p = 0; p < OB_SIMPLECNN_NTENSORS; p++) {
        const ob_simplecnn_tensor tt = (ob_simplecnn_tensor)p;
        const size_t n = ob_simplecnn_tensor_elems(&k.d, tt);
        char name[48];
        snprintf(name, sizeof name, "grad:%s", ob_simplecnn_tensor_name(tt));
        OB_ASSERT_OK(ob_simplecnn_read_grad(m, tt, buf));
        assert_device_close(buf, torch_get(t, c, step, name, n), name);
        snprintf(name, sizeof name, "param:%s", ob_simplecnn_tensor_name(tt));
        OB_ASSERT_OK(ob_simplecnn_read_param(m, tt, buf));
        assert_device_close(buf, torch_get(t, c, step, name, n), name);
      }
    }
    free(buf);
    ob_simplecnn_destroy(m);
    torch_case_free(&k);
  }
  torch_free(t);
}

/* ---------------------------------------------------------------- finite differences */

/* Central differences of the device's (fp32) mean loss with step H against the device's
 * gradient, on a tiny model: every conv weight and bias, every fc bias and every 5th fc
 * weight. The fp32 loss (~1.1) carries ~1e-7 of rounding, so a difference quotient over 2H
 * is good to ~1e-4 absolute; ReLU kinks are kept out of reach (asserted: no pre-activation
 * lies within twice the largest change a conv perturbation can make, H max|x|, H). */
#define FD_H 1e-3
#define FD_ABS 5e-4
#define FD_REL 2e-2

static void gradients_match_finite_differences(void **state) {
  (void)state;
  const ob_simplecnn_dims d = {.batch = 2, .in_c = 3, .in_h = 8, .in_w = 8, .channels = 4,
                               .classes = 3};
  ob_simplecnn *m = model_make(&d, 1, 1e-3); /* seeds with min |a| = 0.0118 */
  batch b = batch_make(&d, 5);
  OB_ASSERT_OK(ob_simplecnn_set_input(m, b.x, b.labels));
  OB_ASSERT_OK(ob_simplecnn_forward(m));
  OB_ASSERT_OK(ob_simplecnn_backward(m));
  float *p[OB_SIMPLECNN_NTENSORS], *g[OB_SIMPLECNN_NTENSORS];
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const size_t n = ob_simplecnn_tensor_elems(&d, (ob_simplecnn_tensor)t);
    p[t] = malloc(n * sizeof(float));
    g[t] = malloc(n * sizeof(float));
    assert_true(p[t] && g[t]);
    OB_ASSERT_OK(ob_simplecnn_read_param(m, (ob_simplecnn_tensor)t, p[t]));
    OB_ASSERT_OK(ob_simplecnn_read_grad(m, (ob_simplecnn_tensor)t, g[t]));
  }
  /* No ReLU input within reach of a perturbation (|x| < 1: a conv weight moves a by < H). */
  ob_simplecnn_ref *r = NULL;
  OB_ASSERT_OK(ob_simplecnn_ref_create(&d, &r));
  ob_simplecnn_ref_set_params(r, (const float *const *)p);
  ob_simplecnn_ref_forward(r, b.x, b.labels);
  double amin = INFINITY;
  for (size_t i = 0; i < (size_t)d.batch * ob_simplecnn_features(&d); i++)
    amin = fmin(amin, fabs(ob_simplecnn_ref_preact(r)[i]));
  assert_true(amin > 2.0 * FD_H);
  ob_simplecnn_ref_destroy(r);
  size_t checked = 0;
  double worst = 0.0, gmax = 0.0;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const ob_simplecnn_tensor tt = (ob_simplecnn_tensor)t;
    const size_t n = ob_simplecnn_tensor_elems(&d, tt);
    for (size_t i = 0; i < n; i += tt == OB_SIMPLECNN_FC_W ? 5 : 1) {
      const float keep = p[t][i];
      float lp = 0.0f, lm = 0.0f;
      p[t][i] = keep + (float)FD_H;
      OB_ASSERT_OK(ob_simplecnn_write_param(m, tt, p[t]));
      OB_ASSERT_OK(ob_simplecnn_forward(m));
      OB_ASSERT_OK(ob_simplecnn_loss(m, &lp));
      const double up = (double)p[t][i] - keep; /* the step fp32 really took */
      p[t][i] = keep - (float)FD_H;
      OB_ASSERT_OK(ob_simplecnn_write_param(m, tt, p[t]));
      OB_ASSERT_OK(ob_simplecnn_forward(m));
      OB_ASSERT_OK(ob_simplecnn_loss(m, &lm));
      const double down = keep - (double)p[t][i];
      p[t][i] = keep;
      OB_ASSERT_OK(ob_simplecnn_write_param(m, tt, p[t]));
      const double fd = ((double)lp - lm) / (up + down);
      if (!(fabs(fd - g[t][i]) <= FD_ABS + FD_REL * fabs(fd)))
        fail_msg("%s[%zu]: finite difference %.6e, device gradient %.6e",
                 ob_simplecnn_tensor_name(tt), i, fd, (double)g[t][i]);
      checked++;
      worst = fmax(worst, fabs(fd - g[t][i]));
      gmax = fmax(gmax, fabs(g[t][i]));
    }
  }
  print_message("  %zu parameters: max |fd - grad| %.2e, max |grad| %.2e\n", checked, worst, gmax);
  assert_true(checked > 150);
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    free(p[t]);
    free(g[t]);
  }
  batch_free(&b);
  ob_simplecnn_destroy(m);
}

/* ---------------------------------------------------------------- counts, init, launches */

static void counts_match_the_zoo(void **state) {
  (void)state;
  ob_model *z = NULL;
  OB_ASSERT_OK(ob_model_create("simplecnn", 0, 0, 0, &z));
  ob_model_totals tot;
  ob_model_totals_get(z, &tot);
  ob_simplecnn_dims d;
  ob_simplecnn_dims_default(&d);
  ob_simplecnn_counts n;
  ob_simplecnn_count(&d, &n);
  assert_true(n.params == (double)tot.params);
  assert_true(n.params == 4014986.0); /* 864 + 32 + 4,014,080 + 10 */
  assert_true(n.forward_flops == (double)tot.flops * d.batch);
  assert_true(n.backward_flops == 2.0 * n.forward_flops);
  assert_true(n.optimizer_flops == 13.0 * n.params);
  assert_true(n.optimizer_bytes == 28.0 * n.params);
  ob_model_destroy(z);
  /* Other input sizes: the fc layer follows (the zoo's simplecnn fixes 3x224x224). */
  d.in_h = d.in_w = 128;
  assert_int_equal(ob_simplecnn_features(&d), 32 * 64 * 64);
  ob_simplecnn_count(&d, &n);
  assert_true(n.forward_flops ==
              32.0 * (2.0 * 64 * 64 * 27 * 32 + 2.0 * 32 * 64 * 64 + 2.0 * 32 * 64 * 64 * 10));
}

static void initialisation_is_seeded_and_bounded(void **state) {
  (void)state;
  ob_simplecnn_dims d;
  ob_simplecnn_dims_default(&d);
  d.in_h = d.in_w = 16; /* fc fan_in 32 * 8 * 8 */
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const ob_simplecnn_tensor tt = (ob_simplecnn_tensor)t;
    const size_t n = ob_simplecnn_tensor_elems(&d, tt);
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    assert_true(a && b && c);
    ob_simplecnn_init_tensor(&d, 1, tt, a);
    ob_simplecnn_init_tensor(&d, 1, tt, b);
    ob_simplecnn_init_tensor(&d, 2, tt, c);
    assert_memory_equal(a, b, n * sizeof *a);
    assert_memory_not_equal(a, c, n * sizeof *a);
    const double bound = 1.0 / sqrt(t <= OB_SIMPLECNN_CONV_B ? 27.0 : 2048.0);
    double lo = INFINITY, hi = -INFINITY, mean = 0.0;
    for (size_t i = 0; i < n; i++) {
      lo = fmin(lo, a[i]);
      hi = fmax(hi, a[i]);
      mean += a[i] / (double)n;
    }
    assert_true(lo >= -bound && hi < bound);
    if (n >= 800) { /* uniform: spans the interval, centred */
      assert_true(lo < -0.9 * bound && hi > 0.9 * bound);
      assert_true(fabs(mean) < 0.1 * bound);
    }
    free(a);
    free(b);
    free(c);
  }
}

/* The launches the model reports are the launches the kernel trace sees. */
static void launch_counts_match_the_trace(void **state) {
  (void)state;
  const ob_simplecnn_dims d = {.batch = 3, .in_c = 3, .in_h = 12, .in_w = 12, .channels = 4,
                               .classes = 5};
  ob_simplecnn *m = model_make(&d, 1, 1e-3);
  OB_ASSERT_OK(ob_device_finish(ob_test_device()));
  ob_trace_reset();
  ob_trace_enable(true);
  OB_ASSERT_OK(ob_simplecnn_step(m, NULL));
  OB_ASSERT_OK(ob_device_finish(ob_test_device()));
  ob_trace_flush();
  size_t kernels = 0;
  for (size_t i = 0; i < ob_trace_count(); i++) {
    ob_trace_record rec;
    assert_true(ob_trace_get(i, &rec));
    kernels += strcmp(rec.category, "kernel") == 0;
  }
  ob_trace_enable(false);
  ob_trace_reset();
  assert_int_equal(kernels, ob_simplecnn_launches(m, OB_SIMPLECNN_STEP));
  assert_int_equal(ob_simplecnn_launches(m, OB_SIMPLECNN_STEP),
                   ob_simplecnn_launches(m, OB_SIMPLECNN_FORWARD) +
                       ob_simplecnn_launches(m, OB_SIMPLECNN_BACKWARD) +
                       ob_simplecnn_launches(m, OB_SIMPLECNN_UPDATE));
  assert_int_equal(ob_simplecnn_launches(m, OB_SIMPLECNN_UPDATE), 1); /* one flat Adam */
  assert_true(ob_simplecnn_launches(m, OB_SIMPLECNN_STEP) <= 9);
  assert_non_null(strstr(ob_simplecnn_describe(m), "conv forward config="));
  ob_simplecnn_destroy(m);
}

/* ---------------------------------------------------------------- validation */

static void bad_inputs_are_rejected(void **state) {
  (void)state;
  ob_simplecnn_config cfg;
  ob_simplecnn_config_init(&cfg);
  ob_simplecnn *m = NULL;
  cfg.dims.batch = 0;
  assert_int_equal(ob_simplecnn_create(ob_test_device(), &cfg, &m), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "batch=0"));
  assert_null(m);
  ob_simplecnn_config_init(&cfg);
  cfg.dims.in_h = 70000;
  assert_int_equal(ob_simplecnn_create(ob_test_device(), &cfg, &m), OB_ERR_INVALID);
  ob_simplecnn_config_init(&cfg);
  cfg.dims.batch = 60000; /* 60000 x 401408 activations */
  assert_int_equal(ob_simplecnn_create(ob_test_device(), &cfg, &m), OB_ERR_TOO_LARGE);
  ob_simplecnn_config_init(&cfg);
  cfg.lr = -1.0;
  assert_int_equal(ob_simplecnn_create(ob_test_device(), &cfg, &m), OB_ERR_INVALID);
  cfg.lr = NAN;
  assert_int_equal(ob_simplecnn_create(ob_test_device(), &cfg, &m), OB_ERR_INVALID);
  const ob_simplecnn_dims d = {.batch = 2, .in_c = 1, .in_h = 4, .in_w = 4, .channels = 2,
                               .classes = 3};
  m = model_make(&d, 1, 1e-3);
  float x[2 * 16] = {0};
  const int32_t bad[2] = {0, 3}, neg[2] = {-1, 0};
  assert_int_equal(ob_simplecnn_set_input(m, x, bad), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "label 3 of image 1"));
  assert_int_equal(ob_simplecnn_set_input(m, x, neg), OB_ERR_INVALID);
  float out[64];
  assert_int_equal(ob_simplecnn_read_param(m, OB_SIMPLECNN_NTENSORS, out), OB_ERR_INVALID);
  assert_int_equal(ob_simplecnn_read_grad(m, (ob_simplecnn_tensor)-1, out), OB_ERR_INVALID);
  ob_simplecnn_check chk;
  assert_int_equal(ob_simplecnn_check_forward(m, x, neg, 3, &chk), OB_ERR_INVALID);
  ob_simplecnn_destroy(m);
  ob_simplecnn_destroy(NULL);
  ob_simplecnn_ref_destroy(NULL);
}

int main(void) {
  ob_tune_settings_init(&untuned);
  untuned.mode = OB_TUNE_OFF;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(device_matches_reference),
      cmocka_unit_test(reference_matches_pytorch),
      cmocka_unit_test(device_matches_pytorch),
      cmocka_unit_test(gradients_match_finite_differences),
      cmocka_unit_test(counts_match_the_zoo),
      cmocka_unit_test(initialisation_is_seeded_and_bounded),
      cmocka_unit_test(launch_counts_match_the_trace),
      cmocka_unit_test(bad_inputs_are_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
