/* SimpleCNN on the device (models/simplecnn.h) against the double host reference
 * (models/simplecnn_ref.h) and against central finite differences; the reference against
 * PyTorch (tests/data/train_torch.csv, tools/train_torch_ref.py); counts, initialisation,
 * launches and input validation. Tiny models, so that the whole program runs in seconds on
 * PoCL. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "simplecnn.h"
#include "simplecnn_ref.h"
#include "zoo.h"

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

static ob_simplecnn *model_make(const ob_simplecnn_dims *d, uint64_t seed, double lr) {
  ob_simplecnn_config cfg;
  ob_simplecnn_config_init(&cfg);
  cfg.dims = *d;
  cfg.seed = seed;
  cfg.lr = lr;
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(device_matches_reference),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
