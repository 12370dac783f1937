/* Experiment, not part of the tree's build: where a work-group of the tuned SGEMM spends its
 * time on the GPU. Builds KERNEL_FILE (cl_kernels/gemm.cl with stamps.patch) with the tuner's
 * 4096/8192 configuration, twice: as oclbench builds it, and with -DSTAMPS=1 (each work-group's
 * work-item 0 writes the SM it ran on, %globaltimer at its start and end, and %clock64 at its
 * start, after the prologue's first slice, after the k loop and after the epilogue's stores
 * and a barrier). Then:
 *   1. the plain kernel at M = N = 2048, 4096 and 8192 against K = 256 ... 8192, timed by
 *      profiling events (median of REPS after 3 warm-ups): per-K and per-tile costs;
 *   2. the stamped kernel at 2048^3, 4096^3 and 8192^3, the stamps of its last repetition
 *      written to stamps_M.csv (wg, sm, t0_ns, t1_ns, c_start, c_prologue, c_loop, c_end).
 * Each product is checked at 64 entries against a double-precision host sum.
 * With a third file and TS_OPTS set, variants of that file (one per ';'-separated option
 * string of TS_OPTS) instead of the persistent kernel; call 14's tile orders (order.patch).
 * TS_VTA=1: the variants read A as stored k x m (lda = M; the file defines TA 1), the host
 * check likewise (call 15: the same product with A's slices loaded along m).
 * Usage: tilestamps KERNEL_FILE OUTDIR [FILE]   (first GPU of the first platform that has one) */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPS 10 /* timed repetitions (TS_REPS, at most 10, for slow implementations) */
#define OPTS                                                                                    \
  "-cl-std=CL1.2 -cl-mad-enable -DTA=0 -DTB=0 -DBM=256 -DBN=128 -DTM=16 -DTN=8 -DVM=4 -DVN=4 " \
  "-DSTRIDED=1 -DLOCAL=1 -DBK=8 -DVG=4 -DPAD=4 -DKC=0 -DLM=0 -DLN=0 -DUSE_FMA=1"

#define CK(x)                                                                \
  do {                                                                       \
    cl_int e_ = (x);                                                         \
    if (e_ != CL_SUCCESS) {                                                  \
      fprintf(stderr, "%s:%d: %s -> %d\n", __FILE__, __LINE__, #x, (int)e_); \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

static cl_context ctx;
static cl_command_queue q;
static cl_device_id dev;

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t)n + 1);
  if (fread(s, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
  s[n] = 0;
  fclose(f);
  return s;
}

/* The program's binary (NVIDIA: its PTX) into path. */
static void dump_binary(cl_program p, const char *path) {
  size_t n = 0;
  CK(clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, sizeof n, &n, NULL));
  unsigned char *b = malloc(n ? n : 1);
  CK(clGetProgramInfo(p, CL_PROGRAM_BINARIES, sizeof b, &b, NULL));
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(b, 1, n, f);
    fclose(f);
  }
  free(b);
}

/* KERNEL_FILE built with OPTS and extra, its kernel `name`; its binary into dump unless NULL. */
static cl_kernel build_k(const char *src, const char *extra, const char *dump, const char *name) {
  char opts[1024];
  snprintf(opts, sizeof opts, "%s %s", OPTS, extra);
  cl_int err;
  cl_program p = clCreateProgramWithSource(ctx, 1, &src, NULL, &err);
  CK(err);
  err = clBuildProgram(p, 1, &dev, opts, NULL, NULL);
  size_t n = 0;
  clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, 0, NULL, &n);
  char *log = malloc(n + 1);
  clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, n, log, NULL);
  log[n] = 0;
  if (err != CL_SUCCESS || n > 2) fprintf(stderr, "build [%s]: %d\n%s\n", extra, (int)err, log);
  CK(err);
  free(log);
  if (dump) dump_binary(p, dump);
  cl_kernel k = clCreateKernel(p, name, &err);
  CK(err);
  return k;
}

/* KERNEL_FILE's gemm built with OPTS and extra; its binary into dump unless NULL. */
static cl_kernel build(const char *src, const char *extra, const char *dump) {
  return build_k(src, extra, dump, "gemm");
}

static double median(double *v, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void check_c(int M, int N, int K, cl_mem C, const float *ha, const float *hb, int ta);

/* Timed repetitions: TS_REPS (1..REPS), else REPS. */
static int nreps(void) {
  const int reps = getenv("TS_REPS") ? atoi(getenv("TS_REPS")) : REPS;
  return reps >= 1 && reps <= REPS ? reps : REPS;
}

/* The gemm kernel's 16 arguments for C = A B (leading dimensions lda, N, N). */
static void gemm_args(cl_kernel k, int M, int N, int K, int lda, cl_mem A, cl_mem B, cl_mem C) {
  const float one = 1.0f, zero = 0.0f;
  const int z = 0, cvec = 1;
  int a = 0;
  CK(clSetKernelArg(k, a++, sizeof M, &M));
  CK(clSetKernelArg(k, a++, sizeof N, &N));
  CK(clSetKernelArg(k, a++, sizeof K, &K));
  CK(clSetKernelArg(k, a++, sizeof one, &one));
  CK(clSetKernelArg(k, a++, sizeof zero, &zero));
  CK(clSetKernelArg(k, a++, sizeof A, &A));
  CK(clSetKernelArg(k, a++, sizeof z, &z));
  CK(clSetKernelArg(k, a++, sizeof lda, &lda));
  CK(clSetKernelArg(k, a++, sizeof B, &B));
  CK(clSetKernelArg(k, a++, sizeof z, &z));
  CK(clSetKernelArg(k, a++, sizeof N, &N));
  CK(clSetKernelArg(k, a++, sizeof C, &C));
  CK(clSetKernelArg(k, a++, sizeof z, &z));
  CK(clSetKernelArg(k, a++, sizeof N, &N));
  CK(clSetKernelArg(k, a++, sizeof cvec, &cvec));
  CK(clSetKernelArg(k, a++, sizeof z, &z));
}

/* C (M x N) = A (M x K, ld K) * B (K x N, ld N); seconds (median of REPS); checks 64 entries. */
static double run(cl_kernel k, int M, int N, int K, cl_mem A, cl_mem B, cl_mem C, cl_mem S,
                  const float *ha, const float *hb, size_t groups, int ta) {
  gemm_args(k, M, N, K, ta ? M : K, A, B, C);
  if (S) CK(clSetKernelArg(k, 16, sizeof S, &S));
  const size_t local[2] = {16, 16};
  const size_t global[2] = {groups ? 16 * groups : (size_t)N / 8, groups ? 16 : (size_t)M / 16};
  double t[REPS];
  const int nrep = nreps();
  for (int r = nrep < REPS ? 0 : -3; r < nrep; r++) {
    cl_event ev;
    CK(clEnqueueNDRangeKernel(q, k, 2, NULL, global, local, 0, NULL, &ev));
    CK(clWaitForEvents(1, &ev));
    cl_ulong t0, t1;
    CK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL));
    CK(clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL));
    clReleaseEvent(ev);
    if (r >= 0) t[r] = (double)(t1 - t0) * 1e-9;
  }
  check_c(M, N, K, C, ha, hb, ta);
  return median(t, nrep);
}

/* 64 entries of C against a double-precision host sum (A read as stored k x m with ta). */
static void check_c(int M, int N, int K, cl_mem C, const float *ha, const float *hb, int ta) {
  for (int s = 0; s < 64; s++) {
    const int i = (int)((unsigned)(s * 2654435761u) % (unsigned)M), j = (s * 97 + 13) % N;
    double ref = 0.0;
    for (int kk = 0; kk < K; kk++) ref += (double)ha[ta ? (size_t)kk * M + i : (size_t)i * K + kk] * hb[(size_t)kk * N + j];
    float got;
    CK(clEnqueueReadBuffer(q, C, CL_TRUE, ((size_t)i * N + j) * sizeof got, sizeof got, &got, 0,
                           NULL, NULL));
    if (fabs(got - ref) > 1e-4 * sqrt((double)K) * 4.0) {
      fprintf(stderr, "M=%d N=%d K=%d: C[%d][%d] = %g, expected %g\n", M, N, K, i, j, got, ref);
      exit(1);
    }
  }
}

/* Stream-K tail (sk.patch): the first dp_waves * cus tiles (at most the full waves, less
 * `back` of them) by the 1-D data-parallel kernel, the rest's K-slices dealt out evenly to at
 * most cus work-groups (sk), their partial products added by sk_fixup; seconds from the first
 * launch's start to the last one's end (median of REPS after 3 warm-ups); C checked. */
static double run_sk(cl_kernel dp, cl_kernel sk, cl_kernel fix, int M, int N, int K, cl_mem A,
                     cl_mem B, cl_mem C, cl_mem P, const float *ha, const float *hb, int cus,
                     int back, int *tail_out) {
  const int tiles = (M / 256) * (N / 128), S = K / 8;
  int full = tiles / cus - back;
  if (full < 0) full = 0;
  const int dpt = full * cus, T = tiles - dpt;
  const int L = T ? (T * S + cus - 1) / cus : 0, G = T ? (T * S + L - 1) / L : 0;
  if (T && L / S + 2 > 4) { fprintf(stderr, "SK_SEGS too small\n"); exit(1); }
  *tail_out = T;
  gemm_args(dp, M, N, K, K, A, B, C);
  gemm_args(sk, M, N, K, K, A, B, C);
  CK(clSetKernelArg(sk, 16, sizeof dpt, &dpt));
  CK(clSetKernelArg(sk, 17, sizeof L, &L));
  CK(clSetKernelArg(sk, 18, sizeof P, &P));
  const float one = 1.0f, zero = 0.0f;
  int a = 0;
  CK(clSetKernelArg(fix, a++, sizeof M, &M));
  CK(clSetKernelArg(fix, a++, sizeof N, &N));
  CK(clSetKernelArg(fix, a++, sizeof K, &K));
  CK(clSetKernelArg(fix, a++, sizeof one, &one));
  CK(clSetKernelArg(fix, a++, sizeof zero, &zero));
  CK(clSetKernelArg(fix, a++, sizeof C, &C));
  CK(clSetKernelArg(fix, a++, sizeof N, &N));
  CK(clSetKernelArg(fix, a++, sizeof dpt, &dpt));
  CK(clSetKernelArg(fix, a++, sizeof L, &L));
  CK(clSetKernelArg(fix, a++, sizeof P, &P));
  const size_t local[2] = {16, 16}, gdp[2] = {16 * (size_t)dpt, 16}, gsk[2] = {16 * (size_t)G, 16};
  const size_t gfix = (size_t)T * 256 * 128, lfix = 256;
  double t[REPS];
  const int nrep = nreps();
  for (int r = nrep < REPS ? 0 : -3; r < nrep; r++) {
    cl_event ev[3];
    int ne = 0;
    if (dpt) CK(clEnqueueNDRangeKernel(q, dp, 2, NULL, gdp, local, 0, NULL, &ev[ne++]));
    if (T) {
      CK(clEnqueueNDRangeKernel(q, sk, 2, NULL, gsk, local, 0, NULL, &ev[ne++]));
      CK(clEnqueueNDRangeKernel(q, fix, 1, NULL, &gfix, &lfix, 0, NULL, &ev[ne++]));
    }
    CK(clWaitForEvents(ne, ev));
    cl_ulong t0, t1;
    CK(clGetEventProfilingInfo(ev[0], CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL));
    CK(clGetEventProfilingInfo(ev[ne - 1], CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL));
    for (int e = 0; e < ne; e++) clReleaseEvent(ev[e]);
    if (r >= 0) t[r] = (double)(t1 - t0) * 1e-9;
  }
  check_c(M, N, K, C, ha, hb, 0);
  return median(t, nrep);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: tilestamps KERNEL_FILE OUTDIR [PERSISTENT_KERNEL_FILE]\n");
    return 2;
  }
  cl_platform_id plats[8];
  cl_uint np = 0;
  CK(clGetPlatformIDs(8, plats, &np));
  int found = 0, nvidia = 0;
  for (cl_uint i = 0; i < np && !found; i++) {
    cl_uint nd = 0;
    if (clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_GPU, 1, &dev, &nd) == CL_SUCCESS && nd) found = 1;
    if (!found && clGetDeviceIDs(plats[i], CL_DEVICE_TYPE_ALL, 1, &dev, &nd) == CL_SUCCESS && nd &&
        i + 1 == np)
      found = 1;
    char name[256] = "";
    clGetPlatformInfo(plats[i], CL_PLATFORM_NAME, sizeof name, name, NULL);
    if (found) nvidia = strstr(name, "NVIDIA") != NULL, printf("# platform %s\n", name);
  }
  if (!found) { fprintf(stderr, "no OpenCL device\n"); return 1; }
  char dname[256];
  clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof dname, dname, NULL);
  printf("# device %s\n", dname);
  cl_int err;
  ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
  CK(err);
  q = clCreateCommandQueue(ctx, dev, CL_QUEUE_PROFILING_ENABLE, &err);
  CK(err);
  char *src = slurp(argv[1]), path[1024];
  snprintf(path, sizeof path, "%s/plain.bin", argv[2]);
  cl_kernel plain = build(src, "", path);
  snprintf(path, sizeof path, "%s/stamped.bin", argv[2]);
  cl_kernel stamped = build(src, nvidia ? "-DSTAMPS=1 -DSTAMPS_PTX=1" : "-DSTAMPS=1", path);
  const int MAXN = getenv("TS_SMALL") ? atoi(getenv("TS_SMALL")) >= 256 ? atoi(getenv("TS_SMALL")) : 512 : 8192;
  const int MAXK = MAXN;
  const size_t na = (size_t)MAXN * MAXK;
  float *ha = malloc(na * sizeof *ha), *hb = malloc(na * sizeof *hb);
  srand(1);
  for (size_t i = 0; i < na; i++) ha[i] = (float)rand() / RAND_MAX - 0.5f;
  for (size_t i = 0; i < na; i++) hb[i] = (float)rand() / RAND_MAX - 0.5f;
  cl_mem A = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, na * 4, ha, &err);
  CK(err);
  cl_mem B = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, na * 4, hb, &err);
  CK(err);
  cl_mem C = clCreateBuffer(ctx, CL_MEM_READ_WRITE, (size_t)MAXN * MAXN * 4, NULL, &err);
  CK(err);
  const size_t ngroups = (size_t)(MAXN / 256) * (MAXN / 128);
  cl_mem S = clCreateBuffer(ctx, CL_MEM_READ_WRITE, ngroups * 8 * sizeof(cl_ulong), NULL, &err);
  CK(err);
  /* A and B are read with the leading dimensions of each case from the same buffers: the
   * host check uses the same strides. */
  printf("kind,M,N,K,seconds,gflops\n");
  const int mn[3] = {MAXN / 4 < 256 ? 256 : MAXN / 4, MAXN / 2 < 256 ? 256 : MAXN / 2, MAXN};
  for (int c = 0; c < 3; c++) {
    for (int K = 256; K <= MAXK; K *= 2) {
      if ((size_t)mn[c] * K > na) continue;
      const double s = run(plain, mn[c], mn[c], K, A, B, C, NULL, ha, hb, 0, 0);
      printf("plain,%d,%d,%d,%.9f,%.1f\n", mn[c], mn[c], K, s, 2.0 * mn[c] * mn[c] * K / s * 1e-9);
      fflush(stdout);
    }
  }
  if (argc == 4 && getenv("TS_SK")) {
    /* TS_SK=1: the stream-K tail (sk.patch's file as argv[3]): kinds sk0 (the full waves
     * data-parallel, the rest stream-K) and sk1 (one full wave fewer data-parallel); P holds
     * SK_SEGS = 4 partial tiles per compute unit. */
    char *psrc = slurp(argv[3]), bin[1024];
    cl_uint cus = 0;
    CK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cus, &cus, NULL));
    if (getenv("TS_CUS")) cus = (cl_uint)atoi(getenv("TS_CUS")); /* PoCL checks: odd splits */
    snprintf(bin, sizeof bin, "%s/dp.bin", argv[2]);
    cl_kernel dp = build_k(psrc, "-DLINEAR=1", bin, "gemm");
    snprintf(bin, sizeof bin, "%s/sk.bin", argv[2]);
    cl_kernel sk = build_k(psrc, "-DSK=1", bin, "gemm");
    cl_kernel fix = build_k(psrc, "-DSK=1", NULL, "sk_fixup");
    cl_mem P = clCreateBuffer(ctx, CL_MEM_READ_WRITE, (size_t)cus * 4 * 256 * 128 * 4, NULL, &err);
    CK(err);
    printf("# compute units %u\n", cus);
    for (int back = 0; back < 2; back++)
      for (int c = 0; c < 3; c++)
        for (int K = 256; K <= MAXK; K *= 2) {
          if ((size_t)mn[c] * K > na) continue;
          int T = 0;
          const double s = run_sk(dp, sk, fix, mn[c], mn[c], K, A, B, C, P, ha, hb, (int)cus, back, &T);
          printf("sk%d,%d,%d,%d,%.9f,%.1f,tail %d\n", back, mn[c], mn[c], K, s,
                 2.0 * mn[c] * mn[c] * K / s * 1e-9, T);
          fflush(stdout);
        }
  } else if (argc == 4 && getenv("TS_OPTS")) {
    /* Variants of the kernel file argv[3], each built with one of TS_OPTS's ';'-separated
     * option strings and launched like the plain kernel: kind v0, v1, ... (each variant's
     * program, NVIDIA's PTX, in OUTDIR/v<i>.bin) */
    char *psrc = slurp(argv[3]), *opts = strdup(getenv("TS_OPTS")), *save = NULL;
    int vi = 0;
    const int vta = getenv("TS_VTA") && atoi(getenv("TS_VTA")) == 1;
    for (char *o = strtok_r(opts, ";", &save); o; o = strtok_r(NULL, ";", &save), vi++) {
      char bin[1024];
      snprintf(bin, sizeof bin, "%s/v%d.bin", argv[2], vi);
      cl_kernel kv = build(psrc, o, bin);
      printf("# v%d: %s\n", vi, o);
      for (int c = 0; c < 3; c++) {
        for (int K = 256; K <= MAXK; K *= 2) {
          if ((size_t)mn[c] * K > na) continue;
          const double s = run(kv, mn[c], mn[c], K, A, B, C, NULL, ha, hb, 0, vta);
          printf("v%d,%d,%d,%d,%.9f,%.1f\n", vi, mn[c], mn[c], K, s,
                 2.0 * mn[c] * mn[c] * K / s * 1e-9);
          fflush(stdout);
        }
      }
    }
  } else if (argc == 4) {
    /* The persistent experiment (gemm_p.cl): launched one-dimensional, G work-groups taking
     * tiles G apart: G = the compute units (PGPU=1, and PGPU=2 with the next tile's first
     * slice loaded before the epilogue), and G = the tiles (the same code, one tile each). */
    char *psrc = slurp(argv[3]);
    cl_kernel p1 = build(psrc, "-DPGPU=1", NULL), p2 = build(psrc, "-DPGPU=2", NULL);
    cl_uint cus = 0;
    CK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cus, &cus, NULL));
    for (int c = 0; c < 3; c++) {
      for (int K = 256; K <= MAXK; K *= 2) {
        if ((size_t)mn[c] * K > na) continue;
        const size_t tiles = (size_t)(mn[c] / 256) * (mn[c] / 128);
        const struct { const char *name; cl_kernel k; size_t g; } v[3] = {
            {"pgpu1_tiles", p1, tiles}, {"pgpu1_cus", p1, cus}, {"pgpu2_cus", p2, cus}};
        for (int i = 0; i < 3; i++) {
          const double s = run(v[i].k, mn[c], mn[c], K, A, B, C, NULL, ha, hb, v[i].g, 0);
          printf("%s,%d,%d,%d,%.9f,%.1f\n", v[i].name, mn[c], mn[c], K, s,
                 2.0 * mn[c] * mn[c] * K / s * 1e-9);
          fflush(stdout);
        }
      }
    }
  }
  for (int c = 0; c < 3; c++) {
    const int n = mn[c];
    const double s = run(stamped, n, n, n, A, B, C, S, ha, hb, 0, 0);
    printf("stamped,%d,%d,%d,%.9f,%.1f\n", n, n, n, s, 2.0 * n * n * n / s * 1e-9);
    const size_t g = (size_t)(n / 256) * (n / 128);
    cl_ulong *st = malloc(g * 8 * sizeof *st);
    CK(clEnqueueReadBuffer(q, S, CL_TRUE, 0, g * 8 * sizeof *st, st, 0, NULL, NULL));
    char path[1024];
    snprintf(path, sizeof path, "%s/stamps_%d.csv", argv[2], n);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); return 1; }
    fprintf(f, "wg,sm,t0_ns,t1_ns,c_start,c_prologue,c_loop,c_end\n");
    for (size_t w = 0; w < g; w++)
      fprintf(f, "%zu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n", w, (unsigned long long)st[w * 8 + 2],
              (unsigned long long)st[w * 8], (unsigned long long)st[w * 8 + 6],
              (unsigned long long)st[w * 8 + 1], (unsigned long long)st[w * 8 + 3],
              (unsigned long long)st[w * 8 + 4], (unsigned long long)st[w * 8 + 5]);
    fclose(f);
    free(st);
  }
  return 0;
}
