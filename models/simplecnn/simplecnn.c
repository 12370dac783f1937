/* SimpleCNN on the device: dimensions and counts, the seeded initialisation, buffers, conv
 * plans, own kernels (cl_kernels/simplecnn.cl) and the fused Adam optimizer. */
#include "simplecnn.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam/adam_tune.h"
#include "conv/conv_tune.h"
#include "philox.h"
#include "zoo/zoo.h"

/* Work-group sizes: the largest power of two up to these that the device allows. */
#define WG_MAX 256
#define LOSS_WG_MAX 1024
/* fc_forward: images per work-item (each block of images rereads the fc weights). */
#define NB 8
/* fc_forward work-groups aimed at per compute unit. */
#define GROUPS_PER_CU 2
/* fc_forward's local reduction buffer per work-item (cl_kernels/simplecnn.cl RED_PITCH). */
#define RED_PITCH 17
#define MAX_DIM (1 << 16)

const char *ob_simplecnn_tensor_name(ob_simplecnn_tensor t) {
  static const char *const names[] = {"conv.weight", "conv.bias", "fc.weight", "fc.bias"};
  return (unsigned)t < OB_SIMPLECNN_NTENSORS ? names[t] : "unknown";
}

void ob_simplecnn_dims_default(ob_simplecnn_dims *d) {
  *d = (ob_simplecnn_dims){.batch = 32, .in_c = 3, .in_h = 224, .in_w = 224, .channels = 32,
                           .classes = 10};
}

int ob_simplecnn_out_h(const ob_simplecnn_dims *d) {
  return (d->in_h + 2 * OB_SIMPLECNN_PAD - OB_SIMPLECNN_KERNEL) / OB_SIMPLECNN_STRIDE + 1;
}

int ob_simplecnn_out_w(const ob_simplecnn_dims *d) {
  return (d->in_w + 2 * OB_SIMPLECNN_PAD - OB_SIMPLECNN_KERNEL) / OB_SIMPLECNN_STRIDE + 1;
}

size_t ob_simplecnn_features(const ob_simplecnn_dims *d) {
  return (size_t)d->channels * (size_t)ob_simplecnn_out_h(d) * (size_t)ob_simplecnn_out_w(d);
}

size_t ob_simplecnn_tensor_elems(const ob_simplecnn_dims *d, ob_simplecnn_tensor t) {
  switch (t) {
  case OB_SIMPLECNN_CONV_W:
    return (size_t)d->channels * d->in_c * OB_SIMPLECNN_KERNEL * OB_SIMPLECNN_KERNEL;
  case OB_SIMPLECNN_CONV_B: return (size_t)d->channels;
  case OB_SIMPLECNN_FC_W: return (size_t)d->classes * ob_simplecnn_features(d);
  case OB_SIMPLECNN_FC_B: return (size_t)d->classes;
  case OB_SIMPLECNN_NTENSORS: break;
  }
  return 0;
}

ob_status ob_simplecnn_dims_check(const ob_simplecnn_dims *d) {
  const struct { const char *name; int v; } dims[] = {
      {"batch", d->batch}, {"in_c", d->in_c}, {"in_h", d->in_h}, {"in_w", d->in_w},
      {"channels", d->channels}, {"classes", d->classes}};
  for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
    if (dims[i].v < 1 || dims[i].v > MAX_DIM)
      return ob_fail(OB_ERR_INVALID, "simplecnn: %s=%d is outside [1, %d]", dims[i].name,
                     dims[i].v, MAX_DIM);
  const double limit = (double)INT_MAX;
  const double features = (double)d->channels * ob_simplecnn_out_h(d) * ob_simplecnn_out_w(d);
  const double sizes[] = {(double)d->batch * d->in_c * d->in_h * d->in_w,
                          (double)d->batch * features, (double)d->classes * features};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    if (sizes[i] >= limit)
      return ob_fail(OB_ERR_TOO_LARGE, "simplecnn: batch %d, input %dx%dx%d, %d channels, %d "
                     "classes: a tensor reaches 2^31 elements", d->batch, d->in_c, d->in_h,
                     d->in_w, d->channels, d->classes);
  return OB_OK;
}

void ob_simplecnn_count(const ob_simplecnn_dims *d, ob_simplecnn_counts *out) {
  const double plane = (double)ob_simplecnn_out_h(d) * ob_simplecnn_out_w(d);
  const double features = d->channels * plane, b = d->batch;
  const double conv_macs =
      plane * OB_SIMPLECNN_KERNEL * OB_SIMPLECNN_KERNEL * (double)d->in_c * d->channels;
  const double conv = 2.0 * conv_macs + features; /* + bias */
  const double relu = features;
  const double fc = 2.0 * features * d->classes;
  memset(out, 0, sizeof *out);
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    out->params += (double)ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t);
  out->forward_flops = b * (conv + relu + fc);
  out->backward_flops = OB_ZOO_BACKWARD_FACTOR * out->forward_flops;
  out->optimizer_flops = OB_SIMPLECNN_ADAM_FLOPS * out->params;
  out->optimizer_bytes = OB_SIMPLECNN_ADAM_BYTES * out->params;
}

void ob_simplecnn_init_tensor(const ob_simplecnn_dims *d, uint64_t seed, ob_simplecnn_tensor t,
                              float *out) {
  const double fan_in = t <= OB_SIMPLECNN_CONV_B
                            ? (double)d->in_c * OB_SIMPLECNN_KERNEL * OB_SIMPLECNN_KERNEL
                            : (double)ob_simplecnn_features(d);
  const double bound = 1.0 / sqrt(fan_in);
  const size_t n = ob_simplecnn_tensor_elems(d, t);
  for (size_t i = 0; i < n; i++) {
    const uint32_t ctr[4] = {(uint32_t)i, (uint32_t)((uint64_t)i >> 32), (uint32_t)t, 0};
    uint32_t r[4];
    ob_philox4x32_10(ctr, (uint32_t)seed, (uint32_t)(seed >> 32), r);
    const double u = (double)(r[0] >> 8) * 0x1p-24; /* [0, 1) */
    out[i] = (float)(bound * (2.0 * u - 1.0));
  }
}

void ob_simplecnn_config_init(ob_simplecnn_config *c) {
  memset(c, 0, sizeof *c);
  ob_simplecnn_dims_default(&c->dims);
  c->seed = 0;
  c->lr = 1e-3;
}

/* ---------------------------------------------------------------- the model */

enum { K_FC_FORWARD, K_LOSS, K_FC_BACKWARD, K_CONV_FINISH, NKERNELS };

struct ob_simplecnn {
  ob_device *dev;
  ob_simplecnn_config cfg;
  ob_simplecnn_dims d;
  int plane;                        /* P Q */
  int features;                     /* channels P Q */
  size_t off[OB_SIMPLECNN_NTENSORS], count[OB_SIMPLECNN_NTENSORS];
  size_t flat;                      /* elements of the flat parameter and gradient buffers */
  cl_mem params, grads;
  cl_mem x, labels, y, dz, colsum, wimg, partial, logits, dlogits, loss;
  ob_conv_plan *conv_fwd, *conv_wgrad;
  char conv_config[2][192]; /* the plans' configurations and how they were chosen */
  ob_adam *adam;
  cl_kernel k[NKERNELS];
  size_t wg, loss_wg;
  int blocks, chunk, nchunks;
  char describe[768];
};

static size_t pow2_floor(size_t v) {
  size_t p = 1;
  while (p * 2 <= v) p *= 2;
  return p;
}

static ob_status alloc(ob_simplecnn *m, size_t elems, cl_mem *out) {
  return ob_buffer_create(m->dev, CL_MEM_READ_WRITE, elems * sizeof(float), NULL, out);
}

static ob_status zero_fill(ob_simplecnn *m, cl_mem buf, size_t elems) {
  const cl_float zero = 0.0f;
  return ob_buffer_fill(m->dev, buf, &zero, sizeof zero, elems * sizeof(float));
}

static ob_status make_buffers(ob_simplecnn *m) {
  const ob_simplecnn_dims *d = &m->d;
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++)
    m->count[t] = ob_simplecnn_tensor_elems(d, (ob_simplecnn_tensor)t);
  m->flat = ob_adam_layout(m->count, OB_SIMPLECNN_NTENSORS, 0, m->off);
  const size_t nx = (size_t)d->batch * d->in_c * d->in_h * d->in_w;
  const size_t ny = (size_t)d->batch * (size_t)m->features;
  const size_t nlogits = (size_t)d->batch * d->classes;
  OB_TRY(alloc(m, m->flat, &m->params));
  OB_TRY(alloc(m, m->flat, &m->grads));
  OB_TRY(alloc(m, nx, &m->x));
  OB_TRY(ob_buffer_create(m->dev, CL_MEM_READ_ONLY, (size_t)d->batch * sizeof(cl_int), NULL,
                          &m->labels));
  OB_TRY(alloc(m, ny, &m->y));
  OB_TRY(alloc(m, ny, &m->dz));
  OB_TRY(alloc(m, (size_t)m->features, &m->colsum));
  OB_TRY(alloc(m, (size_t)d->batch * m->count[OB_SIMPLECNN_CONV_W], &m->wimg));
  OB_TRY(alloc(m, (size_t)m->nchunks * nlogits, &m->partial));
  OB_TRY(alloc(m, nlogits, &m->logits));
  OB_TRY(alloc(m, nlogits, &m->dlogits));
  OB_TRY(alloc(m, 1, &m->loss));
  /* Defined contents everywhere: the alignment gaps of the flat buffers, an input of zeros. */
  OB_TRY(zero_fill(m, m->params, m->flat));
  OB_TRY(zero_fill(m, m->grads, m->flat));
  OB_TRY(zero_fill(m, m->x, nx));
  const cl_int zero = 0;
  OB_TRY(ob_buffer_fill(m->dev, m->labels, &zero, sizeof zero, (size_t)d->batch * sizeof zero));
  OB_TRY(zero_fill(m, m->loss, 1));
  for (int t = 0; t < OB_SIMPLECNN_NTENSORS; t++) {
    float *host = malloc(m->count[t] * sizeof *host);
    if (!host) return ob_fail(OB_ERR_NOMEM, "out of memory for the simplecnn parameters");
    ob_simplecnn_init_tensor(d, m->cfg.seed, (ob_simplecnn_tensor)t, host);
    ob_status st = ob_buffer_write(m->dev, m->params, m->off[t] * sizeof(float),
                                   m->count[t] * sizeof(float), host);
    free(host);
    OB_TRY(st);
  }
  return OB_OK;
}

static void choose_chunks(ob_simplecnn *m);

/* Launch shapes from the device: work-group sizes and the fc split into image blocks and
 * feature chunks (about GROUPS_PER_CU work-groups per compute unit). */
static ob_status choose_shapes(ob_simplecnn *m) {
  const ob_device_props *p = ob_device_props_get(m->dev);
  const size_t red_bytes = (size_t)RED_PITCH * sizeof(float);
  size_t wg = WG_MAX < p->max_wg ? WG_MAX : p->max_wg;
  while (wg >= 16 && wg * red_bytes > p->local_mem / 2) wg /= 2;
  m->wg = pow2_floor(wg);
  m->loss_wg = pow2_floor(LOSS_WG_MAX < p->max_wg ? LOSS_WG_MAX : p->max_wg);
  if (m->wg < 16)
    return ob_fail(OB_ERR_UNSUPPORTED, "simplecnn: the device runs work-groups of %zu "
                   "work-items with %llu bytes of local memory; the kernels need 16",
                   p->max_wg, (unsigned long long)p->local_mem);
  const size_t dl_bytes = (size_t)m->d.batch * ((size_t)(m->d.classes + 3) / 4) * 16;
  if (dl_bytes > p->local_mem / 2)
    return ob_fail(OB_ERR_TOO_LARGE, "simplecnn: batch %d x %d classes of dlogits (%zu bytes) "
                   "exceed half the local memory (%llu bytes)", m->d.batch, m->d.classes,
                   dl_bytes, (unsigned long long)p->local_mem);
  choose_chunks(m);
  return OB_OK;
}

/* The fc split into image blocks and feature chunks of whole work-groups (about
 * GROUPS_PER_CU work-groups per compute unit). */
static void choose_chunks(ob_simplecnn *m) {
  const ob_device_props *p = ob_device_props_get(m->dev);
  m->blocks = (m->d.batch + NB - 1) / NB;
  const size_t target = (size_t)GROUPS_PER_CU * (p->compute_units ? p->compute_units : 1);
  size_t groups = (target + (size_t)m->blocks - 1) / (size_t)m->blocks;
  if (groups < 1) groups = 1;
  size_t chunk = ((size_t)m->features + groups - 1) / groups;
  chunk = (chunk + m->wg - 1) / m->wg * m->wg;
  m->chunk = (int)chunk;
  m->nchunks = (int)(((size_t)m->features + chunk - 1) / chunk);
}

/* Builds the four kernels and sets their (fixed) arguments. */
static ob_status make_kernels(ob_simplecnn *m) {
  /* Denormals flushed: once the softmax saturates (a step or two on one batch), dlogits and
   * every product with them fall below 2^-126, where CPUs take a microcode assist per
   * operation (fc_backward measured 20x slower on PoCL); values that small do not matter. */
  char opts[160];
  static const char *const names[NKERNELS] = {"simplecnn_fc_forward", "simplecnn_loss",
                                              "simplecnn_fc_backward",
                                              "simplecnn_conv_grad_finish"};
  /* A compiler may allow fewer work-items per group for a kernel than the device does
   * (registers): then build again for the largest power of two that fits. */
  bool fits = false;
  for (int attempt = 0; attempt < 4 && !fits; attempt++) {
    snprintf(opts, sizeof opts,
             "-cl-denorms-are-zero -DCLASSES=%d -DWG=%zu -DLWG=%zu -DNB=%d -DBLOCKED=%d",
             m->d.classes, m->wg, m->loss_wg, NB, ob_device_is_cpu(m->dev) ? 1 : 0);
    fits = true;
    for (int i = 0; i < NKERNELS; i++) {
      if (m->k[i]) clReleaseKernel(m->k[i]);
      m->k[i] = NULL;
      OB_TRY(ob_kernel_create(m->dev, "simplecnn.cl", opts, names[i], &m->k[i]));
      size_t kmax = 0;
      OB_TRY(OB_CL(clGetKernelWorkGroupInfo(m->k[i], ob_device_id(m->dev),
                                            CL_KERNEL_WORK_GROUP_SIZE, sizeof kmax, &kmax, NULL)));
      size_t *need = i == K_LOSS ? &m->loss_wg : &m->wg;
      if (kmax >= *need) continue;
      if (pow2_floor(kmax) < 16)
        return ob_fail(OB_ERR_UNSUPPORTED, "simplecnn: %s runs at most %zu work-items per group; "
                       "it needs 16", names[i], kmax);
      *need = pow2_floor(kmax);
      fits = false;
    }
    if (!fits) choose_chunks(m);
  }
  if (!fits) return ob_fail(OB_ERR_UNSUPPORTED, "simplecnn: no work-group size fits the kernels");
  const int B = m->d.batch, F = m->features, PQ = m->plane;
  const int conv_b = (int)m->off[OB_SIMPLECNN_CONV_B], fc_w = (int)m->off[OB_SIMPLECNN_FC_W];
  const int fc_b = (int)m->off[OB_SIMPLECNN_FC_B], conv_w = (int)m->off[OB_SIMPLECNN_CONV_W];
  const int conv_w_count = (int)m->count[OB_SIMPLECNN_CONV_W];
  const ob_kernel_arg fc_forward[] = {OB_KARG(m->y),       OB_KARG(m->params), OB_KARG(conv_b),
                                      OB_KARG(fc_w),       OB_KARG(m->partial), OB_KARG(B),
                                      OB_KARG(F),          OB_KARG(PQ),        OB_KARG(m->chunk)};
  const ob_kernel_arg loss[] = {OB_KARG(m->partial), OB_KARG(m->nchunks), OB_KARG(m->params),
                                OB_KARG(fc_b),       OB_KARG(m->labels),  OB_KARG(m->logits),
                                OB_KARG(m->dlogits), OB_KARG(m->loss),    OB_KARG(m->grads),
                                OB_KARG(fc_b),       OB_KARG(B)};
  const ob_kernel_arg fc_backward[] = {
      OB_KARG(m->y),      OB_KARG(m->params), OB_KARG(conv_b), OB_KARG(fc_w),
      OB_KARG(m->dlogits), OB_KARG(m->dz),    OB_KARG(m->colsum), OB_KARG(m->grads),
      OB_KARG(fc_w),      OB_KARG(B),         OB_KARG(F),      OB_KARG(PQ),
      OB_KARG_LOCAL((size_t)B * (size_t)((m->d.classes + 3) / 4) * 16)};
  const ob_kernel_arg conv_finish[] = {OB_KARG(m->colsum), OB_KARG(PQ),     OB_KARG(m->d.channels),
                                       OB_KARG(m->wimg),   OB_KARG(conv_w_count), OB_KARG(B),
                                       OB_KARG(m->grads),  OB_KARG(conv_w), OB_KARG(conv_b)};
  OB_TRY(ob_kernel_set_args(m->k[K_FC_FORWARD], 0, fc_forward,
                            sizeof fc_forward / sizeof *fc_forward));
  OB_TRY(ob_kernel_set_args(m->k[K_LOSS], 0, loss, sizeof loss / sizeof *loss));
  OB_TRY(ob_kernel_set_args(m->k[K_FC_BACKWARD], 0, fc_backward,
                            sizeof fc_backward / sizeof *fc_backward));
  return ob_kernel_set_args(m->k[K_CONV_FINISH], 0, conv_finish,
                            sizeof conv_finish / sizeof *conv_finish);
}

/* The settings the model's configurations are selected with. */
static const ob_tune_settings *tuning(const ob_simplecnn *m) {
  return m->cfg.tune ? m->cfg.tune : ob_tune_settings_current();
}

/* The forward convolution, and the weight gradient as a grouped convolution with one group
 * per image: x [B][in_c][H][W] read as [1][B in_c][H][W] and dz [B][C][P][Q] as
 * [1][B C][P][Q] (the same memory) give the per-image gradients [B][C][in_c][3][3], which
 * conv_grad_finish sums. The plain weight gradient is one C x (in_c 9) output tile reduced
 * over B P Q positions, which only split-K can spread over a GPU; as B groups it has B times
 * the tiles and B times shorter reductions. */
static ob_status make_plans(ob_simplecnn *m) {
  const ob_simplecnn_dims *d = &m->d;
  const int K = OB_SIMPLECNN_KERNEL, S = OB_SIMPLECNN_STRIDE, P = OB_SIMPLECNN_PAD;
  const ob_conv_shape fwd = {d->batch, d->in_c, d->in_h, d->in_w, d->channels, K, K, S, P, 1};
  const ob_conv_shape wgrad = {1, d->batch * d->in_c, d->in_h, d->in_w, d->batch * d->channels,
                               K, K, S, P, d->batch};
  const ob_tune_settings *tune = tuning(m);
  ob_conv_choice fc, wc;
  OB_TRY(ob_conv_select(m->dev, tune, &fwd, OB_CONV_FORWARD, OB_CONV_FP32, &fc));
  OB_TRY(ob_conv_select(m->dev, tune, &wgrad, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32, &wc));
  snprintf(m->conv_config[0], sizeof m->conv_config[0], "%s", fc.describe);
  snprintf(m->conv_config[1], sizeof m->conv_config[1], "%s", wc.describe);
  OB_TRY(ob_conv_plan_create(m->dev, &fwd, OB_CONV_FORWARD, OB_CONV_FP32, &fc.cfg, &m->conv_fwd));
  return ob_conv_plan_create(m->dev, &wgrad, OB_CONV_BACKWARD_WEIGHT, OB_CONV_FP32, &wc.cfg,
                             &m->conv_wgrad);
}

static ob_status make_optimizer(ob_simplecnn *m) {
  ob_adam_options o;
  ob_adam_options_init(&o, false);
  o.lr = m->cfg.lr;
  ob_tune_source source;
  OB_TRY(ob_adam_select(m->dev, tuning(m), &o.tuning, &source));
  return ob_adam_create_flat(m->dev, &o, m->params, m->grads, m->off, m->count,
                             OB_SIMPLECNN_NTENSORS, &m->adam);
}

static ob_status model_init(ob_simplecnn *m) {
  OB_TRY(ob_device_open(m->dev));
  OB_TRY(choose_shapes(m));
  OB_TRY(make_buffers(m));
  OB_TRY(make_kernels(m));
  OB_TRY(make_plans(m));
  OB_TRY(make_optimizer(m));
  snprintf(m->describe, sizeof m->describe,
           "conv forward %s; conv weight grad %s; fc split %d chunks of %d features, %d images "
           "per work-item, wg %zu; adam %s",
           m->conv_config[0], m->conv_config[1], m->nchunks,
           m->chunk, NB, m->wg, ob_adam_describe(m->adam));
  return OB_OK;
}

ob_status ob_simplecnn_create(ob_device *dev, const ob_simplecnn_config *cfg,
                              ob_simplecnn **out) {
  *out = NULL;
  OB_TRY(ob_simplecnn_dims_check(&cfg->dims));
  if (!(cfg->lr >= 0.0 && isfinite(cfg->lr)))
    return ob_fail(OB_ERR_INVALID, "simplecnn: invalid learning rate %g (must be >= 0)",
                   cfg->lr);
  ob_simplecnn *m = calloc(1, sizeof *m);
  if (!m) return ob_fail(OB_ERR_NOMEM, "out of memory");
  m->dev = dev;
  m->cfg = *cfg;
  m->d = cfg->dims;
  m->plane = ob_simplecnn_out_h(&m->d) * ob_simplecnn_out_w(&m->d);
  m->features = (int)ob_simplecnn_features(&m->d);
  ob_status st = model_init(m);
  if (st != OB_OK) {
    ob_simplecnn_destroy(m);
    return st;
  }
  *out = m;
  return OB_OK;
}

void ob_simplecnn_destroy(ob_simplecnn *m) {
  if (!m) return;
  if (ob_device_queue(m->dev)) clFinish(ob_device_queue(m->dev));
  ob_adam_destroy(m->adam);
  ob_conv_plan_destroy(m->conv_fwd);
  ob_conv_plan_destroy(m->conv_wgrad);
  for (int i = 0; i < NKERNELS; i++)
    if (m->k[i]) clReleaseKernel(m->k[i]);
  const cl_mem bufs[] = {m->params,  m->grads,  m->x,       m->labels, m->y,
                         m->dz,      m->colsum, m->wimg,    m->partial, m->logits,
                         m->dlogits, m->loss};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) ob_buffer_release(m->dev, bufs[i]);
  free(m);
}

const ob_simplecnn_config *ob_simplecnn_get_config(const ob_simplecnn *m) { return &m->cfg; }

long ob_simplecnn_update_count(const ob_simplecnn *m) { return ob_adam_step_count(m->adam); }

ob_status ob_simplecnn_set_input(ob_simplecnn *m, const float *x, const int32_t *labels) {
  for (int n = 0; n < m->d.batch; n++)
    if (labels[n] < 0 || labels[n] >= m->d.classes)
      return ob_fail(OB_ERR_INVALID, "simplecnn: label %d of image %d is outside [0, %d)",
                     (int)labels[n], n, m->d.classes);
  const size_t nx = (size_t)m->d.batch * m->d.in_c * m->d.in_h * m->d.in_w;
  OB_TRY(ob_buffer_write(m->dev, m->x, 0, nx * sizeof(float), x));
  return ob_buffer_write(m->dev, m->labels, 0, (size_t)m->d.batch * sizeof(int32_t), labels);
}

/* ---------------------------------------------------------------- phases */

static ob_status launch(ob_simplecnn *m, int which, cl_uint dims, const size_t *global,
                        const size_t *local, double flops, double bytes) {
  return ob_enqueue_kernel_work(m->dev, m->k[which], dims, global, local, flops, bytes, NULL);
}

ob_status ob_simplecnn_forward(ob_simplecnn *m) {
  const double B = m->d.batch, F = m->features, O = m->d.classes;
  /* conv.weight is tensor 0 of the flat layout, at offset 0: the plan reads the filters from
   * the start of the buffer it is given. */
  OB_TRY(ob_conv_forward(m->conv_fwd, m->x, m->params, NULL, m->y));
  const size_t fg[2] = {(size_t)m->blocks * m->wg, (size_t)m->nchunks};
  const size_t fl[2] = {m->wg, 1};
  OB_TRY(launch(m, K_FC_FORWARD, 2, fg, fl, 2.0 * B * F * O,
                4.0 * (B * F + O * F + (double)m->nchunks * B * O)));
  const size_t lg = m->loss_wg;
  return launch(m, K_LOSS, 1, &lg, &lg, NAN, 4.0 * ((double)m->nchunks + 3.0) * B * O);
}

ob_status ob_simplecnn_backward(ob_simplecnn *m) {
  const double B = m->d.batch, F = m->features, O = m->d.classes;
  const size_t bg = ((size_t)m->features + m->wg - 1) / m->wg * m->wg;
  OB_TRY(launch(m, K_FC_BACKWARD, 1, &bg, &m->wg, 4.0 * B * F * O,
                4.0 * (2.0 * B * F + 2.0 * O * F + F)));
  OB_TRY(ob_conv_backward_weight(m->conv_wgrad, m->x, m->dz, m->wimg, NULL));
  const size_t taps = m->count[OB_SIMPLECNN_CONV_W];
  const size_t cg = ((size_t)m->d.channels + (taps + m->wg - 1) / m->wg) * m->wg;
  return launch(m, K_CONV_FINISH, 1, &cg, &m->wg, F + B * (double)taps,
                4.0 * (F + B * (double)taps + (double)taps));
}

ob_status ob_simplecnn_update(ob_simplecnn *m) { return ob_adam_step(m->adam, NULL); }

ob_status ob_simplecnn_step(ob_simplecnn *m, float *loss) {
  OB_TRY(ob_simplecnn_forward(m));
  OB_TRY(ob_simplecnn_backward(m));
  OB_TRY(ob_simplecnn_update(m));
  return loss ? ob_simplecnn_loss(m, loss) : OB_OK;
}

ob_status ob_simplecnn_loss(ob_simplecnn *m, float *loss) {
  return ob_buffer_read(m->dev, m->loss, 0, sizeof(float), loss);
}

ob_status ob_simplecnn_read_logits(ob_simplecnn *m, float *out) {
  return ob_buffer_read(m->dev, m->logits, 0, (size_t)m->d.batch * m->d.classes * sizeof(float),
                        out);
}

ob_status ob_simplecnn_read_conv_output(ob_simplecnn *m, float *out) {
  return ob_buffer_read(m->dev, m->y, 0, (size_t)m->d.batch * m->features * sizeof(float), out);
}

static ob_status check_tensor(ob_simplecnn_tensor t) {
  if ((unsigned)t >= OB_SIMPLECNN_NTENSORS)
    return ob_fail(OB_ERR_INVALID, "simplecnn: no tensor %d", (int)t);
  return OB_OK;
}

ob_status ob_simplecnn_read_param(ob_simplecnn *m, ob_simplecnn_tensor t, float *out) {
  OB_TRY(check_tensor(t));
  return ob_buffer_read(m->dev, m->params, m->off[t] * sizeof(float),
                        m->count[t] * sizeof(float), out);
}

ob_status ob_simplecnn_read_grad(ob_simplecnn *m, ob_simplecnn_tensor t, float *out) {
  OB_TRY(check_tensor(t));
  return ob_buffer_read(m->dev, m->grads, m->off[t] * sizeof(float),
                        m->count[t] * sizeof(float), out);
}

ob_status ob_simplecnn_write_param(ob_simplecnn *m, ob_simplecnn_tensor t, const float *in) {
  OB_TRY(check_tensor(t));
  return ob_buffer_write(m->dev, m->params, m->off[t] * sizeof(float),
                         m->count[t] * sizeof(float), in);
}

/* Launches of one conv pass: the GEMM, plus the split-K reduction when it splits. */
static size_t conv_launches(const ob_conv_plan *p) {
  return 1 + (ob_conv_plan_config(p)->split > 1 ? 1 : 0);
}

size_t ob_simplecnn_launches(const ob_simplecnn *m, ob_simplecnn_phase phase) {
  const size_t fwd = conv_launches(m->conv_fwd) + 2;
  const size_t bwd = 2 + conv_launches(m->conv_wgrad);
  const size_t upd = ob_adam_launches_per_step(m->adam);
  switch (phase) {
  case OB_SIMPLECNN_FORWARD: return fwd;
  case OB_SIMPLECNN_BACKWARD: return bwd;
  case OB_SIMPLECNN_UPDATE: return upd;
  case OB_SIMPLECNN_STEP: return fwd + bwd + upd;
  }
  return 0;
}

const char *ob_simplecnn_describe(const ob_simplecnn *m) { return m->describe; }
