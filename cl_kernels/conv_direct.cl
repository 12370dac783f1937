/* Direct 2-D convolution gradients (NCHW, fp32 or half storage) for layers with few channels,
 * where the implicit GEMM (conv_gemm.cl) has a small side of a few rows (models/conv/
 * conv_direct.c sets them up, algo=direct). The shape's filter and channel sizes are build
 * options, so every loop below over them has constant bounds and unrolls into registers:
 *   CG, KG       input and output channels per group
 *   FR, FS       filter rows and columns
 *   STRIDE, PAD  the convolution's stride and padding (both dimensions)
 *   PX           data gradient: dy columns per work-item (a strip of PX * STRIDE dx pixels)
 *   KB           weight gradient: output channels per work-item
 * Each output element is the direct sum of its products, in a fixed order: the results are
 * deterministic (no atomics). Built after conv_aux.cl, whose io_t, LOAD, STORE and group_sum it
 * uses: HALF_IO=1 makes the tensors IEEE half (vload_half / vstore_half_rte, core OpenCL C 1.2),
 * the sums fp32; the partials of the weight gradient are fp32 either way. Indices stay below
 * 2^31 (the host checks the shapes). */
#define NTAP (FR * FS)

#ifdef PX
/* dx pixels of one work-item, the first a multiple of SPAN: a pixel's position within the
 * strip fixes which taps reach it (its residue modulo STRIDE), so those tests are constants. */
#define SPAN (PX * STRIDE)
/* The dy columns a strip reads: from strip * PX + OXLO, NOX of them. Pixel j of the strip and
 * tap column s read column strip * PX + (j + PAD - s) / STRIDE when STRIDE divides j + PAD - s;
 * OXLO = floor((PAD - FS + 1) / STRIDE), the host computes it (and NOX). */

/* The data gradient dx[n][c][h][w] = sum over k, r, s with h + PAD - r = STRIDE oy and
 * w + PAD - s = STRIDE ox inside dy of dy[n][k][oy][ox] w[k][c][r][s]; the group's filters are
 * staged in wl (KG * CG * FR * FS floats). Work-item (strip, h, n * groups + g): the SPAN
 * pixels of row h from strip * SPAN on, for every channel of group g. Per output channel and
 * filter row that reaches h, NOX dy values in registers serve every pixel and tap column. */
__kernel void conv_direct_data(__global const io_t *restrict dy, __global const io_t *restrict w,
                               __global io_t *restrict dx, __local float *wl, const int groups,
                               const int H, const int W, const int P, const int Q) {
  const int ng = get_global_id(2), n = ng / groups, g = ng % groups;
  const int lsize = (int)(get_local_size(0) * get_local_size(1));
  const int lid = (int)(get_local_id(1) * get_local_size(0) + get_local_id(0));
  const int nw = KG * CG * NTAP;
  for (int i = lid; i < nw; i += lsize) wl[i] = LOAD(w, g * nw + i);
  barrier(CLK_LOCAL_MEM_FENCE);
  const int strip = get_global_id(0), h = get_global_id(1);
  if (h >= H || strip * SPAN >= W) return;
  const int ox0 = strip * PX + OXLO;
  float acc[CG][SPAN];
#pragma unroll
  for (int c = 0; c < CG; c++)
#pragma unroll
    for (int j = 0; j < SPAN; j++) acc[c][j] = 0.0f;
  for (int k = 0; k < KG; k++) {
    __global const io_t *dyk = dy + (n * groups * KG + g * KG + k) * P * Q;
    __local const float *wk = wl + k * CG * NTAP;
#pragma unroll
    for (int r = 0; r < FR; r++) {
      const int t = h + PAD - r;
      if (t < 0 || t % STRIDE != 0 || t / STRIDE >= P) continue;
      __global const io_t *row = dyk + t / STRIDE * Q;
      float v[NOX];
#pragma unroll
      for (int i = 0; i < NOX; i++) {
        const int ox = ox0 + i;
        v[i] = ox >= 0 && ox < Q ? LOAD(row, ox) : 0.0f;
      }
#pragma unroll
      for (int s = 0; s < FS; s++)
#pragma unroll
        for (int c = 0; c < CG; c++) {
          const float wv = wk[(c * FR + r) * FS + s];
#pragma unroll
          for (int j = 0; j < SPAN; j++) {
            const int a = j + PAD - s - STRIDE * OXLO; /* >= 0 */
            if (a % STRIDE == 0) acc[c][j] += v[a / STRIDE] * wv;
          }
        }
    }
  }
#pragma unroll
  for (int c = 0; c < CG; c++) {
    __global io_t *out = dx + ((n * groups + g) * CG + c) * H * W + h * W + strip * SPAN;
#pragma unroll
    for (int j = 0; j < SPAN; j++)
      if (strip * SPAN + j < W) STORE(acc[c][j], out, j);
  }
}
#endif

#ifdef KB
/* The weight gradient dw[k][c][r][s] = sum over n, oy, ox of dy[n][k][oy][ox]
 * x[n][c][oy STRIDE - PAD + r][ox STRIDE - PAD + s] (zero outside x), as partial sums.
 * Dimension 0: parts of the reduction (rows (n, oy) of dy, rows_per_part each), J work-items
 * each (the local size) that take a row's columns ox = j, j + J, ... (consecutive dy reads);
 * dimension 1: owners, (block of KB output channels, input channel c), each work-item with
 * KB x FR x FS sums in registers; dimension 2: the group g. Work-item column
 * col = part * J + j writes its sums to ws[e * ncols + col] for dw element e (added in a
 * fixed order by conv_direct_sum), or, when it is the only column, to dw itself. No
 * barriers: no work-item waits for another. */
__kernel void conv_direct_weight(__global const io_t *restrict x, __global const io_t *restrict dy,
                                 __global float *restrict ws, __global io_t *restrict dw,
                                 const int groups, const int N, const int H, const int W,
                                 const int P, const int Q, const int rows_per_part) {
  const int j = get_local_id(0), J = get_local_size(0), part = get_group_id(0);
  const int col = get_global_id(0), ncols = get_global_size(0);
  const int owner = get_global_id(1), g = get_global_id(2);
  const int c = owner % CG, k0 = owner / CG * KB;
  if (k0 >= KG) return;
  float acc[KB][NTAP];
#pragma unroll
  for (int b = 0; b < KB; b++)
#pragma unroll
    for (int t = 0; t < NTAP; t++) acc[b][t] = 0.0f;
  const int row0 = part * rows_per_part, row1 = min(row0 + rows_per_part, N * P);
  for (int row = row0; row < row1; row++) {
    const int n = row / P, oy = row % P;
    __global const io_t *xc = x + (n * groups * CG + g * CG + c) * H * W;
    __global const io_t *dyr = dy + ((n * groups * KG + g * KG + k0) * P + oy) * Q;
    for (int ox = j; ox < Q; ox += J) {
      float d[KB];
#pragma unroll
      for (int b = 0; b < KB; b++) d[b] = k0 + b < KG ? LOAD(dyr, b * P * Q + ox) : 0.0f;
#pragma unroll
      for (int r = 0; r < FR; r++) {
        const int iy = oy * STRIDE - PAD + r;
        if (iy < 0 || iy >= H) continue;
#pragma unroll
        for (int s = 0; s < FS; s++) {
          const int ix = ox * STRIDE - PAD + s;
          const float xv = ix >= 0 && ix < W ? LOAD(xc, iy * W + ix) : 0.0f;
#pragma unroll
          for (int b = 0; b < KB; b++) acc[b][r * FS + s] += d[b] * xv;
        }
      }
    }
  }
#pragma unroll
  for (int b = 0; b < KB; b++)
#pragma unroll
    for (int t = 0; t < NTAP; t++) {
      const int e = ((g * KG + k0 + b) * CG + c) * NTAP + t;
      if (k0 + b >= KG) continue;
      if (ncols > 1)
        ws[e * ncols + col] = acc[b][t];
      else
        STORE(acc[b][t], dw, e);
    }
}
#endif

/* dw[i] = sum over part < nparts of ws[i * nparts + part]: one work-group per element, its
 * work-items (a power of two, one float each in red) sum strided parts (consecutive
 * addresses), then conv_aux.cl's group_sum. */
__kernel void conv_direct_sum(__global const float *restrict ws, __global io_t *restrict dw,
                              const int nparts, __local float *red) {
  const int i = get_group_id(0), lid = get_local_id(0), L = get_local_size(0);
  float s = 0.0f;
  for (int p = lid; p < nparts; p += L) s += ws[i * nparts + p];
  s = group_sum(s, red);
  if (lid == 0) STORE(s, dw, i);
}
