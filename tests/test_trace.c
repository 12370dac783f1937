/* Kernel trace and memory accounting: Chrome trace JSON whose events match the launches
 * (count, names) and whose durations match the measured kernel times; the runner's memory
 * figure matches what a case allocates. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "peak/peak.h"
#include "runner.h"

static void events_match_launches_and_times(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  cl_kernel k = NULL;
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", "", "copy4", &k));
  const size_t local = ob_device_wg_size(dev, k, 64), n4 = local * 16 * 64;
  cl_mem a = NULL, b = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n4 * 16, NULL, &a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n4 * 16, NULL, &b));
  assert_int_equal(clSetKernelArg(k, 0, sizeof a, &a), CL_SUCCESS);
  assert_int_equal(clSetKernelArg(k, 1, sizeof b, &b), CL_SUCCESS);
  /* Untraced launches leave no record. */
  ob_trace_reset();
  size_t global = n4 / 16;
  double t = 0;
  OB_ASSERT_OK(ob_kernel_run_timed(dev, k, 1, &global, &local, &t));
  assert_int_equal(ob_trace_count(), 0);
  ob_trace_enable(true);
  double measured = 0;
  const int launches = 20;
  for (int i = 0; i < launches; i++) {
    OB_ASSERT_OK(ob_kernel_run_timed_work(dev, k, 1, &global, &local, NAN, 2.0 * n4 * 16, &t));
    measured += t;
  }
  float host[4] = {1, 2, 3, 4};
  OB_ASSERT_OK(ob_buffer_write(dev, a, 0, sizeof host, host));
  OB_ASSERT_OK(ob_buffer_read(dev, b, 0, sizeof host, host));
  cl_event marker = NULL;
  OB_ASSERT_OK(ob_trace_span_begin(dev, &marker));
  OB_ASSERT_OK(ob_kernel_run_timed(dev, k, 1, &global, &local, &t));
  OB_ASSERT_OK(ob_trace_span_end(dev, marker, "library_call", 1e6, NAN));
  ob_trace_enable(false);
  size_t kernels = 0, writes = 0, reads = 0, spans = 0;
  double traced = 0;
  for (size_t i = 0; i < ob_trace_count(); i++) {
    ob_trace_record r;
    assert_true(ob_trace_get(i, &r));
    assert_ptr_equal(r.device, dev);
    assert_true(r.seconds >= 0);
    if (strcmp(r.name, "copy4") == 0) {
      if (kernels < (size_t)launches) traced += r.seconds;
      kernels++;
      assert_string_equal(r.category, "kernel");
    } else if (strcmp(r.name, "write_buffer") == 0) {
      writes++;
      assert_true(r.bytes == sizeof host);
    } else if (strcmp(r.name, "read_buffer") == 0) {
      reads++;
    } else if (strcmp(r.name, "library_call") == 0) {
      spans++;
      assert_string_equal(r.category, "library");
      assert_true(r.seconds > 0);
    } else {
      fail_msg("unexpected trace record %s", r.name);
    }
  }
  assert_int_equal(kernels, launches + 1);
  assert_int_equal(writes, 1);
  assert_int_equal(reads, 1);
  assert_int_equal(spans, 1);
  assert_true(fabs(traced - measured) <= 0.05 * measured);
  /* The JSON is valid and names every launch. */
  char path[4200];
  snprintf(path, sizeof path, "%s/trace.json", ob_test_tmpdir());
  OB_ASSERT_OK(ob_trace_write_json(path));
  char *json = NULL;
  size_t len = 0, where = 0;
  OB_ASSERT_OK(ob_read_file(path, &json, &len));
  if (!ob_json_valid(json, len, &where)) fail_msg("invalid JSON at byte %zu", where);
  size_t named = 0;
  for (const char *p = strstr(json, "\"name\":\"copy4\""); p; p = strstr(p + 1, "\"name\":\"copy4\""))
    named++;
  assert_int_equal(named, launches + 1);
  assert_non_null(strstr(json, "\"ph\":\"X\""));
  assert_non_null(strstr(json, "process_name"));
  free(json);
  ob_trace_reset();
  assert_int_equal(ob_trace_count(), 0);
  ob_buffer_release(dev, a);
  ob_buffer_release(dev, b);
  clReleaseKernel(k);
}

static void traced_run_marks_rows_and_counts_memory(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_run_opts opts = {.quick = true, .seconds = 0.02};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  ob_trace_enable(true);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &ob_workload_peak, &opts));
  ob_trace_enable(false);
  assert_int_equal(ob_session_failed(session), 0);
  size_t empty_launches = 0;
  for (size_t i = 0; i < ob_trace_count(); i++) {
    ob_trace_record r;
    assert_true(ob_trace_get(i, &r));
    empty_launches += strcmp(r.name, "empty") == 0;
  }
  size_t expected_empty = 0, copy_bytes = 0;
  for (size_t r = 0; r < rows->n; r++) {
    const ob_result *row = &rows->items[r];
    const char *v = row->variant;
    if (strcmp(v, "compile") == 0) continue;
    assert_non_null(strstr(row->note, "traced"));
    if (!strcmp(v, "queue_to_start") || !strcmp(v, "enqueue_finish"))
      expected_empty += (size_t)row->reps + 1;
    if (!strcmp(v, "copy")) {
      const char *m = strstr(row->note, "mem_peak_bytes=");
      assert_non_null(m);
      copy_bytes = (size_t)atoll(m + strlen("mem_peak_bytes="));
      /* The copy probe allocates a source and a destination of `bytes` each. */
      assert_int_equal(copy_bytes, (size_t)row->bytes);
    }
  }
  assert_int_equal(empty_launches, expected_empty);
  assert_true(ob_session_mem_peak(session, dev) >= copy_bytes && copy_bytes > 0);
  ob_trace_reset();
  ob_session_destroy(session);
}

static void json_checker_rejects_bad_json(void **state) {
  (void)state;
  const char *good[] = {"{}", "[1,2.5e-3,\"a\\n\",true,null,{\"k\":[]}]", " 0 "};
  const char *bad[] = {"{", "[1,]", "{\"a\" 1}", "01", "\"\x01\"", "[1] [2]", "{'a':1}"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    assert_true(ob_json_valid(good[i], strlen(good[i]), NULL));
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    assert_false(ob_json_valid(bad[i], strlen(bad[i]), NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_checker_rejects_bad_json),
      cmocka_unit_test(events_match_launches_and_times),
      cmocka_unit_test(traced_run_marks_rows_and_counts_memory),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
