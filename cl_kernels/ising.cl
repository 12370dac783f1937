/* Block Gibbs sampling of Ising models, many chains at once (models/ising/ising_sampler.c).
 *
 * Spins are bits: a word of SPIN_BITS bits holds one node's spin in SPIN_BITS chains (bit set:
 * s = -1); words of fewer than 8 chains are bytes with their high bits unused. The state is
 * [node][word]: row `node`, column `word` (stride words per row). A work unit is one word of
 * one free node: the field of its SPIN_BITS chains, then a new word. Small words spread a
 * small batch over many work-items and work-groups (a chain per word: a work-item per flip).
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
 * chain / 4, 1). The decision arithmetic is models/ising/ising_rule.h's, bit for bit.
 *
 * Build options: -DSPIN_BITS=1|2|4|8|16|32 (chains per word); -DMULTISPIN=1 -DMS_PLANES=B (with
 * SPIN_BITS=32) the multispin update of +-w couplings (models/ising/ising_multispin.h): the SELL
 * entries hold sign masks instead of wt, pos[p].z the offset of the position's thresholds in
 * thr (each minus 1; thr[0..1] the multipliers 2 and -128), and the fields are counts formed by
 * bitwise adders over B bit planes.
 * -DSIGN_MAD=1 (float update): each +-w as the integer multiply-add w + (bit of s) * unit, unit =
 * thr[0] = 2^31 (see add_neighbour); 0 (default): as w ^ (bit of s shifted to the sign).
 * -DSIGN_SEL=1 (float update): each +-w selected on the bit, chain by chain, the neighbour loop
 * one neighbour ahead and the screen chain by chain (NVIDIA's ptxas; see add_neighbour).
 * -DPHILOX_LANES=1 (float update, 8 to 32 chains per word): each counter's Philox as scalar
 * code of its own (see word_random); 0 (default): the counters as the lanes of one vector.
 * -DBIG_ENDIAN_DEVICE=1: the device stores the low half of a 64-bit value second (Philox).
 */
#ifndef MULTISPIN
#define MULTISPIN 0
#endif
#ifndef SPIN_BITS
#define SPIN_BITS 32
#endif
/* Chains are processed as vectors (explicit SIMD for CPU devices; GPUs scalarise them): a word
 * is NVEC vectors of VW lanes, lane b of the word is bit b. From 8 chains per word on, Philox
 * runs QUADS = SPIN_BITS / 4 counters at once as vectors of QUADS lanes; output k of counter q
 * feeds bit k*QUADS + q, which therefore holds the word's chain 4q + k
 * (models/ising/ising_sampler.c maps bits to chains). Words of 1, 2 or 4 chains take outputs
 * sub.. of one counter (scalars): bit b holds the word's chain b. RAND_VEC(r, v, sub): the
 * random numbers of vector v. */
#if SPIN_BITS == 1
typedef uchar spin_t;
typedef float fvec;
typedef uint uvec;
#define as_fvec as_float
#define as_uvec as_uint
#define NVEC 1
#define LANES 0u
/* (chosen by the bits of sub: Oclgrind 21.10 mis-executes the optimised ternary chain on
 * sub == 0, 1, 2, giving other samples than every other implementation) */
#define RAND_VEC(r, v, sub)                                                                       \
  (((sub) & 2u) ? (((sub) & 1u) ? (r).w : (r).z) : (((sub) & 1u) ? (r).y : (r).x))
#elif SPIN_BITS == 2
typedef uchar spin_t;
typedef float2 fvec;
typedef uint2 uvec;
#define as_fvec as_float2
#define as_uvec as_uint2
#define NVEC 1
#define LANES (uint2)(0, 1)
#define RAND_VEC(r, v, sub) ((sub) ? (uint2)((r).z, (r).w) : (uint2)((r).x, (r).y))
#elif SPIN_BITS == 4
typedef uchar spin_t;
typedef float4 fvec;
typedef uint4 uvec;
#define as_fvec as_float4
#define as_uvec as_uint4
#define NVEC 1
#define LANES (uint4)(0, 1, 2, 3)
#define RAND_VEC(r, v, sub) ((uint4)((r).x, (r).y, (r).z, (r).w))
#elif SPIN_BITS == 8
typedef uchar spin_t;
typedef float8 fvec;
typedef uint8 uvec;
typedef uint2 qvec;
typedef ulong2 qwide;
#define as_halves as_uint4
#define as_fvec as_float8
#define as_uvec as_uint8
#define NVEC 1
#define LANES (uint8)(0, 1, 2, 3, 4, 5, 6, 7)
#define RAND_VEC(r, v, sub) ((uint8)((r).x, (r).y, (r).z, (r).w))
#define QUAD_LANES (uint2)(0, 1)
#elif SPIN_BITS == 16
typedef ushort spin_t;
typedef float16 fvec;
typedef uint16 uvec;
typedef uint4 qvec;
typedef ulong4 qwide;
#define as_halves as_uint8
#define as_fvec as_float16
#define as_uvec as_uint16
#define NVEC 1
#define LANES (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#define RAND_VEC(r, v, sub) ((uint16)((r).x, (r).y, (r).z, (r).w))
#define QUAD_LANES (uint4)(0, 1, 2, 3)
#elif SPIN_BITS == 32
typedef uint spin_t;
typedef float16 fvec;
typedef uint16 uvec;
typedef uint8 qvec;
typedef ulong8 qwide;
#define as_halves as_uint16
#define as_fvec as_float16
#define as_uvec as_uint16
#define NVEC 2
#define LANES (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
#define RAND_VEC(r, v, sub) ((v) == 0 ? (uint16)((r).x, (r).y) : (uint16)((r).z, (r).w))
#define QUAD_LANES (uint8)(0, 1, 2, 3, 4, 5, 6, 7)
#else
#error "SPIN_BITS must be 1, 2, 4, 8, 16 or 32"
#endif
/* WORD_QUAD(w): the counter of word w's first chain; WORD_SUB(w): the first of its outputs
 * that word w uses. Words of fewer than 4 chains use one counter, on scalars. */
#if SPIN_BITS >= 8
#define QUADS (SPIN_BITS / 4)
#define WORD_QUAD(w) ((w) * QUADS)
#define WORD_SUB(w) 0u
#else
typedef uint qvec;
typedef ulong qwide;
#define as_halves as_uint2
#define QUAD_LANES 0u
#define WORD_QUAD(w) ((w) / (4 / SPIN_BITS))
#define WORD_SUB(w) ((w) % (4 / SPIN_BITS) * SPIN_BITS)
#endif
#define VW (SPIN_BITS / NVEC)
#define SLICE 32
#define COUNT_FLAG 0x80000000u

/* Philox4x32-10 on the counters (node, sweep, quad0 + lane, domain) of the lanes of a vector
 * type at once, its four outputs per lane in a struct TYPE (one definition, instantiated for
 * the vector widths used; the ten rounds written out, as a macro cannot hold an unroll
 * pragma). The 32x32->64-bit products are widening multiplies of upsample()d counters, one
 * instruction on GPUs and AVX, split into their 32-bit halves by reinterpreting them as twice
 * the lanes (HALVES: as_uint2 .. as_uint16; the low halves are the even lanes, or with
 * -DBIG_ENDIAN_DEVICE=1, which the host gives a big-endian device, the odd ones). NVIDIA's
 * convert_ulong* and convert_uint* are inline assembly, which hides the widening and the split
 * from its compiler (64-bit multiplies, an integer add of zero each, more registers). */
#ifndef BIG_ENDIAN_DEVICE
#define BIG_ENDIAN_DEVICE 0
#endif
#if BIG_ENDIAN_DEVICE
#define LOW_HALF(HALVES, p) HALVES(p).odd
#define HIGH_HALF(HALVES, p) HALVES(p).even
#else
#define LOW_HALF(HALVES, p) HALVES(p).even
#define HIGH_HALF(HALVES, p) HALVES(p).odd
#endif
#define PHILOX_ROUND(V, W, HALVES)                                                               \
  {                                                                                              \
    const W p0 = upsample((V)(0u), c0) * (W)(0xD2511F53u);                                       \
    const W p1 = upsample((V)(0u), c2) * (W)(0xCD9E8D57u);                                       \
    c0 = HIGH_HALF(HALVES, p1) ^ c1 ^ (V)(k0);                                                   \
    c1 = LOW_HALF(HALVES, p1);                                                                   \
    c2 = HIGH_HALF(HALVES, p0) ^ c3 ^ (V)(k1);                                                   \
    c3 = LOW_HALF(HALVES, p0);                                                                   \
    k0 += 0x9E3779B9u;                                                                           \
    k1 += 0xBB67AE85u;                                                                           \
  }
#define DEFINE_PHILOX(NAME, TYPE, V, W, HALVES, LANES_)                                          \
  typedef struct TYPE {                                                                          \
    V x, y, z, w;                                                                                \
  } TYPE;                                                                                        \
  TYPE NAME(uint node, uint sweep, uint quad0, uint domain, uint k0, uint k1) {                  \
    V c0 = (V)(node), c1 = (V)(sweep), c2 = (V)(quad0) + (LANES_), c3 = (V)(domain);             \
    PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES)             \
    PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES)             \
    PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES) PHILOX_ROUND(V, W, HALVES)             \
    PHILOX_ROUND(V, W, HALVES)                                                                   \
    TYPE out = {c0, c1, c2, c3};                                                                 \
    return out;                                                                                  \
  }

/* The QUAD_LANES counters of a word at once. */
DEFINE_PHILOX(philox4x32_10, rand4, qvec, qwide, as_halves, QUAD_LANES)

#ifndef PHILOX_LANES
#define PHILOX_LANES 0
#endif
/* One counter as scalar code: PHILOX_LANES's words and the multispin update's rare draws. */
#if PHILOX_LANES || MULTISPIN
DEFINE_PHILOX(philox_one, rand_one, uint, ulong, as_uint2, 0u)
#endif

/* Build option -DPHILOX_LANES=1 (words of 8 to 32 chains; ob_ising_philox): each counter's
 * rounds as scalar code of its own, the outputs gathered into the vectors. */
#if PHILOX_LANES
#if SPIN_BITS < 8
#error "PHILOX_LANES is a form of the words of 8 to 32 chains"
#endif
#define LANE(i) const rand_one r##i = philox_one(node, sweep, q + i, domain, k0, k1);
#if SPIN_BITS == 8
#define GATHER(f) (qvec)(r0.f, r1.f)
#elif SPIN_BITS == 16
#define GATHER(f) (qvec)(r0.f, r1.f, r2.f, r3.f)
#else
#define GATHER(f) (qvec)(r0.f, r1.f, r2.f, r3.f, r4.f, r5.f, r6.f, r7.f)
#endif
#endif

/* The random numbers of word w (global index) of a node: the counter of its first chain. */
rand4 word_random(uint node, uint sweep, uint w, uint domain, uint k0, uint k1) {
#if PHILOX_LANES
  const uint q = WORD_QUAD(w);
  LANE(0) LANE(1)
#if SPIN_BITS >= 16
  LANE(2) LANE(3)
#endif
#if SPIN_BITS == 32
  LANE(4) LANE(5) LANE(6) LANE(7)
#endif
  const rand4 out = {GATHER(x), GATHER(y), GATHER(z), GATHER(w)};
  return out;
#else
  return philox4x32_10(node, sweep, WORD_QUAD(w), domain, k0, k1);
#endif
}

/* 2^t with correctly rounded operations only (see models/ising/ising_rule.h). */
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

/* The OR of a vector's lanes. */
uint or_lanes(uvec b) {
#if VW == 1
  return b;
#else
#if VW == 16
  const uint8 b8 = b.lo | b.hi;
#elif VW == 8
  const uint8 b8 = b;
#endif
#if VW >= 8
  const uint4 b4 = b8.lo | b8.hi;
#elif VW == 4
  const uint4 b4 = b;
#endif
#if VW >= 4
  const uint2 b2 = b4.lo | b4.hi;
#else
  const uint2 b2 = b;
#endif
  return b2.x | b2.y;
#endif
}

/* Bit per lane (lane b -> bit lane0 + b of the result) where the new spin is -1: not
 * u < 1/(1 + 2^t), u = (2k+1) / 2^24 from the top 23 bits of r. (select() takes a scalar
 * comparison's 1 and a vector comparison's -1 alike.) */
uint minus_bits(fvec t, uvec r, uint lane0) {
  const fvec u = as_fvec((r >> 9) | (uvec)(0x3f800000u)) - (fvec)(0x1.fffffep-1f);
  const uvec bit = (uvec)(1u) << (LANES + (uvec)(lane0));
  return or_lanes(select(bit, (uvec)(0u), fma(-u, ising_exp2(t), (fvec)(1.0f) - u) > (fvec)(0.0f)));
}

/* Build option -DSCREEN=1 (the float update's words of 8 to 32 chains): the decision screened
 * with the device's own 2^t (SCREEN_EXP2, below: one instruction on GPUs) in place of
 * ising_exp2 (about ten), and taken exactly, as above, for a whole word whenever one of its
 * chains is too close to call: the same bits.
 * With A = SCREEN_EXP2(t) and E = ising_exp2(t), d = fma(-u, A, 1 - u) decides a chain when
 * |d| > SCREEN_MARGIN, its sign bit being the minus bit, provided that for every float t
 *   -125 < t < 125:   A is NaN or within SCREEN_ULPS units in the last place of E,
 *   t >= 125:         A is NaN or A >= 2^25,
 *   t <= -125 or NaN: A is NaN or A <= 2^-25
 * (ising_screen_check, below, tests all 2^32 of them on the device before the sampler uses
 * this form). Proof: 8 ulps is a relative error of at most e = 2^-20, so
 * |(1 - u - uA) - (1 - u - uE)| <= e' uA with e' = e / (1 - e). Where 1 - u - uA > 0, uA < 1 and
 * the exact value lies within e' of it; where it is negative, uA = 1 - u + |1 - u - uA| and
 * the exact value lies within e' (1 + |1 - u - uA|). |d| > 2^-18 > 2 e' (one rounding of d
 * included) leaves the exact value on d's side of zero, away from it. Beyond +-125 ising_exp2
 * clamps t: 2^125 (uE > 1: minus) and 2^-125 (uE < 1 - u: plus); A >= 2^25 gives uA >= 2 and
 * A <= 2^-25 gives uA < 1 - u, the same signs. A NaN A (or t) leaves |d| > margin false: exact.
 * About one chain in 2^17 is too close to call. */
#ifndef SCREEN
#define SCREEN 0
#endif
#define SCREEN_MARGIN 0x1p-18f
#define SCREEN_ULPS 8u
#if SCREEN && (MULTISPIN || SPIN_BITS < 8)
#error "SCREEN is a form of the float update's words of 8 to 32 chains"
#endif

/* SCREEN_EXP2(t): the screen's A. Build option -DSCREEN_PTX=1 (the host passes it only where
 * the compiler takes NVIDIA's inline PTX: ob_device_ptx): `ex2.approx.ftz.f32`, one MUFU.EX2
 * on the H100, where NVIDIA's compiler makes native_exp2 the form that keeps subnormal results
 * (five instructions). Flushing changes nothing the screen relies on: a subnormal t gives
 * 2^0 = 1, within an ulp of E; results below 2^-126 (t < -126) give 0 <= 2^-25. Otherwise
 * native_exp2. The screen check tests whichever it is. */
#ifndef SCREEN_PTX
#define SCREEN_PTX 0
#endif
#if SCREEN && SCREEN_PTX
float ex2_ftz(float t) {
  float a;
  __asm__("ex2.approx.ftz.f32 %0, %1;" : "=f"(a) : "f"(t));
  return a;
}
#define EX2_FTZ_8(t)                                                                            \
  (float8)(ex2_ftz((t).s0), ex2_ftz((t).s1), ex2_ftz((t).s2), ex2_ftz((t).s3),                  \
           ex2_ftz((t).s4), ex2_ftz((t).s5), ex2_ftz((t).s6), ex2_ftz((t).s7))
#if SPIN_BITS == 8
#define SCREEN_EXP2(t) EX2_FTZ_8(t)
#else
#define SCREEN_EXP2(t) (float16)(EX2_FTZ_8((t).lo), EX2_FTZ_8((t).hi))
#endif
#else
#define SCREEN_EXP2(t) native_exp2(t)
#endif

/* The scaled fields t of a word's chains (passed by value: registers, never memory). */
typedef struct fields {
  fvec v[NVEC];
} fields;

/* Adds +-w (sign from each lane's bit of x) to the fields. Three forms of the same bits: with
 * SIGN_MAD, w + (x >> lane) * unit, unit = 2^31 read from memory (the float update's thr[0]),
 * so that no compiler turns the multiply into a shift: modulo 2^32 only the lane's bit survives
 * the multiply, and adding it at bit 31 is the xor below. NVIDIA's compiler issues the
 * multiply-add on the FMA pipe, where the xor form's shift and logic op both go to the integer
 * pipe (half the issue rate), which then bounds the neighbour loop; integer multiplies are slow
 * on CPUs. The tuner chooses (sign=mad; SIGN_SEL below). */
#ifndef SIGN_MAD
#define SIGN_MAD 0
#endif
#if SIGN_MAD && MULTISPIN
#error "SIGN_MAD is a form of the float update"
#endif
/* SIGN_SEL: a third form of the same bits, +-w chosen lane by lane by a select on the lane's
 * bit, written out per component with constant bit numbers: NVIDIA's ptxas then sets seven
 * predicates from x's bits per instruction (R2P), one select and one add per chain and
 * neighbour (the vector form of the same select gets a logic op per lane instead). Two more
 * choices for that compiler go with it: SEL_AHEAD and SCREEN_BY_COMPONENT (below). */
#ifndef SIGN_SEL
#define SIGN_SEL 0
#endif
#if SIGN_SEL && (MULTISPIN || SIGN_MAD)
#error "SIGN_SEL is a form of the float update, instead of SIGN_MAD"
#endif
#define SEL_LANE(x, b, w, wn) as_float((((x) >> (b)) & 1u) ? (wn) : (w))
#define SEL_C(fv, c, b, x, w, wn) (fv).c += SEL_LANE(x, b, w, wn);
/* components 0 to n - 1 of fv, bits b0 to b0 + n - 1 of x */
#define SEL_2(fv, b0, x, w, wn) SEL_C(fv, s0, (b0), x, w, wn) SEL_C(fv, s1, (b0) + 1, x, w, wn)
#define SEL_4(fv, b0, x, w, wn)                                                                  \
  SEL_2(fv, b0, x, w, wn) SEL_C(fv, s2, (b0) + 2, x, w, wn) SEL_C(fv, s3, (b0) + 3, x, w, wn)
#define SEL_8(fv, b0, x, w, wn)                                                                  \
  SEL_4(fv, b0, x, w, wn) SEL_C(fv, s4, (b0) + 4, x, w, wn) SEL_C(fv, s5, (b0) + 5, x, w, wn)    \
  SEL_C(fv, s6, (b0) + 6, x, w, wn) SEL_C(fv, s7, (b0) + 7, x, w, wn)
#define SEL_16(fv, b0, x, w, wn)                                                                 \
  SEL_8(fv, b0, x, w, wn) SEL_C(fv, s8, (b0) + 8, x, w, wn) SEL_C(fv, s9, (b0) + 9, x, w, wn)    \
  SEL_C(fv, sa, (b0) + 10, x, w, wn) SEL_C(fv, sb, (b0) + 11, x, w, wn)                          \
  SEL_C(fv, sc, (b0) + 12, x, w, wn) SEL_C(fv, sd, (b0) + 13, x, w, wn)                          \
  SEL_C(fv, se, (b0) + 14, x, w, wn) SEL_C(fv, sf, (b0) + 15, x, w, wn)
#if VW == 1
#define SEL_ADD(fv, b0, x, w, wn) (fv) += SEL_LANE(x, b0, w, wn);
#elif VW == 2
#define SEL_ADD SEL_2
#elif VW == 4
#define SEL_ADD SEL_4
#elif VW == 8
#define SEL_ADD SEL_8
#else
#define SEL_ADD SEL_16
#endif
fields add_neighbour(fields f, uint x, uint w, uint unit) {
#pragma unroll
  for (int v = 0; v < NVEC; v++)
#if SIGN_MAD
    f.v[v] += as_fvec((uvec)(w) + (((uvec)(x) >> ((uvec)(VW * v) + LANES)) * (uvec)(unit)));
#elif SIGN_SEL
  {
    const uint wn = w ^ 0x80000000u;
    SEL_ADD(f.v[v], VW * v, x, w, wn)
  }
#else
    f.v[v] += as_fvec((uvec)(w) ^ (((uvec)(x) << ((uvec)(31 - VW * v) - LANES)) &
                                   (uvec)(0x80000000u)));
#endif
  return f;
}

/* The new word of a unit from its fields and random numbers (sub: WORD_SUB of the word). */
spin_t decide(fields f, rand4 r, uint sub) {
  uint x = 0;
#pragma unroll
  for (int v = 0; v < NVEC; v++) x |= minus_bits(f.v[v], RAND_VEC(r, v, sub), (uint)(VW * v));
  return (spin_t)x;
}

#if SCREEN
/* The screen's d of vector v (see SCREEN; u as in minus_bits). */
fvec screen_d(fields f, rand4 r, int v, uint sub) {
  const fvec u = as_fvec((RAND_VEC(r, v, sub) >> 9) | (uvec)(0x3f800000u)) -
                 (fvec)(0x1.fffffep-1f);
  return fma(-u, SCREEN_EXP2(f.v[v]), (fvec)(1.0f) - u);
}
/* With SIGN_SEL (the form for NVIDIA's ptxas) the screened word is written component by
 * component, from the word's last chain to its first: each chain's sign bit shifted in at the
 * bottom of its vector's bits (one funnel shift: x = x << 1 | bit) and its margin test and-ed
 * into one flag (a predicate the compares accumulate), where the vector form shifts each bit
 * to its lane's place and ors the lanes (two or three instructions per chain). The same bits;
 * on the H100 +2.7% (+1.3% with signs by multiply-add), on PoCL 25% slower than the vector
 * form (bench/RESULTS.md, 2026-12-06, seventh session). */
#define SCREEN_BY_COMPONENT SIGN_SEL
#define SCR_C(d, c) xv = (xv << 1) | (as_uint((d).c) >> 31); sure &= fabs((d).c) > SCREEN_MARGIN;
#define SCR_8(d) SCR_C(d, s7) SCR_C(d, s6) SCR_C(d, s5) SCR_C(d, s4) SCR_C(d, s3) SCR_C(d, s2) \
  SCR_C(d, s1) SCR_C(d, s0)
#if VW == 16
#define SCR_ALL(d) SCR_C(d, sf) SCR_C(d, se) SCR_C(d, sd) SCR_C(d, sc) SCR_C(d, sb) SCR_C(d, sa) \
  SCR_C(d, s9) SCR_C(d, s8) SCR_8(d)
#else
#define SCR_ALL SCR_8
#endif
/* The screened word (see SCREEN); *unsure: whether one of its chains is too close to call. */
spin_t screen(fields f, rand4 r, uint sub, bool *unsure) {
  uint x = 0;
#if SCREEN_BY_COMPONENT
  int sure = 1;
#pragma unroll
  for (int v = NVEC - 1; v >= 0; v--) {
    const fvec d = screen_d(f, r, v, sub);
    uint xv = 0; /* a shift chain per vector: half the latency */
    SCR_ALL(d)
    x = (x << VW) | xv;
  }
  *unsure = !sure;
#else
  uint close = 0;
#pragma unroll
  for (int v = 0; v < NVEC; v++) {
    const fvec d = screen_d(f, r, v, sub);
    x |= or_lanes((as_uvec(d) >> 31) << (LANES + (uvec)((uint)(VW * v))));
    close |= or_lanes(select((uvec)(1u), (uvec)(0u), fabs(d) > (fvec)(SCREEN_MARGIN)));
  }
  *unsure = close != 0;
#endif
  return (spin_t)x;
}
#endif

/* The unit update (the float fields; thr[0] is add_neighbour's unit) and its observation read
 * neighbour words from local or global memory (AS) and the neighbour lists from local or global
 * memory (SAS): one definition, instantiated for each combination used. w: the word's global
 * index (its chains' random numbers).
 * Neighbours are read in groups of GROUP, every load of a group issued before its first sum
 * (the sums stay in neighbour order): a work-item of the latency-bound local path waits for
 * one load round trip per group, not per neighbour. LOCAL_GROUP: words of up to 8 chains
 * (GPUs, small batches: few instructions per unit, latency-bound) read 4 at a time; wide words
 * (CPU SIMD, large batches: many instructions per unit) and the global path one at a time.
 * One definition, instantiated as update_SUFFIX with decide() and, with SCREEN, as
 * screened_SUFFIX with screen() (EXTRA: its parameter unsure). */
#define LOCAL_GROUP (SPIN_BITS <= 8 ? 4 : 1)
/* With SIGN_SEL and groups of one, the loop runs one neighbour ahead instead: neighbour k + 1's
 * loads issued before neighbour k's sums, so that a neighbour's sums do not wait for its own
 * loads. On the H100 +1.5% with signs by select, -2.3% by multiply-add (bench/RESULTS.md,
 * 2026-12-06, sixth and seventh sessions). */
#define SEL_AHEAD SIGN_SEL
#define DEFINE_UPDATE(NAME, AS, SAS, GROUP, DECIDE, EXTRA)                                       \
  spin_t NAME(AS const spin_t *st, uint stride, uint e, uint4 ps, SAS const uint2 *sell,         \
              uint sweep, uint w, uint k0, uint k1, __global const uint *thr EXTRA) {            \
    /* random numbers first: independent of the fields, their latency overlaps the sums */       \
    const rand4 r = word_random(ps.x, sweep, w, 0u, k0, k1);                                     \
    const uint unit = SIGN_MAD ? thr[0] : 0u;                                                    \
    fields f;                                                                                    \
    for (int v = 0; v < NVEC; v++) f.v[v] = (fvec)(as_float(ps.z));                              \
    uint k = 0;                                                                                  \
    if (SEL_AHEAD && GROUP == 1) {                                                               \
      if (ps.y) { /* neighbour k + 1's entry and word read before neighbour k's sums */          \
        uint2 en = sell[ps.w];                                                                   \
        uint x = st[(en.x & ~COUNT_FLAG) * stride + e];                                          \
        for (k = 1; k < ps.y; k++) {                                                             \
          const uint2 next = sell[ps.w + SLICE * k];                                             \
          const uint xnext = st[(next.x & ~COUNT_FLAG) * stride + e];                            \
          f = add_neighbour(f, x, en.y, unit);                                                   \
          en = next;                                                                             \
          x = xnext;                                                                             \
        }                                                                                        \
        f = add_neighbour(f, x, en.y, unit);                                                     \
      }                                                                                          \
    } else                                                                                       \
      for (; k + GROUP <= ps.y; k += GROUP) {                                                    \
        uint xs[GROUP], ws[GROUP];                                                               \
        for (uint j = 0; j < GROUP; j++) {                                                       \
          const uint2 en = sell[ps.w + SLICE * (k + j)];                                         \
          xs[j] = st[(en.x & ~COUNT_FLAG) * stride + e];                                         \
          ws[j] = en.y;                                                                          \
        }                                                                                        \
        for (uint j = 0; j < GROUP; j++) f = add_neighbour(f, xs[j], ws[j], unit);               \
      }                                                                                          \
    if (k < ps.y) { /* a last, partial group (never when GROUP is 1) */                          \
      const uint left = ps.y - k;                                                                \
      uint xs[GROUP], ws[GROUP];                                                                 \
      for (uint j = 0; j < GROUP; j++) {                                                         \
        /* padding slots read the unit's own word (only this work-item writes it) */           \
        const uint2 en = j < left ? sell[ps.w + SLICE * (k + j)] : (uint2)(ps.x, 0u);            \
        xs[j] = st[(en.x & ~COUNT_FLAG) * stride + e];                                           \
        ws[j] = en.y;                                                                            \
      }                                                                                          \
      for (uint j = 0; j < GROUP; j++)                                                           \
        if (j < left) f = add_neighbour(f, xs[j], ws[j], unit);                                  \
    }                                                                                            \
    return DECIDE(f, r, WORD_SUB(w));                                                            \
  }

#if MULTISPIN
#if SPIN_BITS != 32
#error "the multispin update runs words of 32 chains"
#endif
/* The counts m of the 32 chains regrouped for cheap extraction: MS_FIELD-bit fields, word k
 * field i holding the m of the chain in bit i * MS_FIELD + k (a chain's m is then one shift and
 * one mask instead of a shift and a mask per plane). */
#define MS_FIELD (MS_PLANES <= 4 ? 4 : MS_PLANES <= 8 ? 8 : MS_PLANES <= 16 ? 16 : 32)
#define MS_SPREAD                                                                                \
  (MS_FIELD == 4 ? 0x11111111u : MS_FIELD == 8 ? 0x01010101u : MS_FIELD == 16 ? 0x00010001u : 1u)
#define MS_MASK (MS_FIELD == 32 ? 0xffffffffu : (1u << (MS_FIELD & 31)) - 1u)

/* The multispin update's random numbers (ising_multispin.h): chain j of word w compares the
 * 23-bit uniform k = (a << 7) | b with its threshold, a = 16 bits from domain 2 (four counters
 * per word, (node, sweep, 4w + j / 8, 2), output (j % 8) / 2, half j % 2) and, only when a
 * alone does not decide (128 a < K <= 128 a + 127), b = the top 7 bits of output 0 of
 * (node, sweep, 32w + j, 3). */
DEFINE_PHILOX(philox_quads, rand_quads, uint4, ulong4, as_uint8, (uint4)(0, 1, 2, 3))

/* The chain j of a word held by its bit b (the float update's layout: chain 4q + k in bit
 * k * 8 + q). */
#define MS_CHAIN(b) ((b) % 8u * 4u + (b) / 8u)
/* The count m of the chain in bit b (fields f), and the 16-bit prefix a of chain j (outputs rr,
 * rr[4 * o + q]: output o of counter q). A middle field is shifted to the top by a multiply by
 * a power of two made from the runtime 2 (two: see decide_counts), then down: a multiply-add
 * and a shift instead of two shifts and a mask. */
#define MS_COUNT(f, b, two)                                                                      \
  ((b) / MS_FIELD == 0 ? (f)[(b) % MS_FIELD] & MS_MASK                                           \
   : (b) / MS_FIELD == 32 / MS_FIELD - 1                                                         \
       ? (f)[(b) % MS_FIELD] >> (32 - MS_FIELD)                                                  \
       : ((f)[(b) % MS_FIELD] * ((two) << (31 - MS_FIELD - (b) / MS_FIELD * MS_FIELD))) >>       \
             (32 - MS_FIELD))
#define MS_PREFIX(rr, j) (((rr)[(j) % 8u / 2u * 4u + (j) / 8u] >> ((j) % 2u * 16u)) & 0xffffu)
/* d = K - 1 - 128 a of the chain in bit b (see decide_counts): its threshold thr[z + m] and
 * the prefix times minus128 = 2^32 - 128, a multiplier read from memory. */
#define MS_DIFF(thr, z, f, rr, b, two, minus128)                                                 \
  ((thr)[(z) + MS_COUNT(f, b, two)] + MS_PREFIX(rr, MS_CHAIN(b)) * (minus128))

/* The new word of node `node`, word w, from the bit planes c of its chains' counts m (bit b of
 * c[j]: bit j of the m of the chain in bit b): the chain is -1 unless k < K[m], where thr + z
 * holds K[m] - 1 (modulo 2^32). thr[0] = 2 and thr[1] = 2^32 - 128: multipliers read from
 * memory, so that no compiler turns their multiplies into shifts. */
spin_t decide_counts(const uint *c, uint node, uint sweep, uint w, uint k0, uint k1,
                     __global const uint *thr, uint z) {
  const rand_quads r = philox_quads(node, sweep, 4u * w, 2u, k0, k1);
  uint rr[16];
  vstore4(r.x, 0, rr);
  vstore4(r.y, 1, rr);
  vstore4(r.z, 2, rr);
  vstore4(r.w, 3, rr);
  uint f[MS_FIELD];
#pragma unroll
  for (int k = 0; k < MS_FIELD; k++) {
    f[k] = 0u;
#pragma unroll
    for (int j = 0; j < MS_PLANES; j++) f[k] |= ((c[j] >> k) & MS_SPREAD) << j;
  }
  /* d = K - 1 - 128 a as a signed number: negative exactly when 128 a >= K (surely -1: its sign
   * bit is the chain's bit), 0..126 when a alone does not decide; otherwise +1. The chains go
   * from bit 31 down, each sign bit added to twice the bits so far. Few integer instructions
   * per chain, and half of them multiply-adds: NVIDIA's GPUs issue those on the FMA pipe, the
   * shifts, logic ops, adds and minima on the integer pipe, each at half the issue rate, and
   * the two pipes together are this update's limit there. */
  const uint two = thr[0], minus128 = thr[1];
  uint minus = 0, nearest = 0xffffffffu;
#pragma unroll
  for (int i = 31; i >= 0; i--) {
    const uint b = (uint)i;
    const uint d = MS_DIFF(thr, z, f, rr, b, two, minus128);
    minus = minus * two + (d >> 31);
    nearest = min(nearest, d);
  }
  if (nearest < 127u) /* rare: 128 a < K <= 128 a + 127 for some chain, about one in 2^16 */
    for (uint b = 0; b < 32; b++) {
      const uint d = MS_DIFF(thr, z, f, rr, b, two, minus128);
      if (d < 127u) /* -1 when 128 a + low >= K, i.e. low > d */
        minus |= (uint)((philox_one(node, sweep, 32u * w + MS_CHAIN(b), 3u, k0, k1).x >> 25) > d)
                 << b;
    }
  return minus;
}

/* Adds the bit carry (weight 2^j0) to the counter planes c[j0..) by half adders. */
#define RIPPLE(c, j0, carry)                                                                     \
  for (int j = (j0); j < MS_PLANES; j++) {                                                       \
    const uint t_ = c[j] & carry;                                                                \
    c[j] ^= carry;                                                                               \
    carry = t_;                                                                                  \
  }

/* The multispin unit: y_j = (neighbour word) XOR (sign mask of J_ij) has bit b set where chain
 * b's sigma_ij s_j = -1; the counts m = sum_j y_j of all 32 chains accumulate in MS_PLANES bit
 * planes, two neighbours at a time (a full adder into plane 0, its carry rippled up), then the
 * last one; then decide_counts with the position's thresholds thr[ps.z ..]. */
#define DEFINE_MS_UPDATE(SUFFIX, AS, SAS)                                                        \
  spin_t update_##SUFFIX(AS const spin_t *st, uint stride, uint e, uint4 ps,                     \
                         SAS const uint2 *sell, uint sweep, uint w, uint k0, uint k1,            \
                         __global const uint *thr) {                                             \
    uint c[MS_PLANES];                                                                           \
    for (int j = 0; j < MS_PLANES; j++) c[j] = 0u;                                               \
    uint k = 0;                                                                                  \
    for (; k + 2 <= ps.y; k += 2) {                                                              \
      const uint2 ea = sell[ps.w + SLICE * k], eb = sell[ps.w + SLICE * (k + 1)];                \
      const uint a = st[(ea.x & ~COUNT_FLAG) * stride + e] ^ ea.y;                               \
      const uint b = st[(eb.x & ~COUNT_FLAG) * stride + e] ^ eb.y;                               \
      const uint ab = a ^ b;                                                                     \
      uint carry = (a & b) | (ab & c[0]);                                                        \
      c[0] ^= ab;                                                                                \
      RIPPLE(c, 1, carry)                                                                        \
    }                                                                                            \
    if (k < ps.y) {                                                                              \
      const uint2 ea = sell[ps.w + SLICE * k];                                                   \
      uint carry = st[(ea.x & ~COUNT_FLAG) * stride + e] ^ ea.y;                                 \
      RIPPLE(c, 0, carry)                                                                        \
    }                                                                                            \
    return decide_counts(c, ps.x, sweep, w, k0, k1, thr, ps.z);                                  \
  }

DEFINE_MS_UPDATE(lg, __local, __global)
DEFINE_MS_UPDATE(ll, __local, __local)
DEFINE_MS_UPDATE(gg, __global, __global)
#else
DEFINE_UPDATE(update_lg, __local, __global, LOCAL_GROUP, decide, )
DEFINE_UPDATE(update_ll, __local, __local, LOCAL_GROUP, decide, )
DEFINE_UPDATE(update_gg, __global, __global, 1, decide, )
#endif
#if SCREEN
#define SCREEN_DECIDE(f, r, sub) screen(f, r, sub, unsure)
#define UNSURE_PARAM , bool *unsure
DEFINE_UPDATE(screened_lg, __local, __global, LOCAL_GROUP, SCREEN_DECIDE, UNSURE_PARAM)
DEFINE_UPDATE(screened_ll, __local, __local, LOCAL_GROUP, SCREEN_DECIDE, UNSURE_PARAM)
DEFINE_UPDATE(screened_gg, __global, __global, 1, SCREEN_DECIDE, UNSURE_PARAM)
#endif

#define DEFINE_OBSERVE(SUFFIX, AS, SAS)                                                          \
  void observe_##SUFFIX(AS const spin_t *st, uint stride, uint e, uint4 ps,                      \
                        SAS const uint2 *sell, uint x, uint mask, __global int *ncnt,            \
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

DEFINE_OBSERVE(lg, __local, __global)
DEFINE_OBSERVE(ll, __local, __local)
DEFINE_OBSERVE(gg, __global, __global)

/* The bits of a word that hold chains. */
#define ALL_BITS (0xffffffffu >> (32 - SPIN_BITS))

/* Random initial state: one work-item per (node, word) of a pass of nelem words starting at
 * word elem0 of the whole batch. */
__kernel void ising_init(__global spin_t *state, uint nnodes, uint stride, uint nelem, uint elem0,
                         uint k0, uint k1) {
  const uint gid = get_global_id(0);
  if (gid >= nnodes * nelem) return;
  const uint node = gid / nelem, e = gid % nelem;
  const rand4 r = word_random(node, 0u, elem0 + e, 1u, k0, k1);
  uint x = 0;
  for (int v = 0; v < NVEC; v++)
    x |= or_lanes((RAND_VEC(r, v, WORD_SUB(elem0 + e)) >> 31)
                  << (LANES + (uvec)((uint)(VW * v))));
  state[node * stride + e] = (spin_t)x;
}

/* Resident units (build options -DRES_DEGREE=D -DRES_COLOURS=C: the float update, C colours,
 * no node of degree above D), for the local path when the units of every colour fit the
 * work-group (units <= local size: small batches). Work-item lid then updates unit lid of each
 * colour in every sweep, so its positions, neighbour slots and weights are read once, before
 * the sweeps, into registers (arrays of compile-time size indexed by unrolled loops only), and
 * a colour phase is: the neighbour words' loads, all issued at once, the sum in neighbour
 * order, the decision, the store, the barrier. The Philox numbers of the next phase (next
 * colour, or colour 0 of the next sweep) are computed during this one: they do not depend on
 * the state, so their latency overlaps the loads, the sums and the barrier instead of preceding
 * them. No branch in a phase: padding slots (k >= degree) and the units a work-item does not
 * have read the zero word of node nnodes (never written) with weight -0.0f, and adding -0.0f
 * leaves every float unchanged, so the fields are bit for bit DEFINE_UPDATE's; a unit the
 * work-item does not have stores into its own scratch word. ls therefore holds, after the
 * nnodes x W state, W zero words and local-size scratch words (the host sizes it so).
 * Returns false, having done nothing, when the units do not fit (the caller runs the general
 * loop). Same arguments as the sweeps body (below). */
#ifndef RES_DEGREE
#define RES_DEGREE 0
#endif
/* A resident unit's word: decide(), or with SCREEN the screened word, made exact where the
 * screen is unsure (r is kept for that case: resident units serve small batches, whose phases
 * are bound by latency, not by occupancy). */
#if SCREEN
spin_t screened_or_exact(fields f, rand4 r, uint sub) {
  bool unsure;
  const spin_t x = screen(f, r, sub, &unsure);
  return unsure ? decide(f, r, sub) : x;
}
#define RESIDENT_DECIDE screened_or_exact
#else
#define RESIDENT_DECIDE decide
#endif
#if RES_DEGREE
#if MULTISPIN
#error "resident units run the float update"
#endif
#define DEFINE_RESIDENT(SUFFIX, SAS)                                                             \
  bool resident_##SUFFIX(SAS const uint4 *pos, SAS const uint *colour_start, uint ncolours,      \
                         SAS const uint2 *sell, uint nnodes, uint nelem, uint elem0, uint wshift, \
                         uint k0, uint k1, uint sweep0, uint nsweeps, uint observe_from,         \
                         __global int *node_cnt, uint ns1, uint ns2, __global int *edge_cnt,     \
                         uint es1, uint es2, uint tail_word, uint tail_mask,                     \
                         __global const uint *thr, __local spin_t *ls) {                         \
    const uint lid = get_local_id(0), W = 1u << wshift, e = lid & (W - 1u);                      \
    const uint unit = SIGN_MAD ? thr[0] : 0u;                                                    \
    const uint word = get_group_id(0) * W + e, zero = nnodes << wshift;                          \
    if (ncolours != RES_COLOURS) return false;                                                   \
    for (uint c = 0; c < RES_COLOURS; c++)                                                       \
      if (((colour_start[c + 1] - colour_start[c]) << wshift) > get_local_size(0)) return false; \
    if (lid < W) ls[zero + lid] = (spin_t)0;                                                     \
    uint p[RES_COLOURS], node[RES_COLOURS], slot[RES_COLOURS], nb[RES_COLOURS][RES_DEGREE],      \
        wt[RES_COLOURS][RES_DEGREE];                                                             \
    float ht[RES_COLOURS];                                                                       \
    bool on[RES_COLOURS];                                                                        \
    _Pragma("unroll") for (uint c = 0; c < RES_COLOURS; c++) {                                   \
      p[c] = colour_start[c] + (lid >> wshift);                                                  \
      on[c] = p[c] < colour_start[c + 1] && word < nelem;                                        \
      const uint4 ps = on[c] ? pos[p[c]] : (uint4)(0u);                                          \
      node[c] = ps.x;                                                                            \
      ht[c] = as_float(ps.z);                                                                    \
      slot[c] = on[c] ? (ps.x << wshift) + e : zero + W + lid;                                   \
      _Pragma("unroll") for (uint k = 0; k < RES_DEGREE; k++) {                                  \
        const uint2 en = k < ps.y ? sell[ps.w + SLICE * k] : (uint2)(nnodes, 0x80000000u);       \
        nb[c][k] = ((en.x & ~COUNT_FLAG) << wshift) + e;                                         \
        wt[c][k] = en.y;                                                                         \
      }                                                                                          \
    }                                                                                            \
    barrier(CLK_LOCAL_MEM_FENCE); /* the zero words */                                           \
    const uint w = elem0 + word, mask = word == tail_word ? tail_mask : ALL_BITS;                \
    rand4 r = word_random(node[0], sweep0, w, 0u, k0, k1);                                       \
    /* the unobserved sweeps, then the observed ones: no observation branch in the first */      \
    const uint plain = observe_from <= sweep0 ? 0u : min(observe_from - sweep0, nsweeps);        \
    _Pragma("unroll") for (uint obs = 0; obs < 2; obs++)                                         \
    for (uint s = obs ? plain : 0u; s < (obs ? nsweeps : plain); s++) {                          \
      const uint sweep = sweep0 + s;                                                             \
      _Pragma("unroll") for (uint c = 0; c < RES_COLOURS; c++) {                                 \
        spin_t xs[RES_DEGREE];                                                                   \
        _Pragma("unroll") for (uint k = 0; k < RES_DEGREE; k++) xs[k] = ls[nb[c][k]];            \
        const uint cn = (c + 1) % RES_COLOURS; /* the next phase's unit */                       \
        const rand4 next = word_random(node[cn], cn ? sweep : sweep + 1u, w, 0u, k0, k1);        \
        fields f;                                                                                \
        for (int v = 0; v < NVEC; v++) f.v[v] = (fvec)(ht[c]);                                   \
        _Pragma("unroll") for (uint k = 0; k < RES_DEGREE; k++)                                  \
            f = add_neighbour(f, xs[k], wt[c][k], unit);                                         \
        const spin_t x = RESIDENT_DECIDE(f, r, WORD_SUB(w));                                     \
        ls[slot[c]] = x;                                                                         \
        if (obs && on[c])                                                                        \
          observe_##SUFFIX(ls, W, e, pos[p[c]], sell, x, mask,                                   \
                           node_cnt + p[c] * ns1 + word * ns2, edge_cnt + word * es2, es1);      \
        r = next;                                                                                \
        barrier(CLK_LOCAL_MEM_FENCE);                                                            \
      }                                                                                          \
    }                                                                                            \
    return true;                                                                                 \
  }

DEFINE_RESIDENT(lg, __global)
DEFINE_RESIDENT(ll, __local)
/* Prefixes the sweeps body's general loop: runs the sweeps with resident units instead when
 * they fit (the body's own arguments). */
#define RESIDENT_OR(SUFFIX)                                                                      \
  if (!resident_##SUFFIX(pos, colour_start, ncolours, sell, nnodes, nelem, elem0, wshift, k0, k1, \
                         sweep0, nsweeps, observe_from, node_cnt, ns1, ns2, edge_cnt, es1, es2,  \
                         tail_word, tail_mask, thr, ls))
#else
#define RESIDENT_OR(SUFFIX)
#endif

/* The store and observation of unit u's new word x (the sweeps body's variables). */
#define STORE_UNIT(SUFFIX)                                                                       \
  ls[(ps.x << wshift) + e] = x;                                                                  \
  if (obs)                                                                                       \
    observe_##SUFFIX(ls, W, e, ps, sell, x, word == tail_word ? tail_mask : ALL_BITS,            \
                     node_cnt + (p0 + (u >> wshift)) * ns1 + word * ns2, edge_cnt + word * es2,  \
                     es1);
/* A work-item's units of colour c: first, first + lsize, ... below units. With SCREEN they go
 * in batches of 32: the units the screen is unsure of are left out, then updated exactly after
 * the batch (the units of a colour are independent) by redo_SUFFIX, out of line. NVIDIA's
 * compiler still sizes the kernel's registers for that rare pass (96 instead of 72 on the
 * H100: fewer work-groups per SM); the sampler's register cap (regs) takes it back to 72, the
 * rare pass then spilling 16 bytes, and so the screen runs 5% faster than the exact decision
 * (bench/RESULTS.md; inline or per unit, the exact pass cost more). */
#if SCREEN
#define COLOUR_UNITS(SUFFIX)                                                                     \
  for (uint u0 = first; u0 < units; u0 += 32u * lsize) {                                         \
    uint again = 0;                                                                              \
    for (uint i = 0, u = u0; i < 32u && u < units; i++, u += lsize) {                            \
      const uint e = u & wmask, word = base + e;                                                 \
      if (word >= nelem) continue;                                                               \
      const uint4 ps = pos[p0 + (u >> wshift)];                                                  \
      bool unsure;                                                                               \
      const spin_t x = screened_##SUFFIX(ls, W, e, ps, sell, sweep, elem0 + word, k0, k1, thr,   \
                                         &unsure);                                               \
      if (unsure) {                                                                              \
        again |= 1u << i;                                                                        \
        continue;                                                                                \
      }                                                                                          \
      STORE_UNIT(SUFFIX)                                                                         \
    }                                                                                            \
    while (again) {                                                                              \
      const uint i = 31u - clz(again & (0u - again));                                            \
      again &= again - 1u;                                                                       \
      redo_##SUFFIX(pos, sell, ls, u0 + i * lsize, wshift, base, p0, sweep, elem0, k0, k1, thr,  \
                    obs, tail_word, tail_mask, node_cnt, ns1, ns2, edge_cnt, es1, es2);          \
    }                                                                                            \
  }
/* Unit u's exact update, store and observation (the screen was unsure of it). */
#define DEFINE_REDO(SUFFIX, SAS)                                                                 \
  __attribute__((noinline)) void redo_##SUFFIX(                                                  \
      SAS const uint4 *pos, SAS const uint2 *sell, __local spin_t *ls, uint u, uint wshift,      \
      uint base, uint p0, uint sweep, uint elem0, uint k0, uint k1, __global const uint *thr,    \
      bool obs, uint tail_word, uint tail_mask, __global int *node_cnt, uint ns1, uint ns2,      \
      __global int *edge_cnt, uint es1, uint es2) {                                              \
    const uint W = 1u << wshift, e = u & (W - 1u), word = base + e;                              \
    const uint4 ps = pos[p0 + (u >> wshift)];                                                    \
    const spin_t x = update_##SUFFIX(ls, W, e, ps, sell, sweep, elem0 + word, k0, k1, thr);      \
    STORE_UNIT(SUFFIX)                                                                           \
  }
#else
#define COLOUR_UNITS(SUFFIX)                                                                     \
  for (uint u = first; u < units; u += lsize) {                                                  \
    const uint e = u & wmask, word = base + e;                                                   \
    if (word >= nelem) continue;                                                                 \
    const uint4 ps = pos[p0 + (u >> wshift)];                                                    \
    const spin_t x = update_##SUFFIX(ls, W, e, ps, sell, sweep, elem0 + word, k0, k1, thr);      \
    STORE_UNIT(SUFFIX)                                                                           \
  }
#define DEFINE_REDO(SUFFIX, SAS)
#endif

/* The local path deals each colour's units to its work-items round-robin, in rounds of the
 * local size: a round-robin that goes on where the previous colour's ended (and, for work-group
 * g, where g work-groups' deals of one sweep would end), in whole SELL slices of q = SLICE x W
 * units, so that the lanes of a SIMD group keep reading whole slices. The part-full last round
 * of a colour then falls on other work-items each time instead of always on the first ones
 * (which left the same SIMD groups of a compute unit with the extra round in every colour:
 * +2.2 to +3.4% on pegasus:14 on an H100, bench/RESULTS.md). Which work-item updates a unit
 * changes, not the update: the same samples. Returns the units one deal advances the
 * round-robin by. */
static inline uint dealt_units(uint units, uint q) { return (units + q - 1) / q * q; }

/* All sweeps in one launch (the body of the ising_sweeps_local kernels, for the schedule in
 * SAS memory): work-group g holds words [g*W, g*W + W) (W = 1 << wshift) of every node in
 * local memory (ls: nnodes * W words), updates them colour by colour with a barrier between
 * colours (units dealt as dealt_units says), and writes them to state_out (state_in may be
 * the same buffer). Observation (sweep >= observe_from) adds per-word counts into
 * node_cnt[p*ns1 + word*ns2] and edge_cnt[sell_index*es1 + word*es2]. tail_word: the word
 * whose chains are only partly real (mask tail_mask), or 0xffffffff. */
#define DEFINE_SWEEPS(SUFFIX, SAS)                                                               \
  DEFINE_REDO(SUFFIX, SAS)                                                                       \
  void sweeps_##SUFFIX(SAS const uint4 *pos, SAS const uint *colour_start, uint ncolours,        \
                       SAS const uint2 *sell, __global const spin_t *state_in,                   \
                       __global spin_t *state_out, uint nnodes, uint stride, uint nelem,         \
                       uint elem0, uint wshift, uint k0, uint k1, uint sweep0, uint nsweeps,     \
                       uint observe_from, __global int *node_cnt, uint ns1, uint ns2,            \
                       __global int *edge_cnt, uint es1, uint es2, uint tail_word,               \
                       uint tail_mask, __global const uint *thr, __local spin_t *ls) {           \
    const uint lid = get_local_id(0), lsize = get_local_size(0);                                 \
    const uint W = 1u << wshift, wmask = W - 1u;                                                 \
    const uint base = get_group_id(0) * W;                                                       \
    for (uint i = lid; i < (nnodes << wshift); i += lsize) {                                     \
      const uint word = base + (i & wmask);                                                      \
      ls[i] = word < nelem ? state_in[(i >> wshift) * stride + word] : (spin_t)0;                \
    }                                                                                            \
    barrier(CLK_LOCAL_MEM_FENCE);                                                                \
    RESIDENT_OR(SUFFIX) {                                                                        \
      const uint q = SLICE << wshift;                                                            \
      uint dealt = 0;                                                                            \
      for (uint c = 0; c < ncolours; c++)                                                        \
        dealt += dealt_units((colour_start[c + 1] - colour_start[c]) << wshift, q);              \
      uint rot = (uint)(((ulong)get_group_id(0) * dealt) % lsize);                               \
      for (uint s = 0; s < nsweeps; s++) {                                                       \
        const uint sweep = sweep0 + s;                                                           \
        const bool obs = sweep >= observe_from;                                                  \
        for (uint c = 0; c < ncolours; c++) {                                                    \
          const uint p0 = colour_start[c], units = (colour_start[c + 1] - p0) << wshift;         \
          const uint first = (lid + lsize - rot) % lsize;                                        \
          rot = (rot + dealt_units(units, q)) % lsize;                                           \
          COLOUR_UNITS(SUFFIX)                                                                   \
          barrier(CLK_LOCAL_MEM_FENCE);                                                          \
        }                                                                                        \
      }                                                                                          \
    }                                                                                            \
    for (uint i = lid; i < (nnodes << wshift); i += lsize) {                                     \
      const uint word = base + (i & wmask);                                                      \
      if (word < nelem) state_out[(i >> wshift) * stride + word] = ls[i];                        \
    }                                                                                            \
  }

DEFINE_SWEEPS(lg, __global)
DEFINE_SWEEPS(ll, __local)

/* All sweeps in one launch with the schedule read from global memory. */
__kernel void ising_sweeps_local(__global const uint4 *pos, __global const uint *colour_start,
                                 uint ncolours, __global const uint2 *sell,
                                 __global const spin_t *state_in, __global spin_t *state_out,
                                 uint nnodes, uint stride, uint nelem, uint elem0, uint wshift,
                                 uint k0, uint k1, uint sweep0, uint nsweeps, uint observe_from,
                                 __global int *node_cnt, uint ns1, uint ns2,
                                 __global int *edge_cnt, uint es1, uint es2, uint tail_word,
                                 uint tail_mask, __global const uint *thr, __local spin_t *ls) {
  sweeps_lg(pos, colour_start, ncolours, sell, state_in, state_out, nnodes, stride, nelem, elem0,
            wshift, k0, k1, sweep0, nsweeps, observe_from, node_cnt, ns1, ns2, edge_cnt, es1,
            es2, tail_word, tail_mask, thr, ls);
}

/* As ising_sweeps_local, with the schedule copied into local memory first: lmem holds the
 * positions, the nsell SELL entries and the colour starts, then the state. */
__kernel void ising_sweeps_local_sched(__global const uint4 *pos,
                                       __global const uint *colour_start, uint ncolours,
                                       __global const uint2 *sell,
                                       __global const spin_t *state_in,
                                       __global spin_t *state_out, uint nnodes, uint stride,
                                       uint nelem, uint elem0, uint wshift, uint k0, uint k1,
                                       uint sweep0, uint nsweeps, uint observe_from,
                                       __global int *node_cnt, uint ns1, uint ns2,
                                       __global int *edge_cnt, uint es1, uint es2,
                                       uint tail_word, uint tail_mask,
                                       __global const uint *thr, uint nsell,
                                       __local uint4 *lmem) {
  const uint lid = get_local_id(0), lsize = get_local_size(0), npos = colour_start[ncolours];
  __local uint2 *lsell = (__local uint2 *)(lmem + npos);
  __local uint *lstart = (__local uint *)(lsell + nsell);
  for (uint i = lid; i < npos; i += lsize) lmem[i] = pos[i];
  for (uint i = lid; i < nsell; i += lsize) lsell[i] = sell[i];
  for (uint i = lid; i <= ncolours; i += lsize) lstart[i] = colour_start[i];
  /* the body's first barrier (after loading the state) orders these copies before any use */
  sweeps_ll(lmem, lstart, ncolours, lsell, state_in, state_out, nnodes, stride, nelem, elem0,
            wshift, k0, k1, sweep0, nsweeps, observe_from, node_cnt, ns1, ns2, edge_cnt, es1,
            es2, tail_word, tail_mask, thr, (__local spin_t *)(lstart + ncolours + 1));
}

/* One colour of one sweep with the state in global memory: one work-item per (position,
 * word), words fastest. Same arguments as ising_sweeps_local, for positions [p0, p0+count). */
__kernel void ising_colour_global(__global const uint4 *pos, __global const uint2 *sell,
                                  __global spin_t *state, uint stride, uint nelem, uint elem0,
                                  uint p0, uint count, uint k0, uint k1, uint sweep, uint observe,
                                  __global int *node_cnt, uint ns1, uint ns2,
                                  __global int *edge_cnt, uint es1, uint es2, uint tail_word,
                                  uint tail_mask, __global const uint *thr) {
  const uint gid = get_global_id(0);
  if (gid >= count * nelem) return;
  const uint p = p0 + gid / nelem, word = gid % nelem;
  const uint4 ps = pos[p];
#if SCREEN
  bool unsure;
  spin_t x = screened_gg(state, stride, word, ps, sell, sweep, elem0 + word, k0, k1, thr, &unsure);
  if (unsure) x = update_gg(state, stride, word, ps, sell, sweep, elem0 + word, k0, k1, thr);
#else
  const spin_t x = update_gg(state, stride, word, ps, sell, sweep, elem0 + word, k0, k1, thr);
#endif
  state[ps.x * stride + word] = x;
  if (observe)
    observe_gg(state, stride, word, ps, sell, x, word == tail_word ? tail_mask : ALL_BITS,
               node_cnt + p * ns1 + word * ns2, edge_cnt + word * es2, es1);
}

#if SCREEN
/* The premise of the screened decision (see SCREEN) for the floats t whose bits are
 * (first + get_global_id(0)) * SCREEN_CHECK_SPAN + i, i < SCREEN_CHECK_SPAN, evaluated as the
 * sweeps evaluate them (the same vectors, the same build): out[0] += the number of t that break
 * it, out[1] = max(out[1], the largest distance in ulps between A and E for |t| < 125). */
#define SCREEN_CHECK_SPAN (64u * VW)
__kernel void ising_screen_check(uint first, __global uint *out) {
  const uint base = (first + (uint)get_global_id(0)) * SCREEN_CHECK_SPAN;
  uint fails = 0;
  union {
    uvec v;
    uint lane[VW];
  } worst = {(uvec)(0u)};
  for (uint i = 0; i < SCREEN_CHECK_SPAN; i += VW) {
    const fvec t = as_fvec((uvec)(base + i) + LANES);
    const fvec a = SCREEN_EXP2(t), e = ising_exp2(t);
    const uvec dist = abs_diff(as_uvec(a), as_uvec(e));
    const uvec inside = select((uvec)(0u), (uvec)(1u), fabs(t) < (fvec)(125.0f));
    const uvec above = select((uvec)(0u), (uvec)(1u), t >= (fvec)(125.0f));
    const uvec nan_a = select((uvec)(0u), (uvec)(1u), isnan(a));
    const uvec ok = nan_a | (inside & select((uvec)(0u), (uvec)(1u), dist <= (uvec)(SCREEN_ULPS))) |
                    (above & select((uvec)(0u), (uvec)(1u), a >= (fvec)(0x1p25f))) |
                    (((uvec)(1u) - inside - above) &
                     select((uvec)(0u), (uvec)(1u), a <= (fvec)(0x1p-25f)));
    const uvec bad = (uvec)(1u) - ok;
    fails += or_lanes(bad) ? 1u : 0u; /* counts vectors with a failure */
    const uvec seen = select((uvec)(0u), dist, (inside & ((uvec)(1u) - nan_a)) != (uvec)(0u));
    worst.v = max(worst.v, seen);
  }
  uint most = 0;
  for (uint l = 0; l < VW; l++) most = max(most, worst.lane[l]);
  if (fails) atomic_add(&out[0], fails);
  atomic_max(&out[1], most);
}
#endif

/* out[i] = sum over words w < nelem of cnt[i*s1 + w*s2], for i < n. */
__kernel void ising_reduce(__global const int *cnt, uint n, uint nelem, uint s1, uint s2,
                           __global long *out) {
  const uint i = get_global_id(0);
  if (i >= n) return;
  long sum = 0;
  for (uint w = 0; w < nelem; w++) sum += cnt[i * s1 + w * s2];
  out[i] = sum;
}
