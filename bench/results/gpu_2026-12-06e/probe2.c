/* Probe 2: cp.async into local memory from NVIDIA's OpenCL, several address forms, every
 * error code printed. */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *src =
"#define CPA4(d, s) __asm__ __volatile__(\"cp.async.ca.shared.global [%0], [%1], 4;\" :: \"r\"(d), \"l\"(s) : \"memory\")\n"
"#define CPA4L(d, s) __asm__ __volatile__(\"cp.async.ca.shared.global [%0], [%1], 4;\" :: \"l\"(d), \"l\"(s) : \"memory\")\n"
"#define WAIT0() __asm__ __volatile__(\"cp.async.commit_group;\\n\\tcp.async.wait_group 0;\" ::: \"memory\")\n"
"__kernel void k0(__global const float *x, __global float *y) {\n"
"  __local float s[256]; int t = get_local_id(0);\n"
"  s[t] = x[255 - t]; barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k1(__global const float *x, __global float *y) {\n"
"  __local float s[256]; int t = get_local_id(0);\n"
"  CPA4((uint)(size_t)(s + t), x + 255 - t); WAIT0(); barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k2(__global const float *x, __global float *y) {\n"
"  __local float s[256]; int t = get_local_id(0);\n"
"  CPA4((ulong)(s + t), x + 255 - t); WAIT0(); barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k3(__global const float *x, __global float *y) {\n"
"  __local float s[256]; int t = get_local_id(0);\n"
"  CPA4L((ulong)(s + t), x + 255 - t); WAIT0(); barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k4(__global const float *x, __global float *y) {\n"
"  __local float s[256]; int t = get_local_id(0);\n"
"  __asm__ __volatile__(\"st.shared.f32 [%0], %1;\" :: \"r\"((uint)(size_t)(s + t)), \"f\"(x[255 - t]) : \"memory\");\n"
"  barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k5(__global const float *x, __global float *y, __local float *s) {\n"
"  int t = get_local_id(0);\n"
"  CPA4((uint)(size_t)(s + t), x + 255 - t); WAIT0(); barrier(CLK_LOCAL_MEM_FENCE); y[t] = s[t];\n"
"}\n"
"__kernel void k6(__global const float *x, __global float *y) {\n"
"  __local float4 s[64]; int t = get_local_id(0);\n"
"  if (t < 64) __asm__ __volatile__(\"cp.async.cg.shared.global [%0], [%1], 16;\" :: \"r\"((uint)(size_t)(s + t)), \"l\"(x + 4 * t) : \"memory\");\n"
"  WAIT0(); barrier(CLK_LOCAL_MEM_FENCE); y[t] = ((__local float *)s)[255 - t];\n"
"}\n";

int main(void) {
  cl_platform_id ps[8]; cl_uint np = 0; clGetPlatformIDs(8, ps, &np);
  for (cl_uint p = 0; p < np; p++) {
    cl_device_id d; cl_uint nd = 0;
    if (clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_GPU, 1, &d, &nd) != CL_SUCCESS || !nd) continue;
    cl_int e; cl_context c = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    cl_command_queue q = clCreateCommandQueue(c, d, 0, &e);
    cl_program pr = clCreateProgramWithSource(c, 1, &src, NULL, &e);
    e = clBuildProgram(pr, 1, &d, "-cl-std=CL1.2", NULL, NULL);
    static char log[65536]; clGetProgramBuildInfo(pr, d, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
    printf("build %d log: %s\n", e, log);
    if (e) return 1;
    size_t bs = 0; clGetProgramInfo(pr, CL_PROGRAM_BINARY_SIZES, sizeof bs, &bs, NULL);
    char *bin = malloc(bs + 1); clGetProgramInfo(pr, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL);
    FILE *f = fopen(getenv("PTXOUT") ? getenv("PTXOUT") : "probe2.ptx", "w"); fwrite(bin, 1, bs, f); fclose(f);
    float x[256], y[256];
    for (int i = 0; i < 256; i++) x[i] = (float)i + 0.5f;
    for (int kk = 0; kk <= 6; kk++) {
      char name[8]; snprintf(name, sizeof name, "k%d", kk);
      cl_mem bx = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof x, x, &e);
      for (int i = 0; i < 256; i++) y[i] = -1.0f;
      cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof y, y, &e);
      cl_kernel k = clCreateKernel(pr, name, &e);
      cl_int e1 = clSetKernelArg(k, 0, sizeof bx, &bx), e2 = clSetKernelArg(k, 1, sizeof by, &by);
      if (kk == 5) clSetKernelArg(k, 2, 1024, NULL);
      size_t g = 256, l = 256;
      cl_int e3 = clEnqueueNDRangeKernel(q, k, 1, NULL, &g, &l, 0, NULL, NULL);
      cl_int e4 = clFinish(q);
      cl_int e5 = clEnqueueReadBuffer(q, by, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL);
      int bad = 0;
      for (int t = 0; t < 256; t++) bad += y[t] != x[255 - t];
      printf("%s create %d args %d %d enqueue %d finish %d read %d mismatches %d y0..3 %g %g %g %g\n",
             name, e, e1, e2, e3, e4, e5, bad, y[0], y[1], y[2], y[3]);
      clReleaseKernel(k); clReleaseMemObject(bx); clReleaseMemObject(by);
    }
  }
  return 0;
}
