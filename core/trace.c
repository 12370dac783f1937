/* Kernel trace: every kernel launch, transfer and library call recorded from OpenCL profiling
 * events, written as Chrome trace event JSON and summarised per kernel. Off by default: then
 * the only cost is one branch per launch. */
#include "device_impl.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TRACE_MAX_EVENTS 2000000 /* beyond this the trace is truncated (and says so) */
#define TRACE_FLUSH_PENDING 4096 /* pending events resolved in batches of this size */

typedef struct trace_event {
  const ob_device *dev;
  cl_event ev;          /* retained until resolved, then NULL */
  char name[64];
  char cat[16];
  size_t global[3], local[3];
  cl_uint dims;
  double flops, bytes;  /* NAN when unknown */
  cl_ulong queued, start, end;
  bool resolved, failed;
} trace_event;

static struct {
  pthread_mutex_t lock;
  bool on;
  trace_event *events;
  size_t n, cap, pending_from;
  size_t dropped;
} tr = {.lock = PTHREAD_MUTEX_INITIALIZER};

void ob_trace_enable(bool on) {
  pthread_mutex_lock(&tr.lock);
  tr.on = on;
  pthread_mutex_unlock(&tr.lock);
}

bool ob_trace_enabled(void) { return tr.on; }

/* Resolves events [pending_from, n): waits for them, reads their times, releases them.
 * Called with the lock held. */
static void resolve_pending(void) {
  for (size_t i = tr.pending_from; i < tr.n; i++) {
    trace_event *e = &tr.events[i];
    if (e->resolved) continue;
    bool ok = clWaitForEvents(1, &e->ev) == CL_SUCCESS &&
              clGetEventProfilingInfo(e->ev, CL_PROFILING_COMMAND_QUEUED, sizeof e->queued,
                                      &e->queued, NULL) == CL_SUCCESS &&
              clGetEventProfilingInfo(e->ev, CL_PROFILING_COMMAND_START, sizeof e->start,
                                      &e->start, NULL) == CL_SUCCESS &&
              clGetEventProfilingInfo(e->ev, CL_PROFILING_COMMAND_END, sizeof e->end, &e->end,
                                      NULL) == CL_SUCCESS;
    e->failed = !ok || e->end < e->start;
    clReleaseEvent(e->ev);
    e->ev = NULL;
    e->resolved = true;
  }
  tr.pending_from = tr.n;
}

/* Appends a record (lock held); NULL when the trace is full or out of memory. */
static trace_event *append_locked(const ob_device *dev, const char *name, const char *cat,
                                  cl_uint dims, const size_t *global, const size_t *local,
                                  double flops, double bytes) {
  if (tr.n >= TRACE_MAX_EVENTS) {
    tr.dropped++;
    return NULL;
  }
  if (tr.n == tr.cap) {
    size_t cap = tr.cap ? tr.cap * 2 : 1024;
    trace_event *grown = realloc(tr.events, cap * sizeof *grown);
    if (!grown) {
      tr.dropped++;
      return NULL;
    }
    tr.events = grown;
    tr.cap = cap;
  }
  trace_event *e = &tr.events[tr.n++];
  memset(e, 0, sizeof *e);
  e->dev = dev;
  snprintf(e->name, sizeof e->name, "%s", name);
  snprintf(e->cat, sizeof e->cat, "%s", cat);
  e->dims = dims > 3 ? 3 : dims;
  for (cl_uint d = 0; d < e->dims; d++) {
    e->global[d] = global ? global[d] : 0;
    e->local[d] = local ? local[d] : 0;
  }
  e->flops = flops;
  e->bytes = bytes;
  return e;
}

static void add_locked(const ob_device *dev, cl_event ev, const char *name, const char *cat,
                       cl_uint dims, const size_t *global, const size_t *local, double flops,
                       double bytes) {
  if (clRetainEvent(ev) != CL_SUCCESS) {
    tr.dropped++;
    return;
  }
  trace_event *e = append_locked(dev, name, cat, dims, global, local, flops, bytes);
  if (!e) {
    clReleaseEvent(ev);
    return;
  }
  e->ev = ev;
  if (tr.n - tr.pending_from >= TRACE_FLUSH_PENDING) resolve_pending();
}

void ob_trace_add(const ob_device *dev, cl_event ev, const char *name, const char *cat,
                  cl_uint dims, const size_t *global, const size_t *local, double flops,
                  double bytes) {
  if (!tr.on || !ev) return;
  pthread_mutex_lock(&tr.lock);
  add_locked(dev, ev, name, cat, dims, global, local, flops, bytes);
  pthread_mutex_unlock(&tr.lock);
}

void ob_trace_add_kernel(const ob_device *dev, cl_event ev, cl_kernel k, cl_uint dims,
                         const size_t *global, const size_t *local, double flops, double bytes) {
  if (!tr.on || !ev) return;
  char name[64] = "kernel";
  if (clGetKernelInfo(k, CL_KERNEL_FUNCTION_NAME, sizeof name, name, NULL) != CL_SUCCESS)
    snprintf(name, sizeof name, "kernel");
  ob_trace_add(dev, ev, name, "kernel", dims, global, local, flops, bytes);
}

ob_status ob_trace_span_begin(ob_device *dev, cl_event *marker) {
  *marker = NULL;
  if (!tr.on) return OB_OK;
  return ob_stream_record(ob_device_stream(dev),
                          OB_CL(clEnqueueMarkerWithWaitList(ob_device_queue(dev), 0, NULL, marker)));
}

ob_status ob_trace_span_end(ob_device *dev, cl_event marker, const char *name, double flops,
                            double bytes) {
  if (!marker) return OB_OK;
  cl_event end = NULL;
  ob_status st = OB_CL(clEnqueueMarkerWithWaitList(ob_device_queue(dev), 0, NULL, &end));
  if (st == OB_OK) st = OB_CL(clWaitForEvents(1, &end));
  cl_ulong a = 0, b = 0;
  if (st == OB_OK)
    st = OB_CL(clGetEventProfilingInfo(marker, CL_PROFILING_COMMAND_END, sizeof a, &a, NULL));
  if (st == OB_OK)
    st = OB_CL(clGetEventProfilingInfo(end, CL_PROFILING_COMMAND_END, sizeof b, &b, NULL));
  if (st == OB_OK) {
    pthread_mutex_lock(&tr.lock);
    /* The span runs from the end of the marker before the call to the end of the one after. */
    trace_event *e = append_locked(dev, name, "library", 0, NULL, NULL, flops, bytes);
    if (e) {
      e->queued = e->start = a;
      e->end = b > a ? b : a;
      e->resolved = true;
    }
    pthread_mutex_unlock(&tr.lock);
  }
  clReleaseEvent(marker);
  if (end) clReleaseEvent(end);
  return ob_stream_record(ob_device_stream(dev), st);
}

void ob_trace_flush(void) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  pthread_mutex_unlock(&tr.lock);
}

void ob_trace_reset(void) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  free(tr.events);
  tr.events = NULL;
  tr.n = tr.cap = tr.pending_from = tr.dropped = 0;
  pthread_mutex_unlock(&tr.lock);
}

size_t ob_trace_count(void) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  size_t n = 0;
  for (size_t i = 0; i < tr.n; i++) n += !tr.events[i].failed;
  pthread_mutex_unlock(&tr.lock);
  return n;
}

bool ob_trace_get(size_t i, ob_trace_record *out) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  size_t seen = 0;
  bool found = false;
  for (size_t k = 0; k < tr.n && !found; k++) {
    const trace_event *e = &tr.events[k];
    if (e->failed) continue;
    if (seen++ != i) continue;
    snprintf(out->name, sizeof out->name, "%s", e->name);
    snprintf(out->category, sizeof out->category, "%s", e->cat);
    out->device = e->dev;
    out->seconds = (double)(e->end - e->start) * 1e-9;
    out->flops = e->flops;
    out->bytes = e->bytes;
    found = true;
  }
  pthread_mutex_unlock(&tr.lock);
  return found;
}

/* ------------------------------------------------------------------ JSON output */

typedef struct sbuf {
  char *p;
  size_t n, cap;
  bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...) {
  if (b->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (w < 0) {
      b->oom = true;
      return;
    }
    if (b->p && b->n + (size_t)w < b->cap) {
      b->n += (size_t)w;
      return;
    }
    size_t cap = (b->cap ? b->cap * 2 : 1 << 16) + (size_t)w;
    char *grown = realloc(b->p, cap);
    if (!grown) {
      b->oom = true;
      return;
    }
    b->p = grown;
    b->cap = cap;
  }
}

/* JSON string body: quotes, backslashes and control characters escaped. */
static void sb_json_string(sbuf *b, const char *s) {
  sb_printf(b, "\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') sb_printf(b, "\\%c", c);
    else if (c < 0x20) sb_printf(b, "\\u%04x", c);
    else sb_printf(b, "%c", c);
  }
  sb_printf(b, "\"");
}

static void sb_number(sbuf *b, const char *key, double v) {
  if (isnan(v)) return;
  char num[40];
  ob_format_double(num, sizeof num, v);
  sb_printf(b, ",\"%s\":%s", key, num);
}

ob_status ob_trace_write_json(const char *path) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  sbuf b = {0};
  sb_printf(&b, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
  bool first = true;
  /* Per device: a process with a name, timestamps relative to its earliest event. */
  for (size_t i = 0; i < tr.n; i++) {
    const ob_device *dev = tr.events[i].dev;
    bool seen = false;
    for (size_t k = 0; k < i && !seen; k++) seen = tr.events[k].dev == dev;
    if (seen) continue;
    cl_ulong t0 = (cl_ulong)-1;
    for (size_t k = i; k < tr.n; k++)
      if (tr.events[k].dev == dev && !tr.events[k].failed && tr.events[k].queued < t0)
        t0 = tr.events[k].queued;
    const size_t pid = ob_device_index(dev);
    char pname[400];
    snprintf(pname, sizeof pname, "%s (%s)", ob_device_slug(dev), ob_device_props_get(dev)->name);
    sb_printf(&b, "%s{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%zu,\"args\":{\"name\":",
              first ? "" : ",", pid);
    sb_json_string(&b, pname);
    sb_printf(&b, "}},{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%zu,\"tid\":0,"
                  "\"args\":{\"name\":\"queue 0\"}}", pid);
    first = false;
    for (size_t k = i; k < tr.n; k++) {
      const trace_event *e = &tr.events[k];
      if (e->dev != dev || e->failed) continue;
      char ts[40], dur[40];
      ob_format_double(ts, sizeof ts, (double)(e->start - t0) / 1000.0);
      ob_format_double(dur, sizeof dur, (double)(e->end - e->start) / 1000.0);
      sb_printf(&b, ",{\"name\":");
      sb_json_string(&b, e->name);
      sb_printf(&b, ",\"cat\":\"%s\",\"ph\":\"X\",\"pid\":%zu,\"tid\":0,\"ts\":%s,\"dur\":%s,"
                    "\"args\":{\"queued_us\":%.3f",
                e->cat, pid, ts, dur, (double)(e->queued - t0) / 1000.0);
      if (e->dims) {
        sb_printf(&b, ",\"global\":[");
        for (cl_uint d = 0; d < e->dims; d++) sb_printf(&b, "%s%zu", d ? "," : "", e->global[d]);
        sb_printf(&b, "],\"local\":[");
        for (cl_uint d = 0; d < e->dims; d++) sb_printf(&b, "%s%zu", d ? "," : "", e->local[d]);
        sb_printf(&b, "]");
      }
      sb_number(&b, "flops", e->flops);
      sb_number(&b, "bytes", e->bytes);
      sb_printf(&b, "}}");
    }
  }
  sb_printf(&b, "],\"otherData\":{\"generator\":\"oclbench %s\",\"dropped_events\":%zu}}\n",
            OB_VERSION, tr.dropped);
  pthread_mutex_unlock(&tr.lock);
  if (b.oom) {
    free(b.p);
    return ob_fail(OB_ERR_NOMEM, "%s: out of memory building the trace", path);
  }
  ob_status st = ob_write_file_atomic(path, b.p, b.n);
  free(b.p);
  return st;
}

/* ------------------------------------------------------------------ summary */

typedef struct summary_row {
  const ob_device *dev;
  char name[64];
  size_t count;
  double total, flops, bytes;
  bool flops_known, bytes_known;
} summary_row;

static int by_total_desc(const void *a, const void *b) {
  const summary_row *x = a, *y = b;
  return (x->total < y->total) - (x->total > y->total);
}

void ob_trace_print_summary(FILE *f) {
  pthread_mutex_lock(&tr.lock);
  resolve_pending();
  summary_row *rows = calloc(tr.n ? tr.n : 1, sizeof *rows);
  size_t nrows = 0;
  for (size_t i = 0; rows && i < tr.n; i++) {
    const trace_event *e = &tr.events[i];
    if (e->failed) continue;
    size_t r = 0;
    while (r < nrows && !(rows[r].dev == e->dev && strcmp(rows[r].name, e->name) == 0)) r++;
    if (r == nrows) {
      rows[r].dev = e->dev;
      snprintf(rows[r].name, sizeof rows[r].name, "%s", e->name);
      rows[r].flops_known = rows[r].bytes_known = true;
      nrows++;
    }
    rows[r].count++;
    rows[r].total += (double)(e->end - e->start) * 1e-9;
    rows[r].flops_known = rows[r].flops_known && !isnan(e->flops);
    rows[r].bytes_known = rows[r].bytes_known && !isnan(e->bytes);
    if (!isnan(e->flops)) rows[r].flops += e->flops;
    if (!isnan(e->bytes)) rows[r].bytes += e->bytes;
  }
  size_t dropped = tr.dropped;
  pthread_mutex_unlock(&tr.lock);
  if (!rows) return;
  qsort(rows, nrows, sizeof *rows, by_total_desc);
  fprintf(f, "%-14s %-28s %8s %12s %12s %7s %12s %10s\n", "device", "kernel", "count",
          "total_ms", "mean_us", "share", "GFLOP/s", "GB/s");
  for (size_t r = 0; r < nrows; r++) {
    double dev_total = 0.0;
    for (size_t k = 0; k < nrows; k++)
      if (rows[k].dev == rows[r].dev) dev_total += rows[k].total;
    char gf[32] = "-", gb[32] = "-";
    if (rows[r].flops_known && rows[r].total > 0)
      snprintf(gf, sizeof gf, "%.1f", rows[r].flops / rows[r].total / 1e9);
    if (rows[r].bytes_known && rows[r].total > 0)
      snprintf(gb, sizeof gb, "%.1f", rows[r].bytes / rows[r].total / 1e9);
    fprintf(f, "%-14s %-28.28s %8zu %12.3f %12.2f %6.1f%% %12s %10s\n",
            ob_device_slug(rows[r].dev), rows[r].name, rows[r].count, rows[r].total * 1e3,
            rows[r].total / (double)rows[r].count * 1e6,
            dev_total > 0 ? 100.0 * rows[r].total / dev_total : 0.0, gf, gb);
  }
  if (dropped) fprintf(f, "(%zu events beyond the trace limit were not recorded)\n", dropped);
  free(rows);
}
