/* The model zoo: layer graphs of simplecnn, mlp and resnet18, shapes and calflops counting. */
#include "zoo.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char *const ob_zoo_models[] = {"simplecnn", "mlp", "resnet18", NULL};

/* No dimension beyond this: per-image counts stay far inside int64. */
#define MAX_DIM (1 << 16)

struct ob_model {
  char name[16];
  int in_c, in_h, in_w;
  ob_layer *layers;
  size_t n, cap;
  ob_model_totals totals;
  ob_status st;   /* the first error while building; later additions are no-ops */
};

const char *ob_layer_kind_name(ob_layer_kind kind) {
  static const char *const names[] = {"conv2d",  "linear",  "batchnorm", "relu",
                                      "maxpool", "avgpool", "add",       "flatten"};
  return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

int64_t ob_layer_out_elems(const ob_layer *l) { return (int64_t)l->c * l->h * l->w; }

int64_t ob_layer_flops_train(const ob_layer *l) {
  return l->flops * (1 + OB_ZOO_BACKWARD_FACTOR);
}

/* ---------------------------------------------------------------- building */

/* Shape of what layer `in` produces (the model input for OB_LAYER_FROM_INPUT). */
static void source_shape(const ob_model *m, int in, int *c, int *h, int *w) {
  if (in == OB_LAYER_FROM_INPUT) {
    *c = m->in_c, *h = m->in_h, *w = m->in_w;
  } else {
    *c = m->layers[in].c, *h = m->layers[in].h, *w = m->layers[in].w;
  }
}

/* Output size of a window of `k` taps with stride and padding over n positions (floor). */
static int window_out(int n, int k, int stride, int pad) {
  return n + 2 * pad < k ? 0 : (n + 2 * pad - k) / stride + 1;
}

/* Records that the model's counts do not fit 64 bits; returns INT64_MAX. */
static int64_t too_large(ob_model *m) {
  if (m->st == OB_OK)
    m->st = ob_fail(OB_ERR_INVALID, "%s: input %dx%dx%d: the counts exceed the 64-bit limit %lld",
                    m->name, m->in_c, m->in_h, m->in_w, (long long)INT64_MAX);
  return INT64_MAX;
}

/* a * b and a + b of non-negative counts, checked for overflow (too_large). */
static int64_t mul(ob_model *m, int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? too_large(m) : r;
}

static int64_t add(ob_model *m, int64_t a, int64_t b) {
  int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? too_large(m) : r;
}

/* Counts of layer l from its input shape, as calflops counts them (see zoo.h). */
static void count(ob_model *m, ob_layer *l) {
  int c, h, w;
  source_shape(m, l->input[0], &c, &h, &w);
  const int64_t in_elems = mul(m, mul(m, c, h), w);
  switch (l->kind) {
  case OB_LAYER_CONV2D: {
    l->c = l->out_channels;
    l->h = window_out(h, l->kernel, l->stride, l->pad);
    l->w = window_out(w, l->kernel, l->stride, l->pad);
    const int64_t taps = mul(m, (int64_t)l->kernel * l->kernel, c / l->groups);
    l->macs = mul(m, mul(m, mul(m, l->h, l->w), taps), l->c);
    l->params = add(m, mul(m, l->c, taps), l->bias ? l->c : 0);
    l->flops = add(m, mul(m, 2, l->macs), l->bias ? mul(m, mul(m, l->c, l->h), l->w) : 0);
    if (c % l->groups)
      m->st = ob_fail(OB_ERR_INVALID, "%s: %s: %d input channels are not a multiple of %d "
                      "groups", m->name, l->name, c, l->groups);
    break;
  }
  case OB_LAYER_LINEAR: /* in_features is fixed by the model: `kernel` holds it */
    l->c = l->out_channels, l->h = l->w = 1;
    l->macs = mul(m, l->kernel, l->c);
    l->params = add(m, l->macs, l->bias ? l->c : 0);
    l->flops = mul(m, 2, l->macs);
    /* a vector of in_features, along C (1024x1x1) or along W as PyTorch's last dimension
     * (1x1x1024) */
    if (in_elems != l->kernel || h != 1 || (w != 1 && c != 1))
      m->st = ob_fail(OB_ERR_INVALID, "%s: %s takes a vector of %d input features, the input "
                      "gives %dx%dx%d", m->name, l->name, l->kernel, c, h, w);
    break;
  case OB_LAYER_BATCHNORM:
    l->c = c, l->h = h, l->w = w;
    l->params = 2 * (int64_t)c;
    l->flops = mul(m, 2, in_elems);
    break;
  case OB_LAYER_RELU:
    l->c = c, l->h = h, l->w = w;
    l->flops = in_elems;
    break;
  case OB_LAYER_MAXPOOL:
    l->c = c;
    l->h = window_out(h, l->kernel, l->stride, l->pad);
    l->w = window_out(w, l->kernel, l->stride, l->pad);
    l->flops = in_elems;
    break;
  case OB_LAYER_AVGPOOL:
    l->c = c, l->h = l->w = 1;
    l->flops = in_elems;
    break;
  case OB_LAYER_ADD: {
    int c2, h2, w2;
    source_shape(m, l->input[1], &c2, &h2, &w2);
    l->c = c, l->h = h, l->w = w;
    if (c != c2 || h != h2 || w != w2)
      m->st = ob_fail(OB_ERR_INVALID, "%s: %s adds %dx%dx%d and %dx%dx%d", m->name, l->name, c,
                      h, w, c2, h2, w2);
    break;
  }
  case OB_LAYER_FLATTEN:
    if (in_elems > INT_MAX && m->st == OB_OK)
      m->st = ob_fail(OB_ERR_INVALID, "%s: input %dx%dx%d: %s would give %lld features, more "
                      "than the %d supported", m->name, m->in_c, m->in_h, m->in_w, l->name,
                      (long long)in_elems, INT_MAX);
    l->c = in_elems > INT_MAX ? INT_MAX : (int)in_elems, l->h = l->w = 1;
    break;
  }
  if (m->st == OB_OK && (l->h < 1 || l->w < 1))
    m->st = ob_fail(OB_ERR_INVALID, "%s: input %dx%dx%d is too small: %s would produce "
                    "%dx%d", m->name, m->in_c, m->in_h, m->in_w, l->name, l->h, l->w);
}

/* Appends a layer reading in0 (and in1 for add); returns its index (-1 after an error). */
static int add_layer(ob_model *m, const char *name, ob_layer_kind kind, int in0, int in1,
                     int out_channels, int kernel, int stride, int pad, bool bias) {
  if (m->st != OB_OK) return -1;
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 32;
    ob_layer *grown = realloc(m->layers, cap * sizeof *grown);
    if (!grown) {
      m->st = ob_fail(OB_ERR_NOMEM, "out of memory");
      return -1;
    }
    m->layers = grown;
    m->cap = cap;
  }
  ob_layer *l = &m->layers[m->n];
  memset(l, 0, sizeof *l);
  snprintf(l->name, sizeof l->name, "%s", name);
  l->kind = kind;
  l->input[0] = in0;
  l->input[1] = in1;
  l->ninputs = kind == OB_LAYER_ADD ? 2 : 1;
  l->out_channels = out_channels;
  l->kernel = kernel;
  l->stride = stride;
  l->pad = pad;
  l->groups = 1;
  l->bias = bias;
  count(m, l);
  return m->st == OB_OK ? (int)m->n++ : -1;
}

static int conv(ob_model *m, const char *name, int in, int cout, int k, int stride, int pad,
                bool bias) {
  return add_layer(m, name, OB_LAYER_CONV2D, in, 0, cout, k, stride, pad, bias);
}
static int linear(ob_model *m, const char *name, int in, int in_features, int out, bool bias) {
  return add_layer(m, name, OB_LAYER_LINEAR, in, 0, out, in_features, 1, 0, bias);
}
static int unary(ob_model *m, const char *name, ob_layer_kind kind, int in) {
  return add_layer(m, name, kind, in, 0, 0, 0, 1, 0, false);
}

/* The seed's SimpleCNN: Conv2d(3, 32, 3, stride 2, pad 1) + ReLU + Linear(32*112*112, 10). */
static void build_simplecnn(ob_model *m) {
  int x = conv(m, "conv", OB_LAYER_FROM_INPUT, 32, 3, 2, 1, true);
  x = unary(m, "relu", OB_LAYER_RELU, x);
  x = unary(m, "flatten", OB_LAYER_FLATTEN, x);
  linear(m, "fc", x, 32 * 112 * 112, 10, true);
}

/* The seed's MLP: 10 x Linear(1024, 1024, bias=False). */
static void build_mlp(ob_model *m) {
  int x = OB_LAYER_FROM_INPUT;
  for (int i = 0; i < 10; i++) {
    char name[8];
    snprintf(name, sizeof name, "fc%d", i);
    x = linear(m, name, x, 1024, 1024, false);
  }
}

/* "prefix.suffix" in buf. */
static const char *join(char *buf, size_t n, const char *prefix, const char *suffix) {
  snprintf(buf, n, "%s.%s", prefix, suffix);
  return buf;
}

/* torchvision's BasicBlock: conv-bn-relu-conv-bn, plus the (downsampled) shortcut, relu. */
static int basic_block(ob_model *m, const char *prefix, int in, int cout, int stride) {
  char name[40];
  const int cin = in == OB_LAYER_FROM_INPUT ? m->in_c : m->st == OB_OK ? m->layers[in].c : 0;
#define NAME(suffix) join(name, sizeof name, prefix, suffix)
  int x = conv(m, NAME("conv1"), in, cout, 3, stride, 1, false);
  x = unary(m, NAME("bn1"), OB_LAYER_BATCHNORM, x);
  x = unary(m, NAME("relu"), OB_LAYER_RELU, x);
  x = conv(m, NAME("conv2"), x, cout, 3, 1, 1, false);
  x = unary(m, NAME("bn2"), OB_LAYER_BATCHNORM, x);
  int shortcut = in;
  if (stride != 1 || cin != cout) {
    shortcut = conv(m, NAME("downsample.0"), in, cout, 1, stride, 0, false);
    shortcut = unary(m, NAME("downsample.1"), OB_LAYER_BATCHNORM, shortcut);
  }
  x = add_layer(m, NAME("add"), OB_LAYER_ADD, x, shortcut, 0, 0, 1, 0, false);
  x = unary(m, NAME("relu"), OB_LAYER_RELU, x);
#undef NAME
  return x;
}

/* torchvision's resnet18 (1000 classes). */
static void build_resnet18(ob_model *m) {
  int x = conv(m, "conv1", OB_LAYER_FROM_INPUT, 64, 7, 2, 3, false);
  x = unary(m, "bn1", OB_LAYER_BATCHNORM, x);
  x = unary(m, "relu", OB_LAYER_RELU, x);
  x = add_layer(m, "maxpool", OB_LAYER_MAXPOOL, x, 0, 0, 3, 2, 1, false);
  const int widths[4] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; stage++)
    for (int b = 0; b < 2; b++) {
      char prefix[24];
      snprintf(prefix, sizeof prefix, "layer%d.%d", stage + 1, b);
      x = basic_block(m, prefix, x, widths[stage], stage > 0 && b == 0 ? 2 : 1);
    }
  x = unary(m, "avgpool", OB_LAYER_AVGPOOL, x);
  x = unary(m, "flatten", OB_LAYER_FLATTEN, x);
  linear(m, "fc", x, 512, 1000, true);
}

ob_status ob_model_create(const char *name, int c, int h, int w, ob_model **out) {
  *out = NULL;
  static const struct {
    const char *name;
    void (*build)(ob_model *);
    int c, h, w;
  } models[] = {{"simplecnn", build_simplecnn, 3, 224, 224},
                {"mlp", build_mlp, 1024, 1, 1},
                {"resnet18", build_resnet18, 3, 224, 224}};
  size_t i = 0;
  while (i < sizeof models / sizeof *models && strcmp(models[i].name, name) != 0) i++;
  if (i == sizeof models / sizeof *models)
    return ob_fail(OB_ERR_INVALID, "unknown model '%s' (known: simplecnn, mlp, resnet18)", name);
  if (c > MAX_DIM || h > MAX_DIM || w > MAX_DIM)
    return ob_fail(OB_ERR_INVALID, "input %dx%dx%d: each dimension must be at most %d", c, h, w,
                   MAX_DIM);
  ob_model *m = calloc(1, sizeof *m);
  if (!m) return ob_fail(OB_ERR_NOMEM, "out of memory");
  snprintf(m->name, sizeof m->name, "%s", models[i].name);
  m->in_c = c > 0 ? c : models[i].c;
  m->in_h = h > 0 ? h : models[i].h;
  m->in_w = w > 0 ? w : models[i].w;
  models[i].build(m);
  for (size_t k = 0; k < m->n && m->st == OB_OK; k++) {
    const ob_layer *l = &m->layers[k];
    m->totals.params = add(m, m->totals.params, l->params);
    m->totals.macs = add(m, m->totals.macs, l->macs);
    m->totals.flops = add(m, m->totals.flops, l->flops);
    m->totals.activation_elems = add(m, m->totals.activation_elems, ob_layer_out_elems(l));
  }
  if (m->st != OB_OK) {
    ob_status st = m->st;
    ob_model_destroy(m);
    return st;
  }
  *out = m;
  return OB_OK;
}

void ob_model_destroy(ob_model *m) {
  if (!m) return;
  free(m->layers);
  free(m);
}

const char *ob_model_name(const ob_model *m) { return m->name; }

void ob_model_input(const ob_model *m, int *c, int *h, int *w) {
  *c = m->in_c, *h = m->in_h, *w = m->in_w;
}

size_t ob_model_layer_count(const ob_model *m) { return m->n; }

const ob_layer *ob_model_layer(const ob_model *m, size_t i) {
  return i < m->n ? &m->layers[i] : NULL;
}

void ob_model_totals_get(const ob_model *m, ob_model_totals *t) { *t = m->totals; }

ob_status ob_model_check_batch(const ob_model *m, int64_t batch) {
  const ob_model_totals *t = &m->totals;
  const struct {
    const char *what;
    int64_t count, factor;
    bool per_image;     /* multiplied by the batch */
  } counts[] = {{"MACs", t->macs, 1, true},
                {"forward+backward FLOPs", t->flops, 1 + OB_ZOO_BACKWARD_FACTOR, true},
                {"activation bytes", t->activation_elems, 4, true},
                {"parameter bytes", t->params, 4, false}};
  for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
    int64_t r = 0;
    const int64_t b = counts[i].per_image ? batch : 1;
    if (batch < 1 || __builtin_mul_overflow(counts[i].count, counts[i].factor, &r) ||
        __builtin_mul_overflow(r, b, &r))
      return ob_fail(OB_ERR_INVALID, "%s at input %dx%dx%d, batch %lld: %.4g %s, more than the "
                     "64-bit count limit %lld", m->name, m->in_c, m->in_h, m->in_w,
                     (long long)batch, (double)counts[i].count * (double)counts[i].factor *
                     (double)b, counts[i].what, (long long)INT64_MAX);
  }
  return OB_OK;
}
