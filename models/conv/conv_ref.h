/* Host reference of the 2-D convolution in double precision (models/conv/conv.h layouts), and the
 * comparison of a device result with it: every element for small tensors, a random sample of
 * elements for large ones (one element of the weight gradient of a ResNet layer at batch 32
 * is a sum of 100,352 products). */
#ifndef OB_CONV_REF_H
#define OB_CONV_REF_H

#include "conv.h"

/* How a pass's result was computed: the arithmetic sets its error bound. */
typedef enum ob_conv_arith {
  OB_CONV_ARITH_FP32,         /* fp32 tensors, fp32 sums */
  OB_CONV_ARITH_FP16_STORAGE, /* half tensors, fp32 sums, each output rounded to half */
  OB_CONV_ARITH_FP16,         /* half tensors and half arithmetic (CLBlast Hconvgemm) */
  OB_CONV_ARITH_WINOGRAD,     /* fp32, Winograd F(2x2,3x3) (OB_CONV_ALGO_WINOGRAD) */
  OB_CONV_ARITH_WINOGRAD4,    /* fp32, Winograd F(4x4,3x3) (OB_CONV_ALGO_WINOGRAD4) */
} ob_conv_arith;

/* The arithmetic of the own kernels for a storage type (fp32 sums whatever the storage). */
ob_conv_arith ob_conv_arith_own(ob_conv_storage storage);

/* The arithmetic of the own kernels running a configuration's algorithm in a storage type:
 * OB_CONV_ARITH_WINOGRAD for algo=winograd, _WINOGRAD4 for algo=winograd4, else
 * ob_conv_arith_own's. */
ob_conv_arith ob_conv_arith_of(const ob_conv_config *cfg, ob_conv_storage storage);

/* One element of a pass's output, in double:
 *   forward          y[idx]  from in0 = x, in1 = w, bias (may be NULL)
 *   backward_data    dx[idx] from in0 = dy, in1 = w
 *   backward_weight  dw[idx] from in0 = x, in1 = dy
 * idx indexes the output tensor (models/conv/conv.h layouts); the shape must be valid. */
double ob_conv_ref_at(const ob_conv_shape *s, ob_conv_pass pass, const float *in0,
                      const float *in1, const float *bias, size_t idx);

/* db[k] = sum of dy over n, p, q, in double. */
double ob_conv_ref_bias_grad_at(const ob_conv_shape *s, const float *dy, int k);

/* Products summed per output element of the pass (the reduction length K). */
double ob_conv_ref_reduction(const ob_conv_shape *s, ob_conv_pass pass);

/* The accepted relative Frobenius error of a pass's output (inputs uniform in [-1, 1)), the
 * GEMM bounds (gemm_ref.h) for the pass's reduction length K:
 *   fp32          1e-5 sqrt(K): fp32 accumulation of K products.
 *   fp16 storage  2^-11 + 1e-5 sqrt(K): the device and the reference read the same half inputs
 *                 (the reference is computed from the half-rounded values), the device
 *                 accumulates in fp32 as above, and rounding each output to half (round to
 *                 nearest even) adds a relative error of at most 2^-11, the unit roundoff of
 *                 half, per element and so in the norm.
 *   fp16          2e-3 sqrt(K): the sums themselves are rounded to half.
 *   winograd      9e-5 sqrt(K), 9x the fp32 bound: F(2x2,3x3) computes each output as
 *                 A^T [sum_c (G g G^T) .* (B^T d B)] A (forward; the data gradient alike) or
 *                 G^T [sum_tiles (A dy A^T) .* (B^T d B)] G (weight gradient), every step in
 *                 fp32. Each rounding is a relative error of at most 2^-24 of an
 *                 intermediate, and every intermediate is bounded by the same expression in
 *                 absolute values (|A^T| [sum (|G||g||G^T|) .* (|B^T||d||B|)] |A|). With the
 *                 entries of the operands all of one magnitude that expression is at most 9
 *                 times the direct sum of |products|: in one dimension, forward, an output
 *                 row of A^T = [1 1 1 0; 0 1 -1 -1] collects 1 x 2 + 1.5 x 2 + 1.5 x 2 = 8
 *                 absolute weights for the direct form's 3 (G's rows sum to 1, 1.5, 1.5, 1
 *                 in absolute value, B^T's to 2), (8/3)^2 = 64/9 in two; weight gradient, a
 *                 row of G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1] collects at most
 *                 1 x 1 x 2 + .5 x 2 x 2 + .5 x 2 x 2 = 6 for the direct form's 2 (A's rows
 *                 sum to 1, 2, 2, 1), 3^2 = 9 in two. So the errors of the direct method,
 *                 which the fp32 bound covers, grow at most 9 times. The transforms' own
 *                 roundings (at most 3 additions per dimension, halvings exact) are covered
 *                 by the rest: the GEMMs reduce over 9x (forward, data) or 4x (weight) fewer
 *                 products than the direct method (3x or 2x less accumulated error than the
 *                 fp32 bound allows).
 *   winograd4     256e-5 sqrt(K), 256x the fp32 bound: F(4x4,3x3), the same expressions with
 *                 the 6x6 matrices of Lavin & Gray (points 0, 1, -1, 2, -2 and infinity):
 *                 B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0;
 *                 0 2 -1 -2 1 0; 0 4 0 -5 0 1] (absolute row sums 10 10 10 6 6 10),
 *                 G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6;
 *                 1/24 -1/12 1/6; 0 0 1] (row sums 1/4 1/2 1/2 7/24 7/24 1),
 *                 A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]. Forward,
 *                 in one dimension, output row i collects sum_e |A^T_ie| |G_e| |B^T_e| of
 *                 the per-point weights 2.5 5 5 1.75 1.75 10: at most 48 (the last row,
 *                 5 + 5 + 8 x 1.75 x 2 + 10) for the direct form's 3, 16 per dimension,
 *                 256 in two; weight gradient, a row of G^T collects at most 160/3 (the
 *                 last; A's rows sum to 1 4 4 15 15 1) for the direct form's 4, 40/3 per
 *                 dimension, 178 in two, below the forward's 256. The factor is the same
 *                 for any diagonal scaling of the matrices (it moves between the rows of G
 *                 and B^T and the columns of A^T), and the same for the points +-1/2
 *                 instead of +-2 (x -> 1/x reverses the tile: the mirror image of this set),
 *                 which measure alike (an fp32 simulation of 32-channel tiles: 1.2e-6 and
 *                 1.3e-6 relative error, F(2x2) 1.7e-7); so these, whose B^T and A^T are
 *                 integers with the sparsest rows (fewest additions). (The mixed set 0, +-1,
 *                 1/2, -2 would bound 97 and measured 7.7e-7, at denser transforms.) The
 *                 transforms' own roundings (at most 4 additions per dimension and G's
 *                 inexact 1/6, 1/12, 1/24, each a relative 2^-24) are covered as for
 *                 F(2x2): the GEMMs reduce over 9x (forward, data) or 16x (weight) fewer
 *                 products than the direct method. */
double ob_conv_ref_bound(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_arith arith);

typedef struct ob_conv_check {
  double rel_err;   /* ||out - ref|| / ||ref|| over the checked elements */
  double bound;     /* ob_conv_ref_bound for the arithmetic */
  size_t checked;   /* elements compared */
  size_t total;     /* elements of the output */
  bool ok;          /* rel_err <= bound and every value finite */
} ob_conv_check;

/* Compares out (the device's output of the pass, host copy as floats) with the reference
 * against the bound of its arithmetic: every element when the reference costs at most
 * `budget` multiply-adds, else a random sample (seeded) of as many elements as the budget
 * allows (at least 64). For fp16 the inputs must be the half-rounded values the device read
 * (ob_conv_tensor_create rounds them in place). */
void ob_conv_ref_compare(const ob_conv_shape *s, ob_conv_pass pass, const float *in0,
                         const float *in1, const float *bias, const float *out, double budget,
                         ob_conv_arith arith, uint64_t seed, ob_conv_check *res);

/* Fills v[0..n) with uniform values in [-1, 1) from a seeded generator (the same values on
 * every host). */
void ob_conv_ref_fill(float *v, size_t n, uint64_t seed);

#endif
