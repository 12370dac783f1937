/* Own 2-D convolution: shapes, storage types and tensors. Plans: conv_plan.c. */
#include "conv.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gemm/gemm_ref.h" /* ob_half_from_float, ob_half_to_float */

/* No single dimension above this: sums of a few of them stay far from int overflow. */
#define OB_CONV_MAX_DIM (1 << 24)

const char *ob_conv_pass_name(ob_conv_pass pass) {
  switch (pass) {
  case OB_CONV_FORWARD: return "forward";
  case OB_CONV_BACKWARD_DATA: return "backward_data";
  case OB_CONV_BACKWARD_WEIGHT: return "backward_weight";
  }
  return "unknown";
}

const char *ob_conv_storage_name(ob_conv_storage storage) {
  return storage == OB_CONV_FP16 ? "fp16" : "fp32";
}

size_t ob_conv_storage_bytes(ob_conv_storage storage) {
  return storage == OB_CONV_FP16 ? 2 : sizeof(float);
}

ob_status ob_conv_tensor_create(ob_device *dev, ob_conv_storage storage, cl_mem_flags flags,
                                float *host, size_t n, cl_mem *out) {
  *out = NULL;
  cl_mem buf = NULL;
  const size_t bytes = n * ob_conv_storage_bytes(storage);
  OB_TRY(ob_buffer_create(dev, flags, bytes, NULL, &buf));
  ob_status st = OB_OK;
  if (host && storage == OB_CONV_FP16) {
    uint16_t *h = malloc(n * sizeof *h);
    if (!h) st = ob_fail(OB_ERR_NOMEM, "out of memory for a half tensor");
    for (size_t i = 0; st == OB_OK && i < n; i++) {
      h[i] = ob_half_from_float(host[i]);
      host[i] = ob_half_to_float(h[i]);
    }
    if (st == OB_OK) st = ob_buffer_write(dev, buf, 0, bytes, h);
    free(h);
  } else if (host) {
    st = ob_buffer_write(dev, buf, 0, bytes, host);
  }
  if (st != OB_OK) {
    ob_buffer_release(dev, buf);
    return st;
  }
  *out = buf;
  return OB_OK;
}

ob_status ob_conv_tensor_read(ob_device *dev, ob_conv_storage storage, cl_mem buf, size_t n,
                              float *out) {
  if (storage != OB_CONV_FP16) return ob_buffer_read(dev, buf, 0, n * sizeof(float), out);
  uint16_t *h = malloc(n * sizeof *h);
  if (!h) return ob_fail(OB_ERR_NOMEM, "out of memory for a half tensor");
  ob_status st = ob_buffer_read(dev, buf, 0, n * sizeof *h, h);
  for (size_t i = 0; st == OB_OK && i < n; i++) out[i] = ob_half_to_float(h[i]);
  free(h);
  return st;
}

int ob_conv_out_h(const ob_conv_shape *s) { return (s->h + 2 * s->pad - s->r) / s->stride + 1; }
int ob_conv_out_w(const ob_conv_shape *s) { return (s->w + 2 * s->pad - s->s) / s->stride + 1; }

size_t ob_conv_input_elems(const ob_conv_shape *s) {
  return (size_t)s->n * s->c * s->h * s->w;
}
size_t ob_conv_filter_elems(const ob_conv_shape *s) {
  return (size_t)s->k * (s->c / s->groups) * s->r * s->s;
}
size_t ob_conv_output_elems(const ob_conv_shape *s) {
  return (size_t)s->n * s->k * ob_conv_out_h(s) * ob_conv_out_w(s);
}

double ob_conv_macs(const ob_conv_shape *s) {
  return (double)s->n * ob_conv_out_h(s) * ob_conv_out_w(s) * s->k * (s->c / s->groups) * s->r *
         s->s;
}

ob_status ob_conv_shape_check(const ob_conv_shape *s) {
  const struct { const char *name; int v; } dims[] = {
      {"n", s->n}, {"c", s->c}, {"h", s->h}, {"w", s->w}, {"k", s->k},
      {"r", s->r}, {"s", s->s}, {"stride", s->stride}, {"groups", s->groups}};
  for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
    if (dims[i].v < 1)
      return ob_fail(OB_ERR_INVALID, "conv shape: %s=%d must be at least 1", dims[i].name,
                     dims[i].v);
  for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
    if (dims[i].v > OB_CONV_MAX_DIM)
      return ob_fail(OB_ERR_INVALID, "conv shape: %s=%d is above %d", dims[i].name, dims[i].v,
                     OB_CONV_MAX_DIM);
  if (s->pad < 0 || s->pad > OB_CONV_MAX_DIM)
    return ob_fail(OB_ERR_INVALID, "conv shape: pad=%d is outside [0, %d]", s->pad,
                   OB_CONV_MAX_DIM);
  if (s->c % s->groups || s->k % s->groups)
    return ob_fail(OB_ERR_INVALID, "conv shape: c=%d and k=%d must be multiples of groups=%d",
                   s->c, s->k, s->groups);
  if ((long long)s->h + 2LL * s->pad < s->r || (long long)s->w + 2LL * s->pad < s->s)
    return ob_fail(OB_ERR_INVALID, "conv shape: a %dx%d kernel does not fit a %dx%d input "
                   "with pad %d", s->r, s->s, s->h, s->w, s->pad);
  /* Every index the kernels form is an int: the tensors bound the reduction and column
   * ranges too (n p q and n h w are at most the output and input sizes). */
  const double cg = (double)s->c / s->groups;
  const double sizes[] = {(double)s->n * s->c * s->h * s->w, (double)s->k * cg * s->r * s->s,
                          (double)s->n * s->k * ob_conv_out_h(s) * ob_conv_out_w(s)};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    if (sizes[i] > (double)(INT_MAX - 4 * OB_CONV_COL_PAD))
      return ob_fail(OB_ERR_TOO_LARGE, "conv shape: a tensor reaches 2^31 elements (the "
                     "kernels index with 32-bit integers)");
  return OB_OK;
}
