/* The screened decision's premise on a device (cl_kernels/ising.cl, SCREEN): the device's
 * 2^t (native_exp2 or NVIDIA's ex2.approx.ftz by inline PTX), as the sweeps compile it, close
 * enough to the exact 2^t of ising_rule.h for every float t that each chain the screen
 * decides is decided as the exact rule decides it. */
#ifndef OB_ISING_SCREEN_H
#define OB_ISING_SCREEN_H

#include "oclbench.h"

/* Runs ising.cl's ising_screen_check, built with `options` (the sweeps' own, -DSCREEN=1 among
 * them, for words of spin_bits chains), over all 2^32 floats on the device. OB_OK when the
 * premise holds for every one (*worst_ulps: the largest distance between the device's 2^t and the
 * exact 2^t inside |t| < 125); OB_ERR_UNSUPPORTED, saying how many fail, when not. */
ob_status ob_ising_screen_check(ob_device *dev, const char *options, unsigned spin_bits,
                                unsigned *worst_ulps);

#endif
