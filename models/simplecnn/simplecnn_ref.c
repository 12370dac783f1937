/* SimpleCNN host reference in double precision. */
#include "simplecnn_ref.h"

#include <math.h>

#include "adam/adam_ref.h"
#include <stdlib.h>
#include <string.h>

struct ob_simplecnn_ref {
  ob_simplecnn_dims d;
  int P, Q, plane;
  size_t features;
  double *param[OB_SIMPLECNN_NTENSORS], *grad[OB_SIMPLECNN_NTENSORS];
  double *pre;            /* [batch][features] */
  unsigned char *mask;    /* [batch][features] */
  double *logits, *dlogits; /* [batch][classes] */
};

ob_status ob_simplecnn_ref_create(const ob_simplecnn_dims *d, ob_simplecnn_ref **out) {
  *out = NULL;
  OB_TRY(ob_simplecnn_dims_check(d));
  ob_simplecnn_ref *r = calloc(1, sizeof *r);
  if (!r) return ob_fail(OB_ERR_NOMEM, "out of memory");
  r->d = *d;
  r->P = ob_simplecnn_out_h(d);
  r->Q = ob_simplecnn_out_w(d);
  r->plane = r->P * r->Q;
  r->features = ob_simplecnn_features(d);
  bool ok = true;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const size_t n = ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t);
    r->param[t] = calloc(n, sizeof(double));
    r->grad[t] = calloc(n, sizeof(double));
    ok = ok && r->param[t] && r->grad[t];
  }
  const size_t act = (size_t)d->batch * r->features, nl = (size_t)d->batch * d->classes;
  r->pre = malloc(act * sizeof *r->pre);
  r->mask = malloc(act);
  r->logits = malloc(nl * sizeof *r->logits);
  r->dlogits = malloc(nl * sizeof *r->dlogits);
  if (!ok || !r->pre || !r->mask || !r->logits || !r->dlogits) {
    ob_simplecnn_ref_destroy(r);
    return ob_fail(OB_ERR_NOMEM, "out of memory for the simplecnn reference");
  }
  *out = r;
  return OB_OK;
}

void ob_simplecnn_ref_destroy(ob_simplecnn_ref *r) {
  if (!r) return;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    free(r->param[t]);
    free(r->grad[t]);
  }
  free(r->pre);
  free(r->mask);
  free(r->logits);
  free(r->dlogits);
  free(r);
}

double *ob_simplecnn_ref_param(ob_simplecnn_ref *r, ob_simplecnn_tensor t) { return r->param[t]; }

void ob_simplecnn_ref_set_params(ob_simplecnn_ref *r,
                                 const float *const params[OB_SIMPLECNN_NTENSORS]) {
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const size_t n = ob_simplecnn_tensor_elems(&r->d, (ob_simplecnn_tensor)t);
    for (size_t i = 0; i < n; i++) r->param[t][i] = params[t][i];
  }
}

/* x[n][ci][h][w] of the padded input: 0 outside the image. */
static double input_at(const ob_simplecnn_ref *r, const float *x, int n, int ci, int h, int w) {
  const ob_simplecnn_dims *d = &r->d;
  if (h < 0 || h >= d->in_h || w < 0 || w >= d->in_w) return 0.0;
  return x[(((size_t)n * d->in_c + ci) * d->in_h + h) * d->in_w + w];
}

/* The input row (column) that tap i of output row (column) p reads. */
static int tap_pos(int p, int i) { return p * OB_SIMPLECNN_STRIDE - OB_SIMPLECNN_PAD + i; }

double ob_simplecnn_ref_forward(ob_simplecnn_ref *r, const float *x, const int32_t *labels) {
  const ob_simplecnn_dims *d = &r->d;
  const int K = OB_SIMPLECNN_KERNEL, O = d->classes;
  const double *w = r->param[OB_SIMPLECNN_CONV_W], *b = r->param[OB_SIMPLECNN_CONV_B];
  const double *fw = r->param[OB_SIMPLECNN_FC_W], *fb = r->param[OB_SIMPLECNN_FC_B];
  double loss = 0.0;
  for (int n = 0; n < d->batch; n++) {
    double *pre = r->pre + (size_t)n * r->features;
    for (int c = 0; c < d->channels; c++)
      for (int p = 0; p < r->P; p++)
        for (int q = 0; q < r->Q; q++) {
          double s = b[c];
          for (int ci = 0; ci < d->in_c; ci++)
            for (int i = 0; i < K; i++)
              for (int j = 0; j < K; j++)
                s += w[((c * d->in_c + ci) * K + i) * K + j] *
                     input_at(r, x, n, ci, tap_pos(p, i), tap_pos(q, j));
          const size_t f = (size_t)c * r->plane + (size_t)p * r->Q + q;
          pre[f] = s;
          r->mask[(size_t)n * r->features + f] = s > 0.0;
        }
    double *l = r->logits + (size_t)n * O;
    for (int o = 0; o < O; o++) {
      double s = fb[o];
      const double *row = fw + (size_t)o * r->features;
      for (size_t f = 0; f < r->features; f++) s += row[f] * (pre[f] > 0.0 ? pre[f] : 0.0);
      l[o] = s;
    }
    double m = l[0], se = 0.0;
    for (int o = 1; o < O; o++) m = fmax(m, l[o]);
    for (int o = 0; o < O; o++) se += exp(l[o] - m);
    loss += m + log(se) - l[labels[n]];
    for (int o = 0; o < O; o++)
      r->dlogits[(size_t)n * O + o] =
          (exp(l[o] - m) / se - (o == labels[n] ? 1.0 : 0.0)) / d->batch;
  }
  return loss / d->batch;
}

size_t ob_simplecnn_ref_adopt_mask(ob_simplecnn_ref *r, const float *conv_out,
                                   const float *conv_b, double rel_tie) {
  const size_t total = (size_t)r->d.batch * r->features;
  double amax = 0.0;
  for (size_t i = 0; i < total; i++) amax = fmax(amax, fabs(r->pre[i]));
  const double tie = rel_tie * amax;
  size_t differ = 0;
  for (size_t i = 0; i < total; i++) {
    const float a = conv_out[i] + conv_b[(i % r->features) / (size_t)r->plane];
    const unsigned char dev = a > 0.0f;
    if (dev == r->mask[i]) continue;
    if (fabs(r->pre[i]) <= tie)
      r->mask[i] = dev;
    else
      differ++;
  }
  return differ;
}

void ob_simplecnn_ref_backward(ob_simplecnn_ref *r, const float *x) {
  const ob_simplecnn_dims *d = &r->d;
  const int K = OB_SIMPLECNN_KERNEL, O = d->classes;
  const double *fw = r->param[OB_SIMPLECNN_FC_W];
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    memset(r->grad[t], 0,
           ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t) * sizeof(double));
  double *gw = r->grad[OB_SIMPLECNN_CONV_W], *gb = r->grad[OB_SIMPLECNN_CONV_B];
  double *gfw = r->grad[OB_SIMPLECNN_FC_W], *gfb = r->grad[OB_SIMPLECNN_FC_B];
  for (int n = 0; n < d->batch; n++) {
    const double *dl = r->dlogits + (size_t)n * O;
    const double *pre = r->pre + (size_t)n * r->features;
    const unsigned char *mask = r->mask + (size_t)n * r->features;
    for (int o = 0; o < O; o++) {
      gfb[o] += dl[o];
      double *row = gfw + (size_t)o * r->features;
      for (size_t f = 0; f < r->features; f++) row[f] += dl[o] * (mask[f] ? pre[f] : 0.0);
    }
    for (int c = 0; c < d->channels; c++)
      for (int p = 0; p < r->P; p++)
        for (int q = 0; q < r->Q; q++) {
          const size_t f = (size_t)c * r->plane + (size_t)p * r->Q + q;
          if (!mask[f]) continue;
          double dz = 0.0;
          for (int o = 0; o < O; o++) dz += dl[o] * fw[(size_t)o * r->features + f];
          gb[c] += dz;
          for (int ci = 0; ci < d->in_c; ci++)
            for (int i = 0; i < K; i++)
              for (int j = 0; j < K; j++)
                gw[((c * d->in_c + ci) * K + i) * K + j] +=
                    dz * input_at(r, x, n, ci, tap_pos(p, i), tap_pos(q, j));
        }
  }
}

const double *ob_simplecnn_ref_grad(const ob_simplecnn_ref *r, ob_simplecnn_tensor t) {
  return r->grad[t];
}
const double *ob_simplecnn_ref_logits(const ob_simplecnn_ref *r) { return r->logits; }
const double *ob_simplecnn_ref_preact(const ob_simplecnn_ref *r) { return r->pre; }

double ob_simplecnn_ref_rel_err(const float *dev, const double *ref, size_t n) {
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(dev[i])) return INFINITY;
    const double e = (double)dev[i] - ref[i];
    diff += e * e;
    norm += ref[i] * ref[i];
  }
  return norm > 0.0 ? sqrt(diff / norm) : sqrt(diff);
}

/* ---------------------------------------------------------------- checking a device model */

const char *ob_simplecnn_quantity_name(ob_simplecnn_quantity q) {
  static const char *const names[] = {"preact",      "logits",      "loss",
                                      "grad_conv_w", "grad_conv_b", "grad_fc_w",
                                      "grad_fc_b",   "update"};
  return (unsigned)q < OB_SIMPLECNN_NQ ? names[q] : "unknown";
}

static void check_init(ob_simplecnn_check *c) {
  memset(c, 0, sizeof *c);
  for (int q = 0; q < OB_SIMPLECNN_NQ; q++) c->err[q] = NAN;
}

static void check_finish(ob_simplecnn_check *c) {
  c->max_err = 0.0;
  c->worst = OB_SIMPLECNN_Q_PREACT;
  for (int q = 0; q < OB_SIMPLECNN_NQ; q++) {
    if (isnan(c->err[q])) continue;
    if (c->err[q] > c->max_err || !isfinite(c->err[q])) {
      c->max_err = c->err[q];
      c->worst = (ob_simplecnn_quantity)q;
    }
  }
  c->ok = c->max_err <= OB_SIMPLECNN_CHECK_BOUND && c->mask_differ == 0;
}

/* Host copies of what the device step produced. */
typedef struct device_copy {
  float *before[OB_SIMPLECNN_NTENSORS], *after[OB_SIMPLECNN_NTENSORS];
  float *grad[OB_SIMPLECNN_NTENSORS];
  float *conv_out, *logits;
  float loss;
} device_copy;

static void copy_free(device_copy *c) {
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    free(c->before[t]);
    free(c->after[t]);
    free(c->grad[t]);
  }
  free(c->conv_out);
  free(c->logits);
}

static ob_status copy_alloc(const ob_simplecnn_dims *d, bool step, device_copy *c) {
  memset(c, 0, sizeof *c);
  bool ok = true;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const size_t n = ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t);
    c->before[t] = malloc(n * sizeof(float));
    ok = ok && c->before[t];
    if (!step) continue;
    c->after[t] = malloc(n * sizeof(float));
    c->grad[t] = malloc(n * sizeof(float));
    ok = ok && c->after[t] && c->grad[t];
  }
  c->logits = malloc((size_t)d->batch * d->classes * sizeof(float));
  if (step) c->conv_out = malloc((size_t)d->batch * ob_simplecnn_features(d) * sizeof(float));
  if (!ok || !c->logits || (step && !c->conv_out)) {
    copy_free(c);
    return ob_fail(OB_ERR_NOMEM, "out of memory for the simplecnn check");
  }
  return OB_OK;
}

static ob_status read_params(ob_simplecnn *m, float *const out[OB_SIMPLECNN_NTENSORS]) {
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    OB_TRY(ob_simplecnn_read_param(m, (ob_simplecnn_tensor)t, out[t]));
  return OB_OK;
}

/* The device side of check_step: one step with every intermediate read back. */
static ob_status device_step(ob_simplecnn *m, const float *x, const int32_t *labels,
                             device_copy *c) {
  OB_TRY(ob_simplecnn_set_input(m, x, labels));
  OB_TRY(read_params(m, c->before));
  OB_TRY(ob_simplecnn_forward(m));
  OB_TRY(ob_simplecnn_loss(m, &c->loss));
  OB_TRY(ob_simplecnn_read_conv_output(m, c->conv_out));
  OB_TRY(ob_simplecnn_read_logits(m, c->logits));
  OB_TRY(ob_simplecnn_backward(m));
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    OB_TRY(ob_simplecnn_read_grad(m, (ob_simplecnn_tensor)t, c->grad[t]));
  OB_TRY(ob_simplecnn_update(m));
  return read_params(m, c->after);
}

/* The update error over every tensor: how far the device's parameter lies from
 * adam(before, grad) beyond one fp32 ulp of it, in units of lr; one host Adam step from zero
 * state with the model's options. */
static ob_status update_error(const ob_simplecnn_config *cfg, const device_copy *c,
                              double *err) {
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.lr = cfg->lr;
  *err = 0.0;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    const size_t n = ob_simplecnn_tensor_elems(&cfg->dims, (ob_simplecnn_tensor)t);
    double *p = malloc(n * sizeof *p), *g = malloc(n * sizeof *g);
    double *mo = calloc(n, sizeof *mo), *v = calloc(n, sizeof *v);
    ob_status st = p && g && mo && v ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
    if (st == OB_OK) {
      for (size_t i = 0; i < n; i++) {
        p[i] = c->before[t][i];
        g[i] = c->grad[t][i];
      }
      ob_adam_ref_step(&o, 1, p, g, mo, v, NULL, n);
      for (size_t i = 0; i < n; i++) {
        const float pf = (float)fabs(p[i]);
        const double ulp = (double)nextafterf(pf, INFINITY) - pf;
        const double excess = fmax(0.0, fabs((double)c->after[t][i] - p[i]) - ulp);
        const double e = excess == 0.0 ? 0.0 : excess / o.lr; /* lr 0: any change is wrong */
        if (!(e <= *err)) *err = isfinite(e) ? e : INFINITY;
      }
    }
    free(p);
    free(g);
    free(mo);
    free(v);
    OB_TRY(st);
  }
  return OB_OK;
}

static double scalar_err(float dev, double ref) {
  if (!isfinite(dev)) return INFINITY;
  return ref != 0.0 ? fabs(dev - ref) / fabs(ref) : fabs((double)dev);
}

/* The reference side of check_step, compared with the device copy. */
static void compare_step(ob_simplecnn_ref *r, const float *x, const int32_t *labels,
                         const device_copy *c, ob_simplecnn_check *out) {
  const ob_simplecnn_dims *d = &r->d;
  ob_simplecnn_ref_set_params(r, (const float *const *)c->before);
  const double loss = ob_simplecnn_ref_forward(r, x, labels);
  const size_t act = (size_t)d->batch * r->features;
  float *a = malloc(act * sizeof *a);
  if (a) {
    for (size_t i = 0; i < act; i++)
      a[i] = c->conv_out[i] + c->before[OB_SIMPLECNN_CONV_B][(i % r->features) / r->plane];
    out->err[OB_SIMPLECNN_Q_PREACT] = ob_simplecnn_ref_rel_err(a, r->pre, act);
  } else {
    out->err[OB_SIMPLECNN_Q_PREACT] = INFINITY;
  }
  free(a);
  out->err[OB_SIMPLECNN_Q_LOGITS] =
      ob_simplecnn_ref_rel_err(c->logits, r->logits, (size_t)d->batch * d->classes);
  out->err[OB_SIMPLECNN_Q_LOSS] = scalar_err(c->loss, loss);
  out->mask_differ = ob_simplecnn_ref_adopt_mask(r, c->conv_out, c->before[OB_SIMPLECNN_CONV_B],
                                                 OB_SIMPLECNN_CHECK_TIE);
  ob_simplecnn_ref_backward(r, x);
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    out->err[OB_SIMPLECNN_Q_GRAD_CONV_W + t] = ob_simplecnn_ref_rel_err(
        c->grad[t], r->grad[t], ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t));
}

ob_status ob_simplecnn_check_step(ob_simplecnn *m, const float *x, const int32_t *labels,
                                  ob_simplecnn_check *out) {
  check_init(out);
  const ob_simplecnn_config *cfg = ob_simplecnn_get_config(m);
  if (ob_simplecnn_update_count(m) != 0)
    return ob_fail(OB_ERR_INVALID, "simplecnn check: the model has taken %ld optimizer steps; "
                   "the check needs a fresh one", ob_simplecnn_update_count(m));
  device_copy c;
  OB_TRY(copy_alloc(&cfg->dims, true, &c));
  ob_simplecnn_ref *r = NULL;
  ob_status st = device_step(m, x, labels, &c);
  if (st == OB_OK) st = ob_simplecnn_ref_create(&cfg->dims, &r);
  if (st == OB_OK) {
    compare_step(r, x, labels, &c, out);
    st = update_error(cfg, &c, &out->err[OB_SIMPLECNN_Q_UPDATE]);
  }
  ob_simplecnn_ref_destroy(r);
  copy_free(&c);
  OB_TRY(st);
  check_finish(out);
  return OB_OK;
}

ob_status ob_simplecnn_check_forward(ob_simplecnn *m, const float *x, const int32_t *labels,
                                     int images, ob_simplecnn_check *out) {
  check_init(out);
  const ob_simplecnn_dims *d = &ob_simplecnn_get_config(m)->dims;
  if (images < 1 || images > d->batch)
    return ob_fail(OB_ERR_INVALID, "simplecnn check: %d images of a batch of %d", images,
                   d->batch);
  ob_simplecnn_dims sub = *d;
  sub.batch = images;
  device_copy c;
  OB_TRY(copy_alloc(d, false, &c));
  ob_simplecnn_ref *r = NULL;
  ob_status st = ob_simplecnn_set_input(m, x, labels);
  if (st == OB_OK) st = ob_simplecnn_forward(m);
  if (st == OB_OK) st = ob_simplecnn_read_logits(m, c.logits);
  if (st == OB_OK) st = read_params(m, c.before);
  if (st == OB_OK) st = ob_simplecnn_ref_create(&sub, &r);
  if (st == OB_OK) {
    ob_simplecnn_ref_set_params(r, (const float *const *)c.before);
    ob_simplecnn_ref_forward(r, x, labels);
    out->err[OB_SIMPLECNN_Q_LOGITS] =
        ob_simplecnn_ref_rel_err(c.logits, r->logits, (size_t)images * d->classes);
  }
  ob_simplecnn_ref_destroy(r);
  copy_free(&c);
  OB_TRY(st);
  check_finish(out);
  return OB_OK;
}
