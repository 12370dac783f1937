/* Device buffers with allocation accounting (current and peak bytes per device). */
#include "device_impl.h"

#include <math.h>

ob_status ob_buffer_create(ob_device *dev, cl_mem_flags flags, size_t bytes, void *host,
                           cl_mem *out) {
  *out = NULL;
  OB_TRY(ob_device_open(dev));
  if (bytes == 0) return ob_fail(OB_ERR_INVALID, "zero-byte buffer requested");
  if (bytes > dev->props.max_alloc)
    return ob_fail(OB_ERR_TOO_LARGE,
                   "buffer of %zu bytes exceeds CL_DEVICE_MAX_MEM_ALLOC_SIZE (%llu)", bytes,
                   (unsigned long long)dev->props.max_alloc);
  if (dev->mem_current + bytes > dev->props.global_mem)
    return ob_fail(OB_ERR_TOO_LARGE, "%zu bytes in all exceed CL_DEVICE_GLOBAL_MEM_SIZE (%llu)",
                   dev->mem_current + bytes, (unsigned long long)dev->props.global_mem);
  cl_int err = CL_SUCCESS;
  cl_mem m = clCreateBuffer(dev->context, flags, bytes, host, &err);
  OB_TRY(OB_CL(err));
  dev->mem_current += bytes;
  if (dev->mem_current > dev->mem_peak) dev->mem_peak = dev->mem_current;
  *out = m;
  return OB_OK;
}

void ob_buffer_release(ob_device *dev, cl_mem buf) {
  if (!buf) return;
  size_t size = 0;
  if (clGetMemObjectInfo(buf, CL_MEM_SIZE, sizeof size, &size, NULL) == CL_SUCCESS)
    dev->mem_current = size <= dev->mem_current ? dev->mem_current - size : 0;
  clReleaseMemObject(buf);
}

/* Blocking transfer in either direction, recorded in the trace when it is on. */
static ob_status transfer(ob_device *dev, cl_mem buf, size_t offset, size_t bytes, void *host,
                          bool to_device) {
  if (bytes == 0) return OB_OK;
  const bool tracing = ob_trace_enabled();
  cl_event ev = NULL;
  cl_event *evp = tracing ? &ev : NULL;
  cl_int err = to_device ? clEnqueueWriteBuffer(dev->queue, buf, CL_TRUE, offset, bytes, host, 0,
                                                NULL, evp)
                         : clEnqueueReadBuffer(dev->queue, buf, CL_TRUE, offset, bytes, host, 0,
                                               NULL, evp);
  ob_status st = OB_CL(err);
  if (st == OB_OK && ev) {
    size_t g = bytes;
    ob_trace_add(dev, ev, to_device ? "write_buffer" : "read_buffer", "transfer", 1, &g, NULL,
                 NAN, (double)bytes);
  }
  if (ev) clReleaseEvent(ev);
  return st;
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
  OB_TRY(OB_CL(clEnqueueFillBuffer(dev->queue, buf, pattern, pattern_size, 0, bytes, 0, NULL,
                                   NULL)));
  return OB_CL(clFinish(dev->queue));
}

size_t ob_device_mem_current(const ob_device *dev) { return dev->mem_current; }
size_t ob_device_mem_peak(const ob_device *dev) { return dev->mem_peak; }
void ob_device_mem_peak_reset(ob_device *dev) { dev->mem_peak = dev->mem_current; }
