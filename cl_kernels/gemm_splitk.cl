/* Split-K reduction for gemm.cl: C = W_0 + W_1 + ... + W_(splits-1) + beta * C for the m x n
 * matrix C (element (r, c) at c[c_off + r * ldc + c]), where W_z holds the partial product of
 * the z-th K-range, alpha included (element (r, c) at w[z * w_split + r * ldw + c]). beta == 0
 * never reads C. One work-item per element: launched over at least (n, m). */
__kernel void gemm_splitk(const int m, const int n, const int splits,
                          __global const float *restrict w, const int ldw, const int w_split,
                          const float beta, __global float *restrict c, const int c_off,
                          const int ldc) {
  const int col = (int)get_global_id(0), row = (int)get_global_id(1);
  if (row >= m || col >= n) return;
  __global const float *p = w + row * ldw + col;
  float sum = p[0];
  for (int z = 1; z < splits; z++) sum += p[z * w_split];
  __global float *cp = c + c_off + row * ldc + col;
  *cp = beta == 0.0f ? sum : beta * *cp + sum;
}
