/* Typed results: a record through the schema-1 CSV (quoting, empty numbers, whole numbers, a
 * comma locale) and back, through the byte encoding MPI carries, files with extra columns,
 * one file per device. */
#include "support.h"

#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

/* A complete record on the test device with awkward text and every kind of number. */
static void sample(ob_result *r, const char *variant, double value) {
  ob_result_init(r);
  ob_host_info host;
  ob_host_get(&host);
  ob_device *dev = ob_test_device();
  OB_ASSERT_OK(ob_result_set_identity(r, &host, &dev, 1));
  OB_ASSERT_OK(ob_result_set(&r->workload, "peak"));
  OB_ASSERT_OK(ob_result_set(&r->variant, variant));
  OB_ASSERT_OK(ob_result_set(&r->params, "a=1;b=2\nsecond line"));
  OB_ASSERT_OK(ob_result_set(&r->precision, "fp32"));
  OB_ASSERT_OK(ob_result_set(&r->metric, "gflops"));
  OB_ASSERT_OK(ob_result_set(&r->unit, "GFLOP/s"));
  OB_ASSERT_OK(ob_result_set(&r->note, " leading space, trailing "));
  r->value = value;
  r->time_s_min = 0.001;
  r->time_s_median = 0.0015;
  r->time_s_max = 0.002;
  r->reps = 7;
  r->bytes = 1e15;
  r->verified = OB_VERIFIED_YES;
  r->energy_j = 12.5;
  r->power_mean_w = 250.0;
  r->busy_percent = 87.5;
  OB_ASSERT_OK(ob_result_set(&r->energy_method, "power integral"));
  OB_ASSERT_OK(ob_result_set(&r->throttled, "yes"));
  OB_ASSERT_OK(ob_result_set(&r->throttle_reason, "power cap, clock fell 12% below its start"));
}

/* Every column of a and b holds the same (numbers bit for bit). */
static void assert_same(const ob_result *a, const ob_result *b) {
  for (size_t i = 0; i < ob_result_ncolumns; i++) {
    const ob_result_column *c = &ob_result_columns[i];
    if (c->kind == OB_COLUMN_TEXT) {
      assert_string_equal(ob_result_text(a, c->offset), ob_result_text(b, c->offset));
    } else if (c->kind == OB_COLUMN_REAL || c->kind == OB_COLUMN_COUNT) {
      const double x = *(const double *)((const char *)a + c->offset);
      const double y = *(const double *)((const char *)b + c->offset);
      if (!(isnan(x) && isnan(y))) assert_memory_equal(&x, &y, sizeof x);
    }
  }
  assert_int_equal(a->status, b->status);
  assert_int_equal(a->verified, b->verified);
}

typedef struct fields {
  char text[4][64][128];  /* records x columns */
  size_t n, ncols[4], lines[4];
} fields;

static ob_status collect(void *user, size_t line, char **f, size_t n) {
  fields *c = user;
  if (c->n == 4) return OB_OK;
  c->ncols[c->n] = n;
  c->lines[c->n] = line;
  for (size_t i = 0; i < n && i < 64; i++)
    snprintf(c->text[c->n][i], sizeof c->text[c->n][i], "%s", f[i]);
  c->n++;
  return OB_OK;
}

static ob_status take(void *user, size_t line, ob_result *r) {
  (void)line;
  return ob_results_push(user, r);
}

static void record_through_csv_and_back(void **state) {
  (void)state;
  ob_results v = {0};
  ob_result r;
  sample(&r, "fma, \"wide\"", 1234.5);
  OB_ASSERT_OK(ob_results_push(&v, &r));
  assert_null(r.note); /* moved */
  char path[4200];
  ob_results_csv_path(path, sizeof path, ob_test_tmpdir(), v.items[0].host,
                      v.items[0].device_slug);
  char hostslug[256];
  ob_slugify(hostslug, sizeof hostslug, v.items[0].host);
  assert_non_null(strstr(path, hostslug));
  assert_non_null(strstr(path, "__"));
  OB_ASSERT_OK(ob_results_write_csv(&v, 0, v.items[0].host, v.items[0].device_slug, path));
  fields *f = calloc(1, sizeof *f);
  assert_non_null(f);
  OB_ASSERT_OK(ob_csv_read(path, collect, f));
  assert_int_equal(f->n, 2);
  assert_int_equal(f->ncols[0], ob_result_ncolumns);
  for (size_t i = 0; i < ob_result_ncolumns; i++)
    assert_string_equal(f->text[0][i], ob_result_columns[i].name);
  assert_int_equal(f->lines[1], 2);
  assert_string_equal(f->text[1][0], "1");
  assert_string_equal(f->text[1][8], ob_device_slug(ob_test_device()));
  char cu[32];
  snprintf(cu, sizeof cu, "%u", ob_device_props_get(ob_test_device())->compute_units);
  assert_string_equal(f->text[1][12], cu);
  assert_string_equal(f->text[1][16], "fma, \"wide\"");
  assert_string_equal(f->text[1][17], "a=1;b=2\nsecond line");
  assert_string_equal(f->text[1][21], "1234.5");
  assert_string_equal(f->text[1][25], "7");
  assert_string_equal(f->text[1][26], ""); /* NAN flops -> empty */
  assert_string_equal(f->text[1][27], "1e+15");
  assert_string_equal(f->text[1][29], "yes");
  assert_string_equal(f->text[1][30], "ok");
  assert_string_equal(f->text[1][31], " leading space, trailing ");
  free(f);
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_read_csv(path, take, &back));
  assert_int_equal(back.n, 1);
  assert_same(&v.items[0], &back.items[0]);
  ob_results_clear(&back);
  ob_results_clear(&v);
}

static void numbers_use_a_point_under_a_comma_locale(void **state) {
  (void)state;
  if (!setlocale(LC_ALL, "de_DE.UTF-8")) /* tools/run_tests.sh builds it into LOCPATH */
    fail_msg("de_DE.UTF-8 locale unavailable (LOCPATH=%s)",
             getenv("LOCPATH") ? getenv("LOCPATH") : "");
  ob_results v = {0};
  ob_result r;
  sample(&r, "fma", 0.125);
  OB_ASSERT_OK(ob_results_push(&v, &r));
  char path[4200];
  snprintf(path, sizeof path, "%s/comma.csv", ob_test_tmpdir());
  OB_ASSERT_OK(ob_results_write_csv(&v, 0, v.items[0].host, v.items[0].device_slug, path));
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_read_csv(path, take, &back)); /* read under the comma locale too */
  setlocale(LC_ALL, "C");
  assert_same(&v.items[0], &back.items[0]);
  fields *f = calloc(1, sizeof *f);
  assert_non_null(f);
  OB_ASSERT_OK(ob_csv_read(path, collect, f));
  assert_string_equal(f->text[1][21], "0.125");
  assert_string_equal(f->text[1][22], "0.001");
  free(f);
  ob_results_clear(&back);
  ob_results_clear(&v);
}

/* What MPI carries: records -> bytes -> records, bit for bit; a truncated or corrupt
 * encoding is refused. */
static void records_through_the_byte_encoding(void **state) {
  (void)state;
  ob_results v = {0};
  const double values[] = {1234.5, -0.0, 1e-308, NAN};
  for (size_t i = 0; i < 4; i++) {
    ob_result r;
    sample(&r, i == 2 ? "" : "fma", values[i]);
    r.status = i == 3 ? OB_RESULT_SKIPPED : OB_RESULT_OK;
    r.verified = (ob_result_verified)(i % 3);
    OB_ASSERT_OK(ob_results_push(&v, &r));
  }
  char *buf = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_results_encode(&v, 1, &buf, &len));
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_decode(&back, buf, len));
  assert_int_equal(back.n, 3);
  for (size_t i = 0; i < 3; i++) assert_same(&v.items[i + 1], &back.items[i]);
  assert_true(signbit(back.items[0].value));
  assert_int_equal(ob_results_decode(&back, buf, len - 1), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "truncated"));
  /* the last status byte: before the note and the optional columns after it */
  size_t tail = 4 + strlen(" leading space, trailing ");
  for (size_t i = OB_RESULT_SCHEMA_COLS; i < ob_result_ncolumns; i++)
    tail += ob_result_columns[i].kind == OB_COLUMN_TEXT
                ? 4 + strlen(ob_result_text(&v.items[3], ob_result_columns[i].offset))
                : 8;
  buf[len - 1 - tail] = 7;
  assert_int_equal(ob_results_decode(&back, buf, len), OB_ERR_INVALID);
  free(buf);
  OB_ASSERT_OK(ob_results_encode(&v, 4, &buf, &len)); /* nothing: an empty encoding */
  assert_int_equal(len, 0);
  OB_ASSERT_OK(ob_results_decode(&back, buf, len));
  free(buf);
  ob_results_clear(&back);
  ob_results_clear(&v);
}

/* Columns after `note` that a reader does not know are skipped; the schema-1 columns are
 * required in order. */
static void files_with_extra_columns_load(void **state) {
  (void)state;
  char text[8192] = "";
  size_t len = 0;
  for (size_t i = 0; i < OB_RESULT_SCHEMA_COLS; i++)
    len += (size_t)snprintf(text + len, sizeof text - len, "%s,", ob_result_columns[i].name);
  len += (size_t)snprintf(text + len, sizeof text - len,
                          "energy_j,throttled\r\n"
                          "1,2025-01-01T00:00:00Z,h,Linux,cpu,plat,vendor,dev,d,cpu,drv,"
                          "OpenCL 3.0,8,3000,16000000000,peak,fma,width=4,fp32,gflops,GFLOP/s,"
                          "5,0.001,0.001,0.001,10,,,,n/a,ok,,12.5,no\r\n");
  char path[4200];
  snprintf(path, sizeof path, "%s/extra.csv", ob_test_tmpdir());
  OB_ASSERT_OK(ob_write_file_atomic(path, text, len));
  ob_results v = {0};
  OB_ASSERT_OK(ob_results_read_csv(path, take, &v));
  assert_int_equal(v.n, 1);
  assert_true(v.items[0].value == 5.0 && v.items[0].global_mem_bytes == 16e9);
  assert_string_equal(v.items[0].note, "");
  assert_true(isnan(v.items[0].flops));
  ob_results_clear(&v);
  snprintf(path, sizeof path, "%s/short.csv", ob_test_tmpdir());
  const char *short_text = "schema,timestamp_utc\r\n1,x\r\n";
  OB_ASSERT_OK(ob_write_file_atomic(path, short_text, strlen(short_text)));
  assert_int_equal(ob_results_read_csv(path, take, &v), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "not an oclbench schema-1 CSV"));
}

/* One file per (host, device_slug), each with its records in order. */
static void one_file_per_device(void **state) {
  (void)state;
  ob_results v = {0};
  const char *slugs[] = {"dev-a", "dev-b", "dev-a", "all-2"};
  for (size_t i = 0; i < 4; i++) {
    ob_result r;
    char variant[16];
    snprintf(variant, sizeof variant, "v%zu", i);
    sample(&r, variant, (double)i + 1);
    OB_ASSERT_OK(ob_result_set(&r.device_slug, slugs[i]));
    OB_ASSERT_OK(ob_results_push(&v, &r));
  }
  const char *dir = ob_test_tmpdir();
  size_t files = 0;
  OB_ASSERT_OK(ob_results_write_device_csvs(&v, 0, dir, &files));
  assert_int_equal(files, 3);
  char path[4200];
  ob_results_csv_path(path, sizeof path, dir, v.items[0].host, "dev-a");
  ob_results back = {0};
  OB_ASSERT_OK(ob_results_read_csv(path, take, &back));
  assert_int_equal(back.n, 2);
  assert_same(&v.items[0], &back.items[0]);
  assert_same(&v.items[2], &back.items[1]);
  ob_results_clear(&back);
  assert_int_equal(ob_results_failed(&v), 0);
  v.items[1].status = OB_RESULT_FAILED;
  assert_int_equal(ob_results_failed(&v), 1);
  ob_results_clear(&v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(record_through_csv_and_back),
      cmocka_unit_test(numbers_use_a_point_under_a_comma_locale),
      cmocka_unit_test(records_through_the_byte_encoding),
      cmocka_unit_test(files_with_extra_columns_load),
      cmocka_unit_test(one_file_per_device),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
