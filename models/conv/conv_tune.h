/* The selection step of the own convolution: a tile configuration per device, shape, pass
 * and storage type through the tuning facility (core/tune.h), family ob_conv_family. */
#ifndef OB_CONV_TUNE_H
#define OB_CONV_TUNE_H

#include "conv.h"
#include "tune.h"

/* A configuration chosen for one pass of a shape, and how. */
typedef struct ob_conv_choice {
  ob_conv_config cfg;     /* split resolved (>= 1) */
  ob_tune_source source;
  /* "config=tm=128,tn=128,tk=8,wm=8,wn=8,wtx=8,split=2,algo=gemm (tuned now: 31 runs, 2.4 s)"; the
   * parenthesis is "forced", "default", "tuned, cached" or "tuned now: R runs, S s". */
  char describe[192];
} ob_conv_choice;

/* The configuration for a pass of a shape in a storage type on dev, by the settings
 * (ob_tune_select): forced (OCLBENCH_CONFIG_CONV; split 0 or absent: the split a throughput
 * model scores best for the shape), the device default (mode off: the first CPU tile, or on
 * GPUs the candidate and split the model scores best; always the implicit GEMM), cached, or
 * searched now: every candidate tile at least half as full as the fullest, with each split-K
 * factor that could fill the compute units, timed on scratch tensors of the pass (the kernel
 * built once per tile), for the implicit GEMM and, where ob_conv_winograd_check allows, for
 * the Winograd algorithm (the tiles then of its inner GEMMs, timed with its transforms) and,
 * where ob_conv_direct_suits and ob_conv_direct_fits allow, for the direct gradients (a few
 * px, kb, wx and split values), every would-be winner checked against the reference (within
 * its algorithm's bound), the fastest cached; a direct winner has its zeros resolved as
 * ob_conv_plan_create resolves them. Searching
 * can take seconds the first time per device, driver, shape, pass and storage type.
 * OB_ERR_INVALID for a bad shape or pass, OB_ERR_UNSUPPORTED when nothing fits or runs. */
ob_status ob_conv_select(ob_device *dev, const ob_tune_settings *settings,
                         const ob_conv_shape *shape, ob_conv_pass pass, ob_conv_storage storage,
                         ob_conv_choice *out);

#endif
