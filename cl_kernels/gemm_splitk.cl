/* Split-K reduction for gemm.cl: C = W_0 + W_1 + ... + W_(splits-1) + beta * C for the m x n
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
