/* Runner and peak probes: rows, statuses, budget skipping, verification, plausibility. */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peak/peak.h"
#include "runner.h"

/* Case params and notes: pairs joined by ';' and "; ", a pair whose "key=" does not fit left
 * out whole, a value that does not fit cut at the buffer's end. */
static void case_params_and_notes_append_pairs(void **state) {
  (void)state;
  ob_case c;
  ob_case_init(&c, NULL, "own", "fp32", "size", 1.0);
  ob_case_param(&c, "m", "%d", 1024);
  ob_case_param(&c, "n", "%s", "512");
  assert_string_equal(c.params, "m=1024;n=512");
  ob_case_note(&c, "config", "%s", "bm=48");
  ob_case_note(&c, "dot", "%s", "plain");
  assert_string_equal(c.note, "config=bm=48; dot=plain");
  char key[sizeof c.params];
  memset(key, 'k', sizeof key - 1);
  key[sizeof key - 1] = '\0';
  ob_case_param(&c, key, "%d", 1); /* ";kkk...=" cannot fit */
  assert_string_equal(c.params, "m=1024;n=512");
  ob_case_param(&c, "long", "%s", key); /* the value is cut */
  assert_int_equal(strlen(c.params), sizeof c.params - 1);
  assert_int_equal(strncmp(c.params, "m=1024;n=512;long=kkk", 21), 0);
}

static void peak_probes_are_positive_and_below_theoretical(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_run_opts opts = {.quick = true, .seconds = 0.05};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &ob_workload_peak, &opts));
  assert_int_equal(ob_session_failed(session), 0);
  const double theo = ob_device_fp32_theoretical(dev) * 1e9 *
                      ob_device_props_get(dev)->clock_headroom;
  size_t fma = 0, bw = 0, lat = 0, xfer = 0;
  for (size_t r = 0; r < rows->n; r++) {
    if (strcmp(rows->items[r].metric, "compile_time") == 0) continue;
    assert_int_equal(rows->items[r].status, OB_RESULT_OK);
    assert_int_equal(rows->items[r].verified, OB_VERIFIED_NA);
    assert_string_equal(rows->items[r].workload, "peak");
    double v = rows->items[r].value;
    assert_true(v > 0 && isfinite(v));
    assert_true(rows->items[r].reps >= 3);
    assert_true(rows->items[r].time_s_min <= rows->items[r].time_s_median);
    assert_true(rows->items[r].time_s_median <= rows->items[r].time_s_max);
    const char *variant = rows->items[r].variant;
    if (strncmp(variant, "fma_", 4) == 0) {
      fma++;
      if (theo > 0) assert_true(v * 1e9 < theo * 1.1);
      assert_true(rows->items[r].flops > 0);
    } else if (!strcmp(variant, "copy") || !strcmp(variant, "update") ||
               !strcmp(variant, "read")) {
      bw++;
    } else if (strcmp(rows->items[r].metric, "latency") == 0) {
      lat++;
      assert_true(v < 1e6); /* under a second */
    } else {
      xfer++;
    }
  }
  assert_int_equal(fma, 5);
  assert_int_equal(bw, 3);
  assert_int_equal(lat, 2);
  assert_int_equal(xfer, 2);
  /* the probes' peaks are the session's; the device keeps none. The bandwidth peak is the
   * faster of the copy and update probes' fastest repetitions. */
  assert_true(ob_session_peak(session, dev, OB_PEAK_FP32) > 0);
  double fastest_write = 0.0;
  for (size_t r = 0; r < rows->n; r++)
    if (!strcmp(rows->items[r].variant, "copy") || !strcmp(rows->items[r].variant, "update"))
      fastest_write = fmax(fastest_write, rows->items[r].bytes / rows->items[r].time_s_min);
  assert_true(fabs(ob_session_peak(session, dev, OB_PEAK_BANDWIDTH) / fastest_write - 1.0) <
              1e-9);
  assert_true(ob_session_peak(session, dev, OB_PEAK_READ) > 0);
  /* every program build is in the session and has its compile row */
  size_t nbuilds = 0, compile_rows = 0;
  const ob_session_build *builds = ob_session_builds(session, &nbuilds);
  for (size_t r = 0; r < rows->n; r++) compile_rows += strcmp(rows->items[r].variant, "compile") == 0;
  assert_int_equal(nbuilds, compile_rows);
  for (size_t i = 0; i < nbuilds; i++) assert_ptr_equal(builds[i].dev, dev);
  ob_session_destroy(session);
}

/* The probes' cases with buffers of 256 KiB (their listed sizes are 32 MiB and more), without
 * queue_to_start (the empty kernel of enqueue_finish again). */
#define TINY_BYTES ((size_t)256 << 10)
static size_t tiny_probe_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                               size_t max) {
  ob_case all[32];
  const size_t n = ob_workload_peak.list_cases(dev, opts, all, 32);
  size_t k = 0;
  for (size_t i = 0; i < n && k < max; i++) {
    if (strcmp(all[i].variant, "queue_to_start") == 0) continue;
    ob_case *c = &cases[k++];
    *c = all[i];
    const ob_peak_probe *probe = c->spec;
    if (!(probe->moves > 0)) continue; /* FMA and latency probes: no buffer */
    c->bytes = probe->moves * (double)TINY_BYTES; /* the buffer setup allocates: bytes / moves */
    c->metrics[0].work = c->bytes;
  }
  return k;
}

/* Every probe kernel through the workload's own setup and run at tiny sizes (quick enough for
 * Oclgrind, which interprets every work-item: tools/oclgrind_check.sh). */
static void probes_run_at_tiny_sizes(void **state) {
  (void)state;
  ob_workload wl = ob_workload_peak;
  wl.list_cases = tiny_probe_cases;
  ob_run_opts opts = {.quick = true, .seconds = 0.01};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  size_t measured = 0;
  OB_ASSERT_OK(ob_runner_run_workload(session, ob_test_device(), &wl, &opts));
  assert_int_equal(ob_session_failed(session), 0);
  for (size_t r = 0; r < rows->n; r++) {
    if (strcmp(rows->items[r].metric, "compile_time") == 0) continue;
    assert_int_equal(rows->items[r].status, OB_RESULT_OK);
    const double v = rows->items[r].value;
    assert_true(v > 0 && isfinite(v));
    assert_true(rows->items[r].reps >= 3);
    measured++;
  }
  assert_int_equal(measured, 11); /* 5 FMA widths, copy, update, read, enqueue_finish, 2
                                     transfers */
  ob_session_destroy(session);
}

/* A fake workload: case i sleeps nothing and reports cost[i] seconds; behaviour per case. */
enum fake_kind {
  FAKE_OK, FAKE_SETUP_UNSUPPORTED, FAKE_SETUP_CL_ERROR, FAKE_WRONG, FAKE_FAST,
  FAKE_STUCK_CLOCK, /* 2 ms of wall clock reported as 1 ns (timestamps that do not advance) */
  FAKE_FLIPS,       /* a rate with no peak of its own, bounded per FLOP of the FP32 peak */
  FAKE_COUNTED,     /* 1.5x the FP32 bound in FLOPs counted as work not done (Winograd's direct
                       count), with the allowance of 2.25x the peak for it */
  FAKE_UNCOUNTED,   /* the same rate without the allowance */
};

/* The fake workload's case table. */
typedef struct fake_spec {
  enum fake_kind kind;
  double cost;
} fake_spec;
static const fake_spec fake_table[] = {
    {FAKE_OK, 1},     {FAKE_OK, 1e9},   {FAKE_SETUP_UNSUPPORTED, 0}, {FAKE_SETUP_CL_ERROR, 0},
    {FAKE_WRONG, 0},  {FAKE_FAST, 0},   {FAKE_STUCK_CLOCK, 0},       {FAKE_FLIPS, 0},
    {FAKE_COUNTED, 0}, {FAKE_UNCOUNTED, 0}};

static size_t fake_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c, size_t max) {
  (void)opts;
  /* the FP32 plausibility bound (the theoretical peak at the highest clock, 10% margin) */
  const double bound = ob_device_fp32_theoretical(dev) * 1e9 *
                       ob_device_props_get(dev)->clock_headroom * OB_PLAUSIBLE_FLOPS_MARGIN;
  const fake_spec *spec = fake_table;
  size_t n = sizeof fake_table / sizeof *fake_table;
  for (size_t i = 0; i < n && i < max; i++) {
    ob_case_init(&c[i], &spec[i], "fake", "fp32", spec[i].cost > 0 ? "size" : "", spec[i].cost);
    ob_case_param(&c[i], "i", "%zu", i);
    c[i].flops = 1e6;
    if (spec[i].kind == FAKE_FLIPS) /* 1e12 flips in 1 us: 1e9 flips/ns, beyond 16 flips per
                                       FLOP of any device (an H200's 16 x 67 TFLOP/s is 1e6) */
      ob_case_metric(&c[i], "flips_per_ns", "flips/ns", OB_METRIC_RATE, 1e12, 1e9, OB_PEAK_NONE)
          ->limit_per_peak = 16;
    else if (spec[i].kind == FAKE_COUNTED || spec[i].kind == FAKE_UNCOUNTED)
      ob_case_metric(&c[i], "gflops", "GFLOP/s", OB_METRIC_RATE, 1.5 * bound * 1e-6, 1e9,
                     OB_PEAK_FP32)
          ->limit_per_peak = spec[i].kind == FAKE_COUNTED ? 2.25 : 0.0;
    else /* FAST: 1e9 FLOP in 1 us = 1e15 FLOP/s, far above any device's peak */
      ob_case_metric(&c[i], "gflops", "GFLOP/s", OB_METRIC_RATE,
                     spec[i].kind == FAKE_FAST ? 1e9 : 1e6, 1e9, OB_PEAK_FP32);
  }
  return n;
}

typedef struct fake_state { enum fake_kind kind; } fake_state;

static ob_status fake_setup(void *state, ob_device *dev, ob_case *c) {
  (void)dev;
  fake_state *s = state;
  s->kind = ((const fake_spec *)c->spec)->kind;
  if (s->kind == FAKE_SETUP_UNSUPPORTED) return ob_fail(OB_ERR_UNSUPPORTED, "no fp16 here");
  if (s->kind == FAKE_SETUP_CL_ERROR) return OB_CL(CL_OUT_OF_RESOURCES);
  return OB_OK;
}

static ob_status fake_run(void *state, double *seconds) {
  const fake_state *s = state;
  *seconds = s->kind == FAKE_FAST || s->kind == FAKE_FLIPS || s->kind == FAKE_COUNTED ||
                     s->kind == FAKE_UNCOUNTED
                 ? 1e-6
             : s->kind == FAKE_STUCK_CLOCK                 ? 1e-9
                                                           : 1e-3;
  if (s->kind == FAKE_STUCK_CLOCK) nanosleep(&(struct timespec){.tv_nsec = 2000000}, NULL);
  return OB_OK;
}

static ob_status fake_verify(void *state, ob_verdict *v) {
  const fake_state *s = state;
  v->checked = true;
  v->ok = s->kind != FAKE_WRONG;
  snprintf(v->note, sizeof v->note, "max_err=%s", v->ok ? "0" : "1");
  return OB_OK;
}

static void fake_teardown(void *state) { (void)state; }

static ob_status fake_setup_group(void *state, ob_device *const *devs, size_t n, ob_case *c) {
  (void)n;
  return fake_setup(state, devs[0], c);
}

static const ob_workload fake = {
    .name = "fake",
    .description = "test double",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(fake_state),
    .list_cases = fake_cases,
    .setup = fake_setup,
    .setup_group = fake_setup_group,
    .run = fake_run,
    .verify = fake_verify,
    .teardown = fake_teardown,
};

static void runner_statuses_budget_verification_plausibility(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_run_opts opts = {.quick = true, .seconds = 0.01};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &fake, &opts));
  assert_int_equal(rows->n, 10);
  /* 0: measured, verified */
  assert_int_equal(rows->items[0].status, OB_RESULT_OK);
  assert_int_equal(rows->items[0].verified, OB_VERIFIED_YES);
  assert_true(fabs(rows->items[0].value - 1.0) < 1e-9); /* 1e6 FLOP / 1 ms = 1 GFLOP/s */
  assert_true(strncmp(rows->items[0].note, "max_err=0", 9) == 0);
  assert_non_null(strstr(rows->items[0].note, "mem_peak_bytes=0"));
  /* 1: predicted from case 0 (same series) at 1e6 s per repetition: skipped */
  assert_int_equal(rows->items[1].status, OB_RESULT_SKIPPED);
  assert_non_null(strstr(rows->items[1].note, "over time budget"));
  assert_true(isnan(rows->items[1].value));
  /* 2: unsupported -> skipped with the reason */
  assert_int_equal(rows->items[2].status, OB_RESULT_SKIPPED);
  assert_non_null(strstr(rows->items[2].note, "no fp16 here"));
  /* 3: an OpenCL error -> failed with the code's name */
  assert_int_equal(rows->items[3].status, OB_RESULT_FAILED);
  assert_non_null(strstr(rows->items[3].note, "CL_OUT_OF_RESOURCES"));
  /* 4: wrong result -> failed, verified=no */
  assert_int_equal(rows->items[4].status, OB_RESULT_FAILED);
  assert_int_equal(rows->items[4].verified, OB_VERIFIED_NO);
  /* 5: above the device's peak -> failed, implausible */
  assert_int_equal(rows->items[5].status, OB_RESULT_FAILED);
  assert_non_null(strstr(rows->items[5].note, "implausible"));
  /* 6: an event time far below the wall clock around it -> failed, never a rate */
  assert_int_equal(rows->items[6].status, OB_RESULT_FAILED);
  assert_true(isnan(rows->items[6].value));
  assert_non_null(strstr(rows->items[6].note, "unusable timing"));
  /* 7: more flips than the FP32 peak allows -> failed, implausible */
  assert_int_equal(rows->items[7].status, OB_RESULT_FAILED);
  assert_non_null(strstr(rows->items[7].note, "implausible"));
  /* 8, 9: 1.5x the FP32 bound is ok only with the allowance of work counted but not done */
  if (ob_device_fp32_theoretical(dev) > 0) {
    assert_int_equal(rows->items[8].status, OB_RESULT_OK);
    assert_int_equal(rows->items[9].status, OB_RESULT_FAILED);
    assert_non_null(strstr(rows->items[9].note, "implausible"));
  } else {
    print_message("no theoretical FP32 peak on this device: the allowance is not checked\n");
  }
  assert_int_equal(ob_session_failed(session),
                   5 + (rows->items[8].status == OB_RESULT_FAILED) +
                       (rows->items[9].status == OB_RESULT_FAILED));
  ob_session_destroy(session);
}

/* Cases of sizes "", "small", "big" and of 0, 8 and 64 chains, for the choice of cases. */
static size_t sized_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c,
                          size_t max) {
  (void)dev;
  (void)opts;
  static const struct { const char *size; size_t chains; } t[] = {
      {"", 0}, {"small", 0}, {"big", 0}, {"small", 8}, {"small", 64}, {"big", 64}};
  size_t n = 0;
  for (; n < sizeof t / sizeof *t && n < max; n++) {
    ob_case_init(&c[n], &t[n], "v", n ? "fp32" : "", "", 0);
    snprintf(c[n].size, sizeof c[n].size, "%s", t[n].size);
    if (t[n].chains) snprintf(c[n].detail, sizeof c[n].detail, "chains=%zu", t[n].chains);
    c[n].chains = t[n].chains;
  }
  return n;
}

static void cases_chosen_by_size_and_chains(void **state) {
  (void)state;
  const ob_workload sized = {.name = "sized", .list_cases = sized_cases};
  ob_case cases[OB_RUNNER_MAX_CASES];
  ob_run_opts opts = {.quick = true, .seconds = 0.2};
  assert_int_equal(ob_runner_cases(NULL, &sized, &opts, cases, OB_RUNNER_MAX_CASES), 6);
  const char *small[] = {"small"};
  opts.sizes = small;
  opts.nsizes = 1;
  /* "" is never left out by size */
  assert_int_equal(ob_runner_cases(NULL, &sized, &opts, cases, OB_RUNNER_MAX_CASES), 4);
  assert_string_equal(cases[0].size, "");
  assert_string_equal(cases[3].detail, "chains=64");
  const size_t chains[] = {64, 1000};
  opts.chains = chains;
  opts.nchains = 2;
  /* chains 0 is never left out by chains */
  assert_int_equal(ob_runner_cases(NULL, &sized, &opts, cases, OB_RUNNER_MAX_CASES), 3);
  assert_int_equal(cases[2].chains, 64);
  char label[160];
  ob_runner_case_label(&sized, &cases[2], label, sizeof label);
  assert_string_equal(label, "sized v fp32 small chains=64");
  ob_runner_case_label(&sized, &cases[0], label, sizeof label);
  assert_string_equal(label, "sized v");
  /* the estimate grows with the budget */
  const ob_run_opts longer = {.seconds = 2.0};
  assert_true(ob_runner_case_estimate(&opts) > 0.2);
  assert_true(ob_runner_case_estimate(&longer) > ob_runner_case_estimate(&opts) + 1.5);
  char d[24];
  ob_format_duration(d, sizeof d, 12.4);
  assert_string_equal(d, "12s");
  ob_format_duration(d, sizeof d, 185);
  assert_string_equal(d, "3:05");
  ob_format_duration(d, sizeof d, 3723);
  assert_string_equal(d, "1:02:03");
  ob_format_duration(d, sizeof d, NAN);
  assert_string_equal(d, "?");
}

static void group_rows_describe_every_device(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_device *devs[2] = {dev, dev};
  ob_run_opts opts = {.quick = true, .seconds = 0.01};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_group(session, devs, 2, &fake, &opts));
  assert_int_equal(rows->n, 10);
  const ob_device_props *p = ob_device_props_get(dev);
  char name[300];
  snprintf(name, sizeof name, "2 x %s", p->name);
  assert_string_equal(rows->items[0].device_slug, "all-2");
  assert_string_equal(rows->items[0].device, name);
  assert_true(rows->items[0].compute_units == 2.0 * p->compute_units);
  assert_int_equal(rows->items[0].status, OB_RESULT_OK);
  assert_int_equal(ob_runner_run_group(session, devs, 1, &fake, &opts), OB_ERR_INVALID);
  ob_session_destroy(session);
}

/* A fake copy probe (it provides the bandwidth peak): 1e9 bytes per repetition, in 0.1 s on
 * its first measurement (10 GB/s, as on a busy machine) and 1 ms on the next (1 TB/s). Its
 * case table holds the measurement count. */
typedef struct slow_probe_spec { int measured; } slow_probe_spec;

static size_t slow_probe_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c,
                               size_t max) {
  (void)dev, (void)opts, (void)max;
  static slow_probe_spec spec;
  ob_case_init(c, &spec, "copy", "fp32", "", 0);
  ob_case_metric(c, "bandwidth", "GB/s", OB_METRIC_RATE, 1e9, 1e9, OB_PEAK_BANDWIDTH)->provides =
      OB_PEAK_BANDWIDTH;
  return 1;
}

typedef struct slow_probe_state { bool first; } slow_probe_state;

static ob_status slow_probe_setup(void *state, ob_device *dev, ob_case *c) {
  (void)dev;
  slow_probe_spec *spec = (slow_probe_spec *)c->spec;
  ((slow_probe_state *)state)->first = spec->measured++ == 0;
  return OB_OK;
}

static ob_status slow_probe_run(void *state, double *seconds) {
  *seconds = ((const slow_probe_state *)state)->first ? 0.1 : 1e-3;
  return OB_OK;
}

/* A memory-bound fake (bandwidth utilisation against the copy peak) of 1e15 bytes, beyond any
 * device's caches: case 0 at 100 GB/s (above twice the first probe's 10 GB/s, below the
 * second's 1 TB/s), case 1 at 1e15 B/s (above any bound). */
static size_t streaming_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *c,
                              size_t max) {
  (void)dev, (void)opts;
  static const double work[] = {1e11, 1e15};
  size_t n = 0;
  for (; n < 2 && n < max; n++) {
    ob_case_init(&c[n], &work[n], "stream", "fp32", "", 0);
    ob_case_param(&c[n], "i", "%zu", n);
    c[n].bytes = 1e15;
    ob_case_metric(&c[n], "bandwidth", "GB/s", OB_METRIC_RATE, work[n], 1e9, OB_PEAK_BANDWIDTH);
  }
  return n;
}

static ob_status streaming_setup(void *state, ob_device *dev, ob_case *c) {
  (void)state, (void)dev, (void)c;
  return OB_OK;
}

static ob_status streaming_run(void *state, double *seconds) {
  (void)state;
  *seconds = 1.0;
  return OB_OK;
}

/* A memory-bound row above the bound of a bandwidth peak measured low is not called
 * implausible before the probe that measured it has run again: the session keeps the larger
 * peak, the row is judged against it, and the re-measured probe's row says why it ran. Once
 * per workload's run: a later row above the new bound fails without another. */
static void bandwidth_probe_measured_again_before_a_row_is_implausible(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  const ob_workload probe = {.name = "probe", .description = "test double",
                             .provides = OB_NEEDS_PEAKS,
                             .state_size = sizeof(slow_probe_state),
                             .list_cases = slow_probe_cases, .setup = slow_probe_setup,
                             .run = slow_probe_run, .teardown = fake_teardown};
  const ob_workload streaming = {.name = "streaming", .description = "test double",
                                 .needs = OB_NEEDS_PEAKS, .list_cases = streaming_cases,
                                 .setup = streaming_setup, .run = streaming_run,
                                 .teardown = fake_teardown};
  ob_run_opts opts = {.quick = true, .seconds = 0.01};
  ob_session *session = NULL;
  OB_ASSERT_OK(ob_session_create(&session));
  const ob_results *rows = ob_session_results(session);
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &probe, &opts));
  assert_int_equal(rows->n, 1);
  assert_true(fabs(rows->items[0].value - 10.0) < 1e-9);
  const void *spec = NULL;
  assert_ptr_equal(ob_session_peak_source(session, dev, OB_PEAK_BANDWIDTH, &spec), &probe);
  assert_null(ob_session_peak_source(session, dev, OB_PEAK_READ, &spec));
  OB_ASSERT_OK(ob_runner_run_workload(session, dev, &streaming, &opts));
  assert_int_equal(rows->n, 4);
  /* the probe again, before case 0's row: 1 TB/s */
  assert_string_equal(rows->items[1].workload, "probe");
  assert_int_equal(rows->items[1].status, OB_RESULT_OK);
  assert_true(fabs(rows->items[1].value - 1000.0) < 1e-6);
  assert_non_null(strstr(rows->items[1].note, "remeasured=before streaming stream fp32"));
  assert_true(ob_session_peak(session, dev, OB_PEAK_BANDWIDTH) == 1e12);
  /* case 0: 100 GB/s is 10% of the peak now, and ok */
  assert_string_equal(rows->items[2].workload, "streaming");
  assert_int_equal(rows->items[2].status, OB_RESULT_OK);
  assert_true(fabs(rows->items[2].peak_fraction - 0.1) < 1e-9);
  /* case 1: no second re-measurement, implausible */
  assert_string_equal(rows->items[3].workload, "streaming");
  assert_int_equal(rows->items[3].status, OB_RESULT_FAILED);
  assert_non_null(strstr(rows->items[3].note, "implausible"));
  ob_session_destroy(session);
}

/* The session keeps a device's larger peak per kind, nothing for devices it has not seen. */
static void session_keeps_the_larger_peak(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_session *s = NULL;
  OB_ASSERT_OK(ob_session_create(&s));
  assert_true(ob_session_peak(s, dev, OB_PEAK_FP32) == 0.0);
  OB_ASSERT_OK(ob_session_set_peak(s, dev, OB_PEAK_FP32, 2e12, NULL, NULL));
  OB_ASSERT_OK(ob_session_set_peak(s, dev, OB_PEAK_FP32, 1e12, NULL, NULL));
  OB_ASSERT_OK(ob_session_set_peak(s, dev, OB_PEAK_NONE, 5.0, NULL, NULL)); /* ignored */
  assert_true(ob_session_peak(s, dev, OB_PEAK_FP32) == 2e12);
  assert_true(ob_session_peak(s, dev, OB_PEAK_BANDWIDTH) == 0.0);
  assert_true(ob_session_peak(s, NULL, OB_PEAK_FP32) == 0.0);
  assert_int_equal(ob_session_mem_peak(s, dev), 0);
  assert_int_equal(ob_session_failed(s), 0);
  ob_session_count_failure(s);
  assert_int_equal(ob_session_failed(s), 1);
  ob_session_destroy(s);
  ob_session_destroy(NULL);
}

/* The peak probes run first because the other workloads need them, wherever they are listed. */
static void plan_runs_what_the_workloads_need_first(void **state) {
  (void)state;
  ob_workload plain = fake;
  plain.name = "plain";
  plain.needs = 0;
  const ob_workload *known[] = {&fake, &plain, &ob_workload_peak}; /* the provider last */
  const ob_workload *out[8];
  const ob_workload *chosen[] = {&fake};
  assert_int_equal(ob_runner_plan(known, 3, chosen, 1, out, 8), 2);
  assert_ptr_equal(out[0], &ob_workload_peak);
  assert_ptr_equal(out[1], &fake);
  const ob_workload *both[] = {&fake, &ob_workload_peak}; /* chosen after what needs it */
  assert_int_equal(ob_runner_plan(known, 3, both, 2, out, 8), 2);
  assert_ptr_equal(out[0], &ob_workload_peak);
  assert_ptr_equal(out[1], &fake);
  const ob_workload *none[] = {&plain}; /* needs nothing: nothing added */
  assert_int_equal(ob_runner_plan(known, 3, none, 1, out, 8), 1);
  assert_ptr_equal(out[0], &plain);
  /* the real table: every workload but the probes needs them */
  for (size_t w = 0; w < ob_nworkloads; w++) {
    const size_t n = ob_runner_plan(ob_workloads, ob_nworkloads, &ob_workloads[w], 1, out, 8);
    assert_ptr_equal(out[0], &ob_workload_peak);
    assert_int_equal(n, ob_workloads[w] == &ob_workload_peak ? 1 : 2);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(case_params_and_notes_append_pairs),
      cmocka_unit_test(peak_probes_are_positive_and_below_theoretical),
      cmocka_unit_test(probes_run_at_tiny_sizes),
      cmocka_unit_test(runner_statuses_budget_verification_plausibility),
      cmocka_unit_test(group_rows_describe_every_device),
      cmocka_unit_test(plan_runs_what_the_workloads_need_first),
      cmocka_unit_test(cases_chosen_by_size_and_chains),
      cmocka_unit_test(session_keeps_the_larger_peak),
      cmocka_unit_test(bandwidth_probe_measured_again_before_a_row_is_implausible),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
