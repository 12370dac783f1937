/* Implicit-GEMM 2-D convolution (NCHW, fp32 or half storage): one kernel for the forward
 * pass, the data gradient and the weight gradient (models/conv/conv.c sets it up).
 *
 * Each pass is, per group, a GEMM C[M x N] = A[M x Kd] * B[Kd x N] whose operands are
 * gathered straight from the tensors through two index tables the host builds per shape:
 *   rowtab[kk] = (b_off, h, w, a_off)  one per reduction index, padded with sentinels
 *   coltab[j]  = (b_off, h, w, c_off)  one per output column, padded with sentinels
 *   A(m, kk) = A[m * a_ms + rowtab[kk].w]             0 when m >= M or kk is past the split
 *   B(kk, j) = B[rt.x + ct.x]  when hh = rt.y + ct.y and ww = rt.z + ct.z lie in
 *              0 <= hh < BH, 0 <= ww < BW; 0 otherwise (zero padding, sentinels). The host
 *              folds the row and column positions into the offsets (x = base + h * pitch + w).
 *              With TAPMASK=1 (kernels of at most 31 taps) the host has turned the test into
 *              one AND: the tap side's y is its tap's bit, the position side's y the mask of
 *              the taps that stay inside for that position, so the element is there when
 *              (rt.y & ct.y) != 0 (z unused).
 *   C(m, j) = C[m * c_ms + coltab[j].w]
 * so one loader serves im2col (forward, weight gradient) and its transpose (data gradient,
 * launched once per stride phase so that no product is a structural zero).
 *
 * A work-group computes a TM x TN tile of C with NT = (TM/WM)*(TN/WN) work-items; each
 * work-item keeps a WM x WN block in registers, spread as float4 chunks over the tile so
 * local-memory reads are float4-wide and conflict-free. WTX work-items of a 32-lane warp lie
 * along N (a 2-D warp footprint reuses each local read across lanes). Tiles of TK reduction
 * steps are double-buffered in local memory while the next ones are fetched into registers:
 * one barrier per step.
 *
 * Fetching. B is fetched as a grid of BROWS rows x BCOLS columns per work-item: with
 * consecutive work-items along N in runs of BJ columns (BKMAJOR=0; BJ = 32, one warp, where
 * the tile allows, so that a work-item reads one rowtab entry per row for BCOLS columns) or
 * along the reduction (BKMAJOR=1: one row, LB columns), whichever is contiguous in memory
 * for the pass; the columns' coltab entries stay in registers for the whole reduction.
 * ADENSE=1 (set by the host when rowtab[kk].w == kk and rows of A are 16-byte aligned: the
 * forward pass with Cg*R*S a multiple of 4) fetches A as float4 along the reduction without
 * the table; otherwise one rowtab entry per step and work-item gives the A offsets.
 * Launch dimension 2 runs over groups x splits of the reduction (split-K); split s writes its
 * partial C at C + s * split_stride and conv_split_reduce (conv_aux.cl) sums them.
 *
 * Storage. HALF_IO=1 makes A, B, the bias and C (without split) IEEE half tensors, read with
 * vload_half / vloada_half4 and written with vstore_half_rte / vstorea_half4_rte (core OpenCL
 * C 1.2, no cl_khr_fp16: `half` only names the pointee). Registers, local memory, the
 * arithmetic and the split-K partials stay fp32, so the one difference from HALF_IO=0 is
 * the rounding of inputs and outputs. C is declared float (the split-K workspace is fp32
 * either way) and addressed as half through CH when a launch does not split.
 */
#ifndef TM
#define TM 64
#endif
#ifndef TN
#define TN 64
#endif
#ifndef TK
#define TK 8
#endif
#ifndef WM
#define WM 4
#endif
#ifndef WN
#define WN 4
#endif
#ifndef WTX
#define WTX 8
#endif
#ifndef BKMAJOR
#define BKMAJOR 0
#endif
#ifndef ADENSE
#define ADENSE 0
#endif
#ifndef TAPMASK
#define TAPMASK 0
#endif
#ifndef HALF_IO
#define HALF_IO 0
#endif

/* Global loads of A, B and the bias (element i of P; LOAD4A: elements i to i + 3 of P, with
 * P + i 4-element aligned) and stores of C (see the header comment). */
#if HALF_IO
typedef half io_t;
#define LOAD(P, i) vload_half((i), (P))
#define LOAD4A(P, i) vloada_half4(0, (P) + (i))
#define STORE_C4(v, at)                                                                       \
  do {                                                                                        \
    if (nsplit > 1) *(__global float4 *)(C + (at)) = (v);                                     \
    else vstorea_half4_rte((v), 0, CH + (at));                                                \
  } while (0)
#define STORE_C1(v, at)                                                                       \
  do {                                                                                        \
    if (nsplit > 1) C[at] = (v);                                                              \
    else vstore_half_rte((v), (at), CH);                                                      \
  } while (0)
#else
typedef float io_t;
#define LOAD(P, i) ((P)[i])
#define LOAD4A(P, i) (*(__global const float4 *)((P) + (i)))
#define STORE_C4(v, at) (*(__global float4 *)(C + (at)) = (v))
#define STORE_C1(v, at) (C[at] = (v))
#endif

#define NTX (TN / WN)            /* work-items along N */
#define NTY (TM / WM)            /* work-items along M */
#define NT (NTX * NTY)           /* work-group size */
#define WTY (32 / WTX)           /* work-items along M within a warp */
#define LA (TM * TK / NT)        /* A elements each work-item fetches per step */
#define LB (TN * TK / NT)        /* B elements each work-item fetches per step */
#define LDA (TM + 4)             /* local row pitch in floats: float4-aligned, skewed banks */
#define LDB (TN + 4)

#if (WM % 4) || (WN % 4) || (NTX % WTX) || (NTY % WTY) || (NT % TK) || ((TM * TK) % NT) || \
    ((TN * TK) % NT)
#error "conv_gemm.cl: inconsistent tile parameters"
#endif
#if ADENSE && ((TK % 4) || ((TM * TK) % (4 * NT)))
#error "conv_gemm.cl: ADENSE needs TK and TM*TK/(4*NT) whole"
#endif

/* The A fetch: A_KW consecutive reduction steps (one avec) per load, LAV loads per step. */
#if ADENSE
#define A_KW 4
typedef float4 avec;
#else
#define A_KW 1
typedef float avec;
#endif
#define LAV (LA / A_KW)
#define A_MSTEP (NT * A_KW / TK) /* rows between a work-item's loads */

/* The B fetch grid (see the header comment): work-item (b_kk, b_j) fetches rows
 * b_kk + r * B_RSTEP (r < BROWS) and columns b_j + c * B_CSTEP (c < BCOLS) of the step. */
#if BKMAJOR
#define BROWS 1
#define BCOLS LB
#define B_RSTEP 0 /* one row */
#define B_CSTEP (NT / TK)
#else
#if TN > 32 && (TN % 32) == 0 && ((TK * 32) % NT) == 0
#define BJ 32
#else
#define BJ TN
#endif
#if NT % BJ
#error "conv_gemm.cl: BKMAJOR=0 needs the work-group size to be a multiple of TN"
#endif
#define BROWS (TK * BJ / NT)
#define BCOLS (TN / BJ)
#define B_RSTEP (NT / BJ)
#define B_CSTEP BJ
#endif

typedef struct {
  int BH, BW;
} bounds;

/* One element of B (see the header comment). */
static inline float load_b(__global const io_t *restrict B, const int4 rt, const int4 ct,
                           const bounds bd) {
#if TAPMASK
  const bool inside = (rt.y & ct.y) != 0;
#else
  const int hh = rt.y + ct.y, ww = rt.z + ct.z;
  const bool inside = (uint)hh < (uint)bd.BH && (uint)ww < (uint)bd.BW;
#endif
  float v = 0.0f;
  if (inside) v = LOAD(B, rt.x + ct.x);
  return v;
}

/* The work-group: NTX x NTY when a warp covers whole rows of at least 16 work-items of the
 * grid (WTX == NTX >= 16), so that a work-item's column and row in the grid are its local
 * ids, in which a compiler that vectorises across work-items (16 floats per AVX-512
 * register) sees consecutive columns in consecutive work-items: vector loads from local
 * memory and one broadcast of A. Else NT x 1 (PoCL ran the default 8x8-block tile 1.3x
 * slower as an 8 x 8 work-group). models/conv.c launches the same shape; work-item tid is the
 * same either way. */
#define ROWS_2D (WTX == NTX && NTX >= 16)
#if ROWS_2D
#define WG_X NTX
#define WG_Y NTY
#else
#define WG_X NT
#define WG_Y 1
#endif

__kernel __attribute__((reqd_work_group_size(WG_X, WG_Y, 1))) void
conv_gemm(__global const io_t *restrict A, __global const io_t *restrict B,
          __global float *restrict C, __global const io_t *restrict bias,
          __global const int4 *restrict rowtab, __global const int4 *restrict coltab,
          const int M, const int N, const int Kd, const int kchunk, const int nsplit,
          const int a_ms, const int c_ms, const int a_gs, const int b_gs, const int c_gs,
          const int split_stride, const int BH, const int BW, const int has_bias,
          const int row0, const int col0) {
  __local float4 As4[2 * TK * LDA / 4];
  __local float4 Bs4[2 * TK * LDB / 4];
  __local float *As = (__local float *)As4;
  __local float *Bs = (__local float *)Bs4;
  const bounds bd = {BH, BW};

  const int tid = get_local_id(1) * WG_X + get_local_id(0);
  const int j0 = get_group_id(0) * TN;
  const int m0 = get_group_id(1) * TM;
  const int g = get_group_id(2) / nsplit;
  const int split = get_group_id(2) - g * nsplit;
  const int kbeg = split * kchunk;
  const int kend = min(Kd, kbeg + kchunk);
  A += g * a_gs;
  B += g * b_gs;
  rowtab += row0;
  coltab += col0;
  const int c_base = g * c_gs + split * split_stride; /* element offset of C: alignment */
#if HALF_IO
  __global half *restrict CH = (__global half *)C + c_base; /* C without split */
#endif
  C += c_base;

  /* Compute layout: a 2-D footprint per warp of WTX x WTY work-items. */
#if ROWS_2D
  const int tx = get_local_id(0), ty = get_local_id(1); /* tid % NTX, tid / NTX */
#else
  const int lane = tid % 32, warp = tid / 32;
  const int tx = (warp % (NTX / WTX)) * WTX + lane % WTX;
  const int ty = (warp / (NTX / WTX)) * WTY + lane / WTX;
#endif

  /* Fetch layout. A: consecutive work-items along the reduction, one element (rows a_m +
   * i * A_MSTEP) or, with ADENSE, four (rows a_m + i * A_MSTEP, steps 4 a_kk to 4 a_kk + 3). */
  const int a_kk = tid % (TK / A_KW), a_m = tid / (TK / A_KW);
#if BKMAJOR
  const int b_kk = tid % TK, b_j = tid / TK;
#else
  const int b_j = tid % BJ, b_kk = tid / BJ;
#endif
  int4 ct[BCOLS];
#pragma unroll
  for (int c = 0; c < BCOLS; c++) ct[c] = coltab[j0 + b_j + c * B_CSTEP];

  float acc[WM][WN];
#pragma unroll
  for (int i = 0; i < WM; i++)
#pragma unroll
    for (int j = 0; j < WN; j++) acc[i][j] = 0.0f;

  /* Iteration t fetches reduction tile t (global -> registers), computes tile t-1 from local
   * buffer buf^1 meanwhile, stores tile t into buffer buf; one barrier per tile. */
  avec ra[LAV];
  float rb[LB];
  int buf = 0;
  for (int k = kbeg, started = 0;; k += TK, buf ^= 1, started = 1) {
    const bool fetching = k < kend;
    if (fetching) {
      const int kka = k + a_kk * A_KW; /* kend is a multiple of 4 with ADENSE */
#if ADENSE
      const int aoff = kka;
#else
      const int aoff = rowtab[kka].w;
#endif
#pragma unroll
      for (int i = 0; i < LAV; i++) {
        const int m = m0 + a_m + i * A_MSTEP;
        ra[i] = (avec)(0.0f);
#if ADENSE
        if (kka < kend && m < M) ra[i] = LOAD4A(A + m * a_ms, aoff);
#else
        if (kka < kend && m < M) ra[i] = LOAD(A, m * a_ms + aoff);
#endif
      }
#pragma unroll
      for (int r = 0; r < BROWS; r++) {
        const int4 rt = rowtab[k + b_kk + r * B_RSTEP];
#pragma unroll
        for (int c = 0; c < BCOLS; c++) rb[r * BCOLS + c] = load_b(B, rt, ct[c], bd);
      }
    }
    if (started) {
      /* int indices from the buffers' bases (a per-work-item pointer is a gather to a
       * compiler that vectorises across work-items) */
      const int ab = (buf ^ 1) * TK * (LDA / 4) + ty, bb = (buf ^ 1) * TK * (LDB / 4) + tx;
#pragma unroll
      for (int kk = 0; kk < TK; kk++) {
        float a[WM], b[WN];
#pragma unroll
        for (int v = 0; v < WM / 4; v++) {
          const float4 t = As4[ab + kk * (LDA / 4) + v * NTY];
          a[4 * v] = t.x;
          a[4 * v + 1] = t.y;
          a[4 * v + 2] = t.z;
          a[4 * v + 3] = t.w;
        }
#pragma unroll
        for (int v = 0; v < WN / 4; v++) {
          const float4 t = Bs4[bb + kk * (LDB / 4) + v * NTX];
          b[4 * v] = t.x;
          b[4 * v + 1] = t.y;
          b[4 * v + 2] = t.z;
          b[4 * v + 3] = t.w;
        }
#pragma unroll
        for (int i = 0; i < WM; i++)
#pragma unroll
          for (int j = 0; j < WN; j++) acc[i][j] = mad(a[i], b[j], acc[i][j]);
      }
    }
    if (fetching) {
      const int aw = (buf * TK + a_kk * A_KW) * LDA + a_m, bw = (buf * TK + b_kk) * LDB + b_j;
#pragma unroll
      for (int i = 0; i < LAV; i++) {
#if ADENSE
        As[aw + i * A_MSTEP] = ra[i].x;
        As[aw + LDA + i * A_MSTEP] = ra[i].y;
        As[aw + 2 * LDA + i * A_MSTEP] = ra[i].z;
        As[aw + 3 * LDA + i * A_MSTEP] = ra[i].w;
#else
        As[aw + i * A_MSTEP] = ra[i];
#endif
      }
#pragma unroll
      for (int r = 0; r < BROWS; r++)
#pragma unroll
        for (int c = 0; c < BCOLS; c++)
          Bs[bw + r * B_RSTEP * LDB + c * B_CSTEP] = rb[r * BCOLS + c];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (!fetching) break;
  }

  /* Store: row m of chunk v is 4 * (v * NTY + ty) + e; columns likewise. Four columns of a
   * chunk that are consecutive and 16-byte aligned in C (the usual case) go as one float4. */
  int cols[WN], coff[WN];
#pragma unroll
  for (int j = 0; j < WN; j++) {
    cols[j] = j0 + 4 * ((j / 4) * NTX + tx) + j % 4;
    coff[j] = coltab[cols[j]].w;
  }
#pragma unroll
  for (int i = 0; i < WM; i++) {
    const int m = m0 + 4 * ((i / 4) * NTY + ty) + i % 4;
    if (m < M) {
      const float bv = has_bias ? LOAD(bias, g * M + m) : 0.0f;
#pragma unroll
      for (int v = 0; v < WN / 4; v++) {
        const int at = m * c_ms + coff[4 * v];
        const float4 val = (float4)(acc[i][4 * v], acc[i][4 * v + 1], acc[i][4 * v + 2],
                                    acc[i][4 * v + 3]) + bv;
        if (cols[4 * v + 3] < N && coff[4 * v + 3] == coff[4 * v] + 3 && ((c_base + at) & 3) == 0) {
          STORE_C4(val, at);
        } else {
          if (cols[4 * v] < N) STORE_C1(val.x, at);
          if (cols[4 * v + 1] < N) STORE_C1(val.y, m * c_ms + coff[4 * v + 1]);
          if (cols[4 * v + 2] < N) STORE_C1(val.z, m * c_ms + coff[4 * v + 2]);
          if (cols[4 * v + 3] < N) STORE_C1(val.w, m * c_ms + coff[4 * v + 3]);
        }
      }
    }
  }
}
