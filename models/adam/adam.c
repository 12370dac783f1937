/* Adam / AdamW optimizer: validation, state, the fused chunk table and the eager launch plan.
 * The kernels are cl_kernels/adam.cl and cl_kernels/adam_eager.cl. */
#include "adam.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EAGER_WG 256
#define NSTATE 3

/* The scalars of one step, computed once in double precision on the host; kernels get them
 * rounded to float once. */
typedef enum scalar {
  S_NONE = -1,
  S_GSIGN,            /* -1 with maximize, else 1 */
  S_MINUS_ONE,
  S_WD,               /* weight_decay */
  S_L2,               /* weight_decay added to the gradient: Adam's; 0 for AdamW */
  S_PSCALE,           /* 1 - lr * weight_decay for AdamW; 1 otherwise */
  S_BETA1, S_OMB1,    /* beta1, 1 - beta1 */
  S_BETA2, S_OMB2,    /* beta2, 1 - beta2 */
  S_STEP_SIZE,        /* lr / (1 - beta1^t) */
  S_MINUS_STEP_SIZE,
  S_BC2_SQRT,         /* sqrt(1 - beta2^t) */
  S_RBC2,             /* 1 / sqrt(1 - beta2^t) */
  S_EPS,
  NSCALARS
} scalar;

/* The fused kernel's scalar arguments (7 onwards), in order. */
static const scalar fused_scalars[] = {S_GSIGN, S_L2,   S_PSCALE,    S_BETA1, S_OMB1,
                                       S_BETA2, S_OMB2, S_STEP_SIZE, S_RBC2,  S_EPS};

typedef enum eager_op {
  OP_SCALE, OP_ADD_SCALED, OP_LERP, OP_ADDCMUL, OP_MAXIMUM, OP_SQRT, OP_DIV_SCALAR,
  OP_ADD_SCALAR, OP_ADDCDIV, OP_COUNT
} eager_op;

/* The eager kernels: name and buffer arguments (each with its offset); a scalar argument
 * follows where the launch names one, then the element count. accesses: fp32 elements read
 * and written per element (for the kernel trace). */
static const struct {
  const char *name;
  int nbufs, accesses;
} eager_ops[OP_COUNT] = {
    {"eager_scale", 2, 2},      {"eager_add_scaled", 3, 3}, {"eager_lerp", 2, 3},
    {"eager_addcmul", 2, 3},    {"eager_maximum", 2, 3},    {"eager_sqrt", 2, 2},
    {"eager_div_scalar", 1, 2}, {"eager_add_scalar", 1, 2}, {"eager_addcdiv", 3, 4}};

/* A range of a buffer, in elements. */
typedef struct operand {
  cl_mem mem;
  size_t off;
} operand;

/* One eager launch: op on n elements of its operands, with scalar s. */
typedef struct eager_launch {
  eager_op op;
  operand x[3];
  scalar s;
  size_t n;
} eager_launch;

/* One fused launch: the tensors of one (parameter buffer, gradient buffer) pair. */
typedef struct fused_launch {
  cl_mem param, grad;
  size_t first, nchunks;
  size_t elems;  /* parameters it updates */
} fused_launch;

struct ob_adam {
  ob_device *dev;
  ob_adam_options opt;
  ob_adam_tensor *tensors;
  size_t *state_off;         /* per tensor, elements into the state buffers */
  size_t n, state_elems, max_count;
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
  eager_launch *eager_plan;  /* every launch of a step, built once */
  size_t neager, cap_eager;
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

/* Bytes of one parameter or gradient element. */
static size_t param_bytes(const ob_adam_options *o) {
  return o->precision == OB_ADAM_FP16 ? 2 : sizeof(float);
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
  if (o->precision != OB_ADAM_FP32 && o->precision != OB_ADAM_FP16)
    return ob_fail(OB_ERR_INVALID, "adam: unknown precision %d", (int)o->precision);
  if (o->precision == OB_ADAM_FP16 && o->impl != OB_ADAM_FUSED)
    return ob_fail(OB_ERR_INVALID, "adam: fp16 parameters need the fused implementation");
  if (!tuning_is_auto(&o->tuning)) return ob_tune_check(&ob_adam_family, &o->tuning, NULL);
  return OB_OK;
}

size_t ob_adam_layout(const size_t *counts, size_t n, size_t align, size_t *offsets) {
  align = align ? (align + OB_ADAM_ALIGN - 1) / OB_ADAM_ALIGN * OB_ADAM_ALIGN : OB_ADAM_ALIGN;
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    offsets[i] = total;
    total += (counts[i] + align - 1) / align * align;
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

/* Checks one buffer range of tensor i: aligned, inside the buffer (of `elem`-byte elements),
 * addressable by the kernels' 32-bit element offsets. */
static ob_status check_range(size_t i, const char *what, cl_mem mem, size_t off, size_t count,
                             size_t elem) {
  if (!mem) return ob_fail(OB_ERR_INVALID, "adam: tensor %zu: %s buffer is NULL", i, what);
  if (off % OB_ADAM_ALIGN)
    return ob_fail(OB_ERR_INVALID, "adam: tensor %zu: %s offset %zu is not a multiple of %d",
                   i, what, off, OB_ADAM_ALIGN);
  size_t bytes = 0;
  OB_TRY(OB_CL(clGetMemObjectInfo(mem, CL_MEM_SIZE, sizeof bytes, &bytes, NULL)));
  const size_t elems = bytes / elem;
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
static ob_status check_tensors(const ob_adam_tensor *t, size_t n, size_t elem) {
  span *s = malloc((2 * n + 1) * sizeof *s);
  if (!s) return ob_fail(OB_ERR_NOMEM, "out of memory");
  size_t ns = 0;
  ob_status st = OB_OK;
  for (size_t i = 0; i < n && st == OB_OK; i++) {
    if (t[i].count == 0) continue;
    st = check_range(i, "param", t[i].param, t[i].param_offset, t[i].count, elem);
    if (st == OB_OK) st = check_range(i, "grad", t[i].grad, t[i].grad_offset, t[i].count, elem);
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
  a->state_elems = ob_adam_layout(counts, a->n, 0, a->state_off);
  free(counts);
  if (a->state_elems > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "adam: %zu state elements exceed 2^32", a->state_elems);
  const int nstate = a->opt.amsgrad ? 3 : 2;
  for (int k = 0; k < nstate && a->state_elems > 0; k++)
    OB_TRY(ob_buffer_create(a->dev, CL_MEM_READ_WRITE, a->state_elems * sizeof(float), NULL,
                            &a->state[k]));
  return state_zero(a);
}

/* ---------------------------------------------------------------- fused chunk table */

typedef struct chunk_table {
  cl_uint *table; /* 4 per chunk: param, grad, state offsets in units of 4 floats; length */
  size_t nchunks, cap;
} chunk_table;

static ob_status table_range(chunk_table *tb, size_t chunk, size_t p, size_t g, size_t s,
                             size_t len) {
  for (size_t off = 0; off < len; off += chunk) {
    cl_uint *grown = ob_grow(tb->table, &tb->cap, tb->nchunks + 1, 4 * sizeof *tb->table, 64);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    tb->table = grown;
    cl_uint *c = tb->table + 4 * tb->nchunks++;
    c[0] = (cl_uint)((p + off) / OB_ADAM_ALIGN);
    c[1] = (cl_uint)((g + off) / OB_ADAM_ALIGN);
    c[2] = (cl_uint)((s + off) / OB_ADAM_ALIGN);
    c[3] = (cl_uint)(len - off < chunk ? len - off : chunk);
  }
  return OB_OK;
}

/* The chunks of the tensors of one launch group, in tensor order; tensors that lie back to
 * back in the parameter, gradient and state buffers merge into one range first. */
static ob_status table_group(const ob_adam *a, chunk_table *tb, size_t chunk, cl_mem param,
                             cl_mem grad) {
  size_t p = 0, g = 0, s = 0, len = 0;
  for (size_t i = 0; i < a->n; i++) {
    const ob_adam_tensor *t = &a->tensors[i];
    if (t->count == 0 || t->param != param || t->grad != grad) continue;
    if (len > 0 && t->param_offset == p + len && t->grad_offset == g + len &&
        a->state_off[i] == s + len) {
      len += t->count;
      continue;
    }
    OB_TRY(table_range(tb, chunk, p, g, s, len));
    p = t->param_offset;
    g = t->grad_offset;
    s = a->state_off[i];
    len = t->count;
  }
  return table_range(tb, chunk, p, g, s, len);
}

static ob_status table_build(ob_adam *a, size_t chunk, chunk_table *tb) {
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
    l->first = tb->nchunks;
    OB_TRY(table_group(a, tb, chunk, t->param, t->grad));
    l->nchunks = tb->nchunks - l->first;
    for (size_t c = l->first; c < tb->nchunks; c++) l->elems += tb->table[4 * c + 3];
  }
  return OB_OK;
}

static ob_status fused_setup(ob_adam *a) {
  ob_adam_tuning t = a->opt.tuning;
  if (tuning_is_auto(&t)) ob_adam_tuning_default(a->dev, &t);
  char opts[96], defines[64];
  const bool half = a->opt.precision == OB_ADAM_FP16;
  ob_tune_defines(&ob_adam_family, &t, defines, sizeof defines);
  snprintf(opts, sizeof opts, "%s -DAMSGRAD=%d -DHALF=%d", defines, a->opt.amsgrad ? 1 : 0,
           half ? 1 : 0);
  ob_status built = ob_kernel_create(a->dev, "adam.cl", opts, "adam_fused", &a->fused);
  if (built == OB_ERR_BUILD && half)
    return ob_fail(OB_ERR_UNSUPPORTED, "adam: no half support: the fp16 kernel (vload_half, "
                   "vstore_half_rte) does not build: %s", ob_error_detail());
  OB_TRY(built);
  a->wg = ob_device_wg_size(a->dev, a->fused, t.wg);
  const size_t chunk = a->wg * (size_t)t.items * (size_t)t.vec;
  if (chunk % OB_ADAM_ALIGN)
    return ob_fail(OB_ERR_UNSUPPORTED, "adam: work-group size %zu gives chunks of %zu elements, "
                   "not a multiple of %d", a->wg, chunk, OB_ADAM_ALIGN);
  snprintf(a->describe, sizeof a->describe, "wg=%zu;items=%d;vec=%d", a->wg, t.items, t.vec);
  chunk_table tb = {0};
  ob_status st = table_build(a, chunk, &tb);
  if (st == OB_OK && tb.nchunks > 0)
    st = ob_buffer_create(a->dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                          tb.nchunks * 4 * sizeof(cl_uint), tb.table, &a->chunks);
  free(tb.table);
  if (st != OB_OK || tb.nchunks == 0) return st;
  cl_mem vmax = a->state[2] ? a->state[2] : a->state[1]; /* unused without amsgrad */
  const ob_kernel_arg args[] = {OB_KARG(a->state[0]), OB_KARG(a->state[1]), OB_KARG(vmax),
                                OB_KARG(a->chunks)};
  return ob_kernel_set_args(a->fused, 2, args, sizeof args / sizeof *args);
}

static ob_status fused_step(ob_adam *a, const double *sc, cl_event *last) {
  if (a->nlaunches == 0) return OB_OK;
  enum { NFUSED = sizeof fused_scalars / sizeof *fused_scalars };
  cl_float f[NFUSED];
  ob_kernel_arg fargs[NFUSED];
  for (size_t k = 0; k < NFUSED; k++) {
    f[k] = (cl_float)sc[fused_scalars[k]];
    fargs[k] = OB_KARG(f[k]);
  }
  OB_TRY(ob_kernel_set_args(a->fused, 7, fargs, NFUSED));
  for (size_t l = 0; l < a->nlaunches; l++) {
    const fused_launch *fl = &a->launches[l];
    const cl_uint first = (cl_uint)fl->first;
    const ob_kernel_arg args[] = {OB_KARG(fl->param), OB_KARG(fl->grad)};
    OB_TRY(ob_kernel_set_args(a->fused, 0, args, 2));
    OB_TRY(ob_kernel_set_args(a->fused, 6, &OB_KARG(first), 1));
    const size_t global = fl->nchunks * a->wg;
    /* read p, g and the moments, write p and the moments */
    const double per_param = 3.0 * (double)param_bytes(&a->opt) + (a->opt.amsgrad ? 24.0 : 16.0);
    OB_TRY(ob_enqueue_kernel_work(a->dev, a->fused, 1, &global, &a->wg, NAN,
                                  per_param * (double)fl->elems,
                                  l + 1 == a->nlaunches ? last : NULL));
  }
  return OB_OK;
}

/* ---------------------------------------------------------------- eager sequence */

static ob_status eager_push(ob_adam *a, eager_op op, size_t n, scalar s, operand x0, operand x1,
                            operand x2) {
  if (a->neager == a->cap_eager) {
    size_t cap = a->cap_eager ? 2 * a->cap_eager : 32;
    eager_launch *grown = realloc(a->eager_plan, cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    a->eager_plan = grown;
    a->cap_eager = cap;
  }
  a->eager_plan[a->neager++] = (eager_launch){op, {x0, x1, x2}, s, n};
  return OB_OK;
}

/* Tensor i's launches, in the order of torch.optim.Adam's single-tensor step. */
static ob_status eager_plan_tensor(ob_adam *a, size_t i) {
  const ob_adam_options *o = &a->opt;
  const ob_adam_tensor *t = &a->tensors[i];
  const size_t n = t->count;
  const operand p = {t->param, t->param_offset}, m = {a->state[0], a->state_off[i]},
                v = {a->state[1], a->state_off[i]}, vmax = {a->state[2], a->state_off[i]},
                tmp = {a->scratch_grad, 0}, denom = {a->scratch_denom, 0}, none = {NULL, 0};
  operand g = {t->grad, t->grad_offset};
  if (o->maximize) { /* grad = -grad */
    OB_TRY(eager_push(a, OP_SCALE, n, S_MINUS_ONE, tmp, g, none));
    g = tmp;
  }
  if (o->weight_decay != 0.0 && o->decoupled) { /* param.mul_(1 - lr * weight_decay) */
    OB_TRY(eager_push(a, OP_SCALE, n, S_PSCALE, p, p, none));
  } else if (o->weight_decay != 0.0) { /* grad = grad.add(param, alpha=weight_decay) */
    OB_TRY(eager_push(a, OP_ADD_SCALED, n, S_WD, tmp, g, p));
    g = tmp;
  }
  OB_TRY(eager_push(a, OP_LERP, n, S_OMB1, m, g, none));       /* exp_avg.lerp_(grad, 1-beta1) */
  OB_TRY(eager_push(a, OP_SCALE, n, S_BETA2, v, v, none));     /* exp_avg_sq.mul_(beta2) */
  OB_TRY(eager_push(a, OP_ADDCMUL, n, S_OMB2, v, g, none));    /* .addcmul_(grad, grad, 1-beta2) */
  operand sq = v;
  if (o->amsgrad) { /* torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq) */
    OB_TRY(eager_push(a, OP_MAXIMUM, n, S_NONE, vmax, v, none));
    sq = vmax;
  }
  /* denom = (sq.sqrt() / bias_correction2_sqrt).add_(eps) */
  OB_TRY(eager_push(a, OP_SQRT, n, S_NONE, denom, sq, none));
  OB_TRY(eager_push(a, OP_DIV_SCALAR, n, S_BC2_SQRT, denom, none, none));
  OB_TRY(eager_push(a, OP_ADD_SCALAR, n, S_EPS, denom, none, none));
  /* param.addcdiv_(exp_avg, denom, value=-step_size) */
  return eager_push(a, OP_ADDCDIV, n, S_MINUS_STEP_SIZE, p, m, denom);
}

static ob_status eager_setup(ob_adam *a) {
  for (int op = 0; op < OP_COUNT; op++) {
    OB_TRY(ob_kernel_create(a->dev, "adam_eager.cl", "", eager_ops[op].name, &a->eager[op]));
    a->eager_wg[op] = ob_device_wg_size(a->dev, a->eager[op], EAGER_WG);
  }
  snprintf(a->describe, sizeof a->describe, "wg=%zu", a->eager_wg[0]);
  if (a->max_count == 0) return OB_OK;
  const size_t bytes = a->max_count * sizeof(float);
  if (a->opt.maximize || (a->opt.weight_decay != 0.0 && !a->opt.decoupled))
    OB_TRY(ob_buffer_create(a->dev, CL_MEM_READ_WRITE, bytes, NULL, &a->scratch_grad));
  OB_TRY(ob_buffer_create(a->dev, CL_MEM_READ_WRITE, bytes, NULL, &a->scratch_denom));
  for (size_t i = 0; i < a->n; i++)
    if (a->tensors[i].count > 0) OB_TRY(eager_plan_tensor(a, i));
  return OB_OK;
}

static ob_status eager_step(ob_adam *a, const double *sc, cl_event *last) {
  for (size_t l = 0; l < a->neager; l++) {
    const eager_launch *e = &a->eager_plan[l];
    const cl_kernel k = a->eager[e->op];
    /* Each buffer and its offset, the scalar if the op takes one, the count. */
    enum { NBUFS = sizeof e->x / sizeof *e->x };
    cl_uint off[NBUFS];
    ob_kernel_arg args[2 * NBUFS + 2];
    size_t n = 0;
    for (int b = 0; b < eager_ops[e->op].nbufs; b++) {
      off[b] = (cl_uint)e->x[b].off;
      args[n++] = OB_KARG(e->x[b].mem);
      args[n++] = OB_KARG(off[b]);
    }
    const cl_float f = e->s != S_NONE ? (cl_float)sc[e->s] : 0.0f;
    if (e->s != S_NONE) args[n++] = OB_KARG(f);
    const cl_uint count = (cl_uint)e->n;
    args[n++] = OB_KARG(count);
    OB_TRY(ob_kernel_set_args(k, 0, args, n));
    const size_t wg = a->eager_wg[e->op], global = (e->n + wg - 1) / wg * wg;
    const double bytes = 4.0 * eager_ops[e->op].accesses * (double)e->n;
    OB_TRY(ob_enqueue_kernel_work(a->dev, k, 1, &global, &wg, NAN, bytes,
                                  l + 1 == a->neager ? last : NULL));
  }
  return OB_OK;
}

/* ---------------------------------------------------------------- public API */

ob_status ob_adam_create(ob_device *dev, const ob_adam_options *o, const ob_adam_tensor *tensors,
                         size_t n, ob_adam **out) {
  *out = NULL;
  OB_TRY(ob_adam_options_check(o));
  if (n > 0 && !tensors) return ob_fail(OB_ERR_INVALID, "adam: %zu tensors but no array", n);
  OB_TRY(ob_device_open(dev));
  OB_TRY(check_tensors(tensors, n, param_bytes(o)));
  ob_adam *a = calloc(1, sizeof *a);
  if (!a) return ob_fail(OB_ERR_NOMEM, "out of memory");
  a->dev = dev;
  a->opt = *o;
  a->n = n;
  a->tensors = malloc((n + 1) * sizeof *a->tensors);
  a->state_off = malloc((n + 1) * sizeof *a->state_off);
  if (!a->tensors || !a->state_off) {
    ob_adam_destroy(a);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  if (n > 0) memcpy(a->tensors, tensors, n * sizeof *tensors);
  for (size_t i = 0; i < n; i++)
    if (tensors[i].count > a->max_count) a->max_count = tensors[i].count;
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
  free(a->eager_plan);
  free(a->tensors);
  free(a->state_off);
  free(a);
}

static void scalars_compute(const ob_adam_options *o, long step, double *s) {
  const double bc1 = 1.0 - pow(o->beta1, (double)step);
  const double bc2 = 1.0 - pow(o->beta2, (double)step);
  s[S_GSIGN] = o->maximize ? -1.0 : 1.0;
  s[S_MINUS_ONE] = -1.0;
  s[S_WD] = o->weight_decay;
  s[S_L2] = o->decoupled ? 0.0 : o->weight_decay;
  s[S_PSCALE] = o->decoupled ? 1.0 - o->lr * o->weight_decay : 1.0;
  s[S_BETA1] = o->beta1;
  s[S_OMB1] = 1.0 - o->beta1;
  s[S_BETA2] = o->beta2;
  s[S_OMB2] = 1.0 - o->beta2;
  s[S_STEP_SIZE] = o->lr / bc1;
  s[S_MINUS_STEP_SIZE] = -s[S_STEP_SIZE];
  s[S_BC2_SQRT] = sqrt(bc2);
  s[S_RBC2] = 1.0 / s[S_BC2_SQRT];
  s[S_EPS] = o->eps;
}

ob_status ob_adam_step(ob_adam *a, cl_event *last) {
  if (last) *last = NULL;
  a->step++;
  double sc[NSCALARS];
  scalars_compute(&a->opt, a->step, sc);
  ob_status st = a->opt.impl == OB_ADAM_FUSED ? fused_step(a, sc, last) : eager_step(a, sc, last);
  if (st != OB_OK) a->step--;
  return st;
}

ob_status ob_adam_zero_grad(ob_adam *a) {
  const cl_float zero = 0.0f; /* all bits zero: +0 in fp32 and in half */
  const size_t elem = param_bytes(&a->opt);
  for (size_t i = 0; i < a->n; i++) {
    const ob_adam_tensor *t = &a->tensors[i];
    if (t->count > 0)
      OB_TRY(OB_CL(clEnqueueFillBuffer(ob_device_queue(a->dev), t->grad, &zero, elem,
                                       t->grad_offset * elem, t->count * elem, 0, NULL, NULL)));
  }
  return OB_OK;
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
  return a->opt.impl == OB_ADAM_FUSED ? a->nlaunches : a->neager;
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
