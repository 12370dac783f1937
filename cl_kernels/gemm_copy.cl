/* Operand preparation for gemm.cl: copies a rows x cols matrix (element (r, c) read from
 * src[s_off + r * lds + c], or src[s_off + c * lds + r] when trans is 1) into a zero-padded
 * drows x dcols matrix dst stored as column panels of pw columns (pw divides dcols): element
 * (r, c) at (c / pw) * drows * pw + r * pw + c % pw, each panel a dense drows x pw matrix (pw =
 * dcols: the whole matrix, leading dimension dcols; gemm.cl's PANEL layouts otherwise). Each
 * work-item writes a 4x4 block: launched over (ceil(dcols/4), ceil(drows/4)). Offsets and
 * dimensions in elements. Interior blocks move as four 4-vector rows (transposed in registers
 * when trans is 1) where they lie within one panel; other blocks go element by element.
 *
 * HALF_IO: 0 float to float; 1 IEEE half to float (converted by vload_half4 / vload_half:
 * core OpenCL C 1.2, no cl_khr_fp16); 3 half to half, moved as their 16-bit patterns (ushort),
 * unconverted. Zero bits are +0 in both types. */
#ifndef HALF_IO
#define HALF_IO 0
#endif
#if HALF_IO == 3
#define SRC_T ushort
#define DST_T ushort
#define T4 ushort4
#define LOAD4(p) vload4(0, (p))
#define LOAD1(p, i) (p)[i]
#elif HALF_IO == 1
#define SRC_T half
#define DST_T float
#define T4 float4
#define LOAD4(p) vload_half4(0, (p))
#define LOAD1(p, i) vload_half((i), (p))
#else
#define SRC_T float
#define DST_T float
#define T4 float4
#define LOAD4(p) vload4(0, (p))
#define LOAD1(p, i) (p)[i]
#endif

__kernel void gemm_copy(const int rows, const int cols, const int trans,
                        __global const SRC_T *restrict src, const int s_off, const int lds,
                        const int drows, const int dcols, const int pw,
                        __global DST_T *restrict dst) {
  const int c0 = 4 * (int)get_global_id(0), r0 = 4 * (int)get_global_id(1);
  __global const SRC_T *s = src + s_off;
  /* (r, c) of dst at d[r * pw + c - c0] for the block's columns c when they share a panel */
  __global DST_T *d = dst + (c0 / pw) * drows * pw + c0 % pw;
  if (r0 + 4 <= rows && c0 + 4 <= cols && c0 % pw + 4 <= pw) { /* rows <= drows, cols <= dcols */
    T4 v0, v1, v2, v3;
    if (trans) { /* source rows c0..c0+3 hold destination columns */
      const T4 t0 = LOAD4(s + (c0 + 0) * lds + r0), t1 = LOAD4(s + (c0 + 1) * lds + r0),
               t2 = LOAD4(s + (c0 + 2) * lds + r0), t3 = LOAD4(s + (c0 + 3) * lds + r0);
      v0 = (T4)(t0.s0, t1.s0, t2.s0, t3.s0);
      v1 = (T4)(t0.s1, t1.s1, t2.s1, t3.s1);
      v2 = (T4)(t0.s2, t1.s2, t2.s2, t3.s2);
      v3 = (T4)(t0.s3, t1.s3, t2.s3, t3.s3);
    } else {
      v0 = LOAD4(s + (r0 + 0) * lds + c0);
      v1 = LOAD4(s + (r0 + 1) * lds + c0);
      v2 = LOAD4(s + (r0 + 2) * lds + c0);
      v3 = LOAD4(s + (r0 + 3) * lds + c0);
    }
    vstore4(v0, 0, d + (r0 + 0) * pw);
    vstore4(v1, 0, d + (r0 + 1) * pw);
    vstore4(v2, 0, d + (r0 + 2) * pw);
    vstore4(v3, 0, d + (r0 + 3) * pw);
    return;
  }
  for (int r = r0; r < r0 + 4 && r < drows; r++) {
    for (int c = c0; c < c0 + 4 && c < dcols; c++) {
      DST_T v = 0;
      if (r < rows && c < cols) v = trans ? LOAD1(s, c * lds + r) : LOAD1(s, r * lds + c);
      dst[(c / pw) * drows * pw + r * pw + c % pw] = v;
    }
  }
}
