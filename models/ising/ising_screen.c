/* The screened decision's device check (ising_screen.h). */
#include "ising_screen.h"

#include <stdint.h>

/* Floats per launch: 2^26, 64 launches, each well within a display watchdog's limit. */
#define FLOATS_PER_LAUNCH ((uint64_t)1 << 26)
#define FLOATS ((uint64_t)1 << 32)

ob_status ob_ising_screen_check(ob_device *dev, const char *options, unsigned spin_bits,
                                unsigned *worst_ulps) {
  /* floats per work-item: SCREEN_CHECK_SPAN, 64 vectors of the word's VW lanes (8 or 16: words
   * of 32 chains are two vectors of 16) */
  const size_t span = 64 * (size_t)(spin_bits == 32 ? 16 : spin_bits);
  cl_kernel k = NULL;
  cl_mem out = NULL;
  cl_uint counts[2] = {0, 0};
  OB_TRY(ob_kernel_create(dev, "ising.cl", options, "ising_screen_check", &k));
  ob_status st = ob_buffer_create(dev, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof counts,
                                  counts, &out);
  if (st == OB_OK) st = ob_kernel_set_args(k, 1, &OB_KARG(out), 1);
  const size_t items = (size_t)(FLOATS_PER_LAUNCH / span);
  for (uint64_t first = 0; first < FLOATS && st == OB_OK; first += FLOATS_PER_LAUNCH) {
    const cl_uint item0 = (cl_uint)(first / span);
    st = ob_kernel_set_args(k, 0, &OB_KARG(item0), 1);
    if (st == OB_OK) st = ob_enqueue_kernel(dev, k, 1, &items, NULL, NULL);
  }
  if (st == OB_OK) st = ob_buffer_read(dev, out, 0, sizeof counts, counts);
  ob_buffer_release(dev, out);
  clReleaseKernel(k);
  OB_TRY(st);
  *worst_ulps = counts[1];
  if (counts[0])
    return ob_fail(OB_ERR_UNSUPPORTED, "decision=screen: this device's 2^t misses the "
                   "screen's bound on %u vectors of floats (largest distance from the exact 2^t "
                   "inside |t| < 125: %u ulps)", counts[0], counts[1]);
  return OB_OK;
}
