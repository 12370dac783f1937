/* Operand preparation for gemm.cl: copies a rows x cols matrix (element (r, c) read from
 * src[s_off + r * lds + c], or src[s_off + c * lds + r] when trans is 1) into a dense,
 * zero-padded drows x dcols matrix dst (leading dimension dcols). Each work-item writes a
 * 4x4 block: launched over (ceil(dcols/4), ceil(drows/4)). Offsets and dimensions in floats.
 * Interior blocks move as four float4 rows (transposed in registers when trans is 1); blocks
 * on an edge go element by element. */
__kernel void gemm_copy(const int rows, const int cols, const int trans,
                        __global const float *restrict src, const int s_off, const int lds,
                        const int drows, const int dcols, __global float *restrict dst) {
  const int c0 = 4 * (int)get_global_id(0), r0 = 4 * (int)get_global_id(1);
  __global const float *s = src + s_off;
  if (r0 + 4 <= rows && c0 + 4 <= cols) { /* rows <= drows, cols <= dcols */
    float4 v0, v1, v2, v3;
    if (trans) { /* source rows c0..c0+3 hold destination columns */
      const float4 t0 = vload4(0, s + (c0 + 0) * lds + r0), t1 = vload4(0, s + (c0 + 1) * lds + r0),
                   t2 = vload4(0, s + (c0 + 2) * lds + r0), t3 = vload4(0, s + (c0 + 3) * lds + r0);
      v0 = (float4)(t0.s0, t1.s0, t2.s0, t3.s0);
      v1 = (float4)(t0.s1, t1.s1, t2.s1, t3.s1);
      v2 = (float4)(t0.s2, t1.s2, t2.s2, t3.s2);
      v3 = (float4)(t0.s3, t1.s3, t2.s3, t3.s3);
    } else {
      v0 = vload4(0, s + (r0 + 0) * lds + c0);
      v1 = vload4(0, s + (r0 + 1) * lds + c0);
      v2 = vload4(0, s + (r0 + 2) * lds + c0);
      v3 = vload4(0, s + (r0 + 3) * lds + c0);
    }
    vstore4(v0, 0, dst + (r0 + 0) * dcols + c0);
    vstore4(v1, 0, dst + (r0 + 1) * dcols + c0);
    vstore4(v2, 0, dst + (r0 + 2) * dcols + c0);
    vstore4(v3, 0, dst + (r0 + 3) * dcols + c0);
    return;
  }
  for (int r = r0; r < r0 + 4 && r < drows; r++) {
    for (int c = c0; c < c0 + 4 && c < dcols; c++) {
      float v = 0.0f;
      if (r < rows && c < cols) v = trans ? s[c * lds + r] : s[r * lds + c];
      dst[r * dcols + c] = v;
    }
  }
}
