/* Probe: does NVIDIA's OpenCL accept inline PTX (ex2.approx.ftz, cp.async)? */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *src =
"__kernel void ex2ftz(__global const float *x, __global float *y) {\n"
"  size_t i = get_global_id(0); float r;\n"
"  __asm__(\"ex2.approx.ftz.f32 %0, %1;\" : \"=f\"(r) : \"f\"(x[i]));\n"
"  y[i] = r;\n"
"}\n"
"__kernel void cpasync(__global const float *x, __global float *y) {\n"
"  __local float s[512];\n"
"  int t = get_local_id(0);\n"
"  uint dst = (uint)(size_t)(s + t);\n"
"  __asm__ __volatile__(\"cp.async.ca.shared.global [%0], [%1], 4;\" :: \"r\"(dst), \"l\"(x + 255 - t) : \"memory\");\n"
"  if (t < 64) { uint d2 = (uint)(size_t)(s + 256 + 4 * t);\n"
"    __asm__ __volatile__(\"cp.async.cg.shared.global [%0], [%1], 16;\" :: \"r\"(d2), \"l\"(x + 256 + 4 * t) : \"memory\"); }\n"
"  __asm__ __volatile__(\"cp.async.commit_group;\" ::: \"memory\");\n"
"  __asm__ __volatile__(\"cp.async.wait_group 0;\" ::: \"memory\");\n"
"  barrier(CLK_LOCAL_MEM_FENCE);\n"
"  y[t] = s[t]; y[256 + t] = s[256 + t];\n"
"}\n";

int main(void) {
  cl_platform_id ps[8]; cl_uint np = 0; clGetPlatformIDs(8, ps, &np);
  for (cl_uint p = 0; p < np; p++) {
    cl_device_id d; cl_uint nd = 0;
    if (clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_GPU, 1, &d, &nd) != CL_SUCCESS || !nd) continue;
    char name[256]; clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof name, name, NULL);
    printf("device %s\n", name);
    cl_int e; cl_context c = clCreateContext(NULL, 1, &d, NULL, NULL, &e);
    cl_command_queue q = clCreateCommandQueue(c, d, 0, &e);
    cl_program pr = clCreateProgramWithSource(c, 1, &src, NULL, &e);
    e = clBuildProgram(pr, 1, &d, "-cl-std=CL1.2", NULL, NULL);
    static char log[65536]; clGetProgramBuildInfo(pr, d, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
    printf("build %d\nlog: %s\n", e, log);
    if (e) return 1;
    size_t bs = 0; clGetProgramInfo(pr, CL_PROGRAM_BINARY_SIZES, sizeof bs, &bs, NULL);
    char *bin = malloc(bs + 1); clGetProgramInfo(pr, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL); bin[bs] = 0;
    FILE *f = fopen(getenv("PTXOUT") ? getenv("PTXOUT") : "probe.ptx", "w"); fwrite(bin, 1, bs, f); fclose(f);
    enum { N = 1 << 20 };
    float *x = malloc(N * 4), *y = malloc(N * 4);
    for (int i = 0; i < N; i++) x[i] = -130.0f + 260.0f * i / N;
    cl_mem bx = clCreateBuffer(c, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, N * 4, x, &e);
    cl_mem by = clCreateBuffer(c, CL_MEM_READ_WRITE, N * 4, NULL, &e);
    cl_kernel k = clCreateKernel(pr, "ex2ftz", &e);
    clSetKernelArg(k, 0, sizeof bx, &bx); clSetKernelArg(k, 1, sizeof by, &by);
    size_t g = N, l = 256;
    e = clEnqueueNDRangeKernel(q, k, 1, NULL, &g, &l, 0, NULL, NULL);
    clEnqueueReadBuffer(q, by, CL_TRUE, 0, N * 4, y, 0, NULL, NULL);
    double worst = 0; int zeros = 0;
    for (int i = 0; i < N; i++) {
      double ex = exp2((double)x[i]);
      if (ex < 1.1754943508222875e-38) { zeros += y[i] == 0.0f; continue; }
      double r = fabs(y[i] - ex) / ex; if (r > worst) worst = r;
    }
    printf("ex2ftz run %d worst rel %.3g (%.2f ulp) flushed %d\n", e, worst, worst * 8388608.0, zeros);
    k = clCreateKernel(pr, "cpasync", &e);
    clSetKernelArg(k, 0, sizeof bx, &bx); clSetKernelArg(k, 1, sizeof by, &by);
    g = 256;
    e = clEnqueueNDRangeKernel(q, k, 1, NULL, &g, &l, 0, NULL, NULL);
    clEnqueueReadBuffer(q, by, CL_TRUE, 0, 512 * 4, y, 0, NULL, NULL);
    int bad = 0;
    for (int t = 0; t < 256; t++) bad += y[t] != x[255 - t];
    for (int t = 0; t < 256; t++) bad += y[256 + t] != x[256 + t];
    printf("cpasync run %d mismatches %d\n", e, bad);
  }
  return 0;
}
