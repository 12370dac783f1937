/* Device buffers with allocation accounting (current and peak bytes per stream). */
#include "device_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Large buffers of CPU devices live in host memory that oclbench allocates itself: aligned to
 * and rounded up to HUGE_PAGE bytes and, where the system has transparent huge pages on
 * request (Linux's MADV_HUGEPAGE), advised to them. A CPU driver otherwise allocates them on
 * 4 KiB pages (PoCL 3.1, Intel's CPU runtime), where every row of a large matrix, and every
 * 4 KiB of a stream, costs a TLB miss. On a 2-core KVM Xeon (PoCL 3.1) the change made the
 * read and update bandwidth probes 1.26x and 1.15x faster, the fused Adam step on 10M
 * parameters 1.10-1.16x, SGEMM 1024^3-2048^3 0-4% (bench/RESULTS.md, 2026-12-07, thirteenth
 * session). numpy advises its arrays of 4 MiB or more the same way, so the CPU references
 * (OpenBLAS through numpy) and oclbench now run on the same kind of pages. From HUGE_MIN
 * bytes on (numpy's threshold): below, the rounding would waste more than the pages save. */
#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_MIN ((size_t)4 << 20)

static void CL_CALLBACK free_host_memory(cl_mem m, void *host) {
  (void)m;
  free(host);
}

/* clCreateBuffer for a CPU device's large buffer on host memory of its own (see HUGE_PAGE);
 * NULL where the flags already place it (USE_HOST_PTR, ALLOC_HOST_PTR), where they are not
 * valid (COPY_HOST_PTR without a host pointer: clCreateBuffer says so) or where the memory,
 * the buffer or its destructor cannot be had: the caller then creates it the usual way. */
static cl_mem create_on_huge_pages(cl_context ctx, cl_mem_flags flags, size_t bytes,
                                   const void *host) {
  if (flags & (CL_MEM_USE_HOST_PTR | CL_MEM_ALLOC_HOST_PTR)) return NULL;
  if ((flags & CL_MEM_COPY_HOST_PTR) && !host) return NULL;
  const size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  void *mem = aligned_alloc(HUGE_PAGE, size);
  if (!mem) return NULL;
#ifdef MADV_HUGEPAGE
  (void)madvise(mem, size, MADV_HUGEPAGE); /* advice only: without it, 4 KiB pages as before */
#endif
  if (flags & CL_MEM_COPY_HOST_PTR) memcpy(mem, host, bytes);
  cl_int err = CL_SUCCESS;
  cl_mem m = clCreateBuffer(ctx, (flags & ~CL_MEM_COPY_HOST_PTR) | CL_MEM_USE_HOST_PTR, bytes,
                            mem, &err);
  if (err == CL_SUCCESS && clSetMemObjectDestructorCallback(m, free_host_memory, mem) == CL_SUCCESS)
    return m;
  if (err == CL_SUCCESS) clReleaseMemObject(m);
  free(mem);
  return NULL;
}

/* ob_buffer_create on an open stream, without recording the failure. */
static ob_status buffer_create(ob_stream *s, cl_mem_flags flags, size_t bytes, void *host,
                               cl_mem *out) {
  const ob_device_props *p = &s->dev->props;
  if (bytes == 0) return ob_fail(OB_ERR_INVALID, "zero-byte buffer requested");
  if (bytes > p->max_alloc)
    return ob_fail(OB_ERR_TOO_LARGE,
                   "buffer of %zu bytes exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE (%llu)", bytes,
                   (unsigned long long)p->max_alloc);
  if (s->mem_current + bytes > p->global_mem)
    return ob_fail(OB_ERR_TOO_LARGE, "%zu bytes in all exceed CL_DEVICE_GLOBAL_MEM_SIZE (%llu)",
                   s->mem_current + bytes, (unsigned long long)p->global_mem);
  cl_mem m = ob_device_is_cpu(s->dev) && bytes >= HUGE_MIN
                  ? create_on_huge_pages(s->context, flags, bytes, host)
                  : NULL;
  if (!m) {
    cl_int err = CL_SUCCESS;
    m = clCreateBuffer(s->context, flags, bytes, host, &err);
    OB_TRY(OB_CL(err));
  }
  s->mem_current += bytes;
  if (s->mem_current > s->mem_peak) s->mem_peak = s->mem_current;
  *out = m;
  return OB_OK;
}

ob_status ob_buffer_create(ob_device *dev, cl_mem_flags flags, size_t bytes, void *host,
                           cl_mem *out) {
  *out = NULL;
  OB_TRY(ob_device_open(dev));
  return ob_stream_record(dev->stream, buffer_create(dev->stream, flags, bytes, host, out));
}

void ob_buffer_release(ob_device *dev, cl_mem buf) {
  if (!buf) return;
  size_t size = 0;
  ob_stream *s = dev->stream;
  if (s && clGetMemObjectInfo(buf, CL_MEM_SIZE, sizeof size, &size, NULL) == CL_SUCCESS)
    s->mem_current = size <= s->mem_current ? s->mem_current - size : 0;
  clReleaseMemObject(buf);
}

/* Blocking transfer in either direction, recorded in the trace when it is on. */
static ob_status transfer(ob_device *dev, cl_mem buf, size_t offset, size_t bytes, void *host,
                          bool to_device) {
  if (bytes == 0) return OB_OK;
  const bool tracing = ob_trace_enabled();
  cl_event ev = NULL;
  cl_event *evp = tracing ? &ev : NULL;
  cl_command_queue q = ob_device_queue(dev);
  cl_int err = to_device ? clEnqueueWriteBuffer(q, buf, CL_TRUE, offset, bytes, host, 0, NULL, evp)
                         : clEnqueueReadBuffer(q, buf, CL_TRUE, offset, bytes, host, 0, NULL, evp);
  ob_status st = OB_CL(err);
  if (st == OB_OK && ev) {
    size_t g = bytes;
    ob_trace_add(dev, ev, to_device ? "write_buffer" : "read_buffer", "transfer", 1, &g, NULL,
                 NAN, (double)bytes);
  }
  if (ev) clReleaseEvent(ev);
  return ob_stream_record(dev->stream, st);
}

ob_status ob_buffer_write(ob_device *dev, cl_mem buf, size_t offset, size_t bytes,
                          const void *src) {
  return transfer(dev, buf, offset, bytes, (void *)src, true);
}

ob_status ob_buffer_read(ob_device *dev, cl_mem buf, size_t offset, size_t bytes, void *dst) {
  return transfer(dev, buf, offset, bytes, dst, false);
}

ob_status ob_buffer_fill(ob_device *dev, cl_mem buf, const void *pattern, size_t pattern_size,
                         size_t bytes) {
  if (bytes == 0) return OB_OK;
  cl_command_queue q = ob_device_queue(dev);
  ob_status st = OB_CL(clEnqueueFillBuffer(q, buf, pattern, pattern_size, 0, bytes, 0, NULL, NULL));
  if (st == OB_OK) st = OB_CL(clFinish(q));
  return ob_stream_record(dev->stream, st);
}
