/* int8 GEMM with int32 accumulation: C (m x n, int32) = A (m x k, int8) * B^T (B: n x k, int8),
 * both operands "k-contiguous": row r of A and row c of B hold their k values one after
 * another, so four consecutive k values of a row are one 32-bit word ("packed char4") and a
 * word of A times a word of B is a 4-term dot product. Other layouts (transposed operands,
 * unaligned rows, sizes that are not multiples of the tile) are first copied by igemm_pack
 * into zero-padded k-contiguous buffers.
 *
 * igemm: work-group (WX = BN / TN) x (WY = BM / TM) computes a BM x BN tile of C, each
 * work-item TM x TN of it. The K dimension is walked in slices of BK bytes (BK / 4 words):
 * the work-group loads the A and B slices with 16-byte loads into registers, stores them
 * transposed into local memory (word kw of row r at As[kw][r], rows padded by PAD words
 * against bank conflicts), and while it multiplies that slice the registers already fetch the
 * next one. A work-item's rows are VM consecutive rows, groups of them WY * VM apart (its
 * columns likewise with VN and WX), so its local reads are VM- and VN-word vectors and the
 * reads of neighbouring work-items are consecutive (conflict-free on GPUs).
 *
 * LOCAL=0 (CPUs, where local memory is ordinary memory and barriers split the work-group
 * into loops): no local memory and no barrier, and explicit vectors: a work-item computes TM
 * rows times TN (4, 8 or 16) consecutive columns held as one intTN vector per row. B comes
 * packed "word-major" (word kw of column c at B[kw * ldb + c]), so a step reads TN
 * consecutive words of B as one vector and splits them into the 4 sign-extended bytes of
 * every column; each row's word of A is split likewise and multiplies them (plain DOT only).
 *
 * The 4-term products (DOT):
 *   0  plain int arithmetic: the bytes sign-extended, multiplied and added (baseline, any
 *      OpenCL C 1.2 device);
 *   1  cl_khr_integer_dot_product's dot_4x8packed_ss_int (signed x signed packed, no
 *      saturation), where the device reports the extension and a test compile succeeds;
 *   2  NVIDIA PTX dp4a.s32.s32 through inline assembly (compute capability 6.1 and later;
 *      NVIDIA's OpenCL does not report cl_khr_integer_dot_product), only where it builds.
 * Every mode accumulates exactly in int32: with |a|, |b| <= 128 a sum of k products stays
 * below 2^31 for k < 2^17 (the host refuses larger k).
 *
 * Build options: -DBM -DBN -DTM -DTN -DVM=1|2|4 -DVN=1|2|4 -DBK (multiple of 16) -DPAD -DDOT
 * -DLOCAL=0|1 (VM, VN and PAD: LOCAL=1 only).
 */
#ifndef DOT
#define DOT 0
#endif
#ifndef LOCAL
#define LOCAL 1
#endif

#if DOT == 1
#pragma OPENCL EXTENSION cl_khr_integer_dot_product : enable
#define DOT4(acc, a, b) ((acc) += dot_4x8packed_ss_int((a), (b)))
#elif DOT == 2
/* __asm__, not asm: OpenCL C has no asm keyword (NVIDIA's compiler takes both, clang only this) */
#define DOT4(acc, a, b)                                                                         \
  __asm__("dp4a.s32.s32 %0, %1, %2, %3;" : "=r"(acc) : "r"(a), "r"(b), "r"(acc))
#else
#define DOT4(acc, a, b) ((acc) += dot4_plain((a), (b)))
#endif

/* ------------------------------------------------------------------ packing */

/* dst = the rows x k matrix X as packed words, zero-padded to rows_p x kw_p words, where
 * element (r, kk) of X is src[off + r * ld + kk] (kmajor = 0) or src[off + kk * ld + r]
 * (kmajor = 1: X stored transposed); word w of row r at dst[r * kw_p + w] (k-contiguous rows)
 * or, with wordmajor, at dst[w * rows_p + r]. Work-item (w, r) writes word w of row r. */
__kernel void igemm_pack(__global const char *restrict src, uint off, uint ld, uint kmajor,
                         uint rows, uint k, __global uint *restrict dst, uint kw_p,
                         uint wordmajor) {
  const uint w = (uint)get_global_id(0), r = (uint)get_global_id(1);
  char v[4] = {0, 0, 0, 0};
  if (r < rows)
    for (uint e = 0; e < 4; e++) {
      const uint kk = 4 * w + e;
      if (kk < k) v[e] = kmajor ? src[off + kk * ld + r] : src[off + r * ld + kk];
    }
  /* memory order, so that packed words match 16-byte loads of unpacked rows */
  const size_t at = wordmajor ? (size_t)w * get_global_size(1) + r : (size_t)r * kw_p + w;
  dst[at] = as_uint((char4)(v[0], v[1], v[2], v[3]));
}

/* ------------------------------------------------------------------ GEMM */

#define WX (BN / TN)
#define WY (BM / TM)
#define WG (WX * WY)
#define KW (BK / 4)  /* words per row of a slice */
#define KQ (BK / 16) /* 16-byte loads per row of a slice */
#define NLA ((BM * KQ + WG - 1) / WG)
#define NLB ((BN * KQ + WG - 1) / WG)
#define SA (BM + PAD) /* local row stride in words */
#define SB (BN + PAD)

#if VM == 4
#define VMT uint4
#elif VM == 2
#define VMT uint2
#else
#define VMT uint
#endif
#if VN == 4
#define VNT uint4
#elif VN == 2
#define VNT uint2
#else
#define VNT uint
#endif

#if DOT == 0
inline int dot4_plain(uint a, uint b) {
  const int4 x = convert_int4(as_char4(a)), y = convert_int4(as_char4(b));
  return x.s0 * y.s0 + x.s1 * y.s1 + x.s2 * y.s2 + x.s3 * y.s3;
}
#endif

/* The i-th word of a vector of width 4, 2 or 1 (as_uint4 etc. would need equal sizes). */
#define WORD4(v, e) ((e) == 0 ? (v).s0 : (e) == 1 ? (v).s1 : (e) == 2 ? (v).s2 : (v).s3)
#define WORD2(v, e) ((e) == 0 ? (v).s0 : (v).s1)
#define WORD1(v, e) (v)
#define WORD(n) CAT(WORD, n)

/* Stores the 16-byte loads r[] of one slice (rows of ROWS, NL per work-item) into L. */
#define STORE_SLICE(L, S, ROWS, NL, r)                                                         \
  for (int l = 0; l < NL; l++) {                                                               \
    const uint q = lid + (uint)l * WG;                                                         \
    if (NL * WG == ROWS * KQ || q < ROWS * KQ) {                                               \
      const uint row = q / KQ, w = (q % KQ) * 4;                                               \
      L[(w + 0) * S + row] = r[l].s0;                                                          \
      L[(w + 1) * S + row] = r[l].s1;                                                          \
      L[(w + 2) * S + row] = r[l].s2;                                                          \
      L[(w + 3) * S + row] = r[l].s3;                                                          \
    }                                                                                          \
  }

/* Loads slice t of the ROWS rows from row0 of X (ldq 16-byte units per row) into r[]. */
#define LOAD_SLICE(X, xoff, ldq, row0, ROWS, NL, t, r)                                         \
  for (int l = 0; l < NL; l++) {                                                               \
    const uint q = lid + (uint)l * WG;                                                         \
    if (NL * WG == ROWS * KQ || q < ROWS * KQ)                                                 \
      r[l] = X[xoff + (row0 + q / KQ) * ldq + (t) * KQ + q % KQ];                              \
  }

#if LOCAL
__kernel __attribute__((reqd_work_group_size(WX, WY, 1))) void
igemm(__global const uint4 *restrict A, uint aoff, uint ldaq, __global const uint4 *restrict B,
      uint boff, uint ldbq, __global int *restrict C, uint coff, uint ldc, uint m, uint n,
      uint slices) {
  __local uint As[KW * SA] __attribute__((aligned(16)));
  __local uint Bs[KW * SB] __attribute__((aligned(16)));
  const uint tx = (uint)get_local_id(0), ty = (uint)get_local_id(1), lid = ty * WX + tx;
  const uint row0 = (uint)get_group_id(1) * BM, col0 = (uint)get_group_id(0) * BN;
  int acc[TM][TN];
  for (int i = 0; i < TM; i++)
    for (int j = 0; j < TN; j++) acc[i][j] = 0;
  uint4 ra[NLA], rb[NLB];
  if (slices > 0) {
    LOAD_SLICE(A, aoff, ldaq, row0, BM, NLA, 0u, ra);
    LOAD_SLICE(B, boff, ldbq, col0, BN, NLB, 0u, rb);
  }
  for (uint t = 0; t < slices; t++) {
    barrier(CLK_LOCAL_MEM_FENCE);
    STORE_SLICE(As, SA, BM, NLA, ra);
    STORE_SLICE(Bs, SB, BN, NLB, rb);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (t + 1 < slices) {
      LOAD_SLICE(A, aoff, ldaq, row0, BM, NLA, t + 1, ra);
      LOAD_SLICE(B, boff, ldbq, col0, BN, NLB, t + 1, rb);
    }
#pragma unroll
    for (int kw = 0; kw < KW; kw++) {
      uint a[TM], b[TN];
#pragma unroll
      for (int g = 0; g < TM / VM; g++) {
        const VMT v = *(__local const VMT *)&As[kw * SA + (ty + (uint)g * WY) * VM];
#pragma unroll
        for (int e = 0; e < VM; e++) a[g * VM + e] = WORD(VM)(v, e);
      }
#pragma unroll
      for (int g = 0; g < TN / VN; g++) {
        const VNT v = *(__local const VNT *)&Bs[kw * SB + (tx + (uint)g * WX) * VN];
#pragma unroll
        for (int e = 0; e < VN; e++) b[g * VN + e] = WORD(VN)(v, e);
      }
#pragma unroll
      for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) DOT4(acc[i][j], a[i], b[j]);
    }
  }
#pragma unroll
  for (int i = 0; i < TM; i++) {
    const uint r = row0 + (ty + (uint)(i / VM) * WY) * VM + (uint)(i % VM);
#pragma unroll
    for (int j = 0; j < TN; j++) {
      const uint c = col0 + (tx + (uint)(j / VN) * WX) * VN + (uint)(j % VN);
      if (r < m && c < n) C[coff + r * ldc + c] = acc[i][j];
    }
  }
}

#else

/* One work-item: TM consecutive rows times TN consecutive columns, the columns as one vector.
 * A: k-contiguous rows (aoff, ldaq in 16-byte units); B: word-major, boff in 16-byte units,
 * ldbw words per k-word row. */
#define UVEC CAT(uint, TN)
#define IVEC CAT(int, TN)
#define VLOAD CAT(vload, TN)
#define VSTORE CAT(vstore, TN)

__kernel __attribute__((reqd_work_group_size(WX, WY, 1))) void
igemm(__global const uint *restrict A, uint aoff, uint ldaq, __global const uint *restrict B,
      uint boff, uint ldbw, __global int *restrict C, uint coff, uint ldc, uint m, uint n,
      uint slices) {
  const uint tx = (uint)get_local_id(0), ty = (uint)get_local_id(1);
  const uint row0 = (uint)get_group_id(1) * BM + ty * TM;
  const uint col0 = (uint)get_group_id(0) * BN + tx * TN;
  __global const uint *a0 = A + 4 * aoff + row0 * 4 * ldaq;
  __global const uint *b0 = B + 4 * boff + col0;
  IVEC acc[TM];
  for (int i = 0; i < TM; i++) acc[i] = 0;
  const uint words = slices * KW;
  for (uint kw = 0; kw < words; kw++) {
    /* the bytes of TN words, sign-extended: byte e of every column */
    const IVEC w = CAT(as_int, TN)(VLOAD(0, b0 + kw * ldbw));
    const IVEC b1 = (w << 24) >> 24, b2 = (w << 16) >> 24, b3 = (w << 8) >> 24, b4 = w >> 24;
    /* mad24: the products are of 8-bit values, exact in 24 bits. Written as int products,
     * Intel's CPU compiler narrowed them to 16-bit multiplies and widened each one back
     * (more instructions per product than PoCL's 32-bit multiply-add, which both emit for
     * mad24). */
#pragma unroll
    for (int i = 0; i < TM; i++) {
      const int x = (int)a0[(uint)i * 4 * ldaq + kw];
      acc[i] = mad24(b1, (IVEC)((x << 24) >> 24), acc[i]);
      acc[i] = mad24(b2, (IVEC)((x << 16) >> 24), acc[i]);
      acc[i] = mad24(b3, (IVEC)((x << 8) >> 24), acc[i]);
      acc[i] = mad24(b4, (IVEC)(x >> 24), acc[i]);
    }
  }
#pragma unroll
  for (int i = 0; i < TM; i++) {
    const uint r = row0 + (uint)i;
    if (r >= m) continue;
    if (col0 + TN <= n) {
      VSTORE(acc[i], 0, C + coff + r * ldc + col0);
    } else {
      const int *v = (const int *)&acc[i];
      for (uint j = 0; col0 + j < n; j++) C[coff + r * ldc + col0 + j] = v[j];
    }
  }
}

#endif
