/* Host reference of the 2-D convolution in double precision. */
#include "conv_ref.h"

#include "gemm/gemm_ref.h"

#include <math.h>

/* splitmix64: a small, well-mixed generator whose sequence is the same everywhere. */
static uint64_t next_u64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void ob_conv_ref_fill(float *v, size_t n, uint64_t seed) {
  uint64_t st = seed;
  for (size_t i = 0; i < n; i++)
    v[i] = (float)((double)(next_u64(&st) >> 11) * (2.0 / 9007199254740992.0) - 1.0);
}

static double forward_at(const ob_conv_shape *s, const float *x, const float *w,
                         const float *bias, size_t idx) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s), Cg = s->c / s->groups;
  const int q = (int)(idx % (size_t)Q), p = (int)(idx / (size_t)Q % (size_t)P);
  const int k = (int)(idx / ((size_t)P * Q) % (size_t)s->k);
  const int n = (int)(idx / ((size_t)P * Q * s->k));
  const int g = k / (s->k / s->groups);
  double sum = bias ? bias[k] : 0.0;
  for (int c = 0; c < Cg; c++)
    for (int r = 0; r < s->r; r++) {
      const int h = p * s->stride - s->pad + r;
      if (h < 0 || h >= s->h) continue;
      for (int t = 0; t < s->s; t++) {
        const int wi = q * s->stride - s->pad + t;
        if (wi < 0 || wi >= s->w) continue;
        const size_t xi = (((size_t)n * s->c + (size_t)g * Cg + c) * s->h + h) * s->w + wi;
        const size_t fi = (((size_t)k * Cg + c) * s->r + r) * s->s + t;
        sum += (double)x[xi] * w[fi];
      }
    }
  return sum;
}

static double backward_data_at(const ob_conv_shape *s, const float *dy, const float *w,
                               size_t idx) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s);
  const int Cg = s->c / s->groups, Kg = s->k / s->groups;
  const int wi = (int)(idx % (size_t)s->w), h = (int)(idx / (size_t)s->w % (size_t)s->h);
  const int c = (int)(idx / ((size_t)s->h * s->w) % (size_t)s->c);
  const int n = (int)(idx / ((size_t)s->h * s->w * s->c));
  const int g = c / Cg, cl = c % Cg;
  double sum = 0.0;
  for (int k = g * Kg; k < (g + 1) * Kg; k++)
    for (int r = 0; r < s->r; r++) {
      const int ph = h + s->pad - r;
      if (ph < 0 || ph % s->stride || ph / s->stride >= P) continue;
      for (int t = 0; t < s->s; t++) {
        const int pw = wi + s->pad - t;
        if (pw < 0 || pw % s->stride || pw / s->stride >= Q) continue;
        const size_t yi = (((size_t)n * s->k + k) * P + ph / s->stride) * Q + pw / s->stride;
        const size_t fi = (((size_t)k * Cg + cl) * s->r + r) * s->s + t;
        sum += (double)dy[yi] * w[fi];
      }
    }
  return sum;
}

static double backward_weight_at(const ob_conv_shape *s, const float *x, const float *dy,
                                 size_t idx) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s), Cg = s->c / s->groups;
  const int t = (int)(idx % (size_t)s->s), r = (int)(idx / (size_t)s->s % (size_t)s->r);
  const int cl = (int)(idx / ((size_t)s->r * s->s) % (size_t)Cg);
  const int k = (int)(idx / ((size_t)s->r * s->s * Cg));
  const int c = k / (s->k / s->groups) * Cg + cl;
  double sum = 0.0;
  for (int n = 0; n < s->n; n++)
    for (int p = 0; p < P; p++) {
      const int h = p * s->stride - s->pad + r;
      if (h < 0 || h >= s->h) continue;
      const float *xrow = x + (((size_t)n * s->c + c) * s->h + h) * s->w;
      const float *yrow = dy + (((size_t)n * s->k + k) * P + p) * Q;
      for (int q = 0; q < Q; q++) {
        const int wi = q * s->stride - s->pad + t;
        if (wi >= 0 && wi < s->w) sum += (double)xrow[wi] * yrow[q];
      }
    }
  return sum;
}

double ob_conv_ref_at(const ob_conv_shape *s, ob_conv_pass pass, const float *in0,
                      const float *in1, const float *bias, size_t idx) {
  switch (pass) {
  case OB_CONV_FORWARD: return forward_at(s, in0, in1, bias, idx);
  case OB_CONV_BACKWARD_DATA: return backward_data_at(s, in0, in1, idx);
  case OB_CONV_BACKWARD_WEIGHT: return backward_weight_at(s, in0, in1, idx);
  }
  return NAN;
}

double ob_conv_ref_bias_grad_at(const ob_conv_shape *s, const float *dy, int k) {
  const size_t plane = (size_t)ob_conv_out_h(s) * ob_conv_out_w(s);
  double sum = 0.0;
  for (int n = 0; n < s->n; n++) {
    const float *p = dy + ((size_t)n * s->k + k) * plane;
    for (size_t i = 0; i < plane; i++) sum += p[i];
  }
  return sum;
}

double ob_conv_ref_reduction(const ob_conv_shape *s, ob_conv_pass pass) {
  const double cg = s->c / s->groups, kg = s->k / s->groups, rs = (double)s->r * s->s;
  switch (pass) {
  case OB_CONV_FORWARD: return cg * rs;
  case OB_CONV_BACKWARD_DATA: return kg * rs;
  case OB_CONV_BACKWARD_WEIGHT: return (double)s->n * ob_conv_out_h(s) * ob_conv_out_w(s);
  }
  return NAN;
}

ob_conv_arith ob_conv_arith_own(ob_conv_storage storage) {
  return storage == OB_CONV_FP16 ? OB_CONV_ARITH_FP16_STORAGE : OB_CONV_ARITH_FP32;
}

ob_conv_arith ob_conv_arith_of(const ob_conv_config *cfg, ob_conv_storage storage) {
  switch (ob_conv_algo_tile(cfg->algo)) {
  case 2: return OB_CONV_ARITH_WINOGRAD;
  case 4: return OB_CONV_ARITH_WINOGRAD4;
  }
  return ob_conv_arith_own(storage);
}

/* Over the fp32 bound, F(2x2,3x3) and F(4x4,3x3) (ob_conv_ref_bound's comment, conv_ref.h,
 * derives them). */
#define WINOGRAD_ERROR_GROWTH 9.0
#define WINOGRAD4_ERROR_GROWTH 256.0

double ob_conv_ref_bound(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_arith arith) {
  const size_t k = (size_t)ob_conv_ref_reduction(s, pass);
  switch (arith) {
  case OB_CONV_ARITH_FP32: return ob_gemm_ref_bound_fp32(k);
  case OB_CONV_ARITH_FP16_STORAGE: return ob_gemm_ref_bound_fp16_storage(k);
  case OB_CONV_ARITH_FP16: return ob_gemm_ref_bound_fp16(k);
  case OB_CONV_ARITH_WINOGRAD: return WINOGRAD_ERROR_GROWTH * ob_gemm_ref_bound_fp32(k);
  case OB_CONV_ARITH_WINOGRAD4: return WINOGRAD4_ERROR_GROWTH * ob_gemm_ref_bound_fp32(k);
  }
  return NAN;
}

static size_t output_elems(const ob_conv_shape *s, ob_conv_pass pass) {
  switch (pass) {
  case OB_CONV_FORWARD: return ob_conv_output_elems(s);
  case OB_CONV_BACKWARD_DATA: return ob_conv_input_elems(s);
  case OB_CONV_BACKWARD_WEIGHT: return ob_conv_filter_elems(s);
  }
  return 0;
}

void ob_conv_ref_compare(const ob_conv_shape *s, ob_conv_pass pass, const float *in0,
                         const float *in1, const float *bias, const float *out, double budget,
                         ob_conv_arith arith, uint64_t seed, ob_conv_check *res) {
  const size_t total = output_elems(s, pass);
  const double per = fmax(1.0, ob_conv_ref_reduction(s, pass));
  size_t want = budget / per >= (double)total ? total : (size_t)(budget / per);
  if (want < 64) want = total < 64 ? total : 64;
  const bool all = want >= total;
  uint64_t st = seed;
  double err2 = 0.0, ref2 = 0.0;
  bool finite = true;
  for (size_t i = 0; i < (all ? total : want); i++) {
    const size_t idx = all ? i : (size_t)(next_u64(&st) % total);
    const double ref = ob_conv_ref_at(s, pass, in0, in1, bias, idx);
    const double d = (double)out[idx] - ref;
    if (!isfinite(out[idx])) finite = false;
    err2 += d * d;
    ref2 += ref * ref;
  }
  res->total = total;
  res->checked = all ? total : want;
  res->bound = ob_conv_ref_bound(s, pass, arith);
  res->rel_err = ref2 > 0 ? sqrt(err2 / ref2) : sqrt(err2);
  res->ok = finite && res->rel_err <= res->bound;
}
