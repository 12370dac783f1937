/* Adam / AdamW optimizer step on device buffers, with PyTorch semantics (torch.optim.Adam and
 * torch.optim.AdamW: lr, betas, eps, weight_decay, amsgrad, maximize, bias correction by the
 * step count; fp32 moments and fp32 arithmetic).
 *
 * Tensors are ranges of device buffers: a flat parameter buffer and a flat gradient buffer
 * with an offset table (ob_adam_create_flat), or any list of (buffer, offset, count)
 * (ob_adam_create; a list of separate cl_mem is the case where every offset is 0). Parameters
 * and gradients are fp32, or with OB_ADAM_FP16 IEEE half (see ob_adam_precision).
 *
 * Two implementations of the same step:
 * - OB_ADAM_FUSED: every tensor in one kernel launch per (parameter buffer, gradient buffer)
 *   pair, so one launch per step for a flat layout; float4 loads and stores, each parameter,
 *   gradient and moment read once and written once (28 bytes per parameter, 36 with amsgrad;
 *   22 and 30 with fp16 parameters and gradients).
 * - OB_ADAM_EAGER: one launch per tensor and elementwise operation, as PyTorch's for-loop
 *   Adam does; the baseline.
 *
 * Ownership: the caller owns the parameter and gradient buffers, which must outlive the
 * optimizer; the optimizer owns its state buffers (exp_avg, exp_avg_sq, max_exp_avg_sq),
 * kernels and tables. Steps are enqueued on the device's in-order queue and not waited for,
 * so a training step can enqueue forward, backward and the optimizer step back to back.
 * Not thread-safe: one thread per optimizer and device.
 */
#ifndef OB_ADAM_H
#define OB_ADAM_H

#include "oclbench.h"
#include "tune.h"

/* Offsets of tensors in their buffers must be multiples of this many elements (16 bytes of
 * fp32), so the fused kernel can use aligned float4 loads; counts may be anything, including 0. */
#define OB_ADAM_ALIGN 4

typedef enum ob_adam_impl { OB_ADAM_FUSED = 0, OB_ADAM_EAGER } ob_adam_impl;

/* Storage of parameters and gradients (fused implementation only for fp16).
 * OB_ADAM_FP16: parameters and gradients are IEEE half (2 bytes per element), read with
 * vload_half and written with vstore_half_rte (round to nearest even), which are core OpenCL
 * C 1.0-1.2 and need no cl_khr_fp16; the moments (exp_avg, exp_avg_sq, max_exp_avg_sq) stay
 * fp32 and every operation is fp32, as PyTorch's fused kernel computes in its fp32 "opmath"
 * type. (torch.optim.Adam on fp16 tensors would also keep its moments in fp16; fp32 moments
 * avoid the underflow of (1 - beta2) * g^2 below 6e-8 that makes such a step depend on the
 * storage rounding, and cost 8 of the 22 bytes per parameter.) */
typedef enum ob_adam_precision { OB_ADAM_FP32 = 0, OB_ADAM_FP16 } ob_adam_precision;

/* Vectors per work-item of the fused kernel at most. */
#define OB_ADAM_MAX_ITEMS 16

/* Launch shape of the fused kernel: work-group size, vectors per work-item (1 to
 * OB_ADAM_MAX_ITEMS), vector width (1, 2 or 4 floats). wg * items * vec must be a multiple of
 * OB_ADAM_ALIGN. All zero: the device's default (ob_adam_tuning_default); the selection step
 * ob_adam_select (models/adam/adam_tune.h) picks the tuned one. */
typedef struct ob_adam_tuning {
  size_t wg;
  int items;
  int vec;
} ob_adam_tuning;

typedef struct ob_adam_options {
  double lr;            /* learning rate, >= 0 */
  double beta1, beta2;  /* in [0, 1) */
  double eps;           /* >= 0 */
  double weight_decay;  /* >= 0; L2 added to the gradient (Adam) or decoupled (AdamW) */
  bool amsgrad;         /* keep max(exp_avg_sq) and divide by its root */
  bool maximize;        /* ascend instead of descend */
  bool decoupled;       /* AdamW: param *= 1 - lr * weight_decay before the update */
  ob_adam_impl impl;
  ob_adam_tuning tuning; /* fused only; zeros: the device's default */
  ob_adam_precision precision; /* parameters and gradients; OB_ADAM_FP16: fused only */
} ob_adam_options;

/* PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 for Adam and
 * 1e-2 for AdamW (adamw = true, decoupled), no amsgrad, no maximize, fused, the device's
 * default launch shape, fp32 parameters and gradients. */
void ob_adam_options_init(ob_adam_options *o, bool adamw);

/* OB_OK, or OB_ERR_INVALID with a detail naming the bad option (PyTorch's ranges). */
ob_status ob_adam_options_check(const ob_adam_options *o);

/* One tensor: count elements (fp32, or half with OB_ADAM_FP16) of param at param_offset, its
 * gradient in grad at grad_offset (offsets in elements, multiples of OB_ADAM_ALIGN). Buffers
 * may be shared
 * between tensors and param may equal grad, but no parameter range may overlap another
 * tensor's parameter or gradient range. */
typedef struct ob_adam_tensor {
  cl_mem param, grad;
  size_t param_offset, grad_offset;
  size_t count;
} ob_adam_tensor;

typedef struct ob_adam ob_adam;

/* Creates an optimizer for tensors[0..n) with zeroed state and step count 0, building its
 * kernels (the fused one with the options' launch shape). The
 * tensor array is copied. OB_ERR_INVALID for bad options or tensors (detail names which),
 * OB_ERR_TOO_LARGE when the state does not fit the device, OB_ERR_UNSUPPORTED when the fp16
 * kernel does not build on the device (no half support at all). */
ob_status ob_adam_create(ob_device *dev, const ob_adam_options *o, const ob_adam_tensor *tensors,
                         size_t n, ob_adam **out);

/* The flat form: tensor i is counts[i] elements at offsets[i] of both params and grads. */
ob_status ob_adam_create_flat(ob_device *dev, const ob_adam_options *o, cl_mem params,
                              cl_mem grads, const size_t *offsets, const size_t *counts, size_t n,
                              ob_adam **out);

/* Frees the optimizer's state, kernels and tables (after the queue finished using them);
 * NULL is a no-op. The caller's parameter and gradient buffers are untouched. */
void ob_adam_destroy(ob_adam *a);

/* Enqueues one optimizer step (step count + 1) reading the gradients and updating the
 * parameters and state; does not wait. last: optional out event of the step's last launch
 * (released by the caller; NULL when the step launched nothing: every tensor is empty). */
ob_status ob_adam_step(ob_adam *a, cl_event *last);

/* Enqueues zero fills of every tensor's gradient range (torch's zero_grad); does not wait. */
ob_status ob_adam_zero_grad(ob_adam *a);

/* Zeroes the state and the step count (waits for the queue). */
ob_status ob_adam_reset(ob_adam *a);

/* Steps taken since creation or the last reset. */
long ob_adam_step_count(const ob_adam *a);

/* Changes the learning rate for the following steps (schedulers); OB_ERR_INVALID when
 * lr < 0 or not finite. */
ob_status ob_adam_set_lr(ob_adam *a, double lr);

/* Kernel launches one step enqueues (1 for a flat fused optimizer). */
size_t ob_adam_launches_per_step(const ob_adam *a);

/* The launch shape in use, for a CSV `params` column: "wg=256;items=4;vec=4" (fused) or
 * "wg=256" (eager). Owned by a. */
const char *ob_adam_describe(const ob_adam *a);

typedef enum ob_adam_state {
  OB_ADAM_EXP_AVG,        /* first moment */
  OB_ADAM_EXP_AVG_SQ,     /* second moment */
  OB_ADAM_MAX_EXP_AVG_SQ, /* running maximum of the second moment (amsgrad) */
} ob_adam_state;

/* Reads elements [first, first + count) of tensor i's state `which` into out (blocking).
 * OB_ERR_INVALID when i or the range is out of bounds, or max_exp_avg_sq is asked for
 * without amsgrad. */
ob_status ob_adam_state_read(ob_adam *a, ob_adam_state which, size_t i, size_t first,
                             size_t count, float *out);

/* Packs tensors of counts[0..n) one after another, each starting at a multiple of `align`
 * elements rounded up to a multiple of OB_ADAM_ALIGN (0: OB_ADAM_ALIGN; for sub-buffers at the
 * offsets, CL_DEVICE_MEM_BASE_ADDR_ALIGN / 32): writes offsets[0..n) and returns the elements
 * to allocate. */
size_t ob_adam_layout(const size_t *counts, size_t n, size_t align, size_t *offsets);

/* The tuning family of ob_adam_tuning (core/tune.h): its text form "vec=4,items=1,wg=256"
 * (OCLBENCH_CONFIG_ADAM, the tuning cache), the -D options of adam.cl and the rules above. */
extern const ob_tune_family ob_adam_family;

/* The launch shapes the tuner tries on dev (*n of them), the device default first. */
const ob_adam_tuning *ob_adam_candidates(const ob_device *dev, size_t *n);

/* The device's default launch shape (used untuned). */
void ob_adam_tuning_default(const ob_device *dev, ob_adam_tuning *out);

#endif
