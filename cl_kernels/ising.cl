/* Block Gibbs sampling of Ising models, many chains at once (models/ising_sampler.c).
 *
 * Spins are bits: a word of SPIN_BITS bits holds one node's spin in SPIN_BITS chains (bit set:
 * s = -1). The state is [node][word]: row `node`, column `word` (stride words per row). A work
 * unit is one word of one free node: the field of its SPIN_BITS chains, then a new word.
 * Nodes are visited colour by colour; a colour's free nodes are "positions" p, ordered by
 * degree, with their neighbours in a sliced ELL layout of 32 positions per slice:
 *   pos[p]  = (node, degree, ht as bits, SELL index of slot 0)
 *   sell[pos[p].w + 32 * k] = (neighbour | count flag << 31, wt as bits), k < degree,
 * neighbours ascending. The count flag marks the one endpoint of an edge that observes it:
 * the neighbour is clamped or of an earlier colour, so both spins are final for the sweep.
 *
 * Random numbers: Philox4x32-10 keyed by the seed, counter (node, sweep, chain / 4, 0); its
 * four outputs serve chains 4q..4q+3, so a run does not depend on the work-group size, the
 * word size or the split of chains into passes. The initial state uses counter (node, 0,
 * chain / 4, 1). The decision arithmetic is models/ising_rule.h's, bit for bit.
 *
 * Build options: -DSPIN_BITS=8|16|32 (chains per word).
 */
#ifndef SPIN_BITS
#define SPIN_BITS 32
#endif
/* Chains are processed as vectors (explicit SIMD for CPU devices; GPUs scalarise them): a word
 * is NVEC vectors of VW lanes, lane b of the word is bit b. Philox runs QUADS = SPIN_BITS / 4
 * counters at once as vectors of QUADS lanes; output k of counter q feeds bit k*QUADS + q,
 * which therefore holds the word's chain 4q + k (models/ising_sampler.c maps bits to chains). */
#if SPIN_BITS == 8
typedef uchar spin_t;
typedef float8 fvec;
typedef uint8 uvec;
typedef int8 ivec;
typedef uint2 qvec;
typedef ulong2 qwide;
#define to_wide convert_ulong2
#define to_narrow convert_uint2
#define as_fvec as_float8
#define as_uvec as_uint8
#define NVEC 1
#define LANES (uint8)(0, 1, 2, 3, 4, 5, 6, 7)
#define RAND_VEC(r, v) ((uint8)((r).x, (r).y, (r).z, (r).w))
#define QUAD_LANES (uint2)(0, 1)
#elif SPIN_BITS == 16
typedef ushort spin_t;
typedef float16 fvec;
typedef uint16 uvec;
typedef int16 ivec;
typedef uint4 qvec;
typedef ulong4 qwide;
#define to_wide convert_ulong4
#define to_narrow convert_uint4
#define as_fvec as_float16
#define as_uvec as_uint16
#define NVEC 1
#define LANES (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#define RAND_VEC(r, v) ((uint16)((r).x, (r).y, (r).z, (r).w))
#define QUAD_LANES (uint4)(0, 1, 2, 3)
#elif SPIN_BITS == 32
typedef uint spin_t;
typedef float16 fvec;
typedef uint16 uvec;
typedef int16 ivec;
typedef uint8 qvec;
typedef ulong8 qwide;
#define to_wide convert_ulong8
#define to_narrow convert_uint8
#define as_fvec as_float16
#define as_uvec as_uint16
#define NVEC 2
#define LANES (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#define RAND_VEC(r, v) ((v) == 0 ? (uint16)((r).x, (r).y) : (uint16)((r).z, (r).w))
#define QUAD_LANES (uint8)(0, 1, 2, 3, 4, 5, 6, 7)
#else
#error "SPIN_BITS must be 8, 16 or 32"
#endif
#define VW (SPIN_BITS / NVEC)
#define QUADS (SPIN_BITS / 4)
#define SLICE 32
#define COUNT_FLAG 0x80000000u

typedef struct rand4 {
  qvec x, y, z, w;
} rand4;

/* Philox4x32-10 on QUADS counters (node, sweep, quad0 + q, domain) at once. The 32x32->64-bit
 * products are written as widening multiplies (one instruction on GPUs and AVX). */
rand4 philox4x32_10(uint node, uint sweep, uint quad0, uint domain, uint k0, uint k1) {
  qvec c0 = (qvec)(node), c1 = (qvec)(sweep), c2 = (qvec)(quad0) + QUAD_LANES, c3 = (qvec)(domain);
#pragma unroll
  for (int r = 0; r < 10; r++) {
    const qwide p0 = to_wide(c0) * (qwide)(0xD2511F53u);
    const qwide p1 = to_wide(c2) * (qwide)(0xCD9E8D57u);
    c0 = to_narrow(p1 >> 32) ^ c1 ^ (qvec)(k0);
    c1 = to_narrow(p1);
    c2 = to_narrow(p0 >> 32) ^ c3 ^ (qvec)(k1);
    c3 = to_narrow(p0);
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  rand4 out = {c0, c1, c2, c3};
  return out;
}

/* 2^t with correctly rounded operations only (see models/ising_rule.h). */
fvec ising_exp2(fvec t) {
  t = fmin(fmax(t, (fvec)(-125.0f)), (fvec)(125.0f));
  const fvec ns = t + (fvec)(0x1.8p23f);
  const fvec f = t - (ns - (fvec)(0x1.8p23f));
  fvec p = (fvec)(0x1.430912p-13f);
  p = fma(p, f, (fvec)(0x1.5d87fep-10f));
  p = fma(p, f, (fvec)(0x1.3b2ab6p-7f));
  p = fma(p, f, (fvec)(0x1.c6b08ep-5f));
  p = fma(p, f, (fvec)(0x1.ebfbe0p-3f));
  p = fma(p, f, (fvec)(0x1.62e430p-1f));
  p = fma(p, f, (fvec)(1.0f));
  return as_fvec(as_uvec(p) + (as_uvec(ns) << 23));
}

/* Bit per lane (lane b -> bit b of the result) where the new spin is -1: not u < 1/(1 + 2^t),
 * u = (2k+1) / 2^24 from the top 23 bits of r. */
uint minus_bits(fvec t, uvec r, uint lane0) {
  const fvec u = as_fvec((r >> 9) | (uvec)(0x3f800000u)) - (fvec)(0x1.fffffep-1f);
  const ivec plus = fma(-u, ising_exp2(t), (fvec)(1.0f) - u) > (fvec)(0.0f);
  uvec b = as_uvec(~plus) & ((uvec)(1u) << (LANES + (uvec)(lane0)));
#if VW == 16
  const uint8 b8 = b.lo | b.hi;
#else
  const uint8 b8 = b;
#endif
  const uint4 b4 = b8.lo | b8.hi;
  const uint2 b2 = b4.lo | b4.hi;
  return b2.x | b2.y;
}

/* The scaled fields t of a word's chains (passed by value: registers, never memory). */
typedef struct fields {
  fvec v[NVEC];
} fields;

/* Adds +-w (sign from each lane's bit of x) to the fields. */
fields add_neighbour(fields f, uint x, uint w) {
#pragma unroll
  for (int v = 0; v < NVEC; v++)
    f.v[v] += as_fvec((uvec)(w) ^ (((uvec)(x) << ((uvec)(31 - VW * v) - LANES)) &
                                   (uvec)(0x80000000u)));
  return f;
}

/* The new word of a unit from its fields and random numbers. */
spin_t decide(fields f, rand4 r) {
  uint x = 0;
#pragma unroll
  for (int v = 0; v < NVEC; v++) x |= minus_bits(f.v[v], RAND_VEC(r, v), (uint)(VW * v));
  return (spin_t)x;
}

/* The unit update and its observation read neighbour words from local or global memory:
 * one definition, instantiated for both address spaces. */
#define DEFINE_UNIT(SUFFIX, AS)                                                                  \
  spin_t update_##SUFFIX(AS const spin_t *st, uint stride, uint e, uint4 ps,                     \
                         __global const uint2 *sell, uint sweep, uint quad0, uint k0, uint k1) { \
    /* random numbers first: independent of the fields, their latency overlaps the sums */       \
    const rand4 r = philox4x32_10(ps.x, sweep, quad0, 0u, k0, k1);                               \
    fields f;                                                                                    \
    for (int v = 0; v < NVEC; v++) f.v[v] = (fvec)(as_float(ps.z));                             \
    for (uint k = 0; k < ps.y; k++) {                                                            \
      const uint2 en = sell[ps.w + SLICE * k];                                                   \
      f = add_neighbour(f, st[(en.x & ~COUNT_FLAG) * stride + e], en.y);                         \
    }                                                                                            \
    return decide(f, r);                                                                         \
  }                                                                                              \
  void observe_##SUFFIX(AS const spin_t *st, uint stride, uint e, uint4 ps,                      \
                        __global const uint2 *sell, uint x, uint mask, __global int *ncnt,       \
                        __global int *ecnt, uint es1) {                                          \
    const int valid = (int)popcount(mask);                                                       \
    *ncnt += valid - 2 * (int)popcount(x & mask);                                                \
    for (uint k = 0; k < ps.y; k++) {                                                            \
      const uint j = sell[ps.w + SLICE * k].x;                                                   \
      if (!(j & COUNT_FLAG)) continue;                                                           \
      const uint xj = st[(j & ~COUNT_FLAG) * stride + e];                                        \
      ecnt[(ps.w + SLICE * k) * es1] += valid - 2 * (int)popcount((x ^ xj) & mask);              \
    }                                                                                            \
  }

DEFINE_UNIT(local, __local)
DEFINE_UNIT(global, __global)

#define ALL_BITS ((uint)(spin_t)0xffffffffu)

/* Random initial state: one work-item per (node, word) of a pass of nelem words starting at
 * word elem0 of the whole batch. */
__kernel void ising_init(__global spin_t *state, uint nnodes, uint stride, uint nelem, uint elem0,
                         uint k0, uint k1) {
  const uint gid = get_global_id(0);
  if (gid >= nnodes * nelem) return;
  const uint node = gid / nelem, e = gid % nelem;
  const rand4 r = philox4x32_10(node, 0u, (elem0 + e) * QUADS, 1u, k0, k1);
  uint x = 0;
  for (int v = 0; v < NVEC; v++) {
    const uvec b = (RAND_VEC(r, v) >> 31) << (LANES + (uvec)((uint)(VW * v)));
#if VW == 16
    const uint8 b8 = b.lo | b.hi;
#else
    const uint8 b8 = b;
#endif
    const uint4 b4 = b8.lo | b8.hi;
    const uint2 b2 = b4.lo | b4.hi;
    x |= b2.x | b2.y;
  }
  state[node * stride + e] = (spin_t)x;
}

/* All sweeps in one launch: work-group g holds words [g*W, g*W + W) (W = 1 << wshift) of every
 * node in local memory (ls: nnodes * W words), updates them colour by colour with a barrier
 * between colours, and writes them to state_out (state_in may be the same buffer).
 * Observation (sweep >= observe_from) adds per-word counts into node_cnt[p*ns1 + word*ns2]
 * and edge_cnt[sell_index*es1 + word*es2]. tail_word: the word whose chains are only partly
 * real (mask tail_mask), or 0xffffffff. */
__kernel void ising_sweeps_local(__global const uint4 *pos, __global const uint *colour_start,
                                 uint ncolours, __global const uint2 *sell,
                                 __global const spin_t *state_in, __global spin_t *state_out,
                                 uint nnodes, uint stride, uint nelem, uint elem0, uint wshift,
                                 uint k0, uint k1, uint sweep0, uint nsweeps, uint observe_from,
                                 __global int *node_cnt, uint ns1, uint ns2,
                                 __global int *edge_cnt, uint es1, uint es2, uint tail_word,
                                 uint tail_mask, __local spin_t *ls) {
  const uint lid = get_local_id(0), lsize = get_local_size(0);
  const uint W = 1u << wshift, wmask = W - 1u;
  const uint base = get_group_id(0) * W;
  for (uint i = lid; i < (nnodes << wshift); i += lsize) {
    const uint word = base + (i & wmask);
    ls[i] = word < nelem ? state_in[(i >> wshift) * stride + word] : (spin_t)0;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint s = 0; s < nsweeps; s++) {
    const uint sweep = sweep0 + s;
    const bool obs = sweep >= observe_from;
    for (uint c = 0; c < ncolours; c++) {
      const uint p0 = colour_start[c], units = (colour_start[c + 1] - p0) << wshift;
      for (uint u = lid; u < units; u += lsize) {
        const uint e = u & wmask, word = base + e;
        if (word >= nelem) continue;
        const uint4 ps = pos[p0 + (u >> wshift)];
        const spin_t x = update_local(ls, W, e, ps, sell, sweep, (elem0 + word) * QUADS, k0, k1);
        ls[(ps.x << wshift) + e] = x;
        if (obs)
          observe_local(ls, W, e, ps, sell, x, word == tail_word ? tail_mask : ALL_BITS,
                        node_cnt + (p0 + (u >> wshift)) * ns1 + word * ns2,
                        edge_cnt + word * es2, es1);
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
  }
  for (uint i = lid; i < (nnodes << wshift); i += lsize) {
    const uint word = base + (i & wmask);
    if (word < nelem) state_out[(i >> wshift) * stride + word] = ls[i];
  }
}

/* One colour of one sweep with the state in global memory: one work-item per (position,
 * word), words fastest. Same arguments as ising_sweeps_local, for positions [p0, p0+count). */
__kernel void ising_colour_global(__global const uint4 *pos, __global const uint2 *sell,
                                  __global spin_t *state, uint stride, uint nelem, uint elem0,
                                  uint p0, uint count, uint k0, uint k1, uint sweep, uint observe,
                                  __global int *node_cnt, uint ns1, uint ns2,
                                  __global int *edge_cnt, uint es1, uint es2, uint tail_word,
                                  uint tail_mask) {
  const uint gid = get_global_id(0);
  if (gid >= count * nelem) return;
  const uint p = p0 + gid / nelem, word = gid % nelem;
  const uint4 ps = pos[p];
  const spin_t x = update_global(state, stride, word, ps, sell, sweep, (elem0 + word) * QUADS,
                                 k0, k1);
  state[ps.x * stride + word] = x;
  if (observe)
    observe_global(state, stride, word, ps, sell, x, word == tail_word ? tail_mask : ALL_BITS,
                   node_cnt + p * ns1 + word * ns2, edge_cnt + word * es2, es1);
}

/* out[i] = sum over words w < nelem of cnt[i*s1 + w*s2], for i < n. */
__kernel void ising_reduce(__global const int *cnt, uint n, uint nelem, uint s1, uint s2,
                           __global long *out) {
  const uint i = get_global_id(0);
  if (i >= n) return;
  long sum = 0;
  for (uint w = 0; w < nelem; w++) sum += cnt[i * s1 + w * s2];
  out[i] = sum;
}
