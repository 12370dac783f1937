/* The convolution's selection step: tunes every pass on the test device (each candidate
 * checked against the reference), caches the winner in the device's tuning cache file, reads
 * it back, ignores a corrupt cache line, keys on the storage type. A small shape keeps the
 * candidates to the 32-row tiles (a few builds on PoCL). */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "conv/conv_ref.h"
#include "conv_support.h"

static const ob_conv_shape shape = {2, 8, 12, 12, 16, 3, 3, 1, 1, 1};

/* A plan of the configuration selected with this mode; its description in *choice. */
static ob_conv_plan *plan_with(ob_conv_pass pass, ob_tune_mode mode, ob_conv_storage storage,
                               ob_conv_choice *choice) {
  ob_test_conv_opts o;
  memset(&o, 0, sizeof o);
  o.mode = mode;
  o.storage = storage;
  return ob_test_conv_plan(&shape, pass, &o, choice);
}

/* The cache file the tuner wrote: the newest tune-*.txt in the cache directory (older ones
 * stay behind from other kernel sources or drivers). */
static void tune_file(char *path, size_t n) {
  const char *dir = ob_program_cache_dir();
  assert_true(dir[0] != '\0');
  DIR *d = opendir(dir);
  assert_non_null(d);
  path[0] = '\0';
  struct timespec newest = {0, 0};
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (strncmp(e->d_name, "tune-", 5) != 0) continue;
    char p[4600];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (stat(p, &st) != 0) continue;
    if (st.st_mtim.tv_sec > newest.tv_sec ||
        (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec >= newest.tv_nsec)) {
      newest = st.st_mtim;
      snprintf(path, n, "%s", p);
    }
  }
  closedir(d);
  assert_true(path[0] != '\0');
}

/* Runs the plan's pass on random inputs (in its storage type) and checks every output against
 * the reference. */
static void check_plan(ob_conv_plan *p, ob_conv_pass pass, const ob_conv_choice *choice) {
  ob_device *dev = ob_test_device();
  const ob_conv_storage st = ob_conv_plan_storage(p);
  const size_t nx = ob_conv_input_elems(&shape), nw = ob_conv_filter_elems(&shape);
  const size_t ny = ob_conv_output_elems(&shape);
  const size_t n0 = pass == OB_CONV_BACKWARD_DATA ? ny : nx;
  const size_t n1 = pass == OB_CONV_BACKWARD_WEIGHT ? ny : nw;
  const size_t nout = pass == OB_CONV_FORWARD ? ny : pass == OB_CONV_BACKWARD_DATA ? nx : nw;
  float *h0 = malloc(n0 * sizeof *h0), *h1 = malloc(n1 * sizeof *h1);
  float *out = malloc(nout * sizeof *out);
  assert_true(h0 && h1 && out);
  ob_conv_ref_fill(h0, n0, 31);
  ob_conv_ref_fill(h1, n1, 32);
  cl_mem m0 = NULL, m1 = NULL, mo = NULL;
  OB_ASSERT_OK(ob_conv_tensor_create(dev, st, CL_MEM_READ_ONLY, h0, n0, &m0));
  OB_ASSERT_OK(ob_conv_tensor_create(dev, st, CL_MEM_READ_ONLY, h1, n1, &m1));
  OB_ASSERT_OK(ob_conv_tensor_create(dev, st, CL_MEM_READ_WRITE, NULL, nout, &mo));
  switch (pass) {
  case OB_CONV_FORWARD: OB_ASSERT_OK(ob_conv_forward(p, m0, m1, NULL, mo)); break;
  case OB_CONV_BACKWARD_DATA: OB_ASSERT_OK(ob_conv_backward_data(p, m0, m1, mo)); break;
  case OB_CONV_BACKWARD_WEIGHT: OB_ASSERT_OK(ob_conv_backward_weight(p, m0, m1, mo, NULL)); break;
  }
  OB_ASSERT_OK(ob_conv_tensor_read(dev, st, mo, nout, out));
  ob_conv_check chk;
  ob_conv_ref_compare(&shape, pass, h0, h1, NULL, out, 1e12, ob_conv_arith_of(&choice->cfg, st), 7,
                      &chk);
  if (!chk.ok || chk.checked != nout)
    fail_msg("%s with %s: rel_err %.3g", ob_conv_pass_name(pass), choice->describe,
             chk.rel_err);
  ob_buffer_release(dev, m0);
  ob_buffer_release(dev, m1);
  ob_buffer_release(dev, mo);
  free(h0);
  free(h1);
  free(out);
}

static void tunes_caches_and_reads_back(void **state) {
  (void)state;
  for (int pass = 0; pass < OB_CONV_NPASSES; pass++) {
    ob_conv_choice c;
    ob_conv_plan *p = plan_with((ob_conv_pass)pass, OB_TUNE_REDO, OB_CONV_FP32, &c);
    assert_non_null(strstr(c.describe, "(tuned now:"));
    const ob_conv_config tuned = *ob_conv_plan_config(p);
    /* The GEMM's only tiles at least half full for 8/16 rows; or the direct gradients (8
     * input channels: the tuner offers them too), which carry the first tile unused. */
    if (tuned.algo != OB_CONV_ALGO_DIRECT) assert_int_equal(tuned.tm, 32);
    assert_true(tuned.algo != OB_CONV_ALGO_DIRECT || pass != OB_CONV_FORWARD);
    assert_true(tuned.split >= 1);
    check_plan(p, (ob_conv_pass)pass, &c);
    ob_conv_plan_destroy(p);
    /* A second plan takes the cached winner without tuning. */
    p = plan_with((ob_conv_pass)pass, OB_TUNE_ON, OB_CONV_FP32, &c);
    assert_non_null(strstr(c.describe, "(tuned, cached)"));
    assert_memory_equal(ob_conv_plan_config(p), &tuned, sizeof tuned);
    check_plan(p, (ob_conv_pass)pass, &c);
    ob_conv_plan_destroy(p);
  }
  char path[4600];
  tune_file(path, sizeof path);
  char *text = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_read_file(path, &text, &len));
  /* The Winograd algorithm competes on this shape: the key says so. */
  assert_non_null(strstr(text, "forward:n=2,c=8,h=12,w=12,k=16,r=3,s=3,stride=1,pad=1,groups=1,"
                               "storage=fp32,algos=gemm+winograd+winograd4 tm="));
  assert_non_null(strstr(text, "backward_data:n=2,"));
  assert_non_null(strstr(text, "backward_weight:n=2,"));
  free(text);
}

static void corrupt_cache_line_is_retuned(void **state) {
  (void)state;
  char path[4600], *text = NULL;
  tune_file(path, sizeof path);
  OB_ASSERT_OK(ob_read_file(path, &text, NULL));
  const char *junk = "conv forward:n=2,c=8,h=12,w=12,k=16,r=3,s=3,stride=1,pad=1,groups=1,"
                     "storage=fp32,algos=gemm+winograd+winograd4 tm=7,x 1\n"
                     "garbage without fields\n";
  char *all = malloc(strlen(text) + strlen(junk) + 1);
  assert_non_null(all);
  snprintf(all, strlen(text) + strlen(junk) + 1, "%s%s", text, junk);
  OB_ASSERT_OK(ob_write_file_atomic(path, all, strlen(all)));
  free(all);
  free(text);
  ob_conv_choice c;
  ob_conv_plan *p = plan_with(OB_CONV_FORWARD, OB_TUNE_ON, OB_CONV_FP32, &c);
  assert_non_null(strstr(c.describe, "(tuned now:"));
  check_plan(p, OB_CONV_FORWARD, &c);
  ob_conv_plan_destroy(p);
  /* Tuning off gives the device default, never the cache. */
  p = plan_with(OB_CONV_FORWARD, OB_TUNE_OFF, OB_CONV_FP32, &c);
  assert_non_null(strstr(c.describe, "(default)"));
  ob_conv_plan_destroy(p);
}

/* The tuner keys on the storage type: with the fp32 forward winner cached, an fp16 plan of the
 * same shape is tuned (its candidates checked against the fp16 bound) and cached beside it: a
 * second fp16 plan takes its winner, an fp32 one still its own; both entries stay in the
 * file. */
static void half_storage_is_tuned_and_cached_separately(void **state) {
  (void)state;
  ob_conv_choice c;
  ob_conv_plan *p = plan_with(OB_CONV_FORWARD, OB_TUNE_ON, OB_CONV_FP32, &c);
  assert_non_null(strstr(c.describe, "(tuned, cached)"));
  ob_conv_plan_destroy(p);
  p = plan_with(OB_CONV_FORWARD, OB_TUNE_REDO, OB_CONV_FP16, &c);
  assert_non_null(strstr(c.describe, "(tuned now:"));
  const ob_conv_config tuned = *ob_conv_plan_config(p);
  check_plan(p, OB_CONV_FORWARD, &c);
  ob_conv_plan_destroy(p);
  p = plan_with(OB_CONV_FORWARD, OB_TUNE_ON, OB_CONV_FP16, &c);
  assert_non_null(strstr(c.describe, "(tuned, cached)"));
  assert_memory_equal(ob_conv_plan_config(p), &tuned, sizeof tuned);
  check_plan(p, OB_CONV_FORWARD, &c);
  ob_conv_plan_destroy(p);
  p = plan_with(OB_CONV_FORWARD, OB_TUNE_ON, OB_CONV_FP32, &c);
  assert_non_null(strstr(c.describe, "(tuned, cached)"));
  ob_conv_plan_destroy(p);
  char path[4600];
  tune_file(path, sizeof path);
  char *text = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_read_file(path, &text, &len));
  assert_non_null(strstr(text, "groups=1,storage=fp32,algos=gemm+winograd+winograd4 tm="));
  assert_non_null(strstr(text, "groups=1,storage=fp16 tm="));
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tunes_caches_and_reads_back),
      cmocka_unit_test(corrupt_cache_line_is_retuned),
      cmocka_unit_test(half_storage_is_tuned_and_cached_separately),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
