/* Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as 1, 2, 3",
 * SC'11), the counter-based generator of the Ising sampler. Header-only so that the host
 * reference loop inlines it; bit-identical to philox4x32_10() in cl_kernels/ising.cl
 * (tests/test_ising_sampler.c checks the published known-answer vectors here, and the device
 * states bit for bit against the host loop). */
#ifndef OB_PHILOX_H
#define OB_PHILOX_H

#include <stdint.h>

#define OB_PHILOX_M0 0xD2511F53u
#define OB_PHILOX_M1 0xCD9E8D57u
#define OB_PHILOX_W0 0x9E3779B9u
#define OB_PHILOX_W1 0xBB67AE85u

/* Ten rounds of Philox4x32 on the counter ctr with the key (k0, k1); out receives the four
 * 32-bit outputs. out may alias ctr. */
static inline void ob_philox4x32_10(const uint32_t ctr[4], uint32_t k0, uint32_t k1,
                                    uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  for (int r = 0; r < 10; r++) {
    const uint64_t p0 = (uint64_t)OB_PHILOX_M0 * c0;
    const uint64_t p1 = (uint64_t)OB_PHILOX_M1 * c2;
    const uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    const uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += OB_PHILOX_W0;
    k1 += OB_PHILOX_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

#endif
