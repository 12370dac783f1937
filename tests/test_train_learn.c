/* SimpleCNN learns on the device (models/simplecnn/simplecnn.h): 50 Adam steps on one fixed synthetic
 * batch bring the loss below half its first value, and 50 steps over mini-batches of a data
 * set of two separable classes reach >= 95% accuracy on held-out images. Tiny inputs, so that
 * the program runs in seconds on PoCL. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simplecnn/simplecnn.h"

#define STEPS 50

/* Uniform in [-1, 1) (splitmix64). */
static float uniform(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)((double)(z >> 40) * 0x1p-23 - 1.0);
}

/* Mode off (set by main). */
static ob_tune_settings untuned;

static ob_simplecnn *model_make(const ob_simplecnn_dims *d) {
  ob_simplecnn_config cfg;
  ob_simplecnn_config_init(&cfg); /* Adam lr 1e-3, the model's default */
  cfg.dims = *d;
  cfg.seed = 42;
  cfg.tune = &untuned; /* the default configurations: tuning is the tuners' tests' */
  ob_simplecnn *m = NULL;
  OB_ASSERT_OK(ob_simplecnn_create(ob_test_device(), &cfg, &m));
  return m;
}

static size_t image_elems(const ob_simplecnn_dims *d) {
  return (size_t)d->in_c * d->in_h * d->in_w;
}

static void loss_halves_on_a_fixed_batch(void **state) {
  (void)state;
  const ob_simplecnn_dims d = {.batch = 8, .in_c = 3, .in_h = 16, .in_w = 16, .channels = 8,
                               .classes = 10};
  ob_simplecnn *m = model_make(&d);
  const size_t nx = d.batch * image_elems(&d);
  float *x = malloc(nx * sizeof *x);
  int32_t labels[8];
  assert_non_null(x);
  uint64_t seed = 9;
  for (size_t i = 0; i < nx; i++) x[i] = uniform(&seed);
  for (int n = 0; n < d.batch; n++) labels[n] = n % d.classes;
  OB_ASSERT_OK(ob_simplecnn_set_input(m, x, labels));
  float first = 0.0f, loss = 0.0f;
  for (int s = 0; s < STEPS; s++) {
    OB_ASSERT_OK(ob_simplecnn_step(m, &loss));
    assert_true(isfinite(loss));
    if (s == 0) first = loss;
  }
  OB_ASSERT_OK(ob_simplecnn_forward(m)); /* the loss after the last update */
  OB_ASSERT_OK(ob_simplecnn_loss(m, &loss));
  print_message("  loss %.4f -> %.4f after %d steps\n", first, loss, STEPS);
  assert_true(first > 2.0f); /* about ln 10 at the start */
  assert_true(loss < 0.5f * first);
  assert_int_equal(ob_simplecnn_update_count(m), STEPS);
  free(x);
  ob_simplecnn_destroy(m);
}

/* Two classes of noisy images: class k is k's fixed random pattern plus uniform noise of the
 * same amplitude. */
typedef struct dataset {
  float *x;
  int32_t *labels;
  int n;
} dataset;

static dataset dataset_make(const ob_simplecnn_dims *d, const float *pattern, int n,
                            uint64_t seed) {
  const size_t e = image_elems(d);
  dataset s = {malloc((size_t)n * e * sizeof(float)), malloc((size_t)n * sizeof(int32_t)), n};
  assert_true(s.x && s.labels);
  for (int i = 0; i < n; i++) {
    const int k = i % 2;
    s.labels[i] = k;
    for (size_t j = 0; j < e; j++) s.x[i * e + j] = pattern[k * e + j] + uniform(&seed);
  }
  return s;
}

static void dataset_free(dataset *s) {
  free(s->x);
  free(s->labels);
}

/* Correct argmax predictions over the data set, batch by batch (n a multiple of batch). */
static int correct(ob_simplecnn *m, const ob_simplecnn_dims *d, const dataset *s) {
  float logits[16 * 2];
  int right = 0;
  for (int b = 0; b < s->n; b += d->batch) {
    OB_ASSERT_OK(ob_simplecnn_set_input(m, s->x + (size_t)b * image_elems(d), s->labels + b));
    OB_ASSERT_OK(ob_simplecnn_forward(m));
    OB_ASSERT_OK(ob_simplecnn_read_logits(m, logits));
    for (int i = 0; i < d->batch; i++)
      right += (logits[2 * i + 1] > logits[2 * i]) == (s->labels[b + i] == 1);
  }
  return right;
}

static void separable_classes_are_learned(void **state) {
  (void)state;
  const ob_simplecnn_dims d = {.batch = 16, .in_c = 3, .in_h = 8, .in_w = 8, .channels = 4,
                               .classes = 2};
  const size_t e = image_elems(&d);
  float *pattern = malloc(2 * e * sizeof *pattern);
  assert_non_null(pattern);
  uint64_t seed = 77;
  for (size_t j = 0; j < 2 * e; j++) pattern[j] = uniform(&seed);
  dataset train = dataset_make(&d, pattern, 128, 1), test = dataset_make(&d, pattern, 128, 2);
  ob_simplecnn *m = model_make(&d);
  const int before = correct(m, &d, &test);
  float loss = 0.0f;
  for (int s = 0; s < STEPS; s++) {
    const int b = (s * d.batch) % train.n;
    OB_ASSERT_OK(ob_simplecnn_set_input(m, train.x + (size_t)b * e, train.labels + b));
    OB_ASSERT_OK(ob_simplecnn_step(m, &loss));
  }
  const int after = correct(m, &d, &test);
  print_message("  held-out accuracy %d/128 -> %d/128 after %d steps (last loss %.4f)\n", before,
                after, STEPS, loss);
  assert_true(after >= 0.95 * test.n);
  dataset_free(&train);
  dataset_free(&test);
  free(pattern);
  ob_simplecnn_destroy(m);
}

int main(void) {
  ob_tune_settings_init(&untuned);
  untuned.mode = OB_TUNE_OFF;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(loss_halves_on_a_fixed_batch),
      cmocka_unit_test(separable_classes_are_learned),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
