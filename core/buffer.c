/* Device buffers with allocation accounting (current and peak bytes per device). */
#include "device_impl.h"

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

ob_status ob_buffer_write(ob_device *dev, cl_mem buf, size_t offset, size_t bytes,
                          const void *src) {
  if (bytes == 0) return OB_OK;
  return OB_CL(clEnqueueWriteBuffer(dev->queue, buf, CL_TRUE, offset, bytes, src, 0, NULL, NULL));
}

ob_status ob_buffer_read(ob_device *dev, cl_mem buf, size_t offset, size_t bytes, void *dst) {
  if (bytes == 0) return OB_OK;
  return OB_CL(clEnqueueReadBuffer(dev->queue, buf, CL_TRUE, offset, bytes, dst, 0, NULL, NULL));
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
