/* Device buffers with allocation accounting (current and peak bytes per stream). */
#include "device_impl.h"

#include <math.h>

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
  cl_int err = CL_SUCCESS;
  cl_mem m = clCreateBuffer(s->context, flags, bytes, host, &err);
  OB_TRY(OB_CL(err));
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
