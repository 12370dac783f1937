/* Tiled SGEMM, row-major: C = alpha * op(A) * op(B) + beta * C, with C of M x N and K the
 * inner dimension. One parameterised kernel; models/gemm/gemm.c chooses the -D options:
 *
 *   TA, TB     0: A is M x K (B is K x N) as stored; 1: A is stored K x M (B stored N x K)
 *   BM, BN     rows and columns of C per work-group
 *   TM, TN     rows and columns of C per work-item (register tile); local size (BN/TN, BM/TM)
 *   VM, VN     vector widths along m (A fragment from local memory) and n (B fragment, C)
 *   STRIDED    1: a work-item's VM-row / VN-column groups are spaced a lane-grid width apart
 *              (conflict-free local reads, coalesced stores on GPUs); 0: contiguous (CPUs)
 *   LM, LN     STRIDED=1: the lane grid, LM x LN work-items (0: the whole work-group). The
 *              work-group is split into (WGM/LM) x (WGN/LN) such grids ("warp tiles") of
 *              consecutive work-items, each covering LM*TM rows and LN*TN columns of the
 *              work-group's tile; with LM*LN = 32 one warp reads each local fragment with
 *              LM (A) and LN (B) distinct addresses, fewer shared-memory wavefronts than a
 *              grid spanning the work-group
 *   LOCAL      1: K-slices of BK staged in local memory, double-buffered, loaded with VG-wide
 *              global reads; 0: fragments read straight from global memory (CPUs: A values
 *              broadcast, B rows as VN-wide vectors; needs TB=0)
 *   BK, VG, PAD  K-slice depth, global load width, local row padding in floats (LOCAL=1)
 *   USE_FMA    1: the device has a hardware fused multiply-add (fma instead of mad)
 *   KC         LOCAL=0 only: a work-group barrier every KC steps of k, so that a CPU driver
 *              that runs work-items in turn between barriers keeps the A and B panels of the
 *              work-group in cache (0: none)
 *   PACK       LOCAL=0 and KC > 0 only: 1: the work-group first copies its B panel of the KC
 *              steps (KC x BN floats) into local memory, rows contiguous, and every work-item
 *              reads its B fragments there (CPUs: B's rows are ldb apart in global memory, at
 *              power-of-two sizes in the same L1 sets and each on its own page; the packed
 *              panel is one small contiguous block, read by all BM / TM rows of work-items)
 *   PANEL      LOCAL=0, STRIDED=0, PACK=0 only: which operands are stored as panels (the
 *              host's operand copy, once per call), a sum of 1 (A: TM-row micro-panels, A(m, k)
 *              at (m / TM) * K * TM + k * TM + m % TM; needs TA=0, lda unused) and 2 (B:
 *              BN-column panels, B(k, n) at (n / BN) * K * BN + k * BN + n % BN; ldb unused),
 *              K the kernel's K. Per k a work-item reads TM contiguous floats of A
 *              (broadcasts) and TN of B, and a work-group's B block of KC steps is one
 *              contiguous KC x BN block that all its rows of work-items share (CPUs: no
 *              page-apart rows, no per-work-group copy)
 *   PERSIST    LOCAL=0, STRIDED=0, VM=1, PACK=0, PANEL=0, KC a multiple of 16, BM and BN of 16
 *              only: 1: persistent work-groups in BLIS order (CPUs). The launch is a few
 *              work-groups (one per compute unit), each looping: for each block of BN columns
 *              (nc), for each block of KC steps (kc), it packs op(B)'s kc x nc block into local
 *              memory as TN-wide micro-panels; then for each block of BM rows (mc) of its
 *              range of rows (one range of whole TM-row micro-panels per work-group, the
 *              ranges within one micro-panel of each other) each work-item multiplies one
 *              TM x TN micro-tile (work-items down A's micro-panels first: the B
 *              micro-panel stays in L1 across consecutive work-items, the A block in L2) and
 *              adds it into C (beta on the first kc block). A float op(A) with k contiguous
 *              is read in place; a transposed or half one is packed per mc x kc block first
 *              (PACK_A). The packing reads any layout (TA, TB), alignment and size (zeros
 *              beyond M, N, K): no operand copies, no padding. C's tile is prefetched before
 *              its k loop (PREFETCH)
 *   CPU_DEVICE PERSIST only: 1: the device is a CPU, all its address spaces the host's (PREFETCH
 *              below; the host sets it)
 *   STREAMK    LOCAL=1 only: a part of a stream-K call (models/gemm/gemm.c, streamk): 1, the
 *              data-parallel part: work-group g of a one-row launch takes tile g, the tiles
 *              numbered row-major over ceil(M/BM) x ceil(N/BN); 2, the stream-K part: the
 *              K-slices of the tiles from sk_base on, one range tile after tile, work-group w
 *              taking slices [w * sk_slices, (w + 1) * sk_slices): a segment (a run of one
 *              tile's slices) for each tile it reaches, at most sk_segs, the j-th segment's
 *              partial product (alpha included) stored BM x BN, rows BN apart, at
 *              C + c_off + (w * sk_segs + j) * BM * BN; cl_kernels/gemm_splitk.cl's
 *              gemm_streamk adds them into C. 0: tile (group 0, group 1) of a 2-D launch
 *   HALF_IO    which operands are IEEE half (2 bytes) in global memory, a sum of 1 (A), 2 (B)
 *              and 4 (C); the others are float (0: all). Halves are converted to float as
 *              they are loaded and C is rounded to nearest even as it is stored: float
 *              everywhere in between (local memory, products, sums)
 *
 * Preconditions checked by the host (models/gemm/gemm.c): the launch covers ceil(M/BM)*BM rows and
 * ceil(N/BN)*BN columns and A, B hold that many rows/columns (zero-padded copies otherwise);
 * with LOCAL=1, K is a multiple of BK, lda/ldb and the offsets of A and B are multiples of VG;
 * with LOCAL=0, ldb and the offset of B are multiples of VN (and with TA=1, lda and the offset
 * of A multiples of VM). C stores are guarded by M and N;
 * c_vec says whether ldc and the offset of C allow VN-wide stores. Offsets and leading
 * dimensions are in elements (floats or halves).
 * Split-K launches (dimension 2 of size S > 1) read A and B over S*K (K per range) and write S
 * partial products, c_split floats apart, that cl_kernels/gemm_splitk.cl adds up.
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
#ifndef PACK
#define PACK 0
#endif
#ifndef LM
#define LM 0
#endif
#ifndef LN
#define LN 0
#endif
#ifndef HALF_IO
#define HALF_IO 0
#endif
#ifndef PANEL
#define PANEL 0
#endif
#ifndef PERSIST
#define PERSIST 0
#endif
#ifndef STREAMK
#define STREAMK 0
#endif

#if STREAMK && !LOCAL
#error "STREAMK needs LOCAL=1"
#endif
#if !LOCAL && !PERSIST && TB
#error "LOCAL=0 reads B stored k x n only (TB=0): the host copies a transposed B first"
#endif
#if PACK && (LOCAL || KC <= 0)
#error "PACK needs LOCAL=0 and KC > 0"
#endif
#if PANEL && (LOCAL || STRIDED || PACK || ((PANEL & 1) && TA))
#error "PANEL needs LOCAL=0, STRIDED=0 and PACK=0 (and A panels TA=0)"
#endif

#if PERSIST && (LOCAL || STRIDED || PACK || PANEL || VM != 1 || KC <= 0 || KC % 16 ||       \
                BM % 16 || BN % 16)
#error "PERSIST needs LOCAL=0, STRIDED=0, PACK=0, PANEL=0, VM=1, KC, BM, BN multiples of 16"
#endif

#define WGN (BN / TN)    /* work-items along n */
#define WGM (BM / TM)    /* work-items along m */
#define NT (WGN * WGM)   /* work-items per work-group */
#define GM (TM / VM)     /* VM-row groups per work-item */
#define GN (TN / VN)     /* VN-column groups per work-item */
#if LM > 0
#define LGM LM           /* lane grid: work-items along m */
#else
#define LGM WGM
#endif
#if LN > 0
#define LGN LN           /* work-items along n */
#else
#define LGN WGN
#endif
#if WGM % LGM || WGN % LGN
#error "the lane grid must tile the work-group"
#endif

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

/* Global memory by element type (HALF_IO). For X = A, B: X_T is the element type, X_VG what
 * the VG-vector pointer of LOCAL=1 points to (a vecg, or a half counted in VG-vectors) and
 * LOADG_X(p, i) its VG-vector i; LOADM_A(p) / LOADN_B(p) is the VM / VN vector at p,
 * LOAD1_X(p, i) element i of p and LOAD16_X(p) the 16 elements at p (any alignment). For C:
 * LOADC(p) and STOREC(v, p) the VN vector at p, LOADC1(p, i) and STOREC1(v, p, i) element i.
 * Vectors other than LOAD16_X's are aligned to their width (the host's preconditions).
 * Halves go through vload_half, vloada_halfN, vstore_half and vstorea_halfN: core OpenCL C
 * 1.2, no cl_khr_fp16 (half only names the pointee). The stores round in the
 * current rounding mode, which OpenCL C 1.2 fixes at round to nearest even: the same results
 * as the _rte forms (tests/test_gemm.c checks the bits), but drivers may use the hardware
 * conversion for them (PoCL on x86: F16C vcvtps2ph; its _rte forms are software). */
#define HLOAD_1(o, p) vload_half((o), (p))
#define HLOAD_2(o, p) vloada_half2((o), (p))
#define HLOAD_4(o, p) vloada_half4((o), (p))
#define HLOAD_8(o, p) vloada_half8((o), (p))
#define HLOAD_16(o, p) vloada_half16((o), (p))
#define HSTORE_1(v, o, p) vstore_half((v), (o), (p))
#define HSTORE_2(v, o, p) vstorea_half2((v), (o), (p))
#define HSTORE_4(v, o, p) vstorea_half4((v), (o), (p))
#define HSTORE_8(v, o, p) vstorea_half8((v), (o), (p))
#define HSTORE_16(v, o, p) vstorea_half16((v), (o), (p))
#if HALF_IO & 1
#define A_T half
#define A_VG half
#define LOADG_A(p, i) CAT(HLOAD_, VG)((i), (p))
#define LOADM_A(p) CAT(HLOAD_, VM)(0, (p))
#define LOAD1_A(p, i) vload_half((i), (p))
#define LOAD16_A(p) vload_half16(0, (p))
#else
#define A_T float
#define A_VG vecg
#define LOADG_A(p, i) (p)[i]
#define LOADM_A(p) (*(__global const vecm *)(p))
#define LOAD1_A(p, i) (p)[i]
#define LOAD16_A(p) vload16(0, (p))
#endif
#if HALF_IO & 2
#define B_T half
#define B_VG half
#define LOADG_B(p, i) CAT(HLOAD_, VG)((i), (p))
#define LOADN_B(p) CAT(HLOAD_, VN)(0, (p))
#define LOAD1_B(p, i) vload_half((i), (p))
#define LOAD16_B(p) vload_half16(0, (p))
#else
#define B_T float
#define B_VG vecg
#define LOADG_B(p, i) (p)[i]
#define LOADN_B(p) (*(__global const vecn *)(p))
#define LOAD1_B(p, i) (p)[i]
#define LOAD16_B(p) vload16(0, (p))
#endif
#if HALF_IO & 4
#define C_T half
#define LOADC(p) CAT(HLOAD_, VN)(0, (p))
#define STOREC(v, p) CAT(HSTORE_, VN)((v), 0, (p))
#define LOADC1(p, i) vload_half((i), (p))
#define STOREC1(v, p, i) vstore_half((v), (i), (p))
#else
#define C_T float
#define LOADC(p) (*(__global vecn *)(p))
#define STOREC(v, p) (*(__global vecn *)(p) = (v))
#define LOADC1(p, i) (p)[i]
#define STOREC1(v, p, i) ((p)[i] = (v))
#endif

/* A work-item's row groups (VM rows each) are RSTEP groups apart, its column groups (VN
 * columns each) CSTEP groups apart. */
#if STRIDED
#define RSTEP LGM
#define CSTEP LGN
#else
#define RSTEP 1
#define CSTEP 1
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

/* Stores the VG lanes of v down a column of a k-major slice: s[(k0+e)*ld + col] = v.s<e>
 * (one base address, constant offsets). */
#if VG == 1
#define STORE_COLUMN(s, ld, k0, col, v) (s)[(k0) * (ld) + (col)] = (v);
#elif VG == 2
#define STORE_COLUMN(s, ld, k0, col, v)                                                         \
  {                                                                                             \
    __local float *sc_ = (s) + (k0) * (ld) + (col);                                             \
    sc_[0] = (v).s0;                                                                            \
    sc_[(ld)] = (v).s1;                                                                         \
  }
#elif VG == 4
#define STORE_COLUMN(s, ld, k0, col, v)                                                         \
  {                                                                                             \
    __local float *sc_ = (s) + (k0) * (ld) + (col);                                             \
    sc_[0] = (v).s0;                                                                            \
    sc_[(ld)] = (v).s1;                                                                         \
    sc_[2 * (ld)] = (v).s2;                                                                     \
    sc_[3 * (ld)] = (v).s3;                                                                     \
  }
#else
#error "VG must be 1, 2 or 4"
#endif

/* Global loads of K-slice s into ra/rb: VG-wide reads along k (A as stored m x k, B stored
 * n x k) or along m / n (A stored k x m, B stored k x n); v = tid + l * NT numbers the
 * work-group's VG-vectors of the slice. (Constant trip counts: the loops unroll.) */
#if TA
#define LOAD_A(v, k0) LOADG_A(A4, ((k0) + (v) / (BM / VG)) * lda4 + gm / VG + (v) % (BM / VG))
#else
#define LOAD_A(v, k0) LOADG_A(A4, (gm + (v) / (BK / VG)) * lda4 + (k0) / VG + (v) % (BK / VG))
#endif
#if TB
#define LOAD_B(v, k0) LOADG_B(B4, (gn + (v) / (BK / VG)) * ldb4 + (k0) / VG + (v) % (BK / VG))
#else
#define LOAD_B(v, k0) LOADG_B(B4, ((k0) + (v) / (BN / VG)) * ldb4 + gn / VG + (v) % (BN / VG))
#endif
#define LOAD_SLICE(s)                                                                           \
  {                                                                                             \
    const int k0_ = (s) * BK;                                                                   \
    for (int l = 0; l < LA; l++) ra[l] = LOAD_A(tid + l * NT, k0_);                             \
    for (int l = 0; l < LB; l++) rb[l] = LOAD_B(tid + l * NT, k0_);                             \
  }

/* Stores ra/rb into local buffer buf: both slices k-major (m or n contiguous). */
#if TA
#define STORE_A(as_w, v, x)                                                                     \
  *(__local vecg *)((as_w) + ((v) / (BM / VG)) * LDA_L + ((v) % (BM / VG)) * VG) = (x);
#else
#define STORE_A(as_w, v, x)                                                                     \
  STORE_COLUMN((as_w), LDA_L, ((v) % (BK / VG)) * VG, (v) / (BK / VG), (x))
#endif
#if TB
#define STORE_B(bs_w, v, x)                                                                     \
  STORE_COLUMN((bs_w), LDB_L, ((v) % (BK / VG)) * VG, (v) / (BK / VG), (x))
#else
#define STORE_B(bs_w, v, x)                                                                     \
  *(__local vecg *)((bs_w) + ((v) / (BN / VG)) * LDB_L + ((v) % (BN / VG)) * VG) = (x);
#endif
#define STORE_SLICE(buf)                                                                        \
  {                                                                                             \
    __local float *as_w = (__local float *)As_v + (buf) * (BK * LDA_L);                         \
    __local float *bs_w = (__local float *)Bs_v + (buf) * (BK * LDB_L);                         \
    for (int l = 0; l < LA; l++) { STORE_A(as_w, tid + l * NT, ra[l]) }                         \
    for (int l = 0; l < LB; l++) { STORE_B(bs_w, tid + l * NT, rb[l]) }                         \
  }

/* Fragments of one step into slot q: the work-item's GN B vectors and GM A vectors, from
 * local pointers already at the step's row and the work-item's first group. */
#define LOAD_FRAGMENTS(pa, pb, q)                                                               \
  {                                                                                             \
    __local const vecm *pa_ = (pa);                                                             \
    __local const vecn *pb_ = (pb);                                                             \
    for (int j = 0; j < GN; j++) b[(q)][j] = pb_[j * CSTEP];                                    \
    for (int g = 0; g < GM; g++) {                                                              \
      const vecm av = pa_[g * RSTEP];                                                           \
      SPLIT_M(av, a[(q)], g * VM)                                                               \
    }                                                                                           \
  }
#endif

/* C = alpha * acc + beta_ * C over the work-item's tile at Cp: rows R0 + g * RS + e (VM-row
 * group g, lane e), columns C0 + j * CS (VN-column group j), guarded by M and N; beta_ == 0
 * never reads C. */
#define STORE_TILE(Cp, R0, RS, C0, CS, beta_)                                                   \
  _Pragma("unroll") for (int g = 0; g < GM; g++) {                                              \
    _Pragma("unroll") for (int e = 0; e < VM; e++) {                                            \
      const int row = (R0) + g * (RS) + e;                                                      \
      if (row >= M) continue;                                                                   \
      _Pragma("unroll") for (int j = 0; j < GN; j++) {                                          \
        const int col = (C0) + j * (CS);                                                        \
        __global C_T *cp = (Cp) + row * ldc + col;                                              \
        const vecn r = alpha * acc[g * VM + e][j];                                              \
        if (c_vec && col + VN <= N) {                                                           \
          STOREC((beta_) == 0.0f ? r : MAC((vecn)(beta_), LOADC(cp), r), cp);                   \
        } else {                                                                                \
          float lanes[VN];                                                                      \
          VSTOREN(r, lanes);                                                                    \
          for (int v = 0; v < VN && col + v < N; v++)                                           \
            STOREC1((beta_) == 0.0f ? lanes[v] : MAC((beta_), LOADC1(cp, v), lanes[v]), cp, v); \
        }                                                                                       \
      }                                                                                         \
    }                                                                                           \
  }

#if PERSIST
/* PREFETCH(p, rw): asks for the cache line at p ahead of its use; rw 1 where it will be written
 * (C's tile), 0 where it is only read (the packing's sources: x86's write-intent PREFETCHW
 * there cost 3-5% of a 1024^3 or 2048^3 call on a 2-core Xeon with AVX-512, PoCL, against
 * PREFETCHT0; bench/RESULTS.md, 2026-12-06, third session). Compiling for a CPU's own
 * instructions (CPU_DEVICE, set by the host for CPU devices; PoCL: the host CPU), clang's
 * __builtin_prefetch: its pointer is one of the default address space, which a __global one
 * is only where every address space is the host's (NVIDIA's compiler, whose clang does not
 * adapt the builtin to the argument's address space as later ones do, rejects a __global
 * pointer there: bench/RESULTS.md, 2026-12-07, eighteenth session). For SPIR, an
 * intermediate form another compiler or an interpreter takes on (Intel's CPU runtime,
 * Oclgrind: it cannot run the builtin's llvm.prefetch), on other devices and without
 * clang, OpenCL's prefetch(), which has no intent (rw unused) and which PoCL 3.1 compiles
 * to nothing. */
#ifndef CPU_DEVICE
#define CPU_DEVICE 0
#endif
#if CPU_DEVICE && defined(__has_builtin) && !defined(__SPIR__)
#if __has_builtin(__builtin_prefetch)
#define PREFETCH(p, rw) __builtin_prefetch((p), (rw), 3)
#endif
#endif
#ifndef PREFETCH
#define PREFETCH(p, rw) prefetch((__global const uchar *)(p), 1)
#endif

/* The first element of range i of `parts` over `panels` micro-panels of `width` elements
 * (ranges that differ by one micro-panel at most), clamped to the matrix's `size`. */
static inline int range_start(int panels, int i, int parts, int width, int size) {
  return min(size, (int)((long)panels * i / parts) * width);
}

/* Packs the XB x KC block at (x0, k0) of operand X (A, or B; its logical element X(x, k) is
 * A(m, k) or B(k, n)), zeros beyond nx and nk, into dst as W-wide micro-panels: X(x0 + x,
 * k0 + k) at dst[(x / W) * KC * W + k * W + x % W]. XK: 1 when k is X's contiguous dimension
 * as stored (X(x, k) at src[x * ld + k]): per micro-panel and 16 steps of k, one 16-wide load
 * from each of its W rows, written out transposed (W streams read a cache line each at a
 * time: a gather per k instead costs a third of the packing), the same steps two micro-panels
 * on prefetched (each row's kc steps start a page of their own: without it, A's packing waited
 * on memory for 11-17% of a 2048^3 call on a 2-core AMD EPYC, PoCL); 0 when x is
 * (src[k * ld + x]): runs of 16 along x, one unaligned load each where inside the matrix,
 * stored as they are when W is a multiple of 16 (through a private copy they cost a
 * store-forwarding stall each: PoCL splits the load in four), the same run two rows on
 * prefetched (rows 2048 floats apart lie on pages of their own, where the hardware's
 * prefetcher starts over: about 1% of a 2048^3 call on PoCL, two cores). Work-item 0 packs
 * the whole block: CPU drivers run a work-group's work-items in turn on one core, so sharing
 * the loop out gains nothing there, and PoCL vectorises a loop shared out across work-items
 * into gathers and scatters (PoCL, 1024^3, one core: 121 against 147 GFLOP/s for the whole
 * GEMM). */
#define PACK_PANELS(X, dst, src, ld, XK, W, XB, x0, nx, k0, nk)                                \
  if (tid == 0) {                                                                               \
    if (XK) {                                                                                   \
      for (int u_ = 0; u_ < (XB) / (W) * (KC / 16); u_++) {                                     \
        const int x_ = u_ / (KC / 16) * (W), k_ = u_ % (KC / 16) * 16;                          \
        const int gx_ = (x0) + x_, gk_ = (k0) + k_;                                             \
        __global const CAT(X, _T) *p_ = (src) + gx_ * (ld) + gk_;                               \
        __local float *d_ = (dst) + x_ * KC + k_ * (W);                                         \
        if (gx_ + 2 * (W) < (nx)) PREFETCH(p_ + 2 * (W) * (ld), 0);                             \
        if (gx_ + (W) <= (nx) && gk_ + 16 <= (nk)) {                                            \
          float t_[W][16];                                                                      \
          _Pragma("unroll") for (int e_ = 0; e_ < (W); e_++)                                    \
            vstore16(CAT(LOAD16_, X)(p_ + e_ * (ld)), 0, t_[e_]);                               \
          _Pragma("unroll") for (int q_ = 0; q_ < 16; q_++)                                     \
            _Pragma("unroll") for (int e_ = 0; e_ < (W); e_++) d_[q_ * (W) + e_] = t_[e_][q_];   \
        } else {                                                                                \
          for (int q_ = 0; q_ < 16; q_++)                                                       \
            for (int e_ = 0; e_ < (W); e_++)                                                    \
              d_[q_ * (W) + e_] = gx_ + e_ < (nx) && gk_ + q_ < (nk)                            \
                                      ? CAT(LOAD1_, X)(p_, e_ * (ld) + q_)                      \
                                      : 0.0f;                                                   \
        }                                                                                       \
      }                                                                                         \
    } else {                                                                                    \
      for (int u_ = 0; u_ < KC * ((XB) / 16); u_++) {                                          \
        const int x_ = u_ % ((XB) / 16) * 16, k_ = u_ / ((XB) / 16);                            \
        const int gx_ = (x0) + x_, gk_ = (k0) + k_;                                             \
        __global const CAT(X, _T) *p_ = (src) + gk_ * (ld) + gx_;                               \
        __local float *d_ = (dst) + x_ / (W) * (KC * (W)) + k_ * (W) + x_ % (W);                \
        if (gk_ + 2 < (nk) && gx_ < (nx)) PREFETCH(p_ + 2 * (ld), 0);                           \
        if ((W) % 16 == 0 && gk_ < (nk) && gx_ + 16 <= (nx)) {                                  \
          vstore16(CAT(LOAD16_, X)(p_), 0, d_);                                                 \
          continue;                                                                             \
        }                                                                                       \
        float v_[16];                                                                           \
        if (gk_ < (nk) && gx_ + 16 <= (nx)) {                                                   \
          vstore16(CAT(LOAD16_, X)(p_), 0, v_);                                                 \
        } else {                                                                                \
          for (int e_ = 0; e_ < 16; e_++)                                                       \
            v_[e_] = gk_ < (nk) && gx_ + e_ < (nx) ? CAT(LOAD1_, X)(p_, e_) : 0.0f;             \
        }                                                                                       \
        _Pragma("unroll") for (int e_ = 0; e_ < 16; e_++) {                                     \
          const int xe_ = x_ + e_;                                                              \
          (dst)[xe_ / (W) * (KC * (W)) + k_ * (W) + xe_ % (W)] = v_[e_];                        \
        }                                                                                       \
      }                                                                                         \
    }                                                                                           \
  }

/* op(A) as the micro-tile reads it: AL(p, i, k) is row i, step k of its TM rows from p.
 * A stored as floats with k contiguous (TA=0) is read where it is (A_PACKED 0; p holds the
 * TM rows' addresses at the block's first step, a row past M read as row M - 1, whose sums
 * are never stored): the rows are TM streams along k that the hardware's prefetchers
 * follow, large operands lie on huge pages (core/buffer.c), and a copy would read them once
 * more (it took about 8% of a 2048^3 call on a 2-core Zen 4 EPYC, PoCL; bench/RESULTS.md,
 * 2026-12-08). A transposed (its runs along m) or half (converted once) is packed into
 * local memory by PACK_A, mc x kc at a time (p from Al): a transposed A as TM-row
 * micro-panels, a half one as rows (a copy in runs of 16; a micro-tile's rows start at ir
 * * TM * KC in both layouts). */
#define A_PACKED (TA || (HALF_IO & 1))
#if TA
#define PACK_A(ic, pc) PACK_PANELS(A, Al, Ab, lda, 0, TM, BM, ic, m1, pc, K)
#define AL(p, i, k) (p)[(k) * TM + (i)]
#elif A_PACKED
#define PACK_A(ic, pc) PACK_PANELS(A, Al, Ab, lda, 1, 1, BM, ic, m1, pc, K)
#define AL(p, i, k) (p)[(i) * KC + (k)]
#else
#define AL(p, i, k) (p)[i][k]
#endif
#endif

__kernel __attribute__((reqd_work_group_size(WGN, WGM, 1))) void
gemm(const int M, const int N, const int K, const float alpha, const float beta,
     __global const A_T *restrict A, const int a_off, const int lda,
     __global const B_T *restrict B, const int b_off, const int ldb,
     __global C_T *restrict C, const int c_off, const int ldc, const int c_vec,
     const int c_split
#if STREAMK == 2
     , const int sk_base, const int sk_slices, const int sk_segs
#endif
     ) {
  const int tn = get_local_id(0), tm = get_local_id(1);
#if PERSIST
  const int tid = tm * WGN + tn;
  /* Persistent work-groups (see PERSIST above): op(B)'s kc x nc block in TN-wide micro-panels
   * Bl and, where A is packed, this work-group's mc x kc block of op(A) in Al (PACK_A's).
   * Barriers: before B is packed (the previous block's reads done), before A is packed
   * (likewise), and before each mc block's micro-tiles (after A's packing; where A is read in
   * place, the one barrier keeps a CPU driver running one block's micro-tiles together). */
  __local vecn Bl_v[KC * BN / VN];
#if A_PACKED
  __local float Al[BM * KC];
#endif
  __local float *Bl = (__local float *)Bl_v;
  const int wg = get_group_id(0), nwg = get_num_groups(0);
  const int ir = tid % WGM, jr = tid / WGM; /* the work-item's micro-tile in the block */
  __global const A_T *Ab = A + a_off;
  __global const B_T *Bb = B + b_off;
  __global C_T *Cp = C + c_off;
  /* The work-groups as a grid of pm x pn (pm * pn = nwg): work-group wg takes the rows
   * [m0, m1) and columns [n0, n1), M's TM-row and N's TN-column micro-panels split into
   * ranges that differ by one micro-panel at most (blocks of BM dealt out in turn leave a
   * core idle for up to a block: 1024 rows in blocks of 48 are 11 against 10 1/3 on two
   * cores). The grid is the one that packs least per work-group: rows * ceil(cols / BN)
   * elements of A and cols of B per step of k (two work-groups at 2048^3: splitting the
   * columns packs 5/6 of what splitting the rows does, and halves B's share; a narrow N
   * keeps the rows split). */
  const int panels = (M + TM - 1) / TM, cpanels = (N + TN - 1) / TN;
  int pn = 1;
  long least = -1;
  for (int q = 1; q <= nwg; q++) {
    const long rows = (long)((panels + nwg / q - 1) / (nwg / q)) * TM;
    const long cols = (long)((cpanels + q - 1) / q) * TN;
    const long packed = rows * ((cols + BN - 1) / BN) + cols;
    if (nwg % q == 0 && (least < 0 || packed < least)) {
      least = packed;
      pn = q;
    }
  }
  const int pm = nwg / pn, wr = wg / pn, wc = wg % pn;
  const int m0 = range_start(panels, wr, pm, TM, M), m1 = range_start(panels, wr + 1, pm, TM, M);
  const int n0 = range_start(cpanels, wc, pn, TN, N), n1 = range_start(cpanels, wc + 1, pn, TN, N);
  if (m0 >= m1 || n0 >= n1) return; /* nothing for this work-group (uniform) */
  for (int jc = n0; jc < n1; jc += BN) {
    for (int pc = 0; pc == 0 || pc < K; pc += KC) { /* once with K = 0: C = beta * C */
      const int kn = min(KC, K - pc);
      barrier(CLK_LOCAL_MEM_FENCE);
      PACK_PANELS(B, Bl, Bb, ldb, TB, TN, BN, jc, n1, pc, K)
      for (int ic = m0; ic < m1; ic += BM) {
#if A_PACKED
        barrier(CLK_LOCAL_MEM_FENCE);
        PACK_A(ic, pc)
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
        const int row0 = ic + ir * TM, col0 = jc + jr * TN;
        if (row0 < m1 && col0 < n1) {
          __local const vecn *bl = Bl_v + jr * (KC * GN);
#if A_PACKED
          __local const float *al = Al + ir * (KC * TM);
#else
          __global const float *al[TM];
#pragma unroll
          for (int i = 0; i < TM; i++) al[i] = Ab + min(row0 + i, M - 1) * lda + pc;
#endif
          vecn acc[TM][GN];
          float a[TM];
          vecn b[GN];
          /* C's tile, read and written after the k loop, was last touched a pass over C
           * ago: its rows' lines asked for now arrive during the loop (without, the update
           * waits on them: 4-6% of the call at 2048^3 on PoCL, two cores) */
#pragma unroll
          for (int i = 0; i < TM; i++) {
#pragma unroll
            for (int j = 0; j < TN; j += 16)
              if (row0 + i < m1 && col0 + j < n1) PREFETCH(Cp + (row0 + i) * ldc + col0 + j, 1);
          }
#pragma unroll
          for (int i = 0; i < TM; i++) {
#pragma unroll
            for (int j = 0; j < GN; j++) acc[i][j] = (vecn)(0.0f);
          }
/* One step k of the micro-tile: B's GN vectors and A's TM values, TM x GN multiply-adds. */
#define MULTIPLY_STEP(k)                                                                        \
  {                                                                                             \
    _Pragma("unroll") for (int j = 0; j < GN; j++) b[j] = bl[(k) * GN + j];                     \
    _Pragma("unroll") for (int i = 0; i < TM; i++) a[i] = AL(al, i, (k));                       \
    _Pragma("unroll") for (int i = 0; i < TM; i++) {                                            \
      _Pragma("unroll") for (int j = 0; j < GN; j++)                                            \
        acc[i][j] = MAC((vecn)(a[i]), b[j], acc[i][j]);                                         \
    }                                                                                           \
  }
          /* four steps of k per iteration: PoCL on AVX-512 then spends 37 instructions per
           * step instead of 40 (the loop control once per four steps; 35 with A packed as
           * rows), about 1-2% of the call (bench/RESULTS.md, 2026-12-05 night). Unrolled
           * over the constant KC only: a loop of kn steps would be unrolled at run time,
           * with a remainder, which clang does not do across OpenCL's calls (convergent):
           * it warns, and PoCL prints "1 warning generated." for each build. A block's
           * last kc (K not a multiple of KC) runs the plain loop. */
          if (kn == KC) {
#pragma unroll 4
            for (int k = 0; k < KC; k++) MULTIPLY_STEP(k)
          } else {
            for (int k = 0; k < kn; k++) MULTIPLY_STEP(k)
          }
#undef MULTIPLY_STEP
          STORE_TILE(Cp, row0, 1, col0, VN, pc == 0 ? beta : 1.0f)
        }
      }
    }
  }
#else
#if STREAMK == 2
  /* The work-group's range of the flat (tile, K-slice) range; a_o, b_o, gm, gn per segment. */
  const int slices = K / BK, tiles_n = (N + BN - 1) / BN;
  const int f0 = get_group_id(0) * sk_slices,
            f1 = min(((M + BM - 1) / BM * tiles_n - sk_base) * slices, f0 + sk_slices);
#else
  /* Split-K: work-groups z = 0, 1, ... of dimension 2 multiply the z-th K-range of length K
   * and write their partial products at C + z * c_split (0 with a single range). */
  const int z = get_group_id(2);
  const int a_o = a_off + z * (TA ? K * lda : K), b_o = b_off + z * (TB ? K : K * ldb);
#if STREAMK == 1
  const int tiles_n = (N + BN - 1) / BN;
  const int gn = get_group_id(0) % tiles_n * BN, gm = get_group_id(0) / tiles_n * BM;
#else
  const int gn = get_group_id(0) * BN, gm = get_group_id(1) * BM;
#endif
#endif
  /* The work-item's flat local id, for the slice loads (LOCAL), the B panel's copy (PACK) and
   * a lane grid smaller than the work-group; the plain loop needs only tn and tm. */
#if LOCAL || PACK || (STRIDED && !(LGM == WGM && LGN == WGN))
  const int tid = tm * WGN + tn;
#endif
  /* The work-item's first row group r0 and column group c0 in the tile (VM / VN units).
   * With the whole work-group as the lane grid they are the local ids themselves: compilers
   * that vectorise across work-items (Intel's CPU runtime) then see consecutive columns in
   * consecutive work-items (vector loads of B), which the div/mod form hides (gathers). */
#if STRIDED && LGM == WGM && LGN == WGN
  const int r0 = tm, c0 = tn;
#elif STRIDED
  const int lane = tid % (LGM * LGN), grid = tid / (LGM * LGN);
  const int r0 = grid / (WGN / LGN) * (LGM * GM) + lane / LGN;
  const int c0 = grid % (WGN / LGN) * (LGN * GN) + lane % LGN;
#else
  const int r0 = tm * GM, c0 = tn * GN;
#endif
#if LOCAL
  __local vecm As_v[2 * BK * LDA_L / VM];
  __local vecn Bs_v[2 * BK * LDB_L / VN];
#endif
#if STREAMK == 2
  for (int f = f0, j_seg = 0; f < f1; j_seg++) {
    const int tile = sk_base + f / slices, s0 = f % slices, s1 = min(slices, s0 + (f1 - f));
    f += s1 - s0;
    const int gn = tile % tiles_n * BN, gm = tile / tiles_n * BM;
    const int a_o = a_off + s0 * BK * (TA ? lda : 1), b_o = b_off + s0 * BK * (TB ? 1 : ldb);
    const int nslices = s1 - s0;
#endif
  vecn acc[TM][GN];
#pragma unroll
  for (int i = 0; i < TM; i++) {
#pragma unroll
    for (int j = 0; j < GN; j++) acc[i][j] = (vecn)(0.0f);
  }
#if LOCAL
  /* K-slices of BK staged in local memory, double-buffered, one barrier per slice; the
   * fragments of step kk+1 are read while step kk multiplies, and the global loads of slice
   * t+2 land while slice t+1 is multiplied:
   *   prologue: slice 0 -> buffer 0, barrier, global loads of slice 1, fragments of step 0.
   *   slice t, steps kk < BK-1: fragments of step kk+1, multiply-adds of step kk.
   *   slice t, step BK-1: store slice t+1 (registers) into buffer (t+1)&1, barrier, global
   *     loads of slice t+2, fragments of step 0 of slice t+1 (their local-memory latency
   *     hidden by the multiply-adds that follow), multiply-adds of step BK-1.
   * Buffer (t+1)&1 was last read for the fragments of slice t-1, all before the barrier of
   * slice t-1's last step; a work-item storing into it in slice t has passed that barrier.
   * The last slice stores, waits and loads like the others (the loads clamped to the last
   * slice, the fragments unused): a few redundant operations once, no branch in the loop. */
  __global const A_VG *A4 = (__global const A_VG *)(A + a_o);
  __global const B_VG *B4 = (__global const B_VG *)(B + b_o);
  const int lda4 = lda / VG, ldb4 = ldb / VG;
#if STREAMK != 2
  const int nslices = K / BK;
#endif
  vecg ra[LA], rb[LB]; /* the slice in flight from global memory */
  float a[2][TM];      /* A fragments of two steps: rows of the work-item's tile */
  vecn b[2][GN];       /* B fragments: its columns */
  if (nslices > 0) {
    LOAD_SLICE(0)
    STORE_SLICE(0)
    barrier(CLK_LOCAL_MEM_FENCE);
    LOAD_SLICE(min(1, nslices - 1))
    LOAD_FRAGMENTS(As_v + r0, Bs_v + c0, 0)
  }
  for (int t = 0; t < nslices; t++) {
    const int cur = t & 1;
    __local const vecm *as = As_v + cur * (BK * LDA_L / VM) + r0;
    __local const vecn *bs = Bs_v + cur * (BK * LDB_L / VN) + c0;
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      if (kk < BK - 1) {
        LOAD_FRAGMENTS(as + (kk + 1) * (LDA_L / VM), bs + (kk + 1) * (LDB_L / VN), (kk + 1) & 1)
      } else {
        STORE_SLICE(cur ^ 1)
        barrier(CLK_LOCAL_MEM_FENCE);
        LOAD_SLICE(min(t + 2, nslices - 1))
        LOAD_FRAGMENTS(As_v + (cur ^ 1) * (BK * LDA_L / VM) + r0,
                       Bs_v + (cur ^ 1) * (BK * LDB_L / VN) + c0, (kk + 1) & 1)
      }
#pragma unroll
      for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < GN; j++)
          acc[i][j] = MAC((vecn)(a[kk & 1][i]), b[kk & 1][j], acc[i][j]);
      }
    }
  }
#else
  float a[TM]; /* the A fragment of one k: rows of the work-item's tile */
  vecn b[GN];  /* the B fragment of one k: its columns */
#if PANEL & 1
  /* The work-item's A micro-panel (its TM rows: one panel, as STRIDED=0). */
  __global const A_T *Ap = A + a_o + (gm + r0 * VM) * K;
#else
  __global const A_T *Ap = A + a_o;
#endif
#if PANEL & 2
  /* The work-item's first columns in the work-group's B panel. */
  __global const B_T *Bq = B + b_o + gn * K + c0 * VN;
#elif !PACK
  /* B as one int index from its base per load: an implicit vectoriser proves the addresses of
   * consecutive work-items consecutive in this form (a vector load); through a per-work-item
   * pointer it falls back to a gather (Intel's CPU compiler). */
  const int b_col = b_o + gn + c0 * VN;
#endif
  const int kc = KC > 0 ? KC : K;
#if PACK
  /* The B panel of KC steps, row r at Bp + r * (BN / VN); a work-item's fragments from c0. */
  __local vecn Bp[KC * (BN / VN)];
  __local const vecn *bp = Bp + c0;
#endif
  for (int k0 = 0; k0 < K; k0 += kc) {
    const int kend = min(K, k0 + kc);
#if PACK
    /* Work-item tid copies the panel's VN-vectors tid, tid + NT, ... (row v / (BN / VN)). */
    for (int v = tid; v < (kend - k0) * (BN / VN); v += NT)
      Bp[v] = LOADN_B(B + ((k0 + v / (BN / VN)) * ldb + b_o + gn + v % (BN / VN) * VN));
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
    for (int k = k0; k < kend; k++) {
#if PANEL & 2
#pragma unroll
      for (int j = 0; j < GN; j++) b[j] = LOADN_B(Bq + (k * BN + j * VN));
#elif PACK
#pragma unroll
      for (int j = 0; j < GN; j++) b[j] = bp[(k - k0) * (BN / VN) + j * CSTEP];
#else
#pragma unroll
      for (int j = 0; j < GN; j++) b[j] = LOADN_B(B + (k * ldb + j * CSTEP * VN + b_col));
#endif
#if PANEL & 1
#pragma unroll
      for (int i = 0; i < TM; i++) a[i] = LOAD1_A(Ap, k * TM + i);
#else
#pragma unroll
      for (int g = 0; g < GM; g++) {
        const int row = gm + (r0 + g * RSTEP) * VM;
#if TA
        const vecm av = LOADM_A(Ap + k * lda + row);
        SPLIT_M(av, a, g * VM)
#else
#pragma unroll
        for (int e = 0; e < VM; e++) a[g * VM + e] = LOAD1_A(Ap, (row + e) * lda + k);
#endif
      }
#endif
#pragma unroll
      for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < GN; j++) acc[i][j] = MAC((vecn)(a[i]), b[j], acc[i][j]);
      }
    }
#if PACK
    barrier(CLK_LOCAL_MEM_FENCE); /* the panel is read before the next is copied */
#elif KC > 0
    barrier(CLK_GLOBAL_MEM_FENCE);
#endif
  }
#endif

#if STREAMK == 2
    { /* the segment's partial product, alpha * acc over the whole BM x BN tile at c_off 0
       * (float: the part is built without HALF_IO's C), one vector store each with neither
       * STORE_TILE's bounds nor its beta path: the reduction bounds it by M and N. */
      __global vecn *Cp = (__global vecn *)(C + c_off + (get_group_id(0) * sk_segs + j_seg) *
                                                           (BM * BN));
#pragma unroll
      for (int g = 0; g < GM; g++) {
#pragma unroll
        for (int e = 0; e < VM; e++) {
#pragma unroll
          for (int j = 0; j < GN; j++)
            Cp[((r0 + g * RSTEP) * VM + e) * (BN / VN) + c0 + j * CSTEP] =
                alpha * acc[g * VM + e][j];
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* the slice buffers' last reads before the next prologue */
  }
#else
  /* Epilogue: C = alpha * acc + beta * C. */
  STORE_TILE(C + c_off + z * c_split, gm + r0 * VM, RSTEP * VM, gn + c0 * VN, CSTEP * VN, beta)
#endif
#endif
}
