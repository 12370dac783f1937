/* Device facts: properties, the fp16 and inline PTX probes and work-group sizing. */
#include "device_impl.h"

#include <stdlib.h>
#include <string.h>

static void info_str(cl_device_id id, cl_device_info what, char *buf, size_t n) {
  buf[0] = '\0';
  if (clGetDeviceInfo(id, what, n, buf, NULL) != CL_SUCCESS) buf[0] = '\0';
  buf[n - 1] = '\0';
  /* Drivers pad some strings with spaces. */
  size_t len = strlen(buf);
  while (len > 0 && buf[len - 1] == ' ') buf[--len] = '\0';
}

#define INFO_NUM(id, what, var)                                                                 \
  do {                                                                                         \
    if (clGetDeviceInfo(id, what, sizeof(var), &(var), NULL) != CL_SUCCESS) (var) = 0;         \
  } while (0)

/* A test program for a probe, in a context of its own: builds src; with x non-NULL also runs
 * its kernel k(__global float *a) as one work-item on a[0] = *x and reads a[0] back into *x.
 * Whether every step succeeded. */
static bool probe_program(cl_platform_id platform, cl_device_id id, const char *src, float *x) {
  cl_context_properties cp[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)platform, 0};
  cl_int err = CL_SUCCESS;
  cl_context ctx = clCreateContext(cp, 1, &id, NULL, NULL, &err);
  if (err != CL_SUCCESS) return false;
  cl_program prog = clCreateProgramWithSource(ctx, 1, &src, NULL, &err);
  cl_command_queue q = NULL;
  cl_kernel k = NULL;
  cl_mem buf = NULL;
  bool ok = err == CL_SUCCESS && clBuildProgram(prog, 1, &id, "", NULL, NULL) == CL_SUCCESS;
  if (ok && x) {
    q = clCreateCommandQueue(ctx, id, 0, &err);
    if (err == CL_SUCCESS) k = clCreateKernel(prog, "k", &err);
    if (err == CL_SUCCESS)
      buf = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof *x, x, &err);
    const size_t one = 1;
    ok = err == CL_SUCCESS && clSetKernelArg(k, 0, sizeof buf, &buf) == CL_SUCCESS &&
         clEnqueueNDRangeKernel(q, k, 1, NULL, &one, &one, 0, NULL, NULL) == CL_SUCCESS &&
         clEnqueueReadBuffer(q, buf, CL_TRUE, 0, sizeof *x, x, 0, NULL, NULL) == CL_SUCCESS;
  }
  if (buf) clReleaseMemObject(buf);
  if (k) clReleaseKernel(k);
  if (q) clReleaseCommandQueue(q);
  if (prog) clReleaseProgram(prog);
  clReleaseContext(ctx);
  return ok;
}

/* fp16 is claimed by the extension string; confirm it with a test compile, since some
 * drivers advertise it and fail to build half arithmetic. */
static bool fp16_compiles(cl_platform_id platform, cl_device_id id) {
  static const char *src = "#pragma OPENCL EXTENSION cl_khr_fp16 : enable\n"
                           "__kernel void k(__global half *a) { a[0] = a[0] * (half)2.0f; }\n";
  return probe_program(platform, id, src, NULL);
}

/* NVIDIA's inline PTX: a kernel whose only arithmetic is `ex2.approx.ftz.f32` in an __asm__
 * statement must build, run and give 2^3 within 2^-20 (the instruction's error is 2 ulps). The
 * run, not only the build, decides: a compiler that generates code at the launch (PoCL) or
 * interprets it (Oclgrind) may accept the build. */
static bool ptx_runs(cl_platform_id platform, cl_device_id id) {
  static const char *src = "__kernel void k(__global float *a) {\n"
                           "  float r;\n"
                           "  __asm__(\"ex2.approx.ftz.f32 %0, %1;\" : \"=f\"(r) : \"f\"(a[0]));\n"
                           "  a[0] = r;\n"
                           "}\n";
  float x = 3.0f;
  return probe_program(platform, id, src, &x) && x > 8.0f * (1.0f - 0x1p-20f) &&
         x < 8.0f * (1.0f + 0x1p-20f);
}

void ob_device_query_props(cl_platform_id platform, cl_device_id id, ob_device_props *p) {
  memset(p, 0, sizeof *p);
  info_str(id, CL_DEVICE_NAME, p->name, sizeof p->name);
  info_str(id, CL_DEVICE_VENDOR, p->vendor, sizeof p->vendor);
  info_str(id, CL_DRIVER_VERSION, p->driver, sizeof p->driver);
  info_str(id, CL_DEVICE_VERSION, p->cl_version, sizeof p->cl_version);
  info_str(id, CL_DEVICE_OPENCL_C_VERSION, p->c_version, sizeof p->c_version);
  info_str(id, CL_DEVICE_EXTENSIONS, p->extensions, sizeof p->extensions);
  if (clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof p->platform, p->platform, NULL) !=
      CL_SUCCESS)
    p->platform[0] = '\0';
  if (clGetPlatformInfo(platform, CL_PLATFORM_VERSION, sizeof p->platform_version,
                        p->platform_version, NULL) != CL_SUCCESS)
    p->platform_version[0] = '\0';
  INFO_NUM(id, CL_DEVICE_VENDOR_ID, p->vendor_id);
  INFO_NUM(id, CL_DEVICE_TYPE, p->type);
  INFO_NUM(id, CL_DEVICE_MAX_COMPUTE_UNITS, p->compute_units);
  INFO_NUM(id, CL_DEVICE_MAX_CLOCK_FREQUENCY, p->clock_mhz);
  INFO_NUM(id, CL_DEVICE_GLOBAL_MEM_SIZE, p->global_mem);
  INFO_NUM(id, CL_DEVICE_GLOBAL_MEM_CACHE_SIZE, p->global_cache);
  INFO_NUM(id, CL_DEVICE_LOCAL_MEM_SIZE, p->local_mem);
  INFO_NUM(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, p->max_alloc);
  INFO_NUM(id, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE, p->max_constant);
  INFO_NUM(id, CL_DEVICE_MAX_WORK_GROUP_SIZE, p->max_wg);
  INFO_NUM(id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, p->native_float_width);
  INFO_NUM(id, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT, p->isa_float_width);
  cl_device_fp_config fp64 = 0;
  INFO_NUM(id, CL_DEVICE_DOUBLE_FP_CONFIG, fp64);
  p->fp64 = fp64 != 0 || strstr(p->extensions, "cl_khr_fp64") != NULL;
  cl_command_queue_properties qp = 0;
  INFO_NUM(id, CL_DEVICE_QUEUE_PROPERTIES, qp);
  p->profiling = (qp & CL_QUEUE_PROFILING_ENABLE) != 0;
  cl_bool little = CL_TRUE; /* a driver that cannot say is taken as little-endian */
  if (clGetDeviceInfo(id, CL_DEVICE_ENDIAN_LITTLE, sizeof little, &little, NULL) != CL_SUCCESS)
    little = CL_TRUE;
  p->little_endian = little != CL_FALSE;
  p->exec_timeout = -1;
  p->clock_headroom = 1.0;
  if (p->type & CL_DEVICE_TYPE_GPU) snprintf(p->type_name, sizeof p->type_name, "gpu");
  else if (p->type & CL_DEVICE_TYPE_CPU) snprintf(p->type_name, sizeof p->type_name, "cpu");
  else if (p->type & CL_DEVICE_TYPE_ACCELERATOR)
    snprintf(p->type_name, sizeof p->type_name, "accel");
  else snprintf(p->type_name, sizeof p->type_name, "other");
  if (p->type & CL_DEVICE_TYPE_CPU) p->exec_timeout = 0;
  p->vendor_class = ob_vendor_classify(p->vendor_id, p->vendor, p->platform);
  snprintf(p->clock_source, sizeof p->clock_source, "driver");
  /* A CPU device that reports no clock (Intel's CPU runtime) runs at the host CPU's. */
  if (p->clock_mhz == 0 && (p->type & CL_DEVICE_TYPE_CPU))
    p->clock_mhz = ob_host_cpu_mhz(p->clock_source, sizeof p->clock_source);
  else if (p->clock_mhz == 0)
    snprintf(p->clock_source, sizeof p->clock_source, "unknown: the driver reports 0 MHz");
  /* A CPU device's working set can live in the host's whole last-level cache, whatever the
   * driver reports as its global cache (Intel's CPU runtime: one core's L2). */
  if (p->type & CL_DEVICE_TYPE_CPU) {
    const size_t llc = ob_host_llc_bytes();
    if ((cl_ulong)llc > p->global_cache) p->global_cache = llc;
  }
  const ob_vendor_profile *prof = ob_vendor_profile_get(p->vendor_class);
  if (prof->query_extra) prof->query_extra(id, p);
}

void ob_device_free(ob_device *dev) {
  if (!dev) return;
  ob_stream_free(dev->stream);
  free(dev->probes);
  free(dev);
}

const ob_device_props *ob_device_props_get(const ob_device *dev) { return &dev->props; }
const char *ob_device_slug(const ob_device *dev) { return dev->slug; }
size_t ob_device_index(const ob_device *dev) { return dev->index; }
cl_device_id ob_device_id(const ob_device *dev) { return dev->id; }
cl_platform_id ob_device_platform(const ob_device *dev) { return dev->platform; }
const ob_vendor_profile *ob_device_profile(const ob_device *dev) { return dev->profile; }
bool ob_device_is_cpu(const ob_device *dev) { return (dev->props.type & CL_DEVICE_TYPE_CPU) != 0; }

bool ob_device_fp16(const ob_device *dev) {
  int known = atomic_load(&dev->probes->fp16);
  if (!known) {
    known = strstr(dev->props.extensions, "cl_khr_fp16") && fp16_compiles(dev->platform, dev->id)
                ? 2 : 1;
    atomic_store(&dev->probes->fp16, known);
  }
  return known == 2;
}

bool ob_device_ptx(const ob_device *dev) {
  int known = atomic_load(&dev->probes->ptx);
  if (!known) {
    /* (not asked of CPU devices, whose compilers print the build's errors: PTX is a GPU's) */
    known = !ob_device_is_cpu(dev) && ptx_runs(dev->platform, dev->id) ? 2 : 1;
    atomic_store(&dev->probes->ptx, known);
  }
  return known == 2;
}

bool ob_device_has_extension(const ob_device *dev, const char *ext) {
  size_t n = strlen(ext);
  for (const char *p = strstr(dev->props.extensions, ext); p; p = strstr(p + 1, ext)) {
    bool starts = p == dev->props.extensions || p[-1] == ' ';
    bool ends = p[n] == '\0' || p[n] == ' ';
    if (starts && ends) return true;
  }
  return false;
}

double ob_device_fp32_theoretical(const ob_device *dev) { return ob_vendor_fp32_peak(&dev->props); }

size_t ob_device_wg_size(const ob_device *dev, cl_kernel kernel, size_t wanted) {
  size_t limit = dev->props.max_wg ? dev->props.max_wg : 1;
  size_t kmax = 0, kmul = 0;
  if (kernel) {
    if (clGetKernelWorkGroupInfo(kernel, dev->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof kmax, &kmax,
                                 NULL) == CL_SUCCESS &&
        kmax > 0 && kmax < limit)
      limit = kmax;
    if (clGetKernelWorkGroupInfo(kernel, dev->id, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE,
                                 sizeof kmul, &kmul, NULL) != CL_SUCCESS)
      kmul = 0;
  }
  size_t mult = dev->profile->wg_multiple ? dev->profile->wg_multiple : (kmul ? kmul : 1);
  size_t wg = wanted ? wanted : mult * 4;
  if (wg > limit) wg = limit;
  if (wg >= mult) wg -= wg % mult;
  return wg ? wg : 1;
}

/* ob_kernel_fits without recording the failure on the stream. */
static ob_status kernel_fits(const ob_device *dev, cl_kernel kernel, size_t items, size_t arg_local,
                             const char *what) {
  size_t kmax = 0;
  cl_ulong klocal = 0;
  OB_TRY(OB_CL(clGetKernelWorkGroupInfo(kernel, dev->id, CL_KERNEL_WORK_GROUP_SIZE, sizeof kmax,
                                        &kmax, NULL)));
  OB_TRY(OB_CL(clGetKernelWorkGroupInfo(kernel, dev->id, CL_KERNEL_LOCAL_MEM_SIZE,
                                        sizeof klocal, &klocal, NULL)));
  if (items > kmax)
    return ob_fail(OB_ERR_UNSUPPORTED, "%s: %zu work-items per group, the built kernel runs at "
                   "most %zu (CL_KERNEL_WORK_GROUP_SIZE)", what, items, kmax);
  if (klocal + arg_local > dev->props.local_mem)
    return ob_fail(OB_ERR_UNSUPPORTED, "%s: %llu bytes of local memory, the device has %llu",
                   what, (unsigned long long)(klocal + arg_local),
                   (unsigned long long)dev->props.local_mem);
  return OB_OK;
}

ob_status ob_kernel_fits(const ob_device *dev, cl_kernel kernel, size_t items, size_t arg_local,
                         const char *what) {
  return ob_stream_record(dev->stream, kernel_fits(dev, kernel, items, arg_local, what));
}
