/* Status codes, OpenCL error names and the per-thread error detail. */
#include "oclbench.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char detail[2048];

const char *ob_strerror(ob_status st) {
  switch (st) {
  case OB_OK: return "ok";
  case OB_ERR_CL: return "OpenCL error";
  case OB_ERR_BUILD: return "program build failed";
  case OB_ERR_NOMEM: return "out of host memory";
  case OB_ERR_IO: return "file error";
  case OB_ERR_INVALID: return "invalid input";
  case OB_ERR_NO_PLATFORM: return "no OpenCL platform";
  case OB_ERR_UNSUPPORTED: return "unsupported on this device";
  case OB_ERR_TOO_LARGE: return "too large for this device";
  case OB_ERR_VERIFY: return "result differs from the reference";
  case OB_ERR_LIBRARY: return "library error";
  case OB_ERR_BUDGET: return "over time budget";
  case OB_ERR_TIMING: return "unusable timing";
  }
  return "unknown status";
}

const char *ob_cl_strerror(cl_int code) {
  switch (code) {
#define CASE(c) case c: return #c
    CASE(CL_SUCCESS);
    CASE(CL_DEVICE_NOT_FOUND);
    CASE(CL_DEVICE_NOT_AVAILABLE);
    CASE(CL_COMPILER_NOT_AVAILABLE);
    CASE(CL_MEM_OBJECT_ALLOCATION_FAILURE);
    CASE(CL_OUT_OF_RESOURCES);
    CASE(CL_OUT_OF_HOST_MEMORY);
    CASE(CL_PROFILING_INFO_NOT_AVAILABLE);
    CASE(CL_MEM_COPY_OVERLAP);
    CASE(CL_IMAGE_FORMAT_MISMATCH);
    CASE(CL_IMAGE_FORMAT_NOT_SUPPORTED);
    CASE(CL_BUILD_PROGRAM_FAILURE);
    CASE(CL_MAP_FAILURE);
    CASE(CL_MISALIGNED_SUB_BUFFER_OFFSET);
    CASE(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    CASE(CL_COMPILE_PROGRAM_FAILURE);
    CASE(CL_LINKER_NOT_AVAILABLE);
    CASE(CL_LINK_PROGRAM_FAILURE);
    CASE(CL_DEVICE_PARTITION_FAILED);
    CASE(CL_KERNEL_ARG_INFO_NOT_AVAILABLE);
    CASE(CL_INVALID_VALUE);
    CASE(CL_INVALID_DEVICE_TYPE);
    CASE(CL_INVALID_PLATFORM);
    CASE(CL_INVALID_DEVICE);
    CASE(CL_INVALID_CONTEXT);
    CASE(CL_INVALID_QUEUE_PROPERTIES);
    CASE(CL_INVALID_COMMAND_QUEUE);
    CASE(CL_INVALID_HOST_PTR);
    CASE(CL_INVALID_MEM_OBJECT);
    CASE(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR);
    CASE(CL_INVALID_IMAGE_SIZE);
    CASE(CL_INVALID_SAMPLER);
    CASE(CL_INVALID_BINARY);
    CASE(CL_INVALID_BUILD_OPTIONS);
    CASE(CL_INVALID_PROGRAM);
    CASE(CL_INVALID_PROGRAM_EXECUTABLE);
    CASE(CL_INVALID_KERNEL_NAME);
    CASE(CL_INVALID_KERNEL_DEFINITION);
    CASE(CL_INVALID_KERNEL);
    CASE(CL_INVALID_ARG_INDEX);
    CASE(CL_INVALID_ARG_VALUE);
    CASE(CL_INVALID_ARG_SIZE);
    CASE(CL_INVALID_KERNEL_ARGS);
    CASE(CL_INVALID_WORK_DIMENSION);
    CASE(CL_INVALID_WORK_GROUP_SIZE);
    CASE(CL_INVALID_WORK_ITEM_SIZE);
    CASE(CL_INVALID_GLOBAL_OFFSET);
    CASE(CL_INVALID_EVENT_WAIT_LIST);
    CASE(CL_INVALID_EVENT);
    CASE(CL_INVALID_OPERATION);
    CASE(CL_INVALID_GL_OBJECT);
    CASE(CL_INVALID_BUFFER_SIZE);
    CASE(CL_INVALID_MIP_LEVEL);
    CASE(CL_INVALID_GLOBAL_WORK_SIZE);
    CASE(CL_INVALID_PROPERTY);
    CASE(CL_INVALID_IMAGE_DESCRIPTOR);
    CASE(CL_INVALID_COMPILER_OPTIONS);
    CASE(CL_INVALID_LINKER_OPTIONS);
    CASE(CL_INVALID_DEVICE_PARTITION_COUNT);
#undef CASE
  case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
  case -9999: return "NVIDIA_ILLEGAL_ADDRESS_OR_TIMEOUT";
  default: return "CL_UNKNOWN_ERROR";
  }
}

void ob_text_escape(char *dst, size_t n, const char *src, bool one_line) {
  if (n == 0) return;
  size_t o = 0;
  for (const unsigned char *p = (const unsigned char *)src; *p && o + 1 < n; p++) {
    const bool space = *p == '\n' || *p == '\r' || *p == '\t';
    if (space && one_line) {
      dst[o++] = ' ';
    } else if ((*p < 0x20 && !space) || *p == 0x7f) {
      if (o + 5 > n) break;
      snprintf(dst + o, n - o, "\\x%02x", *p);
      o += 4;
    } else {
      dst[o++] = (char)*p;
    }
  }
  dst[o] = '\0';
}

ob_status ob_fail(ob_status st, const char *fmt, ...) {
  char raw[sizeof detail];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  /* A detail is one line: it travels into a CSV note and a one-line CLI error, and echoes
   * inputs (file fields, names) whose control characters must not reach a terminal raw. */
  ob_text_escape(detail, sizeof detail, raw, true);
  ob_log(OB_LOG_DEBUG, "%s: %s", ob_strerror(st), detail);
  return st;
}

const char *ob_error_detail(void) { return detail; }

void ob_error_clear(void) { detail[0] = '\0'; }

ob_status ob_cl_check(cl_int code, const char *expr, const char *file, int line) {
  if (code == CL_SUCCESS) return OB_OK;
  const char *hint = "";
  if (code == CL_OUT_OF_RESOURCES || code == CL_INVALID_COMMAND_QUEUE || code == -9999)
    hint = " (after a long kernel this is often the display watchdog or an out-of-bounds access)";
  /* Keep only the function name of the expression: the arguments are noise in a CSV note. */
  char fn[64];
  size_t i = 0;
  while (expr[i] && expr[i] != '(' && i + 1 < sizeof fn) {
    fn[i] = expr[i];
    i++;
  }
  fn[i] = '\0';
  if (code == CL_MEM_OBJECT_ALLOCATION_FAILURE || code == CL_OUT_OF_HOST_MEMORY)
    return ob_fail(OB_ERR_TOO_LARGE, "%s: %s (%d) at %s:%d", fn, ob_cl_strerror(code), code, file,
                   line);
  return ob_fail(OB_ERR_CL, "%s: %s (%d)%s at %s:%d", fn, ob_cl_strerror(code), code, hint, file,
                 line);
}
