/* The `train` workload: one SimpleCNN training step on the device (models/simplecnn/simplecnn.h) at the
 * seed's input 3x224x224 (32 channels, 10 classes, Adam lr 1e-3), timed whole and by part.
 *
 * Rows (params `model=simplecnn;batch=B;input=3xHxW`, fp32):
 *   variant step       forward + loss + backward + Adam; step_time (us) and gflops
 *                      (forward + backward FLOPs of the zoo's counting, plus the optimizer's)
 *   variant forward    forward + loss; step_time and gflops
 *   variant backward   backward from the forward's activations; step_time and gflops
 *                      (backward = 2 x forward, the zoo's convention)
 *   variant optimizer  the Adam step; step_time and bandwidth (28 bytes per parameter)
 * at batches 8, 32 (the seed's) and 128, plus forward rows at inputs 128x128 and 256x256
 * (batch 32; the seed's dynamic-input test; the model's fc layer follows the input size).
 * --quick keeps every variant at batches 2 and 8 and the extra input sizes at batch 2.
 * Every time is wall-clock around clFinish of the part's kernels, the median over the
 * runner's calibrated repetitions; each part is a series whose cost is its work, so sizes
 * predicted over the time budget are skipped.
 *
 * Verification in the same run: the timed model's logits of its first OB_TRAIN_VERIFY_BATCH
 * images against the double host reference from its current parameters, and (all but the
 * forward rows) one full step of a fresh model of batch OB_TRAIN_VERIFY_BATCH (same
 * configuration, initial parameters) on those images: pre-activations, logits, loss, every
 * gradient and the Adam update against the reference (models/simplecnn/simplecnn_ref.h), each within
 * OB_SIMPLECNN_CHECK_BOUND.
 */
#ifndef OB_TRAIN_WORKLOAD_H
#define OB_TRAIN_WORKLOAD_H

#include "workload.h"

extern const ob_workload ob_workload_train;

/* Images of the verification batch. */
#define OB_TRAIN_VERIFY_BATCH 2

#endif
