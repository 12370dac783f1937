/* Helpers of the convolution (conv_gemm.cl, conv_direct.cl): summing split-K partial results,
 * the bias gradient, a work-group's fixed-order sum. Plain OpenCL C 1.2, no tunables. HALF_IO=1: the tensors (not the
 * fp32 split-K workspace) are IEEE half, as in conv_gemm.cl; the sums are fp32 either way. */
#ifndef HALF_IO
#define HALF_IO 0
#endif
#if HALF_IO
typedef half io_t;
#define LOAD(P, i) vload_half((i), (P))
#define STORE(v, P, i) vstore_half_rte((v), (i), (P))
#else
typedef float io_t;
#define LOAD(P, i) ((P)[i])
#define STORE(v, P, i) ((P)[i] = (v))
#endif

/* out[i] = sum over s < nsplit of ws[s * total + i], plus bias[(i / bias_div) % bias_mod]
 * when has_bias (the output channel of element i of an NCHW tensor). */
__kernel void conv_split_reduce(__global const float *restrict ws, __global io_t *restrict out,
                                const int total, const int nsplit,
                                __global const io_t *restrict bias, const int has_bias,
                                const int bias_div, const int bias_mod) {
  const int i = get_global_id(0);
  if (i >= total) return;
  float s = 0.0f;
  for (int k = 0; k < nsplit; k++) s += ws[k * total + i];
  if (has_bias) s += LOAD(bias, (i / bias_div) % bias_mod);
  STORE(s, out, i);
}

/* The sum of every work-item's s, in a fixed order (a tree over `part`, one float per work-item
 * of a power-of-two work-group), returned to work-item 0 (the others get partial sums). */
float group_sum(float s, __local float *part) {
  const int lid = (int)get_local_id(0);
  part[lid] = s;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int step = (int)get_local_size(0) / 2; step > 0; step /= 2) {
    if (lid < step) part[lid] += part[lid + step];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  return part[lid];
}

/* db[k] = sum over n < batch and i < plane of dy[(n * channels + k) * plane + i]: one
 * work-group per channel k, a tree reduction in `part` (one float per work-item; the
 * work-group size is a power of two). */
__kernel void conv_bias_grad(__global const io_t *restrict dy, __global io_t *restrict db,
                             const int batch, const int channels, const int plane,
                             __local float *part) {
  const int k = get_group_id(0);
  const int lid = get_local_id(0), wg = get_local_size(0);
  float s = 0.0f;
  for (int n = 0; n < batch; n++) {
    __global const io_t *p = dy + (n * channels + k) * plane;
    for (int i = lid; i < plane; i += wg) s += LOAD(p, i);
  }
  s = group_sum(s, part);
  if (lid == 0) STORE(s, db, k);
}
