/* The Winograd F(mxm,3x3) algorithm of the own convolution (cl_kernels/conv_winograd.cl), for
 * output tiles m = 2 (algo=winograd) and m = 4 (algo=winograd4): which shapes it runs, the
 * grouped 1x1 convolution its (m + 2)^2 GEMMs are, its plan parts and enqueue.
 *
 * The data gradient of a stride-1 convolution is the forward convolution of dy with the
 * filters rotated by 180 degrees and their k and c swapped, padded by 2 - pad: the same
 * transforms, the filter transform reading w flipped. The weight gradient transforms x as
 * the forward pass does and dy's m x m tiles to (m + 2) x (m + 2), reduces over the tiles
 * with the weight gradient of the same grouped 1x1 convolution, and transforms the sums to
 * 3x3. */
#include "conv_plan.h"

#include <stdio.h>
#include <stdlib.h>

int ob_conv_algo_tile(int algo) {
  return algo == OB_CONV_ALGO_WINOGRAD ? 2 : algo == OB_CONV_ALGO_WINOGRAD4 ? 4 : 0;
}

/* The forward convolution the transforms run for a pass of s, and its m x m tiles. */
static void wino_forward(const ob_conv_shape *s, ob_conv_pass pass, int m, ob_conv_shape *fwd,
                         int *th, int *tw) {
  *fwd = *s;
  if (pass == OB_CONV_BACKWARD_DATA) {
    const ob_conv_shape d = {s->n, s->k, ob_conv_out_h(s), ob_conv_out_w(s), s->c, 3, 3, 1,
                             2 - s->pad, 1};
    *fwd = d;
  }
  *th = (ob_conv_out_h(fwd) + m - 1) / m;
  *tw = (ob_conv_out_w(fwd) + m - 1) / m;
}

/* x as an int, or 2^30 when larger (then the shape check refuses the sizes). */
static int clamped(double x) { return x < 0x1p30 ? (int)x : 1 << 30; }

/* The NE = (m + 2)^2 GEMMs M_e = U_e V_e as a convolution: x = V [1][NE C][1][P],
 * w = U [NE K][C][1][1] in NE groups, y = M [1][NE K][1][P]. */
static ob_conv_shape inner_shape(const ob_conv_shape *fwd, int m, int th, int tw) {
  const int ne = (m + 2) * (m + 2);
  const ob_conv_shape in = {1, clamped((double)ne * fwd->c), 1,
                            clamped((double)fwd->n * th * tw), clamped((double)ne * fwd->k), 1,
                            1, 1, 0, ne};
  return in;
}

/* The pass of the grouped 1x1 convolution: the weight gradient's, else the forward one. */
static ob_conv_pass inner_pass(ob_conv_pass pass) {
  return pass == OB_CONV_BACKWARD_WEIGHT ? OB_CONV_BACKWARD_WEIGHT : OB_CONV_FORWARD;
}

ob_status ob_conv_winograd_check(const ob_conv_shape *s, ob_conv_pass pass,
                                 ob_conv_storage storage, int algo) {
  const int m = ob_conv_algo_tile(algo);
  if (!m) return ob_fail(OB_ERR_INVALID, "conv winograd: algo %d is not a Winograd one", algo);
  if (storage != OB_CONV_FP32)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv winograd: fp32 storage only");
  if (s->r != 3 || s->s != 3 || s->stride != 1 || s->groups != 1)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv winograd: 3x3 filters, stride 1 and groups 1 "
                   "only (the shape has %dx%d, stride %d, groups %d)", s->r, s->s, s->stride,
                   s->groups);
  if (pass == OB_CONV_BACKWARD_DATA && s->pad > 2)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv winograd: the data gradient needs pad <= 2 "
                   "(the shape has %d)", s->pad);
  ob_conv_shape fwd;
  int th = 0, tw = 0;
  wino_forward(s, pass, m, &fwd, &th, &tw);
  const ob_conv_shape in = inner_shape(&fwd, m, th, tw);
  const ob_status st = ob_conv_shape_check(&in);
  if (st != OB_OK)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv winograd: workspaces too large: %s",
                   ob_error_detail());
  return OB_OK;
}

ob_status ob_conv_algo_view(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage storage,
                            int algo, ob_conv_view *v) {
  const int m = ob_conv_algo_tile(algo);
  if (!m) return ob_conv_view_make(s, pass, storage, v);
  OB_TRY(ob_conv_winograd_check(s, pass, storage, algo));
  ob_conv_shape fwd;
  int th = 0, tw = 0;
  wino_forward(s, pass, m, &fwd, &th, &tw);
  const ob_conv_shape in = inner_shape(&fwd, m, th, tw);
  return ob_conv_view_make(&in, inner_pass(pass), storage, v);
}

void ob_conv_wino_destroy(ob_conv_wino *w) {
  if (!w) return;
  ob_device *dev = w->inner ? w->inner->dev : NULL;
  if (w->input) clReleaseKernel(w->input);
  if (w->other) clReleaseKernel(w->other);
  if (w->output) clReleaseKernel(w->output);
  ob_buffer_release(dev, w->v);
  ob_buffer_release(dev, w->u);
  ob_buffer_release(dev, w->m);
  ob_conv_plan_destroy(w->inner);
  free(w);
}

/* A device buffer of n floats. */
static ob_status workspace(ob_device *dev, size_t n, cl_mem *out) {
  return ob_buffer_create(dev, CL_MEM_READ_WRITE, n * sizeof(float), NULL, out);
}

static ob_status wino_fill(ob_conv_plan *p, int m, ob_conv_wino *w) {
  wino_forward(&p->shape, p->pass, m, &w->fwd, &w->th, &w->tw);
  w->flip = p->pass == OB_CONV_BACKWARD_DATA;
  const ob_conv_shape in = inner_shape(&w->fwd, m, w->th, w->tw);
  w->tiles = in.w;
  const bool wgrad = p->pass == OB_CONV_BACKWARD_WEIGHT;
  char opt[32];
  snprintf(opt, sizeof opt, "-DWINO_M=%d", m);
  OB_TRY(ob_conv_plan_make(p->dev, &in, inner_pass(p->pass), OB_CONV_FP32, &w->inner));
  OB_TRY(ob_kernel_create(p->dev, "conv_winograd.cl", opt, "wino_input", &w->input));
  OB_TRY(ob_kernel_create(p->dev, "conv_winograd.cl", opt, wgrad ? "wino_dy" : "wino_filter",
                          &w->other));
  OB_TRY(ob_kernel_create(p->dev, "conv_winograd.cl", opt, wgrad ? "wino_dw" : "wino_output",
                          &w->output));
  OB_TRY(workspace(p->dev, ob_conv_input_elems(&in), &w->v));
  OB_TRY(workspace(p->dev, ob_conv_filter_elems(&in), &w->u));
  return workspace(p->dev, ob_conv_output_elems(&in), &w->m);
}

ob_status ob_conv_wino_make(ob_conv_plan *p, int algo) {
  OB_TRY(ob_conv_winograd_check(&p->shape, p->pass, p->view.storage, algo));
  const int m = ob_conv_algo_tile(algo);
  if (p->wino[m / 4]) return OB_OK;
  ob_conv_wino *w = calloc(1, sizeof *w);
  if (!w) return ob_fail(OB_ERR_NOMEM, "out of memory");
  const ob_status st = wino_fill(p, m, w);
  if (st != OB_OK) {
    ob_conv_wino_destroy(w);
    return st;
  }
  p->wino[m / 4] = w;
  return OB_OK;
}

/* Enqueues a transform over tiles (dimension 0, in work-groups along it) by rows (dimension
 * 1), or over an exact 2-D range (tiles 0); *ev receives its event. */
static ob_status launch(ob_device *dev, cl_kernel k, int tiles, int d0, int rows, cl_event *ev) {
  size_t global[2] = {(size_t)d0, (size_t)rows}, local[2] = {1, 1};
  if (tiles > 0) {
    local[0] = ob_device_wg_size(dev, k, 64);
    global[0] = ((size_t)tiles + local[0] - 1) / local[0] * local[0];
  }
  return ob_enqueue_kernel(dev, k, 2, global, tiles > 0 ? local : NULL, ev);
}

/* The transforms of the two inputs (the filter's or dy's first), the GEMMs, the output's
 * transform (see ob_conv_enqueue). Forward and data gradient: U from w (A), V from x or dy
 * (B), M = U V, C from M; weight gradient: DY from dy (A) into m, V from x (B), u = the
 * weight gradient of the grouped 1x1 convolution over the tiles, dw (C) from u. */
static ob_status wino_enqueue(ob_conv_plan *p, cl_kernel gemm, const ob_conv_config *cfg,
                              cl_mem ws, cl_mem A, cl_mem B, cl_mem C, cl_mem bias,
                              cl_event *first, cl_event *last) {
  const int m = ob_conv_algo_tile(cfg->algo);
  ob_conv_wino *w = p->wino[m / 4];
  if (!w) return ob_fail(OB_ERR_INVALID, "conv: the plan has no Winograd F(%dx%d) parts", m, m);
  const ob_conv_shape *f = &w->fwd;
  const int OH = ob_conv_out_h(f), OW = ob_conv_out_w(f), has_bias = bias != NULL;
  const bool wgrad = p->pass == OB_CONV_BACKWARD_WEIGHT;
  cl_event ev = NULL, gfirst = NULL;
  if (wgrad) {
    const ob_kernel_arg args[] = {OB_KARG(A),     OB_KARG(w->m),  OB_KARG(f->k),
                                  OB_KARG(OH),    OB_KARG(OW),    OB_KARG(w->th),
                                  OB_KARG(w->tw), OB_KARG(w->tiles)};
    OB_TRY(ob_kernel_set_args(w->other, 0, args, sizeof args / sizeof *args));
    OB_TRY(launch(p->dev, w->other, w->tiles, 0, f->k, first));
  } else {
    const ob_kernel_arg args[] = {OB_KARG(A), OB_KARG(w->u), OB_KARG(f->k), OB_KARG(f->c),
                                  OB_KARG(w->flip)};
    OB_TRY(ob_kernel_set_args(w->other, 0, args, sizeof args / sizeof *args));
    OB_TRY(launch(p->dev, w->other, 0, f->c, f->k, first));
  }
  const ob_kernel_arg iargs[] = {OB_KARG(B),      OB_KARG(w->v),  OB_KARG(f->c),
                                 OB_KARG(f->h),   OB_KARG(f->w),  OB_KARG(f->pad),
                                 OB_KARG(w->th),  OB_KARG(w->tw), OB_KARG(w->tiles)};
  OB_TRY(ob_kernel_set_args(w->input, 0, iargs, sizeof iargs / sizeof *iargs));
  OB_TRY(launch(p->dev, w->input, w->tiles, 0, f->c, &ev));
  clReleaseEvent(ev);
  const cl_mem ga = wgrad ? w->m : w->u, gc = wgrad ? w->u : w->m;
  OB_TRY(ob_conv_enqueue_gemm(w->inner, gemm, cfg, ws, ga, w->v, gc, NULL, &gfirst, last));
  clReleaseEvent(gfirst);
  clReleaseEvent(*last);
  *last = NULL;
  if (wgrad) {
    const ob_kernel_arg args[] = {OB_KARG(w->u), OB_KARG(C), OB_KARG(f->k), OB_KARG(f->c)};
    OB_TRY(ob_kernel_set_args(w->output, 0, args, sizeof args / sizeof *args));
    return launch(p->dev, w->output, 0, f->c, f->k, last);
  }
  const ob_kernel_arg oargs[] = {OB_KARG(w->m),  OB_KARG(C),     OB_KARG(bias),
                                 OB_KARG(has_bias), OB_KARG(f->k), OB_KARG(OH),
                                 OB_KARG(OW),    OB_KARG(w->th), OB_KARG(w->tw),
                                 OB_KARG(w->tiles)};
  OB_TRY(ob_kernel_set_args(w->output, 0, oargs, sizeof oargs / sizeof *oargs));
  return launch(p->dev, w->output, w->tiles, 0, f->k, last);
}

ob_status ob_conv_enqueue(ob_conv_plan *p, cl_kernel gemm, const ob_conv_config *cfg, cl_mem ws,
                          cl_mem A, cl_mem B, cl_mem C, cl_mem bias, cl_event *first,
                          cl_event *last) {
  *first = *last = NULL;
  if (cfg->algo == OB_CONV_ALGO_DIRECT)
    return ob_conv_direct_enqueue(p, cfg, ws, A, B, C, first, last);
  if (ob_conv_algo_tile(cfg->algo))
    return wino_enqueue(p, gemm, cfg, ws, A, B, C, bias, first, last);
  return ob_conv_enqueue_gemm(p, gemm, cfg, ws, A, B, C, bias, first, last);
}
