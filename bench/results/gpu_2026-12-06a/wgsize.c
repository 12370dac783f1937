/* A diagnostic for device call 3 (2026-12-06): builds cl_kernels/gemm.cl from source on the
 * first GPU with the options given, and prints what NVIDIA's OpenCL says of the kernel
 * (CL_KERNEL_WORK_GROUP_SIZE, private and local memory, the build log's ptxas lines), and
 * writes the program binary (PTX on NVIDIA) to OUT.
 *   cc -O2 -o wgsize wgsize.c -lOpenCL
 *   ./wgsize gemm.cl OUT "-DBM=128 -DBN=256 ..." */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 4) return fprintf(stderr, "usage: wgsize FILE.cl OUT OPTIONS\n"), 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return perror(argv[1]), 2;
  static char src[1 << 20];
  size_t n = fread(src, 1, sizeof src - 1, f);
  fclose(f);
  src[n] = 0;
  cl_platform_id plats[8];
  cl_uint np = 0;
  clGetPlatformIDs(8, plats, &np);
  cl_device_id dev = NULL;
  for (cl_uint i = 0; i < np && !dev; i++)
    if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_GPU, 1, &dev, NULL) != CL_SUCCESS) dev = NULL;
  if (!dev) return fprintf(stderr, "no GPU\n"), 1;
  cl_int err;
  cl_context ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  const char *s = src;
  cl_program p = clCreateProgramWithSource(ctx, 1, &s, NULL, &err);
  cl_int b = clBuildProgram(p, 1, &dev, argv[3], NULL, NULL);
  static char log[1 << 20];
  clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL);
  printf("options: %s\nbuild: %d\n", argv[3], b);
  for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
    if (strstr(line, "ptxas") || strstr(line, "error")) printf("  %s\n", line);
  if (b != CL_SUCCESS) return 1;
  cl_kernel k = clCreateKernel(p, "gemm", &err);
  size_t wg = 0, req[3] = {0, 0, 0};
  cl_ulong priv = 0, loc = 0;
  clGetKernelWorkGroupInfo(k, dev, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
  clGetKernelWorkGroupInfo(k, dev, CL_KERNEL_COMPILE_WORK_GROUP_SIZE, sizeof req, req, NULL);
  clGetKernelWorkGroupInfo(k, dev, CL_KERNEL_PRIVATE_MEM_SIZE, sizeof priv, &priv, NULL);
  clGetKernelWorkGroupInfo(k, dev, CL_KERNEL_LOCAL_MEM_SIZE, sizeof loc, &loc, NULL);
  printf("work-group size %zu, compile size %zu x %zu x %zu, private %llu B, local %llu B\n", wg,
         req[0], req[1], req[2], (unsigned long long)priv, (unsigned long long)loc);
  size_t bl = 0;
  clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, sizeof bl, &bl, NULL);
  unsigned char *bin = malloc(bl);
  clGetProgramInfo(p, CL_PROGRAM_BINARIES, sizeof bin, &bin, NULL);
  FILE *o = fopen(argv[2], "wb");
  if (o) fwrite(bin, 1, bl, o), fclose(o);
  return 0;
}
