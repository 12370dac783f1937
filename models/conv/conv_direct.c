/* The direct algorithm of the own convolution's gradients (algo=direct, cl_kernels/
 * conv_direct.cl): which shapes it runs and suits, its defaults, kernels and launches. The
 * kernels are built per shape (its channel and filter sizes, stride and padding are build
 * options), so it is for the few layers it suits, not a general path. */
#include "conv_plan.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* Sums one work-item may hold (registers; beyond them the unrolled code only spills). */
#define MAX_SUMS 256

static int ceil_div(int a, int b) { return (a + b - 1) / b; }

/* floor(a / b) for b > 0. */
static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

ob_conv_config ob_conv_direct_resolve(const ob_conv_config *cfg, const ob_conv_shape *s,
                                      ob_conv_pass pass, const ob_device *dev) {
  ob_conv_config c = *cfg;
  if (!c.px) c.px = 2;
  if (!c.kb) c.kb = 4;
  if (!c.wx) c.wx = pass == OB_CONV_BACKWARD_WEIGHT ? 16 : 32;
  if (pass != OB_CONV_BACKWARD_WEIGHT) {
    c.split = 1;
    return c;
  }
  const int rows = s->n * ob_conv_out_h(s);
  if (c.split == 0 && dev) {
    const int cus = (int)ob_device_props_get(dev)->compute_units;
    const int Kg = s->k / s->groups, Cg = s->c / s->groups;
    const int blocks = ceil_div(Cg * ceil_div(Kg, c.kb), 256 / c.wx > 0 ? 256 / c.wx : 1);
    c.split = ceil_div(4 * (cus > 0 ? cus : 1), blocks * s->groups);
  }
  if (c.split > rows) c.split = rows;
  return c;
}

ob_status ob_conv_direct_check(const ob_conv_shape *s, ob_conv_pass pass,
                               ob_conv_storage storage, const ob_conv_config *cfg) {
  (void)storage; /* fp32 and half tensors alike */
  if (pass != OB_CONV_BACKWARD_DATA && pass != OB_CONV_BACKWARD_WEIGHT)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: the data and weight gradients only");
  const ob_conv_config c = ob_conv_direct_resolve(cfg, s, pass, NULL);
  const int Cg = s->c / s->groups;
  const long long sums = pass == OB_CONV_BACKWARD_DATA ? (long long)Cg * c.px * s->stride
                                                       : (long long)c.kb * s->r * s->s;
  if (sums > MAX_SUMS)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: %lld sums per work-item, above %d (fewer "
                   "channels, a smaller px or kb)", sums, MAX_SUMS);
  if (pass == OB_CONV_BACKWARD_WEIGHT) {
    const int rows = s->n * ob_conv_out_h(s);
    if (cfg->split > rows)
      return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: split=%d above the %d rows of dy",
                     cfg->split, rows);
    if ((double)(c.split > 0 ? c.split : rows) * c.wx * (double)ob_conv_filter_elems(s) >=
        INT_MAX)
      return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: the partial sums reach 2^31 elements");
  }
  return OB_OK;
}

bool ob_conv_direct_suits(const ob_conv_shape *s, ob_conv_pass pass) {
  const int Cg = s->c / s->groups;
  if (pass == OB_CONV_BACKWARD_DATA) return Cg <= 8;
  return pass == OB_CONV_BACKWARD_WEIGHT && Cg <= 8 && Cg * s->r * s->s <= 72;
}

size_t ob_conv_direct_ws_bytes(const ob_conv_config *cfg, const ob_conv_shape *s,
                               ob_conv_pass pass) {
  const size_t parts = (size_t)(cfg->split > 1 ? cfg->split : 1) * (size_t)cfg->wx;
  if (pass != OB_CONV_BACKWARD_WEIGHT || parts <= 1) return 0;
  return parts * ob_conv_filter_elems(s) * sizeof(float);
}

/* Bytes of local memory the data gradient stages its group's filters in. */
static size_t filter_bytes(const ob_conv_shape *s) {
  return ob_conv_filter_elems(s) / (size_t)s->groups * sizeof(float);
}

ob_status ob_conv_direct_fits(const ob_conv_config *cfg, const ob_conv_shape *s,
                              ob_conv_pass pass, ob_conv_storage storage,
                              const ob_device *dev) {
  OB_TRY(ob_conv_direct_check(s, pass, storage, cfg));
  const ob_conv_config c = ob_conv_direct_resolve(cfg, s, pass, dev);
  const ob_device_props *props = ob_device_props_get(dev);
  if (pass == OB_CONV_BACKWARD_DATA && filter_bytes(s) > props->local_mem)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: the filters take %zu bytes of local "
                   "memory, the device has %llu", filter_bytes(s),
                   (unsigned long long)props->local_mem);
  const size_t ws = ob_conv_direct_ws_bytes(&c, s, pass);
  if (ws > props->max_alloc)
    return ob_fail(OB_ERR_TOO_LARGE, "conv direct: %zu bytes of partial sums exceed "
                   "CL_DEVICE_MAX_MEM_ALLOC_SIZE", ws);
  return OB_OK;
}

void ob_conv_direct_destroy(ob_conv_direct *d) {
  if (!d) return;
  if (d->main) clReleaseKernel(d->main);
  if (d->sum) clReleaseKernel(d->sum);
  free(d);
}

/* CL_KERNEL_WORK_GROUP_SIZE of a built kernel on dev. */
static ob_status kernel_wg(ob_device *dev, cl_kernel k, size_t *out) {
  return OB_CL(clGetKernelWorkGroupInfo(k, ob_device_id(dev), CL_KERNEL_WORK_GROUP_SIZE,
                                        sizeof *out, out, NULL));
}

static ob_status build(ob_conv_plan *p, const ob_conv_config *c, ob_conv_direct *d) {
  const ob_conv_shape *s = &p->shape;
  const bool data = p->pass == OB_CONV_BACKWARD_DATA;
  char opts[256];
  int len = snprintf(opts, sizeof opts, "-DCG=%d -DKG=%d -DFR=%d -DFS=%d -DSTRIDE=%d -DPAD=%d%s",
                     s->c / s->groups, s->k / s->groups, s->r, s->s, s->stride, s->pad,
                     p->view.storage == OB_CONV_FP16 ? " -DHALF_IO=1" : "");
  if (data) {
    const int oxlo = floor_div(s->pad - s->s + 1, s->stride);
    const int nox = floor_div(c->px * s->stride - 1 + s->pad, s->stride) - oxlo + 1;
    snprintf(opts + len, sizeof opts - (size_t)len, " -DPX=%d -DOXLO=%d -DNOX=%d", c->px, oxlo,
             nox);
  } else {
    snprintf(opts + len, sizeof opts - (size_t)len, " -DKB=%d", c->kb);
  }
  d->param = data ? c->px : c->kb;
  const char *files = "conv_aux.cl conv_direct.cl"; /* conv_aux.cl: the HALF_IO loads, stores */
  OB_TRY(ob_kernel_create(p->dev, files, opts, data ? "conv_direct_data" : "conv_direct_weight",
                          &d->main));
  if (!data) OB_TRY(ob_kernel_create(p->dev, files, opts, "conv_direct_sum", &d->sum));
  return OB_OK;
}

ob_status ob_conv_direct_make(ob_conv_plan *p, const ob_conv_config *cfg) {
  OB_TRY(ob_conv_direct_fits(cfg, &p->shape, p->pass, p->view.storage, p->dev));
  const ob_conv_config c = ob_conv_direct_resolve(cfg, &p->shape, p->pass, p->dev);
  const int param = p->pass == OB_CONV_BACKWARD_DATA ? c.px : c.kb;
  if (p->direct && p->direct->param == param) return OB_OK;
  ob_conv_direct_destroy(p->direct);
  p->direct = calloc(1, sizeof *p->direct);
  if (!p->direct) return ob_fail(OB_ERR_NOMEM, "out of memory");
  return build(p, &c, p->direct);
}

/* The data gradient: strips of SPAN pixels along dimension 0 in work-groups wx wide and as
 * many rows tall as the kernel allows (up to 256 work-items), rows of dx along 1, images and
 * groups along 2. */
static ob_status enqueue_data(ob_conv_plan *p, const ob_conv_config *c, cl_mem w, cl_mem dy,
                              cl_mem dx, cl_event *first, cl_event *last) {
  const ob_conv_shape *s = &p->shape;
  cl_kernel k = p->direct->main;
  size_t limit = 0;
  OB_TRY(kernel_wg(p->dev, k, &limit));
  const int strips = ceil_div(s->w, c->px * s->stride);
  size_t lx = (size_t)c->wx;
  if (lx > (size_t)strips) lx = (size_t)strips;
  if (lx > limit) lx = limit;
  size_t ly = (limit < 256 ? limit : 256) / lx;
  if (ly > (size_t)s->h) ly = (size_t)s->h;
  if (ly < 1) ly = 1;
  OB_TRY(ob_kernel_fits(p->dev, k, lx * ly, filter_bytes(s), "conv_direct_data"));
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s);
  const ob_kernel_arg args[] = {OB_KARG(dy),   OB_KARG(w),    OB_KARG(dx),
                                OB_KARG_LOCAL(filter_bytes(s)), OB_KARG(s->groups),
                                OB_KARG(s->h), OB_KARG(s->w), OB_KARG(P), OB_KARG(Q)};
  OB_TRY(ob_kernel_set_args(k, 0, args, sizeof args / sizeof *args));
  const size_t local[3] = {lx, ly, 1};
  const size_t global[3] = {(size_t)ceil_div(strips, (int)lx) * lx,
                            (size_t)ceil_div(s->h, (int)ly) * ly,
                            (size_t)s->n * (size_t)s->groups};
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel(p->dev, k, 3, global, local, &ev));
  return ob_conv_track_event(ev, first, last);
}

/* The weight gradient: parts along dimension 0 (wx work-items each), owners along 1 (as many
 * per work-group as the kernel allows, up to 256 work-items), groups along 2; then, with
 * several partial sums per element (parts x wx), their sums. */
static ob_status enqueue_weight(ob_conv_plan *p, const ob_conv_config *c, cl_mem ws, cl_mem dy,
                                cl_mem x, cl_mem dw, cl_event *first, cl_event *last) {
  const ob_conv_shape *s = &p->shape;
  cl_kernel k = p->direct->main;
  size_t limit = 0;
  OB_TRY(kernel_wg(p->dev, k, &limit));
  const size_t J = (size_t)c->wx;
  if (J > limit)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv direct: wx=%d above the kernel's %zu work-items",
                   c->wx, limit);
  const int Cg = s->c / s->groups, Kg = s->k / s->groups;
  const size_t owners = (size_t)Cg * (size_t)ceil_div(Kg, c->kb);
  size_t O = (limit < 256 ? limit : 256) / J;
  if (O > owners) O = owners;
  OB_TRY(ob_kernel_fits(p->dev, k, J * O, 0, "conv_direct_weight"));
  const int P = ob_conv_out_h(s), rows = s->n * P, parts = c->split;
  const int ncols = parts * c->wx; /* partial sums per element */
  const int Q = ob_conv_out_w(s), per_part = ceil_div(rows, parts);
  const cl_mem partial = ncols > 1 ? ws : NULL;
  const ob_kernel_arg args[] = {OB_KARG(x),        OB_KARG(dy),   OB_KARG(partial),
                                OB_KARG(dw),       OB_KARG(s->groups), OB_KARG(s->n),
                                OB_KARG(s->h),     OB_KARG(s->w), OB_KARG(P),
                                OB_KARG(Q),        OB_KARG(per_part)};
  OB_TRY(ob_kernel_set_args(k, 0, args, sizeof args / sizeof *args));
  const size_t local[3] = {J, O, 1};
  const size_t global[3] = {J * (size_t)parts, (owners + O - 1) / O * O, (size_t)s->groups};
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel(p->dev, k, 3, global, local, &ev));
  OB_TRY(ob_conv_track_event(ev, first, last));
  if (ncols == 1) return OB_OK;
  cl_kernel sum = p->direct->sum;
  size_t L = 0;
  OB_TRY(kernel_wg(p->dev, sum, &L));
  if (L > 64) L = 64;
  while (L & (L - 1)) L &= L - 1; /* a power of two for the tree */
  const ob_kernel_arg sargs[] = {OB_KARG(ws), OB_KARG(dw), OB_KARG(ncols),
                                 OB_KARG_LOCAL(L * sizeof(float))};
  OB_TRY(ob_kernel_set_args(sum, 0, sargs, sizeof sargs / sizeof *sargs));
  const size_t sglobal = ob_conv_filter_elems(s) * L;
  OB_TRY(ob_enqueue_kernel(p->dev, sum, 1, &sglobal, &L, &ev));
  return ob_conv_track_event(ev, first, last);
}

ob_status ob_conv_direct_enqueue(ob_conv_plan *p, const ob_conv_config *cfg, cl_mem ws,
                                 cl_mem A, cl_mem B, cl_mem C, cl_event *first, cl_event *last) {
  *first = *last = NULL;
  if (!p->direct) return ob_fail(OB_ERR_INVALID, "conv: the plan has no direct kernels");
  const ob_conv_config c = ob_conv_direct_resolve(cfg, &p->shape, p->pass, p->dev);
  if (p->pass == OB_CONV_BACKWARD_DATA) return enqueue_data(p, &c, A, B, C, first, last);
  return enqueue_weight(p, &c, ws, A, B, C, first, last);
}
