/* Winograd F(2x2,3x3) transforms of the own convolution (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016), fp32, 3x3 filters, stride 1 (models/conv/
 * conv_winograd.c sets them up). The output is cut into 2x2 tiles, each computed from the
 * 4x4 input tile d that covers it (neighbouring input tiles overlap by 2) and the 3x3 filter g:
 *   y_tile = A^T [ (G g G^T) .* (B^T d B) ] A, summed over input channels inside the brackets,
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1],
 *   A^T = [1 1 1 0; 0 1 -1 -1].
 * With U = G g G^T and V = B^T d B, the channel sums are 16 independent GEMMs (one per
 * element e = 4 i + j of the 4x4 transforms), M_e[k][p] = sum_c U_e[k][c] V_e[c][p], over
 * tiles p = (n, ty, tx) of all images; the host runs them as a grouped 1x1 convolution through
 * conv_gemm.cl. Layouts (dense, row-major):
 *   V [16][C][P]   U [16][K][C]   M [16][K][P]   P = n * th * tw tiles, th = ceil(OH / 2)
 * Tiles reading past the input read zeros (the padding); output tiles past the edge (odd
 * OH or OW) are masked on store. Indices stay below 2^31 (the host checks the sizes). */

/* t[0..3] = B^T d[0..3] along one dimension. */
#define BT4(d0, d1, d2, d3, t)                                                                  \
  do {                                                                                          \
    (t)[0] = (d0) - (d2);                                                                       \
    (t)[1] = (d1) + (d2);                                                                       \
    (t)[2] = (d2) - (d1);                                                                       \
    (t)[3] = (d1) - (d3);                                                                       \
  } while (0)

/* t[0..3] = G g[0..2] along one dimension. */
#define G3(g0, g1, g2, t)                                                                       \
  do {                                                                                          \
    (t)[0] = (g0);                                                                              \
    (t)[1] = 0.5f * ((g0) + (g1) + (g2));                                                       \
    (t)[2] = 0.5f * ((g0) - (g1) + (g2));                                                       \
    (t)[3] = (g2);                                                                              \
  } while (0)

/* x [n][C][H][W] -> V: one work-item per tile p (dimension 0, P rounded up) and input channel
 * c (dimension 1, exactly C). Tile (ty, tx) of image n reads input rows 2 ty - pad .. + 3 and
 * columns 2 tx - pad .. + 3. */
__kernel void wino_input(__global const float *restrict x, __global float *restrict v,
                         const int C, const int H, const int W, const int pad, const int th,
                         const int tw, const int P) {
  const int p = get_global_id(0), c = get_global_id(1);
  if (p >= P) return;
  const int n = p / (th * tw), t = p % (th * tw);
  const int h0 = 2 * (t / tw) - pad, w0 = 2 * (t % tw) - pad;
  __global const float *xc = x + (n * C + c) * H * W;
  float d[4][4], r[4][4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) {
      const int hh = h0 + i, ww = w0 + j;
      d[i][j] = hh >= 0 && hh < H && ww >= 0 && ww < W ? xc[hh * W + ww] : 0.0f;
    }
  for (int j = 0; j < 4; j++) {
    float t4[4];
    BT4(d[0][j], d[1][j], d[2][j], d[3][j], t4);
    for (int i = 0; i < 4; i++) r[i][j] = t4[i];
  }
  for (int i = 0; i < 4; i++) {
    float t4[4];
    BT4(r[i][0], r[i][1], r[i][2], r[i][3], t4);
    for (int j = 0; j < 4; j++) v[((i * 4 + j) * C + c) * P + p] = t4[j];
  }
}

/* w -> U for K output and C input channels of the convolution the transforms run: one
 * work-item per (c, k) (dimensions 0 and 1, exactly C and K). flip = 0: g = w[k][c] (w is
 * [K][C][3][3]); flip = 1: g = w[c][k] rotated by 180 degrees (w is [C][K][3][3]: the data
 * gradient as a forward convolution of dy). */
__kernel void wino_filter(__global const float *restrict w, __global float *restrict u,
                          const int K, const int C, const int flip) {
  const int c = get_global_id(0), k = get_global_id(1);
  __global const float *src = w + (flip ? c * K + k : k * C + c) * 9;
  float g[3][3], r[4][3];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) g[i][j] = flip ? src[(2 - i) * 3 + 2 - j] : src[i * 3 + j];
  for (int j = 0; j < 3; j++) {
    float t4[4];
    G3(g[0][j], g[1][j], g[2][j], t4);
    for (int i = 0; i < 4; i++) r[i][j] = t4[i];
  }
  for (int i = 0; i < 4; i++) {
    float t4[4];
    G3(r[i][0], r[i][1], r[i][2], t4);
    for (int j = 0; j < 4; j++) u[((i * 4 + j) * K + k) * C + c] = t4[j];
  }
}

/* M -> y [n][K][OH][OW] (+ bias[k] when has_bias): one work-item per tile p (dimension 0, P
 * rounded up) and output channel k (dimension 1, exactly K); the 2x2 outputs of a tile past
 * the bottom or right edge are not stored. */
__kernel void wino_output(__global const float *restrict m, __global float *restrict y,
                          __global const float *restrict bias, const int has_bias, const int K,
                          const int OH, const int OW, const int th, const int tw, const int P) {
  const int p = get_global_id(0), k = get_global_id(1);
  if (p >= P) return;
  float a[4][4];
  for (int e = 0; e < 16; e++) a[e / 4][e % 4] = m[(e * K + k) * P + p];
  float r[2][4]; /* A^T a */
  for (int j = 0; j < 4; j++) {
    r[0][j] = a[0][j] + a[1][j] + a[2][j];
    r[1][j] = a[1][j] - a[2][j] - a[3][j];
  }
  const float b = has_bias ? bias[k] : 0.0f;
  const int n = p / (th * tw), t = p % (th * tw);
  const int oy = 2 * (t / tw), ox = 2 * (t % tw);
  __global float *yk = y + (n * K + k) * OH * OW;
  for (int i = 0; i < 2; i++) {
    if (oy + i >= OH) break;
    const float o0 = r[i][0] + r[i][1] + r[i][2], o1 = r[i][1] - r[i][2] - r[i][3];
    yk[(oy + i) * OW + ox] = o0 + b;
    if (ox + 1 < OW) yk[(oy + i) * OW + ox + 1] = o1 + b;
  }
}

/* The weight gradient, dw = sum over tiles of G^T [ (A dy A^T) .* (B^T x B) ] G (F(3x3,2x2),
 * the same matrices): V from wino_input (tiles over dy's positions), the dy transform
 * below, the 16 GEMMs over the tiles M_e[k][c] = sum_p DY_e[k][p] V_e[c][p], then wino_dw.
 * A = [1 0; 1 1; 1 -1; 0 -1], G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]. */

/* t[0..3] = A dy[0..1] along one dimension. */
#define A2(d0, d1, t)                                                                           \
  do {                                                                                          \
    (t)[0] = (d0);                                                                              \
    (t)[1] = (d0) + (d1);                                                                       \
    (t)[2] = (d0) - (d1);                                                                       \
    (t)[3] = -(d1);                                                                             \
  } while (0)

/* t[0..2] = G^T m[0..3] along one dimension. */
#define GT4(m0, m1, m2, m3, t)                                                                  \
  do {                                                                                          \
    (t)[0] = (m0) + 0.5f * ((m1) + (m2));                                                       \
    (t)[1] = 0.5f * ((m1) - (m2));                                                              \
    (t)[2] = 0.5f * ((m1) + (m2)) + (m3);                                                       \
  } while (0)

/* dy [n][K][OH][OW] -> DY [16][K][P]: one work-item per tile p (dimension 0, P rounded up)
 * and channel k (dimension 1, exactly K); dy past the bottom or right edge reads zeros. */
__kernel void wino_dy(__global const float *restrict dy, __global float *restrict m, const int K,
                      const int OH, const int OW, const int th, const int tw, const int P) {
  const int p = get_global_id(0), k = get_global_id(1);
  if (p >= P) return;
  const int n = p / (th * tw), t = p % (th * tw);
  const int oy = 2 * (t / tw), ox = 2 * (t % tw);
  __global const float *dk = dy + (n * K + k) * OH * OW;
  float d[2][2], r[4][2];
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      d[i][j] = oy + i < OH && ox + j < OW ? dk[(oy + i) * OW + ox + j] : 0.0f;
  for (int j = 0; j < 2; j++) {
    float t4[4];
    A2(d[0][j], d[1][j], t4);
    for (int i = 0; i < 4; i++) r[i][j] = t4[i];
  }
  for (int i = 0; i < 4; i++) {
    float t4[4];
    A2(r[i][0], r[i][1], t4);
    for (int j = 0; j < 4; j++) m[((i * 4 + j) * K + k) * P + p] = t4[j];
  }
}

/* M [16][K][C] -> dw [K][C][3][3]: one work-item per (c, k) (dimensions 0 and 1, exactly C
 * and K). */
__kernel void wino_dw(__global const float *restrict u, __global float *restrict dw,
                      const int K, const int C) {
  const int c = get_global_id(0), k = get_global_id(1);
  float a[4][4], r[3][4];
  for (int e = 0; e < 16; e++) a[e / 4][e % 4] = u[(e * K + k) * C + c];
  for (int j = 0; j < 4; j++) {
    float t3[3];
    GT4(a[0][j], a[1][j], a[2][j], a[3][j], t3);
    for (int i = 0; i < 3; i++) r[i][j] = t3[i];
  }
  __global float *out = dw + (k * C + c) * 9;
  for (int i = 0; i < 3; i++) {
    float t3[3];
    GT4(r[i][0], r[i][1], r[i][2], r[i][3], t3);
    for (int j = 0; j < 3; j++) out[i * 3 + j] = t3[j];
  }
}
