/* Eager Adam: one launch per tensor and elementwise operation, the way PyTorch's single-tensor
 * (for-loop) Adam dispatches them; the baseline the fused kernel (adam.cl) is compared with.
 * Each kernel touches n elements, one per work-item; a buffer argument x comes with its
 * offset xo in elements. In-place operations pass the same buffer twice, so no restrict. */

#define ELEMENT                                                                                \
  const uint i = (uint)get_global_id(0);                                                       \
  if (i >= n) return

/* dst = a * src (torch: -grad, param.mul_(1 - lr * wd), exp_avg_sq.mul_(beta2)) */
__kernel void eager_scale(__global float *dst, uint dsto, __global const float *src, uint srco,
                          float a, uint n) {
  ELEMENT;
  dst[dsto + i] = a * src[srco + i];
}

/* dst = x + alpha * y (torch: grad.add(param, alpha=weight_decay)) */
__kernel void eager_add_scaled(__global float *dst, uint dsto, __global const float *x, uint xo,
                               __global const float *y, uint yo, float alpha, uint n) {
  ELEMENT;
  dst[dsto + i] = x[xo + i] + alpha * y[yo + i];
}

/* x = lerp(x, end, w), as torch computes it for a scalar weight (exp_avg.lerp_(grad, 1-beta1)) */
__kernel void eager_lerp(__global float *x, uint xo, __global const float *end, uint endo,
                         float w, uint n) {
  ELEMENT;
  const float a = x[xo + i], b = end[endo + i];
  x[xo + i] = fabs(w) < 0.5f ? a + w * (b - a) : b - (b - a) * (1.0f - w);
}

/* x = x + value * t * t (torch: exp_avg_sq.addcmul_(grad, grad, value=1-beta2)) */
__kernel void eager_addcmul(__global float *x, uint xo, __global const float *t, uint to,
                            float value, uint n) {
  ELEMENT;
  const float ti = t[to + i];
  x[xo + i] = x[xo + i] + value * (ti * ti);
}

/* x = max(x, y) (torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)) */
__kernel void eager_maximum(__global float *x, uint xo, __global const float *y, uint yo,
                            uint n) {
  ELEMENT;
  x[xo + i] = fmax(x[xo + i], y[yo + i]);
}

/* dst = sqrt(src) */
__kernel void eager_sqrt(__global float *dst, uint dsto, __global const float *src, uint srco,
                         uint n) {
  ELEMENT;
  dst[dsto + i] = sqrt(src[srco + i]);
}

/* x = x / s (torch: denom / bias_correction2_sqrt) */
__kernel void eager_div_scalar(__global float *x, uint xo, float s, uint n) {
  ELEMENT;
  x[xo + i] = x[xo + i] / s;
}

/* x = x + s (torch: denom.add_(eps)) */
__kernel void eager_add_scalar(__global float *x, uint xo, float s, uint n) {
  ELEMENT;
  x[xo + i] = x[xo + i] + s;
}

/* x = x + value * a / b (torch: param.addcdiv_(exp_avg, denom, value=-step_size)) */
__kernel void eager_addcdiv(__global float *x, uint xo, __global const float *a, uint ao,
                            __global const float *b, uint bo, float value, uint n) {
  ELEMENT;
  x[xo + i] = x[xo + i] + value * (a[ao + i] / b[bo + i]);
}
