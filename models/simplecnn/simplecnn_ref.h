/* Host reference of SimpleCNN (models/simplecnn/simplecnn.h) in double precision: forward, mean softmax
 * cross-entropy and the gradient of every parameter, written as plain loops from the
 * definitions (no fusion, no split), to check the device model against and to check by
 * finite differences.
 *
 * Ownership: a reference owns its parameter, gradient and activation arrays; inputs are the
 * caller's (x [batch][in_c][in_h][in_w] and labels [batch], the device model's layouts).
 */
#ifndef OB_SIMPLECNN_REF_H
#define OB_SIMPLECNN_REF_H

#include "simplecnn.h"

typedef struct ob_simplecnn_ref ob_simplecnn_ref;

/* A reference for the dimensions (checked as ob_simplecnn_dims_check does), parameters zero.
 * *out is owned by the caller: ob_simplecnn_ref_destroy. */
ob_status ob_simplecnn_ref_create(const ob_simplecnn_dims *d, ob_simplecnn_ref **out);

/* Frees the reference; NULL is a no-op. */
void ob_simplecnn_ref_destroy(ob_simplecnn_ref *r);

/* Parameter tensor t (ob_simplecnn_tensor_elems doubles), owned by r: read or modify it
 * between calls (finite differences perturb it). */
double *ob_simplecnn_ref_param(ob_simplecnn_ref *r, ob_simplecnn_tensor t);

/* Copies every tensor from float arrays: params[t] holds ob_simplecnn_tensor_elems values. */
void ob_simplecnn_ref_set_params(ob_simplecnn_ref *r,
                                 const float *const params[OB_SIMPLECNN_NTENSORS]);

/* The forward pass: pre-activations a = conv(x) + bias, the ReLU mask a > 0, logits, and the
 * mean cross-entropy over the batch, which it returns. Labels must lie in [0, classes). */
double ob_simplecnn_ref_forward(ob_simplecnn_ref *r, const float *x, const int32_t *labels);

/* Takes the device's ReLU decisions where the reference's pre-activation lies within
 * rel_tie * max|a| of zero (fp32 rounding may put those on either side). The device's
 * pre-activation is the fp32 sum conv_out[n][i] + conv_b[i / plane] (see
 * ob_simplecnn_read_conv_output). Returns how many decisions differ farther from zero than
 * that: each one is a device error. Call after ob_simplecnn_ref_forward. */
size_t ob_simplecnn_ref_adopt_mask(ob_simplecnn_ref *r, const float *conv_out,
                                   const float *conv_b, double rel_tie);

/* The backward pass of the last forward (same x; the labels entered through its dlogits)
 * through its mask: every parameter's gradient of the mean loss. */
void ob_simplecnn_ref_backward(ob_simplecnn_ref *r, const float *x);

/* Results, owned by r: gradient of tensor t (after backward), logits [batch][classes] and
 * pre-activations [batch][features] (after forward). */
const double *ob_simplecnn_ref_grad(const ob_simplecnn_ref *r, ob_simplecnn_tensor t);
const double *ob_simplecnn_ref_logits(const ob_simplecnn_ref *r);
const double *ob_simplecnn_ref_preact(const ob_simplecnn_ref *r);

/* ||dev - ref||_2 / ||ref||_2 over n values (||dev - ref||_2 when ref is all zeros); infinite
 * when a device value is not finite. */
double ob_simplecnn_ref_rel_err(const float *dev, const double *ref, size_t n);

/* ---------------------------------------------------------------- checking a device model */

/* Every checked quantity's relative error must stay within this: the device sums in fp32
 * over `features` terms in the fc layer (401,408 at 3x224x224) and batch x P x Q positions in
 * the conv gradients (25,088 at batch 2), in split partial sums; observed errors are
 * 1e-7..1.5e-6 (PoCL), so the bound leaves a margin of about 70. */
#define OB_SIMPLECNN_CHECK_BOUND 1e-4
/* Pre-activations within this fraction of max|a| of zero may take either ReLU decision (the
 * device's is adopted, see ob_simplecnn_ref_adopt_mask). */
#define OB_SIMPLECNN_CHECK_TIE 1e-4

typedef enum ob_simplecnn_quantity {
  OB_SIMPLECNN_Q_PREACT = 0, /* conv output + bias: ||dev - ref|| / ||ref|| */
  OB_SIMPLECNN_Q_LOGITS,     /* likewise */
  OB_SIMPLECNN_Q_LOSS,       /* |dev - ref| / |ref| */
  OB_SIMPLECNN_Q_GRAD_CONV_W, OB_SIMPLECNN_Q_GRAD_CONV_B, OB_SIMPLECNN_Q_GRAD_FC_W,
  OB_SIMPLECNN_Q_GRAD_FC_B,  /* the gradients: ||dev - ref|| / ||ref|| */
  OB_SIMPLECNN_Q_UPDATE,     /* after the Adam step: max over parameters of
                                max(0, |p_dev - p_ref| - ulp(p_ref)) / lr, i.e. the error
                                beyond the parameter's fp32 rounding in units of the step
                                size; p_ref from the host Adam (models/adam/adam_ref.h) applied to
                                the device's gradients */
  OB_SIMPLECNN_NQ
} ob_simplecnn_quantity;

/* "preact", "logits", "loss", "grad_conv_w", "grad_conv_b", "grad_fc_w", "grad_fc_b",
 * "update". */
const char *ob_simplecnn_quantity_name(ob_simplecnn_quantity q);

typedef struct ob_simplecnn_check {
  double err[OB_SIMPLECNN_NQ]; /* NAN where not checked; INFINITY for a non-finite value */
  double max_err;              /* over the checked quantities */
  ob_simplecnn_quantity worst;
  size_t mask_differ;          /* ReLU decisions that differ beyond the tie */
  bool ok;                     /* max_err <= OB_SIMPLECNN_CHECK_BOUND and no mask_differ */
} ob_simplecnn_check;

/* Sets m's input to (x, labels), runs one training step on the device, reading the
 * parameters before, the conv output, logits and loss after the forward, the gradients and
 * the parameters after the update, and compares every quantity with the reference (the
 * update with one host Adam step from zero state: m must not have stepped before, else
 * OB_ERR_INVALID). Host cost: one reference forward and backward at m's batch. */
ob_status ob_simplecnn_check_step(ob_simplecnn *m, const float *x, const int32_t *labels,
                                  ob_simplecnn_check *out);

/* Sets m's input to (x, labels), runs the forward pass and compares the logits of the first
 * `images` images (1 <= images <= batch) with the reference from m's current parameters
 * (the logits of an image do not depend on the others). */
ob_status ob_simplecnn_check_forward(ob_simplecnn *m, const float *x, const int32_t *labels,
                                     int images, ob_simplecnn_check *out);

#endif
