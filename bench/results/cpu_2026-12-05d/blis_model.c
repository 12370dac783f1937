/* A model of own SGEMM's CPU path (cl_kernels/gemm.cl, PERSIST) in plain C with AVX-512
 * intrinsics, one core: C (n x n) += A B, row-major; BLIS order jc (NC) / pc (KC) [B's KC x NC
 * block packed as 64-column micro-panels] / ic (MC) [A's MC x KC block packed as 6-row
 * micro-panels] / jr / ir, micro-tile 6x64 (24 zmm accumulators, A broadcast, 4 B loads per k).
 * Reference data for RESULTS.md ("CPU SGEMM: where the time goes", 2026-12-05 evening); not
 * part of the build.
 *   gcc -O3 -march=native blis_model.c -o blis_model
 *   ./blis_model N KC NC MC PACK_A PF   (PACK_A 0: A packed once and reused, a bound on the
 *   packing's cost; PF: software prefetch distance of B in floats, 0 for none)
 * Prints the best GFLOP/s of five calls.
 *   ./blis_model micro ITERS K          the micro-tile alone, ITERS times over the same A (6 x K)
 *   and B (K x 64) panels (L1- or L2-resident: K 256 is 64 KiB of B): its rate when no packing,
 *   C update or cache miss intervenes. */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MR = 6, NR = 64 };

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void micro(int kc, const float *a, const float *b, float *c, int ldc, int pf) {
  __m512 acc[MR][4];
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < 4; j++) acc[i][j] = _mm512_setzero_ps();
  for (int k = 0; k < kc; k++, a += MR, b += NR) {
    if (pf)
      for (int j = 0; j < 4; j++) _mm_prefetch((const char *)(b + pf + 16 * j), _MM_HINT_T0);
    const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
    const __m512 b2 = _mm512_load_ps(b + 32), b3 = _mm512_load_ps(b + 48);
    for (int i = 0; i < MR; i++) {
      const __m512 av = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(av, b1, acc[i][1]);
      acc[i][2] = _mm512_fmadd_ps(av, b2, acc[i][2]);
      acc[i][3] = _mm512_fmadd_ps(av, b3, acc[i][3]);
    }
  }
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < 4; j++) {
      float *p = c + i * ldc + 16 * j;
      _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), acc[i][j]));
    }
}

/* The micro-tile alone (see the top). */
static int micro_only(long iters, int K) {
  float *A = aligned_alloc(64, (size_t)MR * K * 4), *B = aligned_alloc(64, (size_t)NR * K * 4);
  float *C = aligned_alloc(64, MR * NR * 4);
  for (int i = 0; i < MR * K; i++) A[i] = 1e-3f * (i % 97);
  for (int i = 0; i < NR * K; i++) B[i] = 1e-3f;
  memset(C, 0, MR * NR * 4);
  const double t0 = now();
  for (long it = 0; it < iters; it++) micro(K, A, B, C, NR, 0);
  const double t = now() - t0;
  printf("micro K=%d: %.1f GFLOP/s (C[5] %g)\n", K, 2.0 * MR * NR * K * iters / t / 1e9, C[5]);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "micro")) return micro_only(atol(argv[2]), atoi(argv[3]));
  if (argc != 7) return fprintf(stderr, "usage: %s N KC NC MC PACK_A PF | micro ITERS K\n", argv[0]), 2;
  const int n = atoi(argv[1]), KC = atoi(argv[2]), NC = atoi(argv[3]), MC = atoi(argv[4]);
  const int pack_a = atoi(argv[5]), pf = atoi(argv[6]);
  float *A = aligned_alloc(64, (size_t)n * n * 4), *B = aligned_alloc(64, (size_t)n * n * 4);
  float *C = aligned_alloc(64, (size_t)n * n * 4);
  float *Bp = aligned_alloc(64, (size_t)KC * NC * 4), *Ap = aligned_alloc(64, (size_t)KC * MC * 4);
  for (size_t i = 0; i < (size_t)n * n; i++) A[i] = (i % 7) * 0.1f, B[i] = (i % 5) * 0.1f, C[i] = 0;
  double best = 1e9;
  for (int rep = 0; rep < 5; rep++) {
    const double t0 = now();
    for (int jc = 0; jc < n; jc += NC)
      for (int pc = 0; pc < n; pc += KC) {
        for (int jp = 0; jp < NC; jp += NR)
          for (int k = 0; k < KC; k++) memcpy(Bp + jp * KC + k * NR, B + (size_t)(pc + k) * n + jc + jp, NR * 4);
        for (int ic = 0; ic < n; ic += MC) {
          if (pack_a || (rep == 0 && jc == 0 && pc == 0 && ic == 0))
            for (int ip = 0; ip < MC; ip += MR)
              for (int k = 0; k < KC; k++)
                for (int i = 0; i < MR; i++)
                  Ap[ip * KC + k * MR + i] = ic + ip + i < n ? A[(size_t)(ic + ip + i) * n + pc + k] : 0;
          for (int jr = 0; jr < NC; jr += NR)
            for (int ir = 0; ir + MR <= MC && ic + ir + MR <= n; ir += MR)
              micro(KC, Ap + ir * KC, Bp + jr * KC, C + (size_t)(ic + ir) * n + jc + jr, n, pf);
        }
      }
    const double t = now() - t0;
    if (t < best) best = t;
  }
  printf("n=%d KC=%d NC=%d MC=%d pack_a=%d pf=%d: %.1f GFLOP/s\n", n, KC, NC, MC, pack_a, pf,
         2.0 * n * n * n / best / 1e9);
  return 0;
}
