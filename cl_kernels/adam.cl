/* Fused Adam / AdamW step with PyTorch semantics: every tensor of a launch group in one launch.
 *
 * Work-group w updates chunk first_chunk + w of the chunk table: a contiguous range of one
 * tensor (or of tensors that lie back to back in every buffer) of at most
 * local_size * ITEMS * VEC elements. Entry (p, g, s, n): where the range starts in the
 * parameter, gradient and state buffers, in units of 4 floats (16 bytes), and its length n in
 * elements. No work-item searches the tensor table: the host splits tensors into chunks.
 * Work-item l loads vectors l, l + local_size, ... of the chunk (coalesced on GPUs, contiguous
 * across a vectorised work-group on CPUs), all ITEMS of them before any arithmetic, then
 * stores them. The n % VEC elements after the last whole vector are the chunk's scalar tail,
 * one per work-item.
 *
 * Per element, in fp32 (torch's fused CUDA kernel does the same in its opmath type):
 *   g = gsign * g;  g += l2 * p (Adam's L2 decay, only when l2 != 0)
 *   p = pscale * p                       (AdamW's decoupled decay: pscale = 1 - lr * wd)
 *   m = beta1 * m + omb1 * g             (omb1 = 1 - beta1)
 *   v = beta2 * v + omb2 * g * g         (omb2 = 1 - beta2)
 *   vmax = max(vmax, v)                  (AMSGRAD only; the denominator then uses vmax)
 *   p = p - step_size * m / (sqrt(v) * rbc2 + eps)
 * with the step-dependent scalars computed once per step on the host in double precision:
 * step_size = lr / (1 - beta1^t), rbc2 = 1 / sqrt(1 - beta2^t).
 *
 * HALF=1: parameters and gradients are IEEE half, loaded with vloada_half{2,4} / vload_half
 * and stored with vstorea_half{2,4}_rte / vstore_half_rte (core OpenCL C, no cl_khr_fp16:
 * `half` only names the pointee; the aligned forms, since chunks start at multiples of 4
 * elements, let a compiler load VEC halves at once), the moments fp32; the arithmetic is the
 * same fp32 code.
 *
 * Build options: -DVEC=1|2|4 -DITEMS=N -DAMSGRAD=0|1 -DHALF=0|1.
 */
#ifndef VEC
#define VEC 4
#endif
#ifndef ITEMS
#define ITEMS 4
#endif
#ifndef AMSGRAD
#define AMSGRAD 0
#endif
#ifndef HALF
#define HALF 0
#endif

#if VEC == 4
#define VT float4
#elif VEC == 2
#define VT float2
#elif VEC == 1
#define VT float
#else
#error "VEC must be 1, 2 or 4"
#endif

/* Parameters and gradients: vector i after element k (a multiple of VEC) of X, and element e. */
#if HALF
#define PT half
#if VEC == 4
#define LOADV(X, k, i) vloada_half4((k) / 4 + (i), X)
#define STOREV(v, X, k, i) vstorea_half4_rte(v, (k) / 4 + (i), X)
#elif VEC == 2
#define LOADV(X, k, i) vloada_half2((k) / 2 + (i), X)
#define STOREV(v, X, k, i) vstorea_half2_rte(v, (k) / 2 + (i), X)
#else
#define LOADV(X, k, i) vload_half((k) + (i), X)
#define STOREV(v, X, k, i) vstore_half_rte(v, (k) + (i), X)
#endif
#define LOAD1(X, e) vload_half(e, X)
#define STORE1(v, X, e) vstore_half_rte(v, e, X)
#else
#define PT float
#define LOADV(X, k, i) ((__global const VT *)((X) + (k)))[i]
#define STOREV(v, X, k, i) (((__global VT *)((X) + (k)))[i] = (v))
#define LOAD1(X, e) (X)[e]
#define STORE1(v, X, e) ((X)[e] = (v))
#endif

/* One Adam update of the values p, g, m, v (and vm), of any float vector type. */
#if AMSGRAD
#define ADAM_DENOM(v, vm) (vm = fmax(vm, v), sqrt(vm) * rbc2 + eps)
#else
#define ADAM_DENOM(v, vm) (sqrt(v) * rbc2 + eps)
#endif
#define ADAM_UPDATE(p, g, m, v, vm)                                                            \
  do {                                                                                         \
    g *= gsign;                                                                                \
    if (l2 != 0.0f) g += l2 * p;                                                               \
    m = beta1 * m + omb1 * g;                                                                  \
    v = beta2 * v + omb2 * (g * g);                                                            \
    p = pscale * p - step_size * m / ADAM_DENOM(v, vm);                                        \
  } while (0)

__kernel void adam_fused(__global PT *restrict P, __global const PT *restrict G,
                         __global float *restrict M, __global float *restrict V,
                         __global float *restrict VM, __global const uint4 *restrict chunks,
                         uint first_chunk, float gsign, float l2, float pscale, float beta1,
                         float omb1, float beta2, float omb2, float step_size, float rbc2,
                         float eps) {
  const uint4 c = chunks[first_chunk + get_group_id(0)];
  const uint lsz = (uint)get_local_size(0), lid = (uint)get_local_id(0);
  const size_t pk = (size_t)c.x * 4, gk = (size_t)c.y * 4; /* first element in P and G */
  __global float *m = M + (size_t)c.z * 4;
  __global float *v = V + (size_t)c.z * 4;
#if AMSGRAD
  __global float *vm = VM + (size_t)c.z * 4;
#else
  (void)VM;
#endif
  const uint nvec = c.w / VEC;
  VT pr[ITEMS], gr[ITEMS], mr[ITEMS], vr[ITEMS], vmr[ITEMS];
#if !AMSGRAD
  (void)vmr; /* ADAM_DENOM reads it with AMSGRAD only */
#endif
#pragma unroll
  for (int r = 0; r < ITEMS; r++) {
    const uint i = lid + (uint)r * lsz;
    if (i < nvec) {
      pr[r] = LOADV(P, pk, i);
      gr[r] = LOADV(G, gk, i);
      mr[r] = ((__global VT *)m)[i];
      vr[r] = ((__global VT *)v)[i];
#if AMSGRAD
      vmr[r] = ((__global VT *)vm)[i];
#endif
    }
  }
#pragma unroll
  for (int r = 0; r < ITEMS; r++) {
    const uint i = lid + (uint)r * lsz;
    if (i < nvec) {
      ADAM_UPDATE(pr[r], gr[r], mr[r], vr[r], vmr[r]);
      STOREV(pr[r], P, pk, i);
      ((__global VT *)m)[i] = mr[r];
      ((__global VT *)v)[i] = vr[r];
#if AMSGRAD
      ((__global VT *)vm)[i] = vmr[r];
#endif
    }
  }
#if VEC > 1
  const uint t = nvec * VEC + lid; /* the scalar tail */
  if (t < c.w) {
    float ps = LOAD1(P, pk + t), gs = LOAD1(G, gk + t), ms = m[t], vs = v[t], vms = 0.0f;
#if AMSGRAD
    vms = vm[t];
#else
    (void)vms;
#endif
    ADAM_UPDATE(ps, gs, ms, vs, vms);
    STORE1(ps, P, pk + t);
    m[t] = ms;
    v[t] = vs;
#if AMSGRAD
    vm[t] = vms;
#endif
  }
#endif
}
