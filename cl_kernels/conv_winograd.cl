/* Winograd F(mxm,3x3) transforms of the own convolution (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016), fp32, 3x3 filters, stride 1 (models/conv/
 * conv_winograd.c sets them up), for an output tile of WINO_M x WINO_M (-D WINO_M=2 or 4;
 * ALPHA = WINO_M + 2). The output is cut into m x m tiles, each computed from the
 * ALPHA x ALPHA input tile d that covers it (neighbouring input tiles overlap by 2) and the
 * 3x3 filter g:
 *   y_tile = A^T [ (G g G^T) .* (B^T d B) ] A, summed over input channels inside the brackets,
 * with the tables below (F(2x2): points 0, 1, -1 and infinity; F(4x4): 0, 1, -1, 2, -2 and
 * infinity, Lavin & Gray's matrices; models/conv/conv_ref.h says why these points).
 * With U = G g G^T and V = B^T d B, the channel sums are NE = ALPHA^2 independent GEMMs (one
 * per element e = ALPHA i + j of the transforms), M_e[k][p] = sum_c U_e[k][c] V_e[c][p],
 * over tiles p = (n, ty, tx) of all images; the host runs them as a grouped 1x1 convolution
 * through conv_gemm.cl. Layouts (dense, row-major):
 *   V [NE][C][P]   U [NE][K][C]   M [NE][K][P]   P = n * th * tw tiles, th = ceil(OH / m)
 * Tiles reading past the input read zeros (the padding); output tiles past the edge are
 * masked on store. Indices stay below 2^31 (the host checks the sizes). */

#if WINO_M == 2
#define ALPHA 4
__constant float BT[ALPHA][ALPHA] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
__constant float G[ALPHA][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
__constant float AT[WINO_M][ALPHA] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
#elif WINO_M == 4
#define ALPHA 6
__constant float BT[ALPHA][ALPHA] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0},
                                     {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0},
                                     {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
__constant float G[ALPHA][3] = {{1.0f / 4, 0, 0},
                                {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                                {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                                {1.0f / 24, 1.0f / 12, 1.0f / 6},
                                {1.0f / 24, -1.0f / 12, 1.0f / 6},
                                {0, 0, 1}};
__constant float AT[WINO_M][ALPHA] = {
    {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};
#else
#error "conv_winograd.cl: WINO_M must be 2 or 4"
#endif
#define NE (ALPHA * ALPHA)

/* Full unrolling of a loop inside a macro (C99's _Pragma). */
#define UNROLL _Pragma("unroll")

/* The tables and their transposes as T(i, j). */
#define BT_(i, j) BT[i][j]
#define G_(i, j) G[i][j]
#define GT_(i, j) G[j][i]
#define AT_(i, j) AT[i][j]
#define A_(i, j) AT[j][i]

/* Element (i, j) of a 2-D private array, or of its transpose. */
#define ELEM(a, i, j) (a)[i][j]
#define ELEM_T(a, i, j) (a)[j][i]

/* One dimension of a transform by a constant table T (an accessor above): O(o, i, j) =
 * sum_k T(i, k) X(x, k, j) for i < ROWS, j < N, k < COLS, X and O reading the arrays as they
 * are (ELEM) or transposed (ELEM_T). Constant bounds: the loops unroll and the table folds
 * into the code; zero entries are skipped and each sum starts from -0 (x + -0 is x), so no
 * multiply by 0 or 1 is left. */
#define TRANSFORM1(T, ROWS, N, COLS, X, x, O, o)                                                \
  do {                                                                                          \
    UNROLL for (int i_ = 0; i_ < (ROWS); i_++)                                                  \
      UNROLL for (int j_ = 0; j_ < (N); j_++) {                                                 \
        float s_ = -0.0f;                                                                       \
        UNROLL for (int k_ = 0; k_ < (COLS); k_++)                                              \
          if (T(i_, k_) != 0.0f) s_ += T(i_, k_) * X(x, k_, j_);                                \
        O(o, i_, j_) = s_;                                                                      \
      }                                                                                         \
  } while (0)

/* Both dimensions: o = T x T^t for x of COLS x COLS, T of ROWS x COLS and o of ROWS x ROWS
 * (2-D private arrays), r scratch of ROWS x COLS. */
#define TRANSFORM2(T, ROWS, COLS, x, r, o)                                                      \
  do {                                                                                          \
    TRANSFORM1(T, ROWS, COLS, COLS, ELEM, x, ELEM, r);                                          \
    TRANSFORM1(T, ROWS, ROWS, COLS, ELEM_T, r, ELEM_T, o);                                      \
  } while (0)

/* x [n][C][H][W] -> V: one work-item per tile p (dimension 0, P rounded up) and input channel
 * c (dimension 1, exactly C). Tile (ty, tx) of image n reads input rows m ty - pad .. + ALPHA - 1
 * and the columns alike. */
__kernel void wino_input(__global const float *restrict x, __global float *restrict v,
                         const int C, const int H, const int W, const int pad, const int th,
                         const int tw, const int P) {
  const int p = get_global_id(0), c = get_global_id(1);
  if (p >= P) return;
  const int n = p / (th * tw), t = p % (th * tw);
  const int h0 = WINO_M * (t / tw) - pad, w0 = WINO_M * (t % tw) - pad;
  __global const float *xc = x + (n * C + c) * H * W;
  float d[ALPHA][ALPHA], r[ALPHA][ALPHA], o[ALPHA][ALPHA];
#pragma unroll
  for (int i = 0; i < ALPHA; i++)
#pragma unroll
    for (int j = 0; j < ALPHA; j++) {
      const int hh = h0 + i, ww = w0 + j;
      d[i][j] = hh >= 0 && hh < H && ww >= 0 && ww < W ? xc[hh * W + ww] : 0.0f;
    }
  TRANSFORM2(BT_, ALPHA, ALPHA, d, r, o);
#pragma unroll
  for (int e = 0; e < NE; e++) v[(e * C + c) * P + p] = o[e / ALPHA][e % ALPHA];
}

/* w -> U for K output and C input channels of the convolution the transforms run: one
 * work-item per (c, k) (dimensions 0 and 1, exactly C and K). flip = 0: g = w[k][c] (w is
 * [K][C][3][3]); flip = 1: g = w[c][k] rotated by 180 degrees (w is [C][K][3][3]: the data
 * gradient as a forward convolution of dy). */
__kernel void wino_filter(__global const float *restrict w, __global float *restrict u,
                          const int K, const int C, const int flip) {
  const int c = get_global_id(0), k = get_global_id(1);
  __global const float *src = w + (flip ? c * K + k : k * C + c) * 9;
  float g[3][3], r[ALPHA][3], o[ALPHA][ALPHA];
#pragma unroll
  for (int i = 0; i < 9; i++) g[i / 3][i % 3] = src[flip ? 8 - i : i];
  TRANSFORM2(G_, ALPHA, 3, g, r, o);
#pragma unroll
  for (int e = 0; e < NE; e++) u[(e * K + k) * C + c] = o[e / ALPHA][e % ALPHA];
}

/* M -> y [n][K][OH][OW] (+ bias[k] when has_bias): one work-item per tile p (dimension 0, P
 * rounded up) and output channel k (dimension 1, exactly K); the outputs of a tile past the
 * bottom or right edge are not stored. */
__kernel void wino_output(__global const float *restrict m, __global float *restrict y,
                          __global const float *restrict bias, const int has_bias, const int K,
                          const int OH, const int OW, const int th, const int tw, const int P) {
  const int p = get_global_id(0), k = get_global_id(1);
  if (p >= P) return;
  float a[ALPHA][ALPHA], r[WINO_M][ALPHA], o[WINO_M][WINO_M];
#pragma unroll
  for (int e = 0; e < NE; e++) a[e / ALPHA][e % ALPHA] = m[(e * K + k) * P + p];
  TRANSFORM2(AT_, WINO_M, ALPHA, a, r, o);
  const float b = has_bias ? bias[k] : 0.0f;
  const int n = p / (th * tw), t = p % (th * tw);
  const int oy = WINO_M * (t / tw), ox = WINO_M * (t % tw);
  __global float *yk = y + (n * K + k) * OH * OW;
#pragma unroll
  for (int i = 0; i < WINO_M; i++)
#pragma unroll
    for (int j = 0; j < WINO_M; j++)
      if (oy + i < OH && ox + j < OW) yk[(oy + i) * OW + ox + j] = o[i][j] + b;
}

/* The weight gradient, dw = sum over tiles of G^T [ (A dy A^T) .* (B^T x B) ] G (F(3x3,mxm),
 * the same matrices: sum_e A^T[i][e] G[e][k] B^T[e][l] = [l == i + k] read with the roles of
 * the filter and the output swapped): V from wino_input (tiles over dy's positions), the dy
 * transform below, the NE GEMMs over the tiles M_e[k][c] = sum_p DY_e[k][p] V_e[c][p], then
 * wino_dw. A and G^T are the transposes of the tables. */

/* dy [n][K][OH][OW] -> DY [NE][K][P]: one work-item per tile p (dimension 0, P rounded up)
 * and channel k (dimension 1, exactly K); dy past the bottom or right edge reads zeros. */
__kernel void wino_dy(__global const float *restrict dy, __global float *restrict m, const int K,
                      const int OH, const int OW, const int th, const int tw, const int P) {
  const int p = get_global_id(0), k = get_global_id(1);
  if (p >= P) return;
  const int n = p / (th * tw), t = p % (th * tw);
  const int oy = WINO_M * (t / tw), ox = WINO_M * (t % tw);
  __global const float *dk = dy + (n * K + k) * OH * OW;
  float d[WINO_M][WINO_M], r[ALPHA][WINO_M], o[ALPHA][ALPHA];
#pragma unroll
  for (int i = 0; i < WINO_M; i++)
#pragma unroll
    for (int j = 0; j < WINO_M; j++)
      d[i][j] = oy + i < OH && ox + j < OW ? dk[(oy + i) * OW + ox + j] : 0.0f;
  TRANSFORM2(A_, ALPHA, WINO_M, d, r, o);
#pragma unroll
  for (int e = 0; e < NE; e++) m[(e * K + k) * P + p] = o[e / ALPHA][e % ALPHA];
}

/* M [NE][K][C] -> dw [K][C][3][3]: one work-item per (c, k) (dimensions 0 and 1, exactly C
 * and K). */
__kernel void wino_dw(__global const float *restrict u, __global float *restrict dw,
                      const int K, const int C) {
  const int c = get_global_id(0), k = get_global_id(1);
  float a[ALPHA][ALPHA], r[3][ALPHA], o[3][3];
#pragma unroll
  for (int e = 0; e < NE; e++) a[e / ALPHA][e % ALPHA] = u[(e * K + k) * C + c];
  TRANSFORM2(GT_, 3, ALPHA, a, r, o);
  __global float *out = dw + (k * C + c) * 9;
#pragma unroll
  for (int i = 0; i < 9; i++) out[i] = o[i / 3][i % 3];
}
