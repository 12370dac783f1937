/* The reductions of gemm.cl's partial products: split-K's and stream-K's.
 *
 * Split-K reduction for gemm.cl: C = W_0 + W_1 + ... + W_(splits-1) + beta * C for the m x n
 * matrix C (element (r, c) at c[c_off + r * ldc + c]), where W_z holds the partial product of
 * the z-th K-range, alpha included (element (r, c) at w[z * w_split + r * ldw + c]). beta == 0
 * never reads C. One work-item per element: launched over at least (n, m). The partial
 * products are float; C is float, or with HALF_IO=1 IEEE half (vload_half, vstore_half: core
 * OpenCL C 1.2, no cl_khr_fp16), rounded once, after the sum, to nearest even (the rounding
 * mode of OpenCL C 1.2). */
#ifndef HALF_IO
#define HALF_IO 0
#endif
#if HALF_IO
#define C_T half
#define LOADC(p) vload_half(0, (p))
#define STOREC(v, p) vstore_half((v), 0, (p))
#else
#define C_T float
#define LOADC(p) (*(p))
#define STOREC(v, p) (*(p) = (v))
#endif

__kernel void gemm_splitk(const int m, const int n, const int splits,
                          __global const float *restrict w, const int ldw, const int w_split,
                          const float beta, __global C_T *restrict c, const int c_off,
                          const int ldc) {
  const int col = (int)get_global_id(0), row = (int)get_global_id(1);
  if (row >= m || col >= n) return;
  __global const float *p = w + row * ldw + col;
  float sum = p[0];
  for (int z = 1; z < splits; z++) sum += p[z * w_split];
  __global C_T *cp = c + c_off + row * ldc + col;
  STOREC(beta == 0.0f ? sum : beta * LOADC(cp) + sum, cp);
}

/* Stream-K reduction for gemm.cl (STREAMK=2): C = the sum of each tile's segments + beta * C
 * for the tiles from sk_base on (bm x bn each, tiles_n to a row of tiles, `slices` K-slices
 * each), whose flat range of K-slices work-group w of the stream-K part covered from
 * w * sk_slices: its j-th segment (alpha included) at w[(w * sk_segs + j) * bm * bn], rows bn
 * apart. One work-item per VW consecutive elements of a row of those tiles (VW: 1, 2 or 4,
 * dividing bn; vector loads of the segments): launched over (bn / VW, bm * tiles), in work-
 * groups of any shape; elements beyond m or n are left alone. */
#ifndef VW
#define VW 1
#endif
#if VW == 1
typedef float floatw;
#define LOADW(p) (*(p))
#define SPLITW(v, lanes) ((lanes)[0] = (v))
#else
typedef CAT(float, VW) floatw;
#define LOADW(p) CAT(vload, VW)(0, (p))
#define SPLITW(v, lanes) CAT(vstore, VW)((v), 0, (lanes))
#endif

__kernel void gemm_streamk(const int m, const int n, const int bm, const int bn,
                           const int tiles_n, const int slices, const int sk_base,
                           const int sk_slices, const int sk_segs, __global const float *restrict w,
                           const float beta, __global C_T *restrict c, const int c_off,
                           const int ldc) {
  const int i = (int)get_global_id(1) / bm, r = (int)get_global_id(1) - i * bm,
            x = (int)get_global_id(0) * VW;
  const int tile = sk_base + i, row = tile / tiles_n * bm + r, col = tile % tiles_n * bn + x;
  if (row >= m || col >= n) return;
  floatw sum = (floatw)(0.0f);
  /* The work-groups whose ranges meet the tile's slices [i * slices, (i + 1) * slices). */
  for (int g = i * slices / sk_slices; g * sk_slices < (i + 1) * slices; g++) {
    const int first = g * sk_slices / slices; /* the tile of the range's first segment */
    sum += LOADW(w + (g * sk_segs + (i - first)) * (bm * bn) + r * bn + x);
  }
  float lanes[VW];
  SPLITW(sum, lanes);
  for (int v = 0; v < VW && col + v < n; v++) {
    __global C_T *cp = c + c_off + row * ldc + col + v;
    STOREC(beta == 0.0f ? lanes[v] : beta * LOADC(cp) + lanes[v], cp);
  }
}
