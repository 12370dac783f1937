/* The seed's SimpleCNN trained on an OpenCL device: Conv2d(in_c, channels, 3, stride 2, pad 1)
 * + bias, ReLU, flatten, Linear(channels * P * Q, classes) + bias, softmax cross-entropy on
 * integer labels, and a fused Adam update (models/adam/adam.h), all on the device (NCHW, fp32).
 * The seed's configuration is 3x224x224 inputs, 32 channels, 10 classes (P = Q = 112); the
 * sizes are parameters so that tests run tiny models.
 *
 * One step is forward, loss, backward and the optimizer update, enqueued back to back on the
 * device's in-order queue: nothing waits for the host unless the loss is asked for. The
 * gradient kernels overwrite the gradients (no accumulation), so no zero_grad pass is needed.
 * Kernels (cl_kernels/simplecnn.cl plus the conv and Adam kernels):
 *   forward   conv (models/conv/conv.h, no bias: the bias is folded into the readers below)
 *             fc_forward   split-K partial logits of relu(conv + bias) and the fc weights
 *             loss         split-K sum + fc bias -> logits; softmax cross-entropy (mean over
 *                          the batch), dlogits, the fc bias gradient
 *   backward  fc_backward  one pass over the conv output: the fc weight gradient
 *                          (dlogits^T relu(a)), the conv-output gradient dz (dlogits W,
 *                          masked by a > 0) and its per-feature batch sums
 *             conv weight gradient per image (models/conv/conv.h, as a convolution with one
 *                          group per image, which spreads the long reduction over the GPU)
 *             conv_grad_finish  the batch sum of those, and the conv bias gradient from the
 *                          per-feature sums; no input gradient (the first layer)
 *   update    Adam over the four tensors, kept in one flat parameter buffer and one flat
 *             gradient buffer: one launch
 *
 * Ownership: a model owns every buffer, plan, kernel and its optimizer; the device must
 * outlive it. Not thread-safe: one thread per model.
 */
#ifndef OB_SIMPLECNN_H
#define OB_SIMPLECNN_H

#include "conv/conv.h"
#include "oclbench.h"
#include "tune.h"

/* The architecture's fixed parts: a 3x3 convolution with stride 2 and padding 1. */
#define OB_SIMPLECNN_KERNEL 3
#define OB_SIMPLECNN_STRIDE 2
#define OB_SIMPLECNN_PAD 1

/* FLOPs per parameter of one Adam step as torch.optim.Adam's single-tensor step spells it:
 * exp_avg.lerp_ 3, exp_avg_sq.mul_.addcmul_ 4, denom sqrt/div/add 3, param.addcdiv_ 3. */
#define OB_SIMPLECNN_ADAM_FLOPS 13
/* Bytes per parameter of one fused Adam step: read p, g, m, v; write p, m, v. */
#define OB_SIMPLECNN_ADAM_BYTES 28

typedef struct ob_simplecnn_dims {
  int batch;            /* images per step */
  int in_c, in_h, in_w; /* one image */
  int channels;         /* conv output channels */
  int classes;          /* fc outputs */
} ob_simplecnn_dims;

/* The parameter tensors, in the order of the flat buffers (PyTorch layouts):
 * conv.weight [channels][in_c][3][3], conv.bias [channels], fc.weight [classes][features]
 * (features in NCHW flatten order: c * P * Q + p * Q + q), fc.bias [classes]. */
typedef enum ob_simplecnn_tensor {
  OB_SIMPLECNN_CONV_W = 0,
  OB_SIMPLECNN_CONV_B,
  OB_SIMPLECNN_FC_W,
  OB_SIMPLECNN_FC_B,
  OB_SIMPLECNN_NTENSORS
} ob_simplecnn_tensor;

/* "conv.weight", "conv.bias", "fc.weight", "fc.bias" (torch's names). */
const char *ob_simplecnn_tensor_name(ob_simplecnn_tensor t);

/* The seed's model at batch 32: 3x224x224, 32 channels, 10 classes. */
void ob_simplecnn_dims_default(ob_simplecnn_dims *d);

/* OB_OK when every size is at least 1 and every tensor (and batch x features) stays below
 * 2^31 elements; OB_ERR_INVALID / OB_ERR_TOO_LARGE with a one-line detail otherwise. */
ob_status ob_simplecnn_dims_check(const ob_simplecnn_dims *d);

/* Conv output height and width (P, Q) and the fc input features (channels P Q). */
int ob_simplecnn_out_h(const ob_simplecnn_dims *d);
int ob_simplecnn_out_w(const ob_simplecnn_dims *d);
size_t ob_simplecnn_features(const ob_simplecnn_dims *d);

/* Elements of a parameter tensor (the same for its gradient). */
size_t ob_simplecnn_tensor_elems(const ob_simplecnn_dims *d, ob_simplecnn_tensor t);

/* Parameters, and the work of one step over the whole batch, counted with the model zoo's
 * calflops rules (models/zoo/zoo.h: conv 2 MACs + bias, ReLU one per element, linear 2 MACs,
 * backward = OB_ZOO_BACKWARD_FACTOR x forward) for any input size; equal to
 * ob_model_create("simplecnn") at 3x224x224. The optimizer: OB_SIMPLECNN_ADAM_FLOPS and
 * OB_SIMPLECNN_ADAM_BYTES per parameter. */
typedef struct ob_simplecnn_counts {
  double params;
  double forward_flops, backward_flops, optimizer_flops;
  double optimizer_bytes;
} ob_simplecnn_counts;
void ob_simplecnn_count(const ob_simplecnn_dims *d, ob_simplecnn_counts *out);

/* PyTorch's default initialisation, reproducibly: every element of tensor t is uniform in
 * [-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform_ with a = sqrt(5) for the weights, the
 * same bound for the biases; fan_in = in_c * 9 for the conv, features for the fc), drawn
 * from Philox4x32-10 keyed by seed and counted by (tensor, element). Writes
 * ob_simplecnn_tensor_elems values to out. */
void ob_simplecnn_init_tensor(const ob_simplecnn_dims *d, uint64_t seed, ob_simplecnn_tensor t,
                              float *out);

typedef struct ob_simplecnn_config {
  ob_simplecnn_dims dims;
  uint64_t seed;          /* parameter initialisation */
  double lr;              /* Adam learning rate (betas 0.9/0.999, eps 1e-8, no weight decay) */
  /* How the conv plans and the optimizer choose their configurations (not copied: must
   * outlive ob_simplecnn_create); NULL: ob_tune_settings_current(). */
  const ob_tune_settings *tune;
} ob_simplecnn_config;

/* The seed's model (ob_simplecnn_dims_default), seed 0, lr 1e-3, the process's tuning
 * settings. */
void ob_simplecnn_config_init(ob_simplecnn_config *c);

typedef struct ob_simplecnn ob_simplecnn;

/* Creates the model on dev: checks the dimensions, allocates parameters (initialised from
 * the seed), gradients, activations and the optimizer, makes the conv plans (their
 * configurations selected per cfg->tune, see models/conv/conv_tune.h: tuned on first use per
 * device and shape) and builds the kernels. The input is
 * all zeros with labels 0 until ob_simplecnn_set_input. Errors: OB_ERR_INVALID (dims, lr),
 * OB_ERR_TOO_LARGE (allocation, the batch's dlogits above the local memory),
 * OB_ERR_BUILD / OB_ERR_CL, OB_ERR_UNSUPPORTED (a work-group the device cannot run).
 * *out is owned by the caller: ob_simplecnn_destroy. */
ob_status ob_simplecnn_create(ob_device *dev, const ob_simplecnn_config *cfg,
                              ob_simplecnn **out);

/* Waits for the queue and frees everything the model owns; NULL is a no-op. */
void ob_simplecnn_destroy(ob_simplecnn *m);

/* The model's configuration (dims, seed, lr, conv options). */
const ob_simplecnn_config *ob_simplecnn_get_config(const ob_simplecnn *m);

/* Optimizer steps taken since creation. */
long ob_simplecnn_update_count(const ob_simplecnn *m);

/* Uploads a batch (blocking): x [batch][in_c][in_h][in_w] and labels [batch]. OB_ERR_INVALID
 * when a label is outside [0, classes) (nothing is uploaded then). */
ob_status ob_simplecnn_set_input(ob_simplecnn *m, const float *x, const int32_t *labels);

/* Enqueues the forward pass and the loss: logits, the mean cross-entropy, dlogits and the fc
 * bias gradient. Does not wait. */
ob_status ob_simplecnn_forward(ob_simplecnn *m);

/* Enqueues the backward pass from the last forward's activations and dlogits: every
 * parameter's gradient. Does not wait. */
ob_status ob_simplecnn_backward(ob_simplecnn *m);

/* Enqueues one Adam step over all parameters from the current gradients. Does not wait. */
ob_status ob_simplecnn_update(ob_simplecnn *m);

/* One training step: forward, backward, update. With loss not NULL, waits for the step and
 * stores the mean loss of its forward pass (the only host round trip); else does not wait. */
ob_status ob_simplecnn_step(ob_simplecnn *m, float *loss);

/* The mean loss of the last forward pass (waits for the queue). */
ob_status ob_simplecnn_loss(ob_simplecnn *m, float *loss);

/* Reads (blocking) the logits of the last forward, [batch][classes]. */
ob_status ob_simplecnn_read_logits(ob_simplecnn *m, float *out);

/* Reads (blocking) the conv output of the last forward before its bias, [batch][features]:
 * the ReLU's input is the fp32 sum of this and conv.bias[c], and its mask is that sum > 0. */
ob_status ob_simplecnn_read_conv_output(ob_simplecnn *m, float *out);

/* Reads (blocking) a parameter tensor or its gradient (after backward) into out
 * (ob_simplecnn_tensor_elems floats). OB_ERR_INVALID for an unknown tensor. */
ob_status ob_simplecnn_read_param(ob_simplecnn *m, ob_simplecnn_tensor t, float *out);
ob_status ob_simplecnn_read_grad(ob_simplecnn *m, ob_simplecnn_tensor t, float *out);

/* Overwrites a parameter tensor (blocking); the optimizer's state is left as it is. */
ob_status ob_simplecnn_write_param(ob_simplecnn *m, ob_simplecnn_tensor t, const float *in);

typedef enum ob_simplecnn_phase {
  OB_SIMPLECNN_FORWARD = 0,
  OB_SIMPLECNN_BACKWARD,
  OB_SIMPLECNN_UPDATE,
  OB_SIMPLECNN_STEP
} ob_simplecnn_phase;

/* Kernel launches the phase enqueues (the step: the sum of the three). */
size_t ob_simplecnn_launches(const ob_simplecnn *m, ob_simplecnn_phase phase);

/* One line for logs: the conv plans' configurations, the fc split and the Adam shape;
 * valid while the model lives. */
const char *ob_simplecnn_describe(const ob_simplecnn *m);

#endif
