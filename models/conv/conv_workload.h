/* The `conv` workload: conv2d forward through the own implicit-GEMM kernels and CLBlast's
 * Sconvgemm/Hconvgemm, data and weight gradients through the own kernels, with fp32 and fp16
 * storage, on the SimpleCNN conv and the ResNet-18 3x3 layers (models/conv/conv_workload.c). */
#ifndef OB_CONV_WORKLOAD_H
#define OB_CONV_WORKLOAD_H

#include "workload.h"

extern const ob_workload ob_workload_conv;

/* Batch of the full run and of --quick. */
#define OB_CONV_BATCH 32
#define OB_CONV_QUICK_BATCH 2

#endif
