/* Peak probes: FP32 FMA throughput, global-memory bandwidth, launch latency.
 * Build options: -DVEC=floatN -DVEC_WIDTH=N -DCHAINS=C (FMA probe only). */

#ifndef VEC
#define VEC float
#define VEC_WIDTH 1
#endif
#ifndef CHAINS
#define CHAINS 8
#endif

/* Distinct lane values: with every lane equal, compilers compute one lane and splat it. */
#if VEC_WIDTH == 1
#define LANES 0.0f
#elif VEC_WIDTH == 2
#define LANES (float2)(0, 1)
#elif VEC_WIDTH == 4
#define LANES (float4)(0, 1, 2, 3)
#elif VEC_WIDTH == 8
#define LANES (float8)(0, 1, 2, 3, 4, 5, 6, 7)
#else
#define LANES (float16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#endif

/* CHAINS independent FMA chains of VEC_WIDTH lanes per work-item, `iters` rounds of 8
 * unrolled steps each: 2 * 8 * CHAINS * VEC_WIDTH FLOP per round and work-item.
 * x <- x*a + b with a just below 1 converges to b/(1-a): no overflow, no denormals. */
__kernel void fma_peak(__global float *out, float a, float b, int iters) {
  VEC x[CHAINS];
  const float seed = (float)get_global_id(0) * 1e-7f;
#pragma unroll
  for (int c = 0; c < CHAINS; c++) x[c] = (VEC)(seed + (float)c * 1e-3f) + LANES * 1e-5f;
  for (int i = 0; i < iters; i++) {
#pragma unroll
    for (int u = 0; u < 8; u++) {
#pragma unroll
      for (int c = 0; c < CHAINS; c++) x[c] = fma(x[c], (VEC)a, (VEC)b);
    }
  }
  VEC s = x[0];
#pragma unroll
  for (int c = 1; c < CHAINS; c++) s += x[c];
#if VEC_WIDTH == 1
  out[get_global_id(0)] = s;
#elif VEC_WIDTH == 2
  out[get_global_id(0)] = s.s0 + s.s1;
#elif VEC_WIDTH == 4
  out[get_global_id(0)] = s.s0 + s.s1 + s.s2 + s.s3;
#elif VEC_WIDTH == 8
  out[get_global_id(0)] = s.s0 + s.s1 + s.s2 + s.s3 + s.s4 + s.s5 + s.s6 + s.s7;
#else
  out[get_global_id(0)] = s.s0 + s.s1 + s.s2 + s.s3 + s.s4 + s.s5 + s.s6 + s.s7 + s.s8 + s.s9 +
                          s.sa + s.sb + s.sc + s.sd + s.se + s.sf;
#endif
}

/* Memory probes, in two layouts (models/peak.c times both on each device and keeps the faster).
 * By default (interleaved) work-group g owns the block of PER_ITEM * local_size float4 from
 * g * PER_ITEM * local_size, and work-item l touches l, l + local_size, ... in it: coalesced
 * on GPUs, and one vector load per step for CPU compilers that vectorise across work-items.
 * With -DCONTIGUOUS each work-item owns PER_ITEM consecutive float4 instead: sequential streams
 * for CPU compilers that run a work-item as one loop iteration. */
#ifndef PER_ITEM
#define PER_ITEM 16
#endif
#ifdef CONTIGUOUS
#define FIRST() (get_global_id(0) * PER_ITEM)
#define STEP() 1
#else
#define FIRST() (get_group_id(0) * get_local_size(0) * PER_ITEM + get_local_id(0))
#define STEP() get_local_size(0)
#endif

__kernel void copy4(__global const float4 *restrict src, __global float4 *restrict dst) {
  const size_t base = FIRST(), step = STEP();
#pragma unroll
  for (int r = 0; r < PER_ITEM; r++) dst[base + r * step] = src[base + r * step];
}

/* In place: every float4 read and written back (x -> x / 2 + 1, finite for ever). A CPU's
 * stores then hit lines already read, where a copy's stores read their destination first
 * (write-allocate: 3 bytes moved per 2 counted). */
__kernel void update4(__global float4 *restrict buf) {
  const size_t base = FIRST(), step = STEP();
#pragma unroll
  for (int r = 0; r < PER_ITEM; r++) buf[base + r * step] = buf[base + r * step] * 0.5f + 1.0f;
}

/* Read-only: every float4 read once; one float per work-item written (1/64 of the bytes read). */
__kernel void read4(__global const float4 *restrict src, __global float *restrict out) {
  const size_t base = FIRST(), step = STEP();
  float4 acc = (float4)(0.0f);
#pragma unroll
  for (int r = 0; r < PER_ITEM; r++) acc += src[base + r * step];
  out[get_global_id(0)] = acc.x + acc.y + acc.z + acc.w;
}

__kernel void empty(__global float *p) {
  (void)p;
}
