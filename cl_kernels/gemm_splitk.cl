/* Split-K reduction for gemm.cl (and, below, the stream-K fix-up): C = W_0 + W_1 + ... +
 * W_(splits-1) + beta * C for the m x n matrix C (element (r, c) at c[c_off + r * ldc + c]),
 * where W_z holds the partial product of the z-th K-range, alpha included (element (r, c) at
 * w[z * w_split + r * ldw + c]). beta == 0 never reads C. One work-item per element: launched
 * over at least (n, m). The partial products are float; C is float, or with HALF_IO=1 IEEE
 * half (vload_half, vstore_half: core OpenCL C 1.2, no cl_khr_fp16), rounded once, after the
 * sum, to nearest even (the rounding mode of OpenCL C 1.2). */
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

/* Stream-K fix-up for gemm.cl's STREAMK launches: C = alpha * (the sum of a tile's partial
 * products) + beta * C over the tiles that the launch's workers split, for the first sk_tiles
 * tiles of bm x bn (row-major tile order, ceil(n / bn) tiles a row) of the m x n matrix C.
 * Worker w of the sk_workers took slices [w * I / sk_workers, (w + 1) * I / sk_workers) of the
 * I = sk_tiles * ks K-slices, tile after tile, and stored the part of a tile it did not cover
 * whole at ws slot 2w (its first segment) or 2w + 1 (its last), bm x bn floats each; a tile
 * that one worker covered whole is in C already. The partial products are added in order of
 * w: the result does not depend on timing. One work-item per element of a tile: launched over
 * (bn, bm, sk_tiles). */
__kernel void gemm_streamk_fixup(const int m, const int n, const int ks, const int sk_workers,
                                 const int sk_tiles, const int bm, const int bn,
                                 __global const float *restrict ws, const float alpha,
                                 const float beta, __global C_T *restrict c, const int c_off,
                                 const int ldc) {
  const int x = (int)get_global_id(0), y = (int)get_global_id(1), tile = (int)get_global_id(2);
  const int tiles_n = (n + bn - 1) / bn, row = tile / tiles_n * bm + y,
            col = tile % tiles_n * bn + x;
  if (x >= bn || y >= bm || tile >= sk_tiles || row >= m || col >= n) return;
  const long iters = (long)sk_tiles * ks, first = (long)tile * ks, last = first + ks - 1;
  /* The worker that holds slice i: the last w with w * iters / sk_workers <= i. */
  const int w0 = (int)(((first + 1) * sk_workers - 1) / iters),
            w1 = (int)(((last + 1) * sk_workers - 1) / iters);
  if (w0 == w1) return; /* one worker covered the tile: stored */
  float sum = 0.0f;
  for (int w = w0; w <= w1; w++) {
    const int slot = 2 * w + ((long)w * iters / sk_workers < first);
    sum += ws[(long)slot * bm * bn + y * bn + x];
  }
  __global C_T *cp = c + c_off + row * ldc + col;
  const float r = alpha * sum;
  STOREC(beta == 0.0f ? r : beta * LOADC(cp) + r, cp);
}
