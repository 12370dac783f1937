/* Tiled SGEMM, row-major: C = alpha * op(A) * op(B) + beta * C, with C of M x N and K the
 * inner dimension. One parameterised kernel; models/gemm.c chooses the -D options:
 *
 *   TA, TB     0: A is M x K (B is K x N) as stored; 1: A is stored K x M (B stored N x K)
 *   BM, BN     rows and columns of C per work-group
 *   TM, TN     rows and columns of C per work-item (register tile); local size (BN/TN, BM/TM)
 *   VM, VN     vector widths along m (A fragment from local memory) and n (B fragment, C)
 *   STRIDED    1: a work-item's VM-row / VN-column groups are spaced a work-group width apart
 *              (conflict-free local reads, coalesced stores on GPUs); 0: contiguous (CPUs)
 *   LOCAL      1: K-slices of BK staged in local memory, double-buffered, loaded with VG-wide
 *              global reads; 0: fragments read straight from global memory (CPUs: A values
 *              broadcast, B rows as VN-wide vectors; needs TB=0)
 *   BK, VG, PAD  K-slice depth, global load width, local row padding in floats (LOCAL=1)
 *   USE_FMA    1: the device has a hardware fused multiply-add (fma instead of mad)
 *   KC         LOCAL=0 only: a work-group barrier every KC steps of k, so that a CPU driver
 *              that runs work-items in turn between barriers keeps the A and B panels of the
 *              work-group in cache (0: none)
 *
 * Preconditions checked by the host (models/gemm.c): the launch covers ceil(M/BM)*BM rows and
 * ceil(N/BN)*BN columns and A, B hold that many rows/columns (zero-padded copies otherwise);
 * with LOCAL=1, K is a multiple of BK, lda/ldb and the offsets of A and B are multiples of VG;
 * with LOCAL=0, ldb and the offset of B are multiples of VN (and with TA=1, lda and the offset
 * of A multiples of VM). C stores are guarded by M and N;
 * c_vec says whether ldc and the offset of C allow VN-wide stores. Offsets are in floats.
 */

#ifndef TA
#define TA 0
#endif
#ifndef TB
#define TB 0
#endif
#ifndef BM
#define BM 64
#endif
#ifndef BN
#define BN 64
#endif
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
#ifndef VM
#define VM 4
#endif
#ifndef VN
#define VN 4
#endif
#ifndef STRIDED
#define STRIDED 1
#endif
#ifndef LOCAL
#define LOCAL 1
#endif
#ifndef BK
#define BK 16
#endif
#ifndef VG
#define VG 4
#endif
#ifndef PAD
#define PAD 4
#endif
#ifndef KC
#define KC 0
#endif

#if !LOCAL && TB
#error "LOCAL=0 reads B stored k x n only (TB=0): the host copies a transposed B first"
#endif

#define WGN (BN / TN)    /* work-items along n */
#define WGM (BM / TM)    /* work-items along m */
#define NT (WGN * WGM)   /* work-items per work-group */
#define GM (TM / VM)     /* VM-row groups per work-item */
#define GN (TN / VN)     /* VN-column groups per work-item */

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if VN == 1
typedef float vecn;
#else
typedef CAT(float, VN) vecn;
#endif
#if VM == 1
typedef float vecm;
#else
typedef CAT(float, VM) vecm;
#endif
#if VG == 1
typedef float vecg;
#else
typedef CAT(float, VG) vecg;
#endif

/* First row (in VM units) of row group g and first column (in VN units) of column group j. */
#if STRIDED
#define ROWV(g, tm) ((g) * WGM + (tm))
#define COLV(j, tn) ((j) * WGN + (tn))
#else
#define ROWV(g, tm) ((tm) * GM + (g))
#define COLV(j, tn) ((tn) * GN + (j))
#endif

/* Multiply-add: fused where the device has a hardware fma (the host sets USE_FMA from
 * CL_DEVICE_SINGLE_FP_CONFIG; FP_FAST_FMAF where the compiler says so), else mad, which never
 * falls back to a slow software fma. (mad alone is not enough: PoCL compiles it to a multiply
 * and an add, half the FMA rate.) */
#ifndef USE_FMA
#define USE_FMA 0
#endif
#if USE_FMA || defined(FP_FAST_FMAF)
#define MAC(a, b, c) fma(a, b, c)
#else
#define MAC(a, b, c) mad(a, b, c)
#endif

/* dst[base + e] = lane e of the VM-vector av. */
#if VM == 1
#define SPLIT_M(av, dst, base) dst[(base)] = (av);
#elif VM == 2
#define SPLIT_M(av, dst, base)                                                                  \
  dst[(base)] = (av).s0;                                                                        \
  dst[(base) + 1] = (av).s1;
#elif VM == 4
#define SPLIT_M(av, dst, base)                                                                  \
  dst[(base)] = (av).s0;                                                                        \
  dst[(base) + 1] = (av).s1;                                                                    \
  dst[(base) + 2] = (av).s2;                                                                    \
  dst[(base) + 3] = (av).s3;
#elif VM == 8
#define SPLIT_M(av, dst, base)                                                                  \
  dst[(base)] = (av).s0;                                                                        \
  dst[(base) + 1] = (av).s1;                                                                    \
  dst[(base) + 2] = (av).s2;                                                                    \
  dst[(base) + 3] = (av).s3;                                                                    \
  dst[(base) + 4] = (av).s4;                                                                    \
  dst[(base) + 5] = (av).s5;                                                                    \
  dst[(base) + 6] = (av).s6;                                                                    \
  dst[(base) + 7] = (av).s7;
#else
#error "VM must be 1, 2, 4 or 8"
#endif

/* Unaligned store of a vecn into private floats. */
#if VN == 1
#define VSTOREN(v, p) (*(p) = (v))
#else
#define VSTOREN(v, p) CAT(vstore, VN)((v), 0, (p))
#endif

#if LOCAL
#define LDA_L (BM + PAD) /* floats per k-row of the A slice (m contiguous) */
#define LDB_L (BN + PAD) /* floats per k-row of the B slice (n contiguous) */
#define LA (BM * BK / (VG * NT)) /* VG-vectors of A each work-item loads per slice */
#define LB (BN * BK / (VG * NT))

/* Stores the VG lanes of v down a column of a k-major slice: s[(k0+e)*ld + col] = v.s<e>. */
#if VG == 1
#define STORE_COLUMN(s, ld, k0, col, v) s[(k0) * (ld) + (col)] = (v);
#elif VG == 2
#define STORE_COLUMN(s, ld, k0, col, v)                                                         \
  s[(k0) * (ld) + (col)] = (v).s0;                                                              \
  s[((k0) + 1) * (ld) + (col)] = (v).s1;
#elif VG == 4
#define STORE_COLUMN(s, ld, k0, col, v)                                                         \
  s[(k0) * (ld) + (col)] = (v).s0;                                                              \
  s[((k0) + 1) * (ld) + (col)] = (v).s1;                                                        \
  s[((k0) + 2) * (ld) + (col)] = (v).s2;                                                        \
  s[((k0) + 3) * (ld) + (col)] = (v).s3;
#else
#error "VG must be 1, 2 or 4"
#endif
#endif

__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1))) void
gemm(const int M, const int N, const int K, const float alpha, const float beta,
     __global const float *restrict A, const int a_off, const int lda,
     __global const float *restrict B, const int b_off, const int ldb,
     __global float *restrict C, const int c_off, const int ldc, const int c_vec) {
  const int tn = get_local_id(0), tm = get_local_id(1);
  const int gn = get_group_id(0) * BN, gm = get_group_id(1) * BM;
  vecn acc[TM][GN];
#pragma unroll
  for (int i = 0; i < TM; i++) {
#pragma unroll
    for (int j = 0; j < GN; j++) acc[i][j] = (vecn)(0.0f);
  }
  float a[TM]; /* the A fragment of one k: rows of the work-item's tile */
  vecn b[GN];  /* the B fragment of one k: its columns */

#if LOCAL
  /* Double-buffered K-slices, one barrier per slice. Iteration t stores slice t-1 (loaded
   * into registers during iteration t-1) into buffer (t-1)&1, waits, issues the global loads
   * of slice t, and computes on slice t-1 while they land. A work-item storing into a buffer
   * in iteration t has passed the barrier of iteration t-1, which every work-item reached
   * after its last reads of that buffer (iteration t-2). */
  __local vecm As_v[2 * BK * LDA_L / VM];
  __local vecn Bs_v[2 * BK * LDB_L / VN];
  __local float *As = (__local float *)As_v;
  __local float *Bs = (__local float *)Bs_v;
  const int tid = tm * WGN + tn;
  __global const vecg *A4 = (__global const vecg *)(A + a_off);
  __global const vecg *B4 = (__global const vecg *)(B + b_off);
  const int lda4 = lda / VG, ldb4 = ldb / VG;
  const int nslices = K / BK;
  vecg ra[LA], rb[LB];
  for (int t = 0; t <= nslices; t++) {
    const int buf = (t + 1) & 1; /* buffer of slice t-1 */
    if (t > 0) {
      __local float *as_w = As + buf * (BK * LDA_L);
      __local float *bs_w = Bs + buf * (BK * LDB_L);
#pragma unroll
      for (int l = 0; l < LA; l++) {
        const int v = tid + l * NT;
#if TA
        *(__local vecg *)(as_w + (v / (BM / VG)) * LDA_L + (v % (BM / VG)) * VG) = ra[l];
#else
        STORE_COLUMN(as_w, LDA_L, (v % (BK / VG)) * VG, v / (BK / VG), ra[l])
#endif
      }
#pragma unroll
      for (int l = 0; l < LB; l++) {
        const int v = tid + l * NT;
#if TB
        STORE_COLUMN(bs_w, LDB_L, (v % (BK / VG)) * VG, v / (BK / VG), rb[l])
#else
        *(__local vecg *)(bs_w + (v / (BN / VG)) * LDB_L + (v % (BN / VG)) * VG) = rb[l];
#endif
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t < nslices) {
      const int k0 = t * BK;
#pragma unroll
      for (int l = 0; l < LA; l++) {
        const int v = tid + l * NT;
#if TA
        ra[l] = A4[(k0 + v / (BM / VG)) * lda4 + gm / VG + v % (BM / VG)];
#else
        ra[l] = A4[(gm + v / (BK / VG)) * lda4 + k0 / VG + v % (BK / VG)];
#endif
      }
#pragma unroll
      for (int l = 0; l < LB; l++) {
        const int v = tid + l * NT;
#if TB
        rb[l] = B4[(gn + v / (BK / VG)) * ldb4 + k0 / VG + v % (BK / VG)];
#else
        rb[l] = B4[(k0 + v / (BN / VG)) * ldb4 + gn / VG + v % (BN / VG)];
#endif
      }
    }
    if (t > 0) {
      __local const vecm *as = As_v + buf * (BK * LDA_L / VM);
      __local const vecn *bs = Bs_v + buf * (BK * LDB_L / VN);
#pragma unroll
      for (int kk = 0; kk < BK; kk++) {
#pragma unroll
        for (int j = 0; j < GN; j++) b[j] = bs[kk * (LDB_L / VN) + COLV(j, tn)];
#pragma unroll
        for (int g = 0; g < GM; g++) {
          const vecm av = as[kk * (LDA_L / VM) + ROWV(g, tm)];
          SPLIT_M(av, a, g * VM)
        }
#pragma unroll
        for (int i = 0; i < TM; i++) {
#pragma unroll
          for (int j = 0; j < GN; j++) acc[i][j] = MAC((vecn)(a[i]), b[j], acc[i][j]);
        }
      }
    }
  }
#else
  __global const float *Ap = A + a_off;
  __global const float *Bp = B + b_off + gn;
  const int kc = KC > 0 ? KC : K;
  for (int k0 = 0; k0 < K; k0 += kc) {
    const int kend = min(K, k0 + kc);
    for (int k = k0; k < kend; k++) {
#pragma unroll
      for (int j = 0; j < GN; j++) b[j] = *(__global const vecn *)(Bp + k * ldb + COLV(j, tn) * VN);
#pragma unroll
      for (int g = 0; g < GM; g++) {
        const int row = gm + ROWV(g, tm) * VM;
#if TA
        const vecm av = *(__global const vecm *)(Ap + k * lda + row);
        SPLIT_M(av, a, g * VM)
#else
#pragma unroll
        for (int e = 0; e < VM; e++) a[g * VM + e] = Ap[(row + e) * lda + k];
#endif
      }
#pragma unroll
      for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < GN; j++) acc[i][j] = MAC((vecn)(a[i]), b[j], acc[i][j]);
      }
    }
#if KC > 0
    barrier(CLK_GLOBAL_MEM_FENCE);
#endif
  }
#endif

  /* Epilogue: C = alpha * acc + beta * C, guarded by M and N; beta == 0 never reads C. */
  __global float *Cp = C + c_off;
#pragma unroll
  for (int g = 0; g < GM; g++) {
#pragma unroll
    for (int e = 0; e < VM; e++) {
      const int row = gm + ROWV(g, tm) * VM + e;
      if (row >= M) continue;
#pragma unroll
      for (int j = 0; j < GN; j++) {
        const int col = gn + COLV(j, tn) * VN;
        __global float *cp = Cp + row * ldc + col;
        const vecn r = alpha * acc[g * VM + e][j];
        if (c_vec && col + VN <= N) {
          __global vecn *cv = (__global vecn *)cp;
          *cv = beta == 0.0f ? r : MAC((vecn)beta, *cv, r);
        } else {
          float lanes[VN];
          VSTOREN(r, lanes);
          for (int v = 0; v < VN && col + v < N; v++)
            cp[v] = beta == 0.0f ? lanes[v] : MAC(beta, cp[v], lanes[v]);
        }
      }
    }
  }
}
