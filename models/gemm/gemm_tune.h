/* The selection step of the own SGEMM: a configuration per shape class through the tuning
 * facility (core/tune.h), family ob_gemm_family. */
#ifndef OB_GEMM_TUNE_H
#define OB_GEMM_TUNE_H

#include "gemm.h"
#include "tune.h"

/* The shape class of a call (only storage, ta, tb, m, n, k of shape are read):
 * "NT:m128:n1024:k1024" with m, n, k rounded up to powers of two, ":fp16" appended for half
 * storage (tuned separately: its global loads and stores differ). */
void ob_gemm_shape_key(const ob_gemm_args *shape, char *buf, size_t len);

/* The configuration for the shape class of shape on dev, by the settings (ob_tune_select):
 * forced (OCLBENCH_CONFIG_GEMM over the device default), the device default (mode off),
 * cached, or searched now: every candidate (ob_gemm_candidates; split-K ones only where the
 * output tiles leave compute units idle) that builds and computes a correct product is timed
 * on a problem of the shape class (m, n, k capped at 1024 on CPUs, 4096 otherwise), the close
 * contenders a second time, and the fastest is cached. A search that finds nothing is a
 * warning and the device default. *source says which. */
ob_status ob_gemm_select(ob_device *dev, const ob_tune_settings *settings,
                         const ob_gemm_args *shape, ob_gemm_config *out, ob_tune_source *source);

#endif
