/* Operand preparation for gemm.cl: copies a rows x cols matrix (element (r, c) read from
 * src[s_off + r * lds + c], or src[s_off + c * lds + r] when trans is 1) into a dense,
 * zero-padded drows x dcols matrix dst (leading dimension dcols). Launched over
 * (dcols, drows); offsets and dimensions in floats. */
__kernel void gemm_copy(const int rows, const int cols, const int trans,
                        __global const float *restrict src, const int s_off, const int lds,
                        const int dcols, __global float *restrict dst) {
  const int c = get_global_id(0), r = get_global_id(1);
  float v = 0.0f;
  if (r < rows && c < cols) v = trans ? src[s_off + c * lds + r] : src[s_off + r * lds + c];
  dst[r * dcols + c] = v;
}
