/* Streams: a device's context, queue, programs, allocation counters, build records and error
 * buffer; each device's default stream is created on first use (ob_device_open). */
#include "device_impl.h"

#include <stdlib.h>
#include <string.h>

ob_status ob_device_open(ob_device *dev) {
  if (dev->stream) return OB_OK;
  ob_stream *s = calloc(1, sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->dev = dev;
  cl_context_properties cp[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)dev->platform, 0};
  cl_int err = CL_SUCCESS;
  s->context = clCreateContext(cp, 1, &dev->id, NULL, NULL, &err);
  ob_status st = OB_CL(err);
  if (st == OB_OK) {
    cl_command_queue_properties qp = dev->props.profiling ? CL_QUEUE_PROFILING_ENABLE : 0;
    s->queue = clCreateCommandQueue(s->context, dev->id, qp, &err);
    st = OB_CL(err);
  }
  if (st != OB_OK) {
    ob_stream_free(s);
    return st;
  }
  dev->stream = s;
  return OB_OK;
}

void ob_stream_free(ob_stream *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nprograms; i++) {
    if (s->programs[i].program) clReleaseProgram(s->programs[i].program);
    free(s->programs[i].files);
    free(s->programs[i].options);
    free(s->programs[i].unstored);
  }
  free(s->programs);
  free(s->build_log);
  if (s->queue) clReleaseCommandQueue(s->queue);
  if (s->context) clReleaseContext(s->context);
  free(s);
}

ob_stream *ob_device_stream(const ob_device *dev) { return dev->stream; }
cl_context ob_device_context(ob_device *dev) { return dev->stream ? dev->stream->context : NULL; }
cl_command_queue ob_device_queue(ob_device *dev) { return dev->stream ? dev->stream->queue : NULL; }

ob_status ob_device_finish(ob_device *dev) {
  return ob_stream_record(dev->stream, OB_CL(clFinish(ob_device_queue(dev))));
}

const char *ob_stream_error(const ob_stream *s) { return s->error; }

ob_status ob_stream_record(ob_stream *s, ob_status st) {
  if (s && st != OB_OK) snprintf(s->error, sizeof s->error, "%s", ob_error_detail());
  return st;
}

size_t ob_stream_take_builds(ob_stream *s, ob_build_record *out, size_t max) {
  if (!s) return 0;
  size_t n = s->nbuilds < max ? s->nbuilds : max;
  memcpy(out, s->builds, n * sizeof *out);
  memmove(s->builds, s->builds + n, (s->nbuilds - n) * sizeof *out);
  s->nbuilds -= n;
  return n;
}

size_t ob_stream_mem_current(const ob_stream *s) { return s ? s->mem_current : 0; }
size_t ob_stream_mem_peak(const ob_stream *s) { return s ? s->mem_peak : 0; }
void ob_stream_mem_peak_reset(ob_stream *s) {
  if (s) s->mem_peak = s->mem_current;
}
