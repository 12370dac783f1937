/* Own SGEMM on device 0 (PoCL here) with a persistent configuration given on the command line,
 * timed by ob_gemm_run_timed (no verification: `oclbench run linear` verifies the same kernels).
 * For profiling (perf record/annotate) and quick configuration sweeps, 2026-12-05 (evening):
 *   gcc -O2 -std=c11 -DCL_TARGET_OPENCL_VERSION=300 -Imodels -Icore -Idevices -Ibuild \
 *     $(pkg-config --cflags OpenCL clblast hwloc) bench/results/cpu_2026-12-05c/gemm_driver.c \
 *     build/liboclbench.a $(pkg-config --libs OpenCL clblast hwloc) -lcsv -lm -ldl -pthread -o gd
 *   ./gd N REPS TM TN KC BM BN [P]  (KD=DIR: kernels read from DIR, OCLBENCH_KERNEL_DIR's role;
 *                                   P work-groups per compute unit, default 1)
 */
#include "oclbench.h"
#include "gemm/gemm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) { double x=*(const double*)a, y=*(const double*)b; return x<y?-1:x>y; }
int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)atoi(argv[1]) : 2048; int reps = argc > 2 ? atoi(argv[2]) : 10;
  int tm = argc > 3 ? atoi(argv[3]) : 6, tn = argc > 4 ? atoi(argv[4]) : 64, kc = argc > 5 ? atoi(argv[5]) : 512;
  int bm = argc > 6 ? atoi(argv[6]) : 48, bn = argc > 7 ? atoi(argv[7]) : 512, p = argc > 8 ? atoi(argv[8]) : 1;
  ob_config oc; ob_config_default(&oc); oc.progress=false; oc.kernel_dir=getenv("KD"); ob_configure(&oc);
  ob_registry *reg; if (ob_registry_create(&reg) != OB_OK) return 1;
  ob_device *dev = ob_registry_device(reg, 0);
  if (ob_device_open(dev) != OB_OK) { fprintf(stderr, "%s\n", ob_error_detail()); return 1; }
  ob_gemm_config c = {.bm=bm,.bn=bn,.tm=tm,.tn=tn,.vm=1,.vn=16,.strided=0,.local=0,.bk=1,.vg=1,.pad=0,.kc=kc,.persist=p};
  ob_gemm *g; if (ob_gemm_create(dev, &c, &g) != OB_OK) { fprintf(stderr, "%s\n", ob_error_detail()); return 1; }
  float *h = malloc(n*n*4); for (size_t i=0;i<n*n;i++) h[i]=(float)rand()/RAND_MAX;
  cl_mem a,b,cc; ob_buffer_create(dev, CL_MEM_READ_WRITE|CL_MEM_COPY_HOST_PTR, n*n*4, h, &a);
  ob_buffer_create(dev, CL_MEM_READ_WRITE|CL_MEM_COPY_HOST_PTR, n*n*4, h, &b);
  ob_buffer_create(dev, CL_MEM_READ_WRITE|CL_MEM_COPY_HOST_PTR, n*n*4, h, &cc);
  ob_gemm_args x = {.m=n,.n=n,.k=n,.alpha=1,.beta=0,.a=a,.lda=n,.b=b,.ldb=n,.c=cc,.ldc=n};
  if (ob_gemm_prepare(g, &x) != OB_OK) { fprintf(stderr, "%s\n", ob_error_detail()); return 1; }
  double t[200]; double s; ob_gemm_run_timed(g, &x, &s);
  for (int r=0;r<reps;r++) { if (ob_gemm_run_timed(g,&x,&t[r])!=OB_OK) { fprintf(stderr, "%s\n", ob_error_detail()); return 1; } }
  qsort(t, reps, sizeof *t, cmp);
  printf("n=%zu %dx%d kc=%d bm=%d bn=%d persist=%d: median %.1f best %.1f GFLOP/s\n", n, tm, tn, kc, bm, bn, p, 2.0*n*n*n/t[reps/2]/1e9, 2.0*n*n*n/t[0]/1e9);
  return 0;
}
