/* Clocks, event timing and statistics. */
#include "oclbench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double ob_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds from `from` of event a to `to` of event b; a span below min_ns is OB_ERR_TIMING. */
static ob_status event_span(cl_event a, cl_profiling_info from, cl_event b, cl_profiling_info to,
                            cl_ulong min_ns, double *seconds) {
  cl_ulong t0 = 0, t1 = 0;
  *seconds = 0.0;
  OB_TRY(OB_CL(clGetEventProfilingInfo(a, from, sizeof t0, &t0, NULL)));
  OB_TRY(OB_CL(clGetEventProfilingInfo(b, to, sizeof t1, &t1, NULL)));
  if (t1 < t0 || t1 - t0 < min_ns)
    return ob_fail(OB_ERR_TIMING, "profiling timestamps span %lld ns (%llu to %llu): the driver's "
                   "event times do not advance, so no time or rate can be measured from them",
                   (long long)(t1 - t0), (unsigned long long)t0, (unsigned long long)t1);
  *seconds = (double)(t1 - t0) * 1e-9;
  return OB_OK;
}

/* Device seconds this thread has read from START..END spans (ob_event_seconds_total). */
static _Thread_local double device_seconds;

double ob_event_seconds_total(void) { return device_seconds; }

/* event_span from a START to an END, counted in the thread's device seconds. */
static ob_status device_span(cl_event first, cl_event last, double *seconds) {
  OB_TRY(event_span(first, CL_PROFILING_COMMAND_START, last, CL_PROFILING_COMMAND_END, 1, seconds));
  device_seconds += *seconds;
  return OB_OK;
}

ob_status ob_event_seconds(cl_event ev, double *seconds) { return device_span(ev, ev, seconds); }

ob_status ob_events_span(cl_event first, cl_event last, double *seconds) {
  *seconds = 0.0;
  OB_TRY(OB_CL(clWaitForEvents(1, &last)));
  return device_span(first, last, seconds);
}

ob_status ob_event_queue_delay(cl_event ev, double *seconds) {
  return event_span(ev, CL_PROFILING_COMMAND_QUEUED, ev, CL_PROFILING_COMMAND_START, 0, seconds);
}

/* ob_enqueue_kernel_work without recording the failure on the stream. */
static ob_status enqueue(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                         const size_t *local, double flops, double bytes, cl_event *ev) {
  if (!ob_trace_enabled())
    return OB_CL(clEnqueueNDRangeKernel(ob_device_queue(dev), k, dims, NULL, global, local, 0,
                                        NULL, ev));
  cl_event own = NULL;
  OB_TRY(OB_CL(clEnqueueNDRangeKernel(ob_device_queue(dev), k, dims, NULL, global, local, 0, NULL,
                                      &own)));
  ob_trace_add_kernel(dev, own, k, dims, global, local, flops, bytes);
  if (ev) *ev = own;
  else clReleaseEvent(own);
  return OB_OK;
}

ob_status ob_enqueue_kernel_work(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                                 const size_t *local, double flops, double bytes, cl_event *ev) {
  return ob_stream_record(ob_device_stream(dev),
                          enqueue(dev, k, dims, global, local, flops, bytes, ev));
}

ob_status ob_enqueue_kernel(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                            const size_t *local, cl_event *ev) {
  return ob_enqueue_kernel_work(dev, k, dims, global, local, NAN, NAN, ev);
}

ob_status ob_kernel_run_timed(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                              const size_t *local, double *seconds) {
  return ob_kernel_run_timed_work(dev, k, dims, global, local, NAN, NAN, seconds);
}

ob_status ob_kernel_run_timed_work(ob_device *dev, cl_kernel k, cl_uint dims,
                                   const size_t *global, const size_t *local, double flops,
                                   double bytes, double *seconds) {
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel_work(dev, k, dims, global, local, flops, bytes, &ev));
  ob_status st = OB_CL(clWaitForEvents(1, &ev));
  if (st == OB_OK) st = ob_event_seconds(ev, seconds);
  clReleaseEvent(ev);
  return ob_stream_record(ob_device_stream(dev), st);
}

ob_status ob_time_check(double measured_s, size_t reps, double wall_s) {
  if (!(measured_s >= 1e-7 * (double)(reps ? reps : 1)) || !isfinite(measured_s))
    return ob_fail(OB_ERR_TIMING, "measured time %.3g s for %zu repetition%s is below 100 ns "
                   "each: the driver's profiling timestamps do not advance with the work",
                   measured_s, reps, reps == 1 ? "" : "s");
  if (wall_s > 1.0 && measured_s < wall_s * 1e-3)
    return ob_fail(OB_ERR_TIMING, "measured time %.3g s is below 1/1000 of the %.3g s of wall "
                   "clock around it: the driver's profiling timestamps do not advance with the "
                   "work", measured_s, wall_s);
  return OB_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void ob_stats_compute(const double *samples, size_t n, ob_stats *out) {
  memset(out, 0, sizeof *out);
  if (n == 0) return;
  double *s = malloc(n * sizeof *s);
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) sum += samples[i];
  out->n = n;
  out->mean = sum / (double)n;
  double var = 0.0;
  for (size_t i = 0; i < n; i++) var += (samples[i] - out->mean) * (samples[i] - out->mean);
  out->stddev = n > 1 ? sqrt(var / (double)(n - 1)) : 0.0;
  if (!s) { /* no memory for a sorted copy: min/max still exact, median approximated */
    out->min = out->max = samples[0];
    for (size_t i = 1; i < n; i++) {
      if (samples[i] < out->min) out->min = samples[i];
      if (samples[i] > out->max) out->max = samples[i];
    }
    out->median = out->mean;
    return;
  }
  memcpy(s, samples, n * sizeof *s);
  qsort(s, n, sizeof *s, cmp_double);
  out->min = s[0];
  out->max = s[n - 1];
  out->median = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  free(s);
}

size_t ob_reps_for_budget(double one_s, double budget_s, size_t min_reps, size_t max_reps) {
  if (min_reps > max_reps) min_reps = max_reps;
  if (!(one_s > 0.0)) return max_reps;
  double r = floor(budget_s / one_s);
  if (r < (double)min_reps) return min_reps;
  if (r > (double)max_reps) return max_reps;
  return (size_t)r;
}
