/* The linear workload: its cases (sizes, params, FLOPs, bytes, series), and verified rows
 * through the runner for the fc1024 layer passes, own (fp32 and fp16 storage, on every device)
 * and CLBlast (fp32, and fp16 where the device has it: a skipped row where it has none). */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm/gemm_ref.h"
#include "gemm/linear.h"
#include "runner.h"
#include "tune.h"

#define MAXC 64

static size_t list(bool quick, ob_case *cases) {
  ob_run_opts opts = {.quick = quick, .seconds = 0.05};
  return ob_linear_list_cases(ob_test_device(), &opts, cases, MAXC);
}

static const ob_case *find(const ob_case *cases, size_t n, const char *variant,
                           const char *prec, const char *params) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(cases[i].variant, variant) == 0 && strcmp(cases[i].precision, prec) == 0 &&
        strcmp(cases[i].params, params) == 0)
      return &cases[i];
  return NULL;
}

static void cases_cover_sizes_layer_passes_and_precisions(void **state) {
  (void)state;
  const bool fp16 = ob_device_fp16(ob_test_device());
  ob_case *cases = calloc(MAXC, sizeof *cases);
  size_t n = list(false, cases);
  /* own fp32 and fp16, clblast fp32, clblast fp16 (one case for the skipped row without
   * fp16) */
  assert_int_equal(n, 3 * (4 + 3) + (fp16 ? 4 + 3 : 1) + 4); /* + int8: 3 sizes, fc1024 */
  static const char *const variants[][2] = {
      {"own", "fp32"}, {"own", "fp16"}, {"clblast", "fp32"}, {"clblast", "fp16"}};
  for (size_t v = 0; v < (fp16 ? 4u : 3u); v++) {
    const bool half = strcmp(variants[v][1], "fp16") == 0;
    const bool hgemm = half && strcmp(variants[v][0], "clblast") == 0;
    double prev_cost = 0.0;
    for (size_t s = 1024; s <= 8192; s *= 2) {
      char params[128];
      snprintf(params, sizeof params, "m=%zu;n=%zu;k=%zu;ta=N;tb=N", s, s, s);
      const ob_case *c = find(cases, n, variants[v][0], variants[v][1], params);
      assert_non_null(c);
      assert_true(c->flops == 2.0 * (double)s * (double)s * (double)s);
      assert_true(c->bytes == (half ? 2.0 : 4.0) * 3.0 * (double)s * (double)s);
      char series[64];
      snprintf(series, sizeof series, "%s-%s-square", variants[v][0], variants[v][1]);
      assert_string_equal(c->series, series);
      assert_true(c->cost > prev_cost); /* the runner predicts the next size from this */
      prev_cost = c->cost;
      assert_int_equal(c->nmetrics, 1);
      assert_string_equal(c->metrics[0].name, "gflops");
      assert_string_equal(c->metrics[0].unit, "GFLOP/s");
      /* own fp16 computes in fp32: MFU against the fp32 peak; Hgemm computes in fp16 */
      assert_int_equal(c->metrics[0].peak, hgemm ? OB_PEAK_NONE : OB_PEAK_FP32);
    }
    const ob_case *fw = find(cases, n, variants[v][0], variants[v][1],
                             "layer=fc1024;batch=128;pass=forward;m=128;n=1024;k=1024;ta=N;tb=T");
    const ob_case *bd = find(cases, n, variants[v][0], variants[v][1],
                             "layer=fc1024;batch=128;pass=backward_data;m=128;n=1024;k=1024;"
                             "ta=N;tb=N");
    const ob_case *bw = find(cases, n, variants[v][0], variants[v][1],
                             "layer=fc1024;batch=128;pass=backward_weight;m=1024;n=1024;k=128;"
                             "ta=T;tb=N");
    assert_non_null(fw);
    assert_non_null(bd);
    assert_non_null(bw);
    /* Every pass is 128 * 1024 * 1024 MACs (1 MAC = 2 FLOPs). */
    assert_true(fw->flops == 2.0 * 128 * 1024 * 1024);
    assert_true(bd->flops == fw->flops && bw->flops == fw->flops);
  }
  if (!fp16)
    assert_non_null(find(cases, n, "clblast", "fp16", "m=1024;n=1024;k=1024;ta=N;tb=N"));
  /* --quick keeps the smallest square size and the layer. */
  n = list(true, cases);
  assert_int_equal(n, 3 * (1 + 3) + (fp16 ? 1 + 3 : 1) + 2);
  assert_non_null(find(cases, n, "own", "fp32", "m=1024;n=1024;k=1024;ta=N;tb=N"));
  assert_non_null(find(cases, n, "own", "fp16", "m=1024;n=1024;k=1024;ta=N;tb=N"));
  assert_null(find(cases, n, "own", "fp32", "m=2048;n=2048;k=2048;ta=N;tb=N"));
  assert_null(find(cases, n, "own", "fp16", "m=2048;n=2048;k=2048;ta=N;tb=N"));
  free(cases);
}

/* The layer cases only (the square ones take seconds each on a CPU), and the fp16 stand-in
 * of a device without fp16. */
static size_t layer_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                          size_t max) {
  ob_case all[MAXC];
  size_t n = ob_linear_list_cases(dev, opts, all, MAXC), k = 0;
  const bool fp16 = ob_device_fp16(dev);
  for (size_t i = 0; i < n && k < max; i++) {
    /* int8 cases are test_igemm's */
    const bool layer =
        strstr(all[i].params, "layer=") != NULL && strcmp(all[i].precision, "int8") != 0;
    const bool stand_in = !fp16 && strcmp(all[i].precision, "fp16") == 0 &&
                          strcmp(all[i].variant, "clblast") == 0;
    if (layer || stand_in) cases[k++] = all[i];
  }
  return k;
}

static void layer_rows_are_verified_through_the_runner(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  /* The default configuration: tuning is test_gemm's. */
  const ob_tune_settings saved = *ob_tune_settings_current();
  ob_tune_settings off = saved;
  off.mode = OB_TUNE_OFF;
  ob_tune_settings_install(&off);
  ob_workload wl = ob_workload_linear;
  wl.list_cases = layer_cases;
  ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  /* as if the probes had run */
  OB_ASSERT_OK(ob_session_set_peak(session, dev, OB_PEAK_FP32, 1e13, NULL, NULL));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &wl, &opts));
  assert_int_equal(ob_session_failed(session), 0);
  size_t measured = 0, skipped = 0, own_half = 0;
  for (size_t r = 0; r < rows->n; r++) {
    const ob_result *row = &rows->items[r];
    if (strcmp(row->variant, "compile") == 0) continue;
    assert_string_equal(row->workload, "linear");
    assert_string_equal(row->metric, "gflops");
    const char *note = row->note;
    const bool half = strcmp(row->precision, "fp16") == 0, own = strcmp(row->variant, "own") == 0;
    if (half && !own && !ob_device_fp16(dev)) {
      assert_int_equal(row->status, OB_RESULT_SKIPPED);
      assert_non_null(strstr(note, "fp16"));
      skipped++;
      continue;
    }
    if (row->status != OB_RESULT_OK)
      fail_msg("row %zu: %s: %s", r, ob_result_status_name(row->status), note);
    assert_int_equal(row->verified, OB_VERIFIED_YES);
    assert_non_null(strstr(note, "rel_err="));
    const double v = row->value, frac = row->peak_fraction;
    assert_true(v > 0.0);
    if (!half || own) assert_true(fabs(frac - v * 1e9 / 1e13) < 1e-6 * frac + 1e-12);
    if (own) assert_non_null(strstr(note, "(default)"));
    if (half && own) { /* verified with the fp16-storage bound of its k */
      const char *k = strstr(row->params, ";k=");
      assert_non_null(k);
      char bound[32];
      snprintf(bound, sizeof bound, "bound=%.2e",
               ob_gemm_ref_bound_fp16_storage(strtoul(k + 3, NULL, 10)));
      assert_non_null(strstr(note, bound));
      own_half++;
    }
    measured++;
  }
  assert_int_equal(own_half, 3);
  assert_int_equal(measured, ob_device_fp16(dev) ? 12 : 9);
  assert_int_equal(skipped, ob_device_fp16(dev) ? 0 : 1);
  ob_session_destroy(session);
  ob_tune_settings_install(&saved);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cases_cover_sizes_layer_passes_and_precisions),
      cmocka_unit_test(layer_rows_are_verified_through_the_runner),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
