/* Adam / AdamW optimizer: validation, state, the fused launch plan (chunk table) and the eager
 * per-operation sequence. The kernels are cl_kernels/adam.cl and cl_kernels/adam_eager.cl. */
#include "adam.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EAGER_WG 256
#define MAX_ITEMS 16
#define NSTATE 3

typedef enum eager_op {
  OP_SCALE, OP_ADD_SCALED, OP_LERP, OP_ADDCMUL, OP_MAXIMUM, OP_SQRT, OP_DIV_SCALAR,
  OP_ADD_SCALAR, OP_ADDCDIV, OP_COUNT
} eager_op;

static const char *const eager_names[OP_COUNT] = {
    "eager_scale", "eager_add_scaled", "eager_lerp",       "eager_addcmul", "eager_maximum",
    "eager_sqrt",  "eager_div_scalar", "eager_add_scalar", "eager_addcdiv"};

/* One fused launch: the tensors of one (parameter buffer, gradient buffer) pair. */
typedef struct fused_launch {
  cl_mem param, grad;
  size_t first, nchunks;
} fused_launch;

struct ob_adam {
  ob_device *dev;
  ob_adam_options opt;
  ob_adam_tensor *tensors;
  size_t *state_off;         /* per tensor, elements into the state buffers */
  size_t n, state_elems, max_count;
  size_t last_nonempty;      /* index of the last tensor with elements (n when none) */
  cl_mem state[NSTATE];      /* exp_avg, exp_avg_sq, max_exp_avg_sq (amsgrad only) */
  long step;
  char describe[64];
  /* fused */
  cl_kernel fused;
  cl_mem chunks;
  fused_launch *launches;
  size_t nlaunches, wg;
  /* eager */
  cl_kernel eager[OP_COUNT];
  size_t eager_wg[OP_COUNT];
  cl_mem scratch_grad, scratch_denom;
};

void ob_adam_options_init(ob_adam_options *o, bool adamw) {
  memset(o, 0, sizeof *o);
  o->lr = 1e-3;
  o->beta1 = 0.9;
  o->beta2 = 0.999;
  o->eps = 1e-8;
  o->weight_decay = adamw ? 1e-2 : 0.0;
  o->decoupled = adamw;
  o->impl = OB_ADAM_FUSED;
}

static bool tuning_is_auto(const ob_adam_tuning *t) {
  return t->wg == 0 && t->items == 0 && t->vec == 0;
}

ob_status ob_adam_options_check(const ob_adam_options *o) {
  if (!(o->lr >= 0.0 && isfinite(o->lr)))
    return ob_fail(OB_ERR_INVALID, "adam: invalid learning rate %g (must be >= 0)", o->lr);
  if (!(o->beta1 >= 0.0 && o->beta1 < 1.0))
    return ob_fail(OB_ERR_INVALID, "adam: invalid beta1 %g (must be in [0, 1))", o->beta1);
  if (!(o->beta2 >= 0.0 && o->beta2 < 1.0))
    return ob_fail(OB_ERR_INVALID, "adam: invalid beta2 %g (must be in [0, 1))", o->beta2);
  if (!(o->eps >= 0.0 && isfinite(o->eps)))
    return ob_fail(OB_ERR_INVALID, "adam: invalid eps %g (must be >= 0)", o->eps);
  if (!(o->weight_decay >= 0.0 && isfinite(o->weight_decay)))
    return ob_fail(OB_ERR_INVALID, "adam: invalid weight_decay %g (must be >= 0)",
                   o->weight_decay);
  if (o->impl != OB_ADAM_FUSED && o->impl != OB_ADAM_EAGER)
    return ob_fail(OB_ERR_INVALID, "adam: unknown implementation %d", (int)o->impl);
  const ob_adam_tuning *t = &o->tuning;
  if (!tuning_is_auto(t) &&
      (t->wg == 0 || t->items < 1 || t->items > MAX_ITEMS ||
       (t->vec != 1 && t->vec != 2 && t->vec != 4) ||
       (t->wg * (size_t)t->items * (size_t)t->vec) % OB_ADAM_ALIGN != 0))
    return ob_fail(OB_ERR_INVALID,
                   "adam: invalid tuning wg=%zu items=%d vec=%d (items 1..%d, vec 1|2|4, "
                   "wg*items*vec a multiple of %d)",
                   t->wg, t->items, t->vec, MAX_ITEMS, OB_ADAM_ALIGN);
  return OB_OK;
}

size_t ob_adam_layout(const size_t *counts, size_t n, size_t *offsets) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    offsets[i] = total;
    total += (counts[i] + OB_ADAM_ALIGN - 1) / OB_ADAM_ALIGN * OB_ADAM_ALIGN;
  }
  return total;
}

/* ---------------------------------------------------------------- tensor validation */

typedef struct span {
  cl_mem mem;
  size_t begin, end, tensor;
  bool param;
} span;

static int span_cmp(const void *x, const void *y) {
  const span *a = x, *b = y;
  if (a->mem != b->mem) return (uintptr_t)a->mem < (uintptr_t)b->mem ? -1 : 1;
  return (a->begin > b->begin) - (a->begin < b->begin);
}

/* Checks one buffer range of tensor i: aligned, inside the buffer, addressable by the
 * kernels' 32-bit element offsets. */
static ob_status check_range(size_t i, const char *what, cl_mem mem, size_t off, size_t count) {
  if (!mem) return ob_fail(OB_ERR_INVALID, "adam: tensor %zu: %s buffer is NULL", i, what);
  if (off % OB_ADAM_ALIGN)
    return ob_fail(OB_ERR_INVALID, "adam: tensor %zu: %s offset %zu is not a multiple of %d",
                   i, what, off, OB_ADAM_ALIGN);
  size_t bytes = 0;
  OB_TRY(OB_CL(clGetMemObjectInfo(mem, CL_MEM_SIZE, sizeof bytes, &bytes, NULL)));
  const size_t elems = bytes / sizeof(float);
  if (off > elems || count > elems - off)
    return ob_fail(OB_ERR_INVALID,
                   "adam: tensor %zu: %s range [%zu, %zu) exceeds its buffer of %zu elements", i,
                   what, off, off + count, elems);
  if (off + count > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "adam: tensor %zu: %s range ends beyond 2^32 elements", i,
                   what);
  return OB_OK;
}

/* Ranges inside their buffers, and no parameter range overlapping another range. */
static ob_status check_tensors(const ob_adam_tensor *t, size_t n) {
  span *s = malloc((2 * n + 1) * sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  size_t ns = 0;
  ob_status st = OB_OK;
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    if (t[i].count == 0) continue;
    st = check_range(i, "param", t[i].param, t[i].param_offset, t[i].count);
    if (st == OB_OK) st = check_range(i, "grad", t[i].grad, t[i].grad_offset, t[i].count);
    s[ns++] = (span){t[i].param, t[i].param_offset, t[i].param_offset + t[i].count, i, true};
    s[ns++] = (span){t[i].grad, t[i].grad_offset, t[i].grad_offset + t[i].count, i, false};
  }
  if (st == OB_OK) qsort(s, ns, sizeof *s, span_cmp);
  /* Sorted by start: a range overlaps an earlier one when that one ends after it starts. */
  const span *any = NULL, *par = NULL; /* the farthest-reaching earlier range, param range */
  for (size_t k = 0; k < ns && st == OB_OK; k++) {
    if (k > 0 && s[k].mem != s[k - 1].mem) any = par = NULL;
    const span *hit = s[k].param ? any : par;
    if (hit && hit->end > s[k].begin)
      st = ob_fail(OB_ERR_INVALID, "adam: tensors %zu and %zu overlap in a parameter buffer",
                   hit->tensor, s[k].tensor);
    if (!any || s[k].end > any->end) any = &s[k];
    if (s[k].param && (!par || s[k].end > par->end)) par = &s[k];
  }
  free(s);
  return st;
}

/* ---------------------------------------------------------------- state */

static ob_status state_zero(ob_adam *a) {
  const float zero = 0.0f;
  for (int k = 0; k < NSTATE; k++)
    if (a->state[k])
      OB_TRY(ob_buffer_fill(a->dev, a->state[k], &zero, sizeof zero,
                            a->state_elems * sizeof(float)));
  return OB_OK;
}

static ob_status state_create(ob_adam *a) {
  size_t *counts = malloc((a->n + 1) * sizeof *counts);
  if (!counts) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < a->n; i++) counts[i] = a->tensors[i].count;
  a->state_elems = ob_adam_layout(counts, a->n, a->state_off);
  free(counts);
  if (a->state_elems > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "adam: %zu state elements exceed 2^32", a->state_elems);
  const int nstate = a->opt.amsgrad ? 3 : 2;
  for (int k = 0; k < nstate && a->state_elems > 0; k++)
    OB_TRY(ob_buffer_create(a->dev, CL_MEM_READ_WRITE, a->state_elems * sizeof(float), NULL,
                            &a->state[k]));
  return state_zero(a);
}

/* ---------------------------------------------------------------- fused plan */

typedef struct plan {
  cl_uint *table; /* 4 per chunk: param, grad, state offsets in units of 4 floats; length */
  size_t nchunks, cap;
} plan;

static ob_status plan_range(plan *pl, size_t chunk, size_t p, size_t g, size_t s, size_t len) {
  for (size_t off = 0; off < len; off += chunk) {
    if (pl->nchunks == pl->cap) {
      size_t cap = pl->cap ? 2 * pl->cap : 64;
      cl_uint *grown = realloc(pl->table, cap * 4 * sizeof *grown);
      if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
      pl->table = grown;
      pl->cap = cap;
    }
    cl_uint *c = pl->table + 4 * pl->nchunks++;
    c[0] = (cl_uint)((p + off) / OB_ADAM_ALIGN);
    c[1] = (cl_uint)((g + off) / OB_ADAM_ALIGN);
    c[2] = (cl_uint)((s + off) / OB_ADAM_ALIGN);
    c[3] = (cl_uint)(len - off < chunk ? len - off : chunk);
  }
  return OB_OK;
}

/* The chunks of the tensors of one launch group, in tensor order; tensors that lie back to
 * back in the parameter, gradient and state buffers merge into one range first. */
static ob_status plan_group(const ob_adam *a, plan *pl, size_t chunk, cl_mem param, cl_mem grad) {
  size_t p = 0, g = 0, s = 0, len = 0;
  for (size_t i = 0; i < a->n; i++) {
    const ob_adam_tensor *t = &a->tensors[i];
    if (t->count == 0 || t->param != param || t->grad != grad) continue;
    if (len > 0 && t->param_offset == p + len && t->grad_offset == g + len &&
        a->state_off[i] == s + len) {
      len += t->count;
      continue;
    }
    OB_TRY(plan_range(pl, chunk, p, g, s, len));
    p = t->param_offset;
    g = t->grad_offset;
    s = a->state_off[i];
    len = t->count;
  }
  return plan_range(pl, chunk, p, g, s, len);
}

static ob_status plan_build(ob_adam *a, size_t chunk, plan *pl) {
  a->launches = calloc(a->n + 1, sizeof *a->launches);
  if (!a->launches) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < a->n; i++) {
    const ob_adam_tensor *t = &a->tensors[i];
    if (t->count == 0) continue;
    bool seen = false;
    for (size_t l = 0; l < a->nlaunches && !seen; l++)
      seen = a->launches[l].param == t->param && a->launches[l].grad == t->grad;
    if (seen) continue;
    fused_launch *l = &a->launches[a->nlaunches++];
    l->param = t->param;
    l->grad = t->grad;
    l->first = pl->nchunks;
    OB_TRY(plan_group(a, pl, chunk, t->param, t->grad));
    l->nchunks = pl->nchunks - l->first;
  }
  return OB_OK;
}

static ob_status fused_setup(ob_adam *a) {
  ob_adam_tuning t = a->opt.tuning;
  if (tuning_is_auto(&t)) OB_TRY(ob_adam_tune(a->dev, &t));
  char opts[96];
  snprintf(opts, sizeof opts, "-DVEC=%d -DITEMS=%d -DAMSGRAD=%d", t.vec, t.items,
           a->opt.amsgrad ? 1 : 0);
  OB_TRY(ob_kernel_create(a->dev, "adam.cl", opts, "adam_fused", &a->fused));
  a->wg = ob_device_wg_size(a->dev, a->fused, t.wg);
  const size_t chunk = a->wg * (size_t)t.items * (size_t)t.vec;
  if (chunk % OB_ADAM_ALIGN)
    return ob_fail(OB_ERR_UNSUPPORTED, "adam: work-group size %zu gives chunks of %zu elements, "
                   "not a multiple of %d", a->wg, chunk, OB_ADAM_ALIGN);
  snprintf(a->describe, sizeof a->describe, "wg=%zu;items=%d;vec=%d", a->wg, t.items, t.vec);
  plan pl = {0};
  ob_status st = plan_build(a, chunk, &pl);
  if (st == OB_OK && pl.nchunks > 0)
    st = ob_buffer_create(a->dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                          pl.nchunks * 4 * sizeof(cl_uint), pl.table, &a->chunks);
  free(pl.table);
  if (st != OB_OK || pl.nchunks == 0) return st;
  cl_mem vmax = a->state[2] ? a->state[2] : a->state[1]; /* unused without amsgrad */
  OB_TRY(OB_CL(clSetKernelArg(a->fused, 2, sizeof(cl_mem), &a->state[0])));
  OB_TRY(OB_CL(clSetKernelArg(a->fused, 5, sizeof(cl_mem), &a->chunks)));
  OB_TRY(OB_CL(clSetKernelArg(a->fused, 3, sizeof(cl_mem), &a->state[1])));
  OB_TRY(OB_CL(clSetKernelArg(a->fused, 4, sizeof(cl_mem), &vmax)));
  return OB_OK;
}

/* The step's scalars, computed once in double precision and rounded to float once. */
typedef struct step_scalars {
  cl_float gsign, l2, pscale, beta1, omb1, beta2, omb2, step_size, rbc2, eps;
} step_scalars;

static void scalars_compute(const ob_adam_options *o, long step, step_scalars *s) {
  const double bc1 = 1.0 - pow(o->beta1, (double)step);
  const double bc2 = 1.0 - pow(o->beta2, (double)step);
  s->gsign = o->maximize ? -1.0f : 1.0f;
  s->l2 = o->decoupled ? 0.0f : (cl_float)o->weight_decay;
  s->pscale = o->decoupled ? (cl_float)(1.0 - o->lr * o->weight_decay) : 1.0f;
  s->beta1 = (cl_float)o->beta1;
  s->omb1 = (cl_float)(1.0 - o->beta1);
  s->beta2 = (cl_float)o->beta2;
  s->omb2 = (cl_float)(1.0 - o->beta2);
  s->step_size = (cl_float)(o->lr / bc1);
  s->rbc2 = (cl_float)(1.0 / sqrt(bc2));
  s->eps = (cl_float)o->eps;
}

static ob_status fused_step(ob_adam *a, cl_event *last) {
  if (a->nlaunches == 0) return OB_OK;
  step_scalars s;
  scalars_compute(&a->opt, a->step, &s);
  const cl_float v[] = {s.gsign, s.l2,   s.pscale,    s.beta1, s.omb1,
                        s.beta2, s.omb2, s.step_size, s.rbc2,  s.eps};
  for (cl_uint k = 0; k < sizeof v / sizeof *v; k++)
    OB_TRY(OB_CL(clSetKernelArg(a->fused, 7 + k, sizeof(cl_float), &v[k])));
  for (size_t l = 0; l < a->nlaunches; l++) {
    const fused_launch *fl = &a->launches[l];
    const cl_uint first = (cl_uint)fl->first;
    OB_TRY(OB_CL(clSetKernelArg(a->fused, 0, sizeof(cl_mem), &fl->param)));
    OB_TRY(OB_CL(clSetKernelArg(a->fused, 1, sizeof(cl_mem), &fl->grad)));
    OB_TRY(OB_CL(clSetKernelArg(a->fused, 6, sizeof first, &first)));
    const size_t global = fl->nchunks * a->wg;
    OB_TRY(ob_enqueue_kernel(a->dev, a->fused, 1, &global, &a->wg,
                             l + 1 == a->nlaunches ? last : NULL));
  }
  return OB_OK;
}

/* ---------------------------------------------------------------- eager sequence */

static ob_status eager_setup(ob_adam *a) {
  for (int op = 0; op < OP_COUNT; op++) {
    OB_TRY(ob_kernel_create(a->dev, "adam_eager.cl", "", eager_names[op], &a->eager[op]));
    a->eager_wg[op] = ob_device_wg_size(a->dev, a->eager[op], EAGER_WG);
  }
  snprintf(a->describe, sizeof a->describe, "wg=%zu", a->eager_wg[0]);
  if (a->max_count == 0) return OB_OK;
  const size_t bytes = a->max_count * sizeof(float);
  if (a->opt.maximize || (a->opt.weight_decay != 0.0 && !a->opt.decoupled))
    OB_TRY(ob_buffer_create(a->dev, CL_MEM_READ_WRITE, bytes, NULL, &a->scratch_grad));
  return ob_buffer_create(a->dev, CL_MEM_READ_WRITE, bytes, NULL, &a->scratch_denom);
}

/* Arguments of one eager launch, set in order; the first error is kept. */
typedef struct eager_call {
  ob_adam *a;
  eager_op op;
  cl_uint next;
  ob_status st;
} eager_call;

static eager_call call_begin(ob_adam *a, eager_op op) { return (eager_call){a, op, 0, OB_OK}; }

static void arg_raw(eager_call *c, size_t size, const void *value) {
  if (c->st == OB_OK) c->st = OB_CL(clSetKernelArg(c->a->eager[c->op], c->next, size, value));
  c->next++;
}

static void arg_buf(eager_call *c, cl_mem m, size_t offset) {
  const cl_uint off = (cl_uint)offset;
  arg_raw(c, sizeof m, &m);
  arg_raw(c, sizeof off, &off);
}

static void arg_float(eager_call *c, double v) {
  const cl_float f = (cl_float)v;
  arg_raw(c, sizeof f, &f);
}

static ob_status call_launch(eager_call *c, size_t n, cl_event *ev) {
  const cl_uint count = (cl_uint)n;
  arg_raw(c, sizeof count, &count);
  OB_TRY(c->st);
  const size_t wg = c->a->eager_wg[c->op];
  const size_t global = (n + wg - 1) / wg * wg;
  return ob_enqueue_kernel(c->a->dev, c->a->eager[c->op], 1, &global, &wg, ev);
}

/* One tensor, operation by operation, as torch.optim.Adam's single-tensor path. */
static ob_status eager_tensor(ob_adam *a, size_t i, cl_event *ev) {
  const ob_adam_options *o = &a->opt;
  const ob_adam_tensor *t = &a->tensors[i];
  const size_t n = t->count, so = a->state_off[i];
  cl_mem g = t->grad, p = t->param, m = a->state[0], v = a->state[1];
  size_t go = t->grad_offset;
  const size_t po = t->param_offset;
  eager_call c;
  if (o->maximize) { /* grad = -grad */
    c = call_begin(a, OP_SCALE);
    arg_buf(&c, a->scratch_grad, 0);
    arg_buf(&c, g, go);
    arg_float(&c, -1.0);
    OB_TRY(call_launch(&c, n, NULL));
    g = a->scratch_grad;
    go = 0;
  }
  if (o->weight_decay != 0.0 && o->decoupled) { /* param.mul_(1 - lr * weight_decay) */
    c = call_begin(a, OP_SCALE);
    arg_buf(&c, p, po);
    arg_buf(&c, p, po);
    arg_float(&c, 1.0 - o->lr * o->weight_decay);
    OB_TRY(call_launch(&c, n, NULL));
  } else if (o->weight_decay != 0.0) { /* grad = grad.add(param, alpha=weight_decay) */
    c = call_begin(a, OP_ADD_SCALED);
    arg_buf(&c, a->scratch_grad, 0);
    arg_buf(&c, g, go);
    arg_buf(&c, p, po);
    arg_float(&c, o->weight_decay);
    OB_TRY(call_launch(&c, n, NULL));
    g = a->scratch_grad;
    go = 0;
  }
  c = call_begin(a, OP_LERP); /* exp_avg.lerp_(grad, 1 - beta1) */
  arg_buf(&c, m, so);
  arg_buf(&c, g, go);
  arg_float(&c, 1.0 - o->beta1);
  OB_TRY(call_launch(&c, n, NULL));
  c = call_begin(a, OP_SCALE); /* exp_avg_sq.mul_(beta2) */
  arg_buf(&c, v, so);
  arg_buf(&c, v, so);
  arg_float(&c, o->beta2);
  OB_TRY(call_launch(&c, n, NULL));
  c = call_begin(a, OP_ADDCMUL); /* .addcmul_(grad, grad, value=1 - beta2) */
  arg_buf(&c, v, so);
  arg_buf(&c, g, go);
  arg_float(&c, 1.0 - o->beta2);
  OB_TRY(call_launch(&c, n, NULL));
  cl_mem sq = v;
  if (o->amsgrad) { /* torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq) */
    c = call_begin(a, OP_MAXIMUM);
    arg_buf(&c, a->state[2], so);
    arg_buf(&c, v, so);
    OB_TRY(call_launch(&c, n, NULL));
    sq = a->state[2];
  }
  const double step = (double)a->step;
  const double step_size = o->lr / (1.0 - pow(o->beta1, step));
  const double bc2_sqrt = sqrt(1.0 - pow(o->beta2, step));
  c = call_begin(a, OP_SQRT); /* denom = (sq.sqrt() / bias_correction2_sqrt).add_(eps) */
  arg_buf(&c, a->scratch_denom, 0);
  arg_buf(&c, sq, so);
  OB_TRY(call_launch(&c, n, NULL));
  c = call_begin(a, OP_DIV_SCALAR);
  arg_buf(&c, a->scratch_denom, 0);
  arg_float(&c, bc2_sqrt);
  OB_TRY(call_launch(&c, n, NULL));
  c = call_begin(a, OP_ADD_SCALAR);
  arg_buf(&c, a->scratch_denom, 0);
  arg_float(&c, o->eps);
  OB_TRY(call_launch(&c, n, NULL));
  c = call_begin(a, OP_ADDCDIV); /* param.addcdiv_(exp_avg, denom, value=-step_size) */
  arg_buf(&c, p, po);
  arg_buf(&c, m, so);
  arg_buf(&c, a->scratch_denom, 0);
  arg_float(&c, -step_size);
  return call_launch(&c, n, ev);
}

static ob_status eager_step(ob_adam *a, cl_event *last) {
  for (size_t i = 0; i < a->n; i++)
    if (a->tensors[i].count > 0)
      OB_TRY(eager_tensor(a, i, i == a->last_nonempty ? last : NULL));
  return OB_OK;
}

/* ---------------------------------------------------------------- public API */

ob_status ob_adam_create(ob_device *dev, const ob_adam_options *o, const ob_adam_tensor *tensors,
                         size_t n, ob_adam **out) {
  *out = NULL;
  OB_TRY(ob_adam_options_check(o));
  if (n > 0 && !tensors) return ob_fail(OB_ERR_INVALID, "adam: %zu tensors but no array", n);
  OB_TRY(ob_device_open(dev));
  OB_TRY(check_tensors(tensors, n));
  ob_adam *a = calloc(1, sizeof *a);
  if (!a) return ob_fail(OB_ERR_NOMEM, "out of memory");
  a->dev = dev;
  a->opt = *o;
  a->n = n;
  a->last_nonempty = n;
  a->tensors = malloc((n + 1) * sizeof *a->tensors);
  a->state_off = malloc((n + 1) * sizeof *a->state_off);
  if (!a->tensors || !a->state_off) {
    ob_adam_destroy(a);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  if (n > 0) memcpy(a->tensors, tensors, n * sizeof *tensors);
  for (size_t i = 0; i < n; i++) {
    if (tensors[i].count > a->max_count) a->max_count = tensors[i].count;
    if (tensors[i].count > 0) a->last_nonempty = i;
  }
  ob_status st = state_create(a);
  if (st == OB_OK) st = o->impl == OB_ADAM_FUSED ? fused_setup(a) : eager_setup(a);
  if (st != OB_OK) {
    ob_adam_destroy(a);
    return st;
  }
  *out = a;
  return OB_OK;
}

ob_status ob_adam_create_flat(ob_device *dev, const ob_adam_options *o, cl_mem params,
                              cl_mem grads, const size_t *offsets, const size_t *counts, size_t n,
                              ob_adam **out) {
  *out = NULL;
  if (n > 0 && (!offsets || !counts))
    return ob_fail(OB_ERR_INVALID, "adam: %zu tensors but no offset or count table", n);
  ob_adam_tensor *t = malloc((n + 1) * sizeof *t);
  if (!t) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    t[i] = (ob_adam_tensor){params, grads, offsets[i], offsets[i], counts[i]};
  ob_status st = ob_adam_create(dev, o, t, n, out);
  free(t);
  return st;
}

void ob_adam_destroy(ob_adam *a) {
  if (!a) return;
  if (ob_device_queue(a->dev)) clFinish(ob_device_queue(a->dev));
  if (a->fused) clReleaseKernel(a->fused);
  for (int op = 0; op < OP_COUNT; op++)
    if (a->eager[op]) clReleaseKernel(a->eager[op]);
  for (int k = 0; k < NSTATE; k++) ob_buffer_release(a->dev, a->state[k]);
  ob_buffer_release(a->dev, a->chunks);
  ob_buffer_release(a->dev, a->scratch_grad);
  ob_buffer_release(a->dev, a->scratch_denom);
  free(a->launches);
  free(a->tensors);
  free(a->state_off);
  free(a);
}

ob_status ob_adam_step(ob_adam *a, cl_event *last) {
  if (last) *last = NULL;
  a->step++;
  ob_status st = a->opt.impl == OB_ADAM_FUSED ? fused_step(a, last) : eager_step(a, last);
  if (st != OB_OK) a->step--;
  return st;
}

ob_status ob_adam_reset(ob_adam *a) {
  OB_TRY(ob_device_finish(a->dev));
  OB_TRY(state_zero(a));
  a->step = 0;
  return OB_OK;
}

long ob_adam_step_count(const ob_adam *a) { return a->step; }

ob_status ob_adam_set_lr(ob_adam *a, double lr) {
  if (!(lr >= 0.0 && isfinite(lr)))
    return ob_fail(OB_ERR_INVALID, "adam: invalid learning rate %g (must be >= 0)", lr);
  a->opt.lr = lr;
  return OB_OK;
}

size_t ob_adam_launches_per_step(const ob_adam *a) {
  if (a->opt.impl == OB_ADAM_FUSED) return a->nlaunches;
  size_t per = 7 + (a->opt.maximize ? 1 : 0) + (a->opt.weight_decay != 0.0 ? 1 : 0) +
               (a->opt.amsgrad ? 1 : 0);
  size_t nonempty = 0;
  for (size_t i = 0; i < a->n; i++) nonempty += a->tensors[i].count > 0;
  return per * nonempty;
}

const char *ob_adam_describe(const ob_adam *a) { return a->describe; }

ob_status ob_adam_state_read(ob_adam *a, ob_adam_state which, size_t i, size_t first,
                             size_t count, float *out) {
  if (i >= a->n) return ob_fail(OB_ERR_INVALID, "adam: no tensor %zu (%zu tensors)", i, a->n);
  if (first > a->tensors[i].count || count > a->tensors[i].count - first)
    return ob_fail(OB_ERR_INVALID, "adam: elements [%zu, %zu) are outside tensor %zu of %zu",
                   first, first + count, i, a->tensors[i].count);
  if ((int)which < 0 || (int)which >= NSTATE ||
      (which == OB_ADAM_MAX_EXP_AVG_SQ && !a->opt.amsgrad))
    return ob_fail(OB_ERR_INVALID, "adam: no state %d in this optimizer", (int)which);
  return ob_buffer_read(a->dev, a->state[which], (a->state_off[i] + first) * sizeof(float),
                        count * sizeof(float), out);
}
