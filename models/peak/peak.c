/* Peak probes: FP32 FMA rate (best of vector widths), global-memory bandwidth (copy and
 * read), kernel launch latency, host<->device transfer. They measure the denominators of
 * `peak_fraction` for the other workloads. */
#include "peak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct probe {
  const ob_peak_probe *spec;
  ob_device *dev;
  cl_kernel kernel;
  cl_mem a, b, pinned;
  void *host;            /* mapped pinned memory for transfers */
  size_t global, local;
  size_t bytes;          /* buffer size for bandwidth and transfer probes */
  int iters;             /* FMA rounds per work-item */
  double flops, moved;   /* work of one launch, for the trace (NAN: not counted) */
} probe;

#define FMA_CHAINS 8
#define FMA_FLOP_PER_ROUND (2.0 * 8 * FMA_CHAINS)

/* The case table: every probe in row order. */
static const ob_peak_probe probes[] = {
    {OB_PROBE_FMA, "fma_float1", 1, 0.0},         {OB_PROBE_FMA, "fma_float2", 2, 0.0},
    {OB_PROBE_FMA, "fma_float4", 4, 0.0},         {OB_PROBE_FMA, "fma_float8", 8, 0.0},
    {OB_PROBE_FMA, "fma_float16", 16, 0.0},       {OB_PROBE_COPY, "copy", 0, 2.0},
    {OB_PROBE_UPDATE, "update", 0, 2.0},          {OB_PROBE_READ, "read", 0, 1.0},
    {OB_PROBE_LATENCY, "queue_to_start", 0, 0.0}, {OB_PROBE_ROUNDTRIP, "enqueue_finish", 0, 0.0},
    {OB_PROBE_H2D, "host_to_device", 0, 1.0},     {OB_PROBE_D2H, "device_to_host", 0, 1.0},
};

static size_t mem_probe_bytes(const ob_device *dev, bool quick) {
  const ob_device_props *p = ob_device_props_get(dev);
  /* Several times the last-level cache (at least 4x what the device reports: a server CPU's
   * can be hundreds of MiB), within what one allocation and memory allow. */
  size_t want = quick ? (size_t)64 << 20 : ob_device_is_cpu(dev) ? (size_t)256 << 20
                                                                 : (size_t)1 << 30;
  if (!quick && want < 4 * p->global_cache) want = (size_t)(4 * p->global_cache);
  if (want > p->max_alloc) want = (size_t)p->max_alloc;
  if (want > p->global_mem / 4) want = (size_t)(p->global_mem / 4);
  return want & ~(size_t)63;
}

static size_t transfer_bytes(const ob_device *dev, bool quick) {
  size_t want = quick ? (size_t)32 << 20 : (size_t)256 << 20;
  const ob_device_props *p = ob_device_props_get(dev);
  if (want > p->max_alloc) want = (size_t)p->max_alloc;
  return want & ~(size_t)63;
}

/* Fills c for probe p; `buffer` is the size of the bandwidth and transfer probes' buffers. */
static void probe_case(ob_case *c, const ob_peak_probe *p, size_t buffer) {
  switch (p->kind) {
  case OB_PROBE_FMA:
    ob_case_init(c, p, p->variant, "fp32", "fma", 0);
    ob_case_param(c, "width", "%d", p->width);
    ob_case_param(c, "chains", "%d", FMA_CHAINS);
    /* FLOPs depend on the calibrated round count: the metric's work is set by setup. */
    ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, 0, 1e9, OB_PEAK_FP32)->provides =
        OB_PEAK_FP32;
    break;
  case OB_PROBE_COPY:
  case OB_PROBE_UPDATE:
  case OB_PROBE_READ: {
    ob_case_init(c, p, p->variant, "fp32", "", 0);
    ob_case_param(c, "bytes", "%zu", buffer);
    c->bytes = p->moves * (double)buffer;
    /* The faster of the copy and update rates is the bandwidth peak; the read rate is
     * reported beside it, unscaled. */
    const bool peak = p->kind != OB_PROBE_READ;
    ob_metric *m = ob_case_metric(c, "bandwidth", "GB/s", OB_METRIC_RATE, c->bytes, 1e9,
                                  peak ? OB_PEAK_BANDWIDTH : OB_PEAK_NONE);
    m->provides = peak ? OB_PEAK_BANDWIDTH : OB_PEAK_READ;
    break;
  }
  case OB_PROBE_LATENCY:
  case OB_PROBE_ROUNDTRIP:
    ob_case_init(c, p, p->variant, "", "", 0);
    ob_case_param(c, "kernel", "empty");
    ob_case_metric(c, "latency", "us", OB_METRIC_TIME, 0, 1e6, OB_PEAK_NONE);
    break;
  case OB_PROBE_H2D:
  case OB_PROBE_D2H:
    ob_case_init(c, p, p->variant, "", "", 0);
    ob_case_param(c, "bytes", "%zu", buffer);
    ob_case_param(c, "host_memory", "pinned");
    c->bytes = p->moves * (double)buffer;
    ob_case_metric(c, "bandwidth", "GB/s", OB_METRIC_RATE, c->bytes, 1e9, OB_PEAK_NONE);
    break;
  }
}

size_t ob_peak_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                          size_t max) {
  const size_t mb = mem_probe_bytes(dev, opts->quick), tb = transfer_bytes(dev, opts->quick);
  size_t n = 0;
  for (size_t i = 0; i < sizeof probes / sizeof *probes && n < max; i++)
    probe_case(&cases[n++], &probes[i],
               probes[i].kind == OB_PROBE_H2D || probes[i].kind == OB_PROBE_D2H ? tb : mb);
  return n;
}

void ob_peak_teardown(void *state) {
  probe *p = state;
  if (p->host && p->pinned)
    clEnqueueUnmapMemObject(ob_device_queue(p->dev), p->pinned, p->host, 0, NULL, NULL);
  if (p->kernel) clReleaseKernel(p->kernel);
  ob_buffer_release(p->dev, p->a);
  ob_buffer_release(p->dev, p->b);
  ob_buffer_release(p->dev, p->pinned);
  if (p->dev && ob_device_queue(p->dev)) clFinish(ob_device_queue(p->dev));
}

static ob_status run_fma(probe *p, double *seconds) {
  const float a = 0.9999f, b = 0.0001f;
  p->flops = (double)p->global * p->iters * FMA_FLOP_PER_ROUND * p->spec->width; /* trace */
  const ob_kernel_arg args[] = {OB_KARG(p->a), OB_KARG(a), OB_KARG(b), OB_KARG(p->iters)};
  OB_TRY(ob_kernel_set_args(p->kernel, 0, args, sizeof args / sizeof *args));
  return ob_kernel_run_timed_work(p->dev, p->kernel, 1, &p->global, &p->local, p->flops, NAN,
                                  seconds);
}

/* Sizes the FMA launch: enough work-items to fill every lane, and a round count that makes
 * one launch last about `target` seconds (calibrated with a short trial launch). */
static ob_status setup_fma(probe *p, double target, ob_case *c) {
  const int width = p->spec->width;
  char vec[16], opts[96];
  if (width == 1) snprintf(vec, sizeof vec, "float");
  else snprintf(vec, sizeof vec, "float%d", width);
  snprintf(opts, sizeof opts, "-DVEC=%s -DVEC_WIDTH=%d -DCHAINS=%d", vec, width, FMA_CHAINS);
  OB_TRY(ob_kernel_create(p->dev, "peak.cl", opts, "fma_peak", &p->kernel));
  const ob_device_props *props = ob_device_props_get(p->dev);
  p->local = ob_device_wg_size(p->dev, p->kernel, ob_device_is_cpu(p->dev) ? 64 : 256);
  size_t per_cu = ob_device_is_cpu(p->dev) ? 8 * p->local : 2048 * 4;
  p->global = (size_t)props->compute_units * per_cu;
  p->global -= p->global % p->local;
  if (p->global == 0) p->global = p->local;
  OB_TRY(ob_buffer_create(p->dev, CL_MEM_WRITE_ONLY, p->global * sizeof(float), NULL, &p->a));
  double t = 0.0;
  p->iters = 8;
  OB_TRY(run_fma(p, &t)); /* compile and first-launch effects */
  OB_TRY(run_fma(p, &t));
  for (int grow = 0; grow < 20 && t < target / 8 && p->iters < (1 << 24); grow++) {
    p->iters *= 4;
    OB_TRY(run_fma(p, &t));
  }
  if (t > 0.0) {
    double scaled = (double)p->iters * target / t;
    p->iters = scaled < 1 ? 1 : scaled > (1 << 26) ? (1 << 26) : (int)scaled;
  }
  c->flops = (double)p->global * p->iters * FMA_FLOP_PER_ROUND * width;
  c->metrics[0].work = c->flops;
  ob_case_note(c, "launch", "global=%zu local=%zu rounds=%d", p->global, p->local, p->iters);
  return OB_OK;
}

#define MEM_PER_ITEM 16 /* float4 per work-item: PER_ITEM in peak.cl */

/* The two layouts of peak.cl's memory probes. Which one a device streams fastest depends on its
 * compiler, not on its type: a GPU coalesces the interleaved one; a CPU compiler that runs
 * each work-item as one loop iteration streams the contiguous one; a CPU compiler that
 * vectorises across work-items (Intel's CPU runtime) turns the contiguous one into gathers
 * (a tenth of the bandwidth) and wants the interleaved one. The probe times both and keeps the
 * faster. */
static const struct {
  const char *name, *options;
} mem_layouts[] = {{"interleaved", ""}, {"contiguous", "-DCONTIGUOUS"}};
#define NLAYOUTS (sizeof mem_layouts / sizeof *mem_layouts)

/* The kernel of a memory probe: copy4 (a -> b), update4 (a in place) or read4 (a, sums in b). */
static const char *mem_kernel(ob_probe_kind kind) {
  return kind == OB_PROBE_COPY ? "copy4" : kind == OB_PROBE_UPDATE ? "update4" : "read4";
}

static ob_status mem_args(probe *p, cl_kernel k) {
  const ob_kernel_arg args[] = {OB_KARG(p->a), OB_KARG(p->b)};
  return ob_kernel_set_args(k, 0, args, p->b ? 2 : 1);
}

/* Launches of each layout in turn (the first warm-up, then the best of the rest), so that a
 * burst of load on a shared machine does not decide for one of them. */
#define MEM_TRIALS 4

static ob_status setup_mem(probe *p, ob_probe_kind kind, ob_case *c) {
  cl_kernel k[NLAYOUTS] = {NULL};
  ob_status st = OB_OK;
  p->local = 256;
  for (size_t i = 0; i < NLAYOUTS && st == OB_OK; i++) {
    st = ob_kernel_create(p->dev, "peak.cl", mem_layouts[i].options, mem_kernel(kind), &k[i]);
    if (st == OB_OK) p->local = ob_device_wg_size(p->dev, k[i], p->local);
  }
  /* Whole work-groups only: round the buffer down to a multiple of one group's block. */
  const size_t block = p->local * MEM_PER_ITEM * 16;
  p->bytes -= p->bytes % block;
  if (st == OB_OK && p->bytes == 0)
    st = ob_fail(OB_ERR_TOO_LARGE, "memory probe needs %zu bytes", block);
  p->global = p->bytes / (MEM_PER_ITEM * 16);
  if (st == OB_OK)
    st = ob_buffer_create(p->dev, kind == OB_PROBE_UPDATE ? CL_MEM_READ_WRITE : CL_MEM_READ_ONLY,
                          p->bytes, NULL, &p->a);
  const size_t out_bytes = kind == OB_PROBE_COPY ? p->bytes : p->global * sizeof(float);
  if (st == OB_OK && kind != OB_PROBE_UPDATE)
    st = ob_buffer_create(p->dev, CL_MEM_WRITE_ONLY, out_bytes, NULL, &p->b);
  const float one = 1.0f;
  if (st == OB_OK) st = ob_buffer_fill(p->dev, p->a, &one, sizeof one, p->bytes);
  c->bytes = p->spec->moves * (double)p->bytes;
  c->metrics[0].work = c->bytes;
  p->moved = c->bytes;
  double t[NLAYOUTS] = {0.0};
  for (size_t i = 0; i < NLAYOUTS && st == OB_OK; i++) st = mem_args(p, k[i]);
  for (int r = 0; r < MEM_TRIALS && st == OB_OK; r++)
    for (size_t i = 0; i < NLAYOUTS && st == OB_OK; i++) {
      double s = 0.0;
      st = ob_kernel_run_timed_work(p->dev, k[i], 1, &p->global, &p->local, NAN, p->moved, &s);
      if (r == 1 || (r > 1 && s < t[i])) t[i] = s;
    }
  size_t best = 0;
  for (size_t i = 0; i < NLAYOUTS && st == OB_OK; i++) {
    ob_log(OB_LOG_INFO, "%s: %s probe, %s layout: %.1f GB/s", ob_device_slug(p->dev),
           p->spec->variant, mem_layouts[i].name, p->moved / t[i] * 1e-9);
    if (t[i] < t[best]) best = i;
  }
  for (size_t i = 0; i < NLAYOUTS; i++)
    if (k[i] && (st != OB_OK || i != best)) clReleaseKernel(k[i]);
  OB_TRY(st);
  p->kernel = k[best];
  ob_case_note(c, "layout", "%s", mem_layouts[best].name);
  return OB_OK;
}

static ob_status setup_transfer(probe *p) {
  cl_command_queue q = ob_device_queue(p->dev);
  OB_TRY(ob_buffer_create(p->dev, CL_MEM_READ_WRITE, p->bytes, NULL, &p->a));
  const cl_uint pattern = 0x3c3c3c3cu;
  OB_TRY(ob_buffer_fill(p->dev, p->a, &pattern, sizeof pattern, p->bytes));
  OB_TRY(ob_buffer_create(p->dev, CL_MEM_ALLOC_HOST_PTR, p->bytes, NULL, &p->pinned));
  cl_int err = CL_SUCCESS;
  p->host = clEnqueueMapBuffer(q, p->pinned, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, p->bytes, 0,
                               NULL, NULL, &err);
  OB_TRY(OB_CL(err));
  memset(p->host, 0x3c, p->bytes);
  return OB_OK;
}

ob_status ob_peak_setup(void *state, ob_device *dev, ob_case *c) {
  probe *p = state;
  p->spec = c->spec;
  p->dev = dev;
  p->flops = p->moved = NAN;
  /* The buffer of the bandwidth and transfer probes moves `moves` times its size. */
  p->bytes = p->spec->moves > 0 ? (size_t)(c->bytes / p->spec->moves) : 0;
  OB_TRY(ob_device_open(dev));
  switch (p->spec->kind) {
  case OB_PROBE_FMA: return setup_fma(p, ob_device_is_cpu(dev) ? 0.2 : 0.02, c);
  case OB_PROBE_COPY:
  case OB_PROBE_UPDATE:
  case OB_PROBE_READ: return setup_mem(p, p->spec->kind, c);
  case OB_PROBE_LATENCY:
  case OB_PROBE_ROUNDTRIP:
    p->global = p->local = 1;
    OB_TRY(ob_kernel_create(dev, "peak.cl", "", "empty", &p->kernel));
    OB_TRY(ob_buffer_create(dev, CL_MEM_READ_WRITE, sizeof(float), NULL, &p->a));
    return ob_kernel_set_args(p->kernel, 0, &OB_KARG(p->a), 1);
  case OB_PROBE_H2D:
  case OB_PROBE_D2H: return setup_transfer(p);
  }
  return ob_fail(OB_ERR_INVALID, "unknown probe");
}

static ob_status run_latency(probe *p, double *seconds, bool roundtrip) {
  cl_command_queue q = ob_device_queue(p->dev);
  cl_event ev = NULL;
  double t0 = ob_now();
  OB_TRY(ob_enqueue_kernel(p->dev, p->kernel, 1, &p->global, &p->local, &ev));
  ob_status st = OB_CL(clFinish(q));
  double wall = ob_now() - t0;
  if (st == OB_OK) {
    if (roundtrip) *seconds = wall;
    else st = ob_event_queue_delay(ev, seconds);
  }
  clReleaseEvent(ev);
  return st;
}

static ob_status run_transfer(probe *p, double *seconds, bool to_device) {
  cl_command_queue q = ob_device_queue(p->dev);
  cl_event ev = NULL;
  if (to_device)
    OB_TRY(OB_CL(clEnqueueWriteBuffer(q, p->a, CL_FALSE, 0, p->bytes, p->host, 0, NULL, &ev)));
  else
    OB_TRY(OB_CL(clEnqueueReadBuffer(q, p->a, CL_FALSE, 0, p->bytes, p->host, 0, NULL, &ev)));
  ob_status st = OB_CL(clWaitForEvents(1, &ev));
  if (st == OB_OK) st = ob_event_seconds(ev, seconds);
  clReleaseEvent(ev);
  return st;
}

ob_status ob_peak_run(void *state, double *seconds) {
  probe *p = state;
  switch (p->spec->kind) {
  case OB_PROBE_FMA: return run_fma(p, seconds);
  case OB_PROBE_COPY:
  case OB_PROBE_UPDATE:
  case OB_PROBE_READ:
    return ob_kernel_run_timed_work(p->dev, p->kernel, 1, &p->global, &p->local, NAN, p->moved,
                                    seconds);
  case OB_PROBE_LATENCY: return run_latency(p, seconds, false);
  case OB_PROBE_ROUNDTRIP: return run_latency(p, seconds, true);
  case OB_PROBE_H2D: return run_transfer(p, seconds, true);
  case OB_PROBE_D2H: return run_transfer(p, seconds, false);
  }
  return ob_fail(OB_ERR_INVALID, "unknown probe");
}

const ob_workload ob_workload_peak = {
    .name = "peak",
    .description = "FP32 FMA rate, memory bandwidth, launch latency, host<->device transfer",
    .provides = OB_NEEDS_PEAKS,
    .state_size = sizeof(probe),
    .list_cases = ob_peak_list_cases,
    .setup = ob_peak_setup,
    .run = ob_peak_run,
    .teardown = ob_peak_teardown,
};
