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

static ob_status event_span(cl_event ev, cl_profiling_info from, cl_profiling_info to,
                            double *seconds) {
  cl_ulong a = 0, b = 0;
  OB_TRY(OB_CL(clGetEventProfilingInfo(ev, from, sizeof a, &a, NULL)));
  OB_TRY(OB_CL(clGetEventProfilingInfo(ev, to, sizeof b, &b, NULL)));
  *seconds = b >= a ? (double)(b - a) * 1e-9 : 0.0;
  return OB_OK;
}

ob_status ob_event_seconds(cl_event ev, double *seconds) {
  return event_span(ev, CL_PROFILING_COMMAND_START, CL_PROFILING_COMMAND_END, seconds);
}

ob_status ob_event_queue_delay(cl_event ev, double *seconds) {
  return event_span(ev, CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_START, seconds);
}

ob_status ob_enqueue_kernel_work(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
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

ob_status ob_enqueue_kernel(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                            const size_t *local, cl_event *ev) {
  return ob_enqueue_kernel_work(dev, k, dims, global, local, NAN, NAN, ev);
}

ob_status ob_device_finish(ob_device *dev) { return OB_CL(clFinish(ob_device_queue(dev))); }

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
  return st;
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
