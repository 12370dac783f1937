/* Own 2-D convolution plans: the GEMM view of each pass, index tables, kernels, enqueues. */
#include "conv_plan.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A table entry no position matches: its h and w put every B element out of bounds. */
#define SENTINEL (1 << 29)

static int ceil_div(int a, int b) { return (a + b - 1) / b; }

/* Output rows of the data gradient in stride phase ph: h = ph + stride * i < h_total. */
static int phase_extent(int total, int ph, int stride) {
  return ph < total ? ceil_div(total - ph, stride) : 0;
}

/* Taps r of an r_total-tap kernel that reach phase ph: (ph + pad - r) divisible by stride. */
static int phase_taps(int r_total, int ph, int pad, int stride) {
  int n = 0;
  for (int r = 0; r < r_total; r++) n += (ph + pad - r) % stride == 0;
  return n;
}

/* Lays the phases out in the tables: each phase's rows padded by OB_CONV_ROW_PAD sentinels,
 * its columns rounded up to OB_CONV_COL_PAD. */
static void layout_phases(ob_conv_view *v) {
  int row = 0, col = 0;
  v->N = v->Kd = 0;
  for (int i = 0; i < v->nphases; i++) {
    ob_conv_phase *ph = &v->phase[i];
    ph->row0 = row;
    ph->col0 = col;
    row += ph->Kd + OB_CONV_ROW_PAD;
    col += ceil_div(ph->N, OB_CONV_COL_PAD) * OB_CONV_COL_PAD;
    if (ph->N > v->N) v->N = ph->N;
    if (ph->Kd > v->Kd) v->Kd = ph->Kd;
  }
  v->nrows = row;
  v->ncols = col;
}

ob_status ob_conv_view_make(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage storage,
                            ob_conv_view *v) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s);
  const int G = s->groups, Cg = s->c / G, Kg = s->k / G;
  const int HW = s->h * s->w, PQ = P * Q, RS = s->r * s->s, S = s->stride;
  memset(v, 0, sizeof *v);
  v->storage = storage;
  v->groups = G;
  v->nphases = 1;
  switch (pass) {
  case OB_CONV_FORWARD: /* C = y [Kg x n*PQ], A = w, B = im2col(x) */
    v->M = Kg, v->phase[0].N = s->n * PQ, v->phase[0].Kd = Cg * RS;
    v->a_ms = Cg * RS, v->a_gs = Kg * Cg * RS, v->b_gs = Cg * HW;
    v->c_ms = PQ, v->c_gs = Kg * PQ;
    v->BH = s->h, v->BW = s->w, v->BP = s->w;
    v->c_total = (int)ob_conv_output_elems(s);
    v->a_elems = ob_conv_filter_elems(s), v->b_elems = ob_conv_input_elems(s);
    v->bias_div = PQ, v->bias_mod = s->k;
    v->adense = v->a_ms % 4 == 0; /* rowtab[kk].w == kk (fill_taps) */
    break;
  case OB_CONV_BACKWARD_DATA: /* per phase: C = dx [Cg x n*H'W'], A = w^T, B = dy gathered */
    if (S * S > OB_CONV_MAX_PHASES)
      return ob_fail(OB_ERR_UNSUPPORTED, "conv backward_data: stride %d above %d", S, 8);
    v->nphases = S * S;
    for (int ph = 0; ph < S; ph++)
      for (int pw = 0; pw < S; pw++) {
        ob_conv_phase *f = &v->phase[ph * S + pw];
        f->N = s->n * phase_extent(s->h, ph, S) * phase_extent(s->w, pw, S);
        f->Kd = Kg * phase_taps(s->r, ph, s->pad, S) * phase_taps(s->s, pw, s->pad, S);
      }
    v->M = Cg;
    v->a_ms = RS, v->a_gs = Kg * Cg * RS, v->b_gs = Kg * PQ;
    v->c_ms = HW, v->c_gs = Cg * HW;
    v->BH = P, v->BW = Q, v->BP = Q;
    v->c_total = (int)ob_conv_input_elems(s);
    v->a_elems = ob_conv_filter_elems(s), v->b_elems = ob_conv_output_elems(s);
    v->bias_div = HW, v->bias_mod = s->c;
    break;
  case OB_CONV_BACKWARD_WEIGHT: /* C = dw [Kg x Cg*RS], A = dy, B = im2col(x)^T */
    v->M = Kg, v->phase[0].N = Cg * RS, v->phase[0].Kd = s->n * PQ;
    v->a_ms = PQ, v->a_gs = Kg * PQ, v->b_gs = Cg * HW;
    v->c_ms = Cg * RS, v->c_gs = Kg * Cg * RS;
    v->BH = s->h, v->BW = s->w, v->BP = s->w;
    v->bkmajor = 1;
    v->c_total = (int)ob_conv_filter_elems(s);
    v->a_elems = ob_conv_output_elems(s), v->b_elems = ob_conv_input_elems(s);
    v->bias_div = Cg * RS, v->bias_mod = s->k;
    break;
  }
  v->tapmask = s->r * s->s <= OB_CONV_MAX_MASK_TAPS;
  layout_phases(v);
  return OB_OK;
}

/* (n, p, q) positions of the output: input offset of the image, top-left input corner. */
static void fill_positions(const ob_conv_shape *s, cl_int4 *t, int count) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s), PQ = P * Q;
  for (int i = 0; i < count; i++) {
    const int n = i / PQ, pq = i % PQ, p = pq / Q, q = pq % Q;
    t[i].s[0] = n * s->c * s->h * s->w;
    t[i].s[1] = p * s->stride - s->pad;
    t[i].s[2] = q * s->stride - s->pad;
    t[i].s[3] = n * s->k * PQ + pq; /* offset in y / dy */
  }
}

/* (c, r, s) taps of one group's filter: input channel offset, tap row and column. */
static void fill_taps(const ob_conv_shape *s, cl_int4 *t, int count) {
  const int RS = s->r * s->s;
  for (int i = 0; i < count; i++) {
    const int c = i / RS, rs = i % RS;
    t[i].s[0] = c * s->h * s->w;
    t[i].s[1] = rs / s->s;
    t[i].s[2] = rs % s->s;
    t[i].s[3] = i; /* offset in one filter */
  }
}

/* Data gradient, phase (ph, pw): rows (k, r, s) over the taps of the phase, with the dy row
 * and column offsets they add (exact: the phase makes h + pad - r a multiple of the stride);
 * columns (n, i, j) for input position h = ph + stride i, w = pw + stride j. */
static void fill_data_phase(const ob_conv_shape *s, int ph, int pw, cl_int4 *row, cl_int4 *col) {
  const int P = ob_conv_out_h(s), Q = ob_conv_out_w(s), PQ = P * Q, HW = s->h * s->w;
  const int RS = s->r * s->s, Cg = s->c / s->groups, Kg = s->k / s->groups, S = s->stride;
  int n_rows = 0;
  for (int k = 0; k < Kg; k++)
    for (int r = 0; r < s->r; r++)
      for (int t = 0; t < s->s; t++) {
        if ((ph + s->pad - r) % S || (pw + s->pad - t) % S) continue;
        cl_int4 *e = &row[n_rows++];
        e->s[0] = k * PQ;
        e->s[1] = (ph + s->pad - r) / S;
        e->s[2] = (pw + s->pad - t) / S;
        e->s[3] = k * Cg * RS + r * s->s + t; /* w[k][c][r][s] for c = 0 */
      }
  const int hi = phase_extent(s->h, ph, S), wj = phase_extent(s->w, pw, S);
  for (int i = 0; i < s->n * hi * wj; i++) {
    const int n = i / (hi * wj), y = i % (hi * wj) / wj, x = i % wj;
    const int h = ph + S * y, w = pw + S * x;
    col[i].s[0] = n * s->k * PQ;
    col[i].s[1] = y;
    col[i].s[2] = x;
    col[i].s[3] = n * s->c * HW + h * s->w + w;
  }
}

/* Folds the positions into the offsets: x += h * pitch + w, so that the kernel's B address
 * is rt.x + ct.x while h and w stay for the bounds test. */
static void fold_offsets(cl_int4 *t, int count, int pitch) {
  for (int i = 0; i < count; i++) t[i].s[0] += t[i].s[1] * pitch + t[i].s[2];
}

/* Entries no element matches: positions out of every bound, or (tap masks) no tap bit. */
static void fill_sentinels(cl_int4 *t, int from, int to, int tapmask) {
  for (int i = from; i < to; i++) {
    t[i].s[0] = 0;
    t[i].s[1] = tapmask ? 0 : SENTINEL;
    t[i].s[2] = tapmask ? 0 : SENTINEL;
    t[i].s[3] = 0;
  }
}

/* Tap masks (TAPMASK in cl_kernels/conv_gemm.cl) for one phase: each distinct (h, w) of the
 * tap table gets a bit (at most OB_CONV_MAX_MASK_TAPS of them: v->tapmask); a tap entry's h
 * becomes its bit, a position entry's h the bits of the taps that keep it inside BH x BW. */
static void make_tap_masks(cl_int4 *tap, int ntap, cl_int4 *pos, int npos, int BH, int BW) {
  int th[OB_CONV_MAX_MASK_TAPS], tw[OB_CONV_MAX_MASK_TAPS], nt = 0;
  for (int i = 0; i < ntap; i++) {
    int b = 0;
    while (b < nt && !(th[b] == tap[i].s[1] && tw[b] == tap[i].s[2])) b++;
    if (b == nt) {
      th[nt] = tap[i].s[1];
      tw[nt++] = tap[i].s[2];
    }
    tap[i].s[1] = 1 << b;
    tap[i].s[2] = 0;
  }
  for (int j = 0; j < npos; j++) {
    int mask = 0;
    for (int b = 0; b < nt; b++)
      if ((unsigned)(th[b] + pos[j].s[1]) < (unsigned)BH &&
          (unsigned)(tw[b] + pos[j].s[2]) < (unsigned)BW)
        mask |= 1 << b;
    pos[j].s[1] = mask;
    pos[j].s[2] = 0;
  }
}

/* Fills both tables for the pass (see cl_kernels/conv_gemm.cl), sentinels included. */
static void fill_tables(const ob_conv_shape *s, ob_conv_pass pass, const ob_conv_view *v,
                        cl_int4 *row, cl_int4 *col) {
  fill_sentinels(row, 0, v->nrows, v->tapmask);
  fill_sentinels(col, 0, v->ncols, v->tapmask);
  const ob_conv_phase *f = &v->phase[0];
  switch (pass) {
  case OB_CONV_FORWARD:
    fill_taps(s, row, f->Kd);
    fill_positions(s, col, f->N);
    break;
  case OB_CONV_BACKWARD_WEIGHT:
    fill_positions(s, row, f->Kd);
    fill_taps(s, col, f->N);
    break;
  case OB_CONV_BACKWARD_DATA:
    for (int ph = 0; ph < s->stride; ph++)
      for (int pw = 0; pw < s->stride; pw++) {
        f = &v->phase[ph * s->stride + pw];
        fill_data_phase(s, ph, pw, row + f->row0, col + f->col0);
      }
    break;
  }
  for (int i = 0; i < v->nphases; i++) {
    f = &v->phase[i];
    fold_offsets(row + f->row0, f->Kd, v->BP);
    fold_offsets(col + f->col0, f->N, v->BP);
    if (!v->tapmask) continue;
    if (pass == OB_CONV_BACKWARD_WEIGHT) /* taps are the columns */
      make_tap_masks(col + f->col0, f->N, row + f->row0, f->Kd, v->BH, v->BW);
    else
      make_tap_masks(row + f->row0, f->Kd, col + f->col0, f->N, v->BH, v->BW);
  }
}

static ob_status upload_tables(ob_conv_plan *p) {
  const ob_conv_view *v = &p->view;
  cl_int4 *row = malloc((size_t)v->nrows * sizeof *row);
  cl_int4 *col = malloc((size_t)v->ncols * sizeof *col);
  ob_status st = OB_OK;
  if (!row || !col) st = ob_fail(OB_ERR_NOMEM, "out of memory for conv index tables");
  if (st == OB_OK) {
    fill_tables(&p->shape, p->pass, v, row, col);
    const cl_mem_flags fl = CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR;
    st = ob_buffer_create(p->dev, fl, (size_t)v->nrows * sizeof *row, row, &p->rowtab);
    if (st == OB_OK)
      st = ob_buffer_create(p->dev, fl, (size_t)v->ncols * sizeof *col, col, &p->coltab);
  }
  free(row);
  free(col);
  return st;
}

int ob_conv_split_of(const ob_conv_config *cfg) { return cfg->split > 1 ? cfg->split : 1; }

size_t ob_conv_ws_bytes(const ob_conv_config *cfg, const ob_conv_view *v) {
  const int split = ob_conv_split_of(cfg);
  return split > 1 ? (size_t)split * (size_t)v->c_total * sizeof(float) : 0;
}

size_t ob_conv_plan_ws_bytes(const ob_conv_plan *p, const ob_conv_config *cfg) {
  if (cfg->algo == OB_CONV_ALGO_DIRECT) return ob_conv_direct_ws_bytes(cfg, &p->shape, p->pass);
  return ob_conv_ws_bytes(cfg, ob_conv_gemm_view(p, cfg));
}

size_t ob_conv_config_local_bytes(const ob_conv_config *c) {
  return (size_t)2 * c->tk * ((size_t)(c->tm + 4) + (size_t)(c->tn + 4)) * sizeof(float);
}

ob_status ob_conv_config_fits(const ob_conv_config *cfg, const ob_conv_view *v,
                              const ob_device *dev) {
  OB_TRY(ob_tune_check(&ob_conv_family, cfg, NULL));
  const ob_device_props *props = ob_device_props_get(dev);
  const size_t nt = (size_t)(cfg->tm / cfg->wm) * (size_t)(cfg->tn / cfg->wn);
  if (nt > props->max_wg)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv config needs %zu work-items per group, the "
                   "device allows %zu", nt, props->max_wg);
  if (ob_conv_config_local_bytes(cfg) > props->local_mem)
    return ob_fail(OB_ERR_UNSUPPORTED, "conv config needs %zu bytes of local memory, the "
                   "device has %llu", ob_conv_config_local_bytes(cfg),
                   (unsigned long long)props->local_mem);
  /* Fetching B along N, work-items cover runs of 32 columns where the tile allows, else of
   * tn (BJ in cl_kernels/conv_gemm.cl). */
  const bool warp_runs = cfg->tn > 32 && cfg->tn % 32 == 0 && (size_t)cfg->tk * 32 % nt == 0;
  if (!v->bkmajor && nt % (size_t)(warp_runs ? 32 : cfg->tn))
    return ob_fail(OB_ERR_UNSUPPORTED, "conv config: this pass needs the work-group size "
                   "(%zu) to be a multiple of tn=%d", nt, cfg->tn);
  const double ws = (double)ob_conv_split_of(cfg) * v->c_total;
  if (ws >= (double)INT_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "conv config: split workspace reaches 2^31 elements");
  if (ob_conv_ws_bytes(cfg, v) > props->max_alloc)
    return ob_fail(OB_ERR_TOO_LARGE, "conv config: split workspace of %zu bytes exceeds "
                   "CL_DEVICE_MAX_MEM_ALLOC_SIZE", ob_conv_ws_bytes(cfg, v));
  return OB_OK;
}

ob_status ob_conv_track_event(cl_event ev, cl_event *first, cl_event *last) {
  if (!*first) {
    *first = ev;
    OB_TRY(OB_CL(clRetainEvent(ev)));
  }
  if (*last) clReleaseEvent(*last);
  *last = ev;
  return OB_OK;
}

/* ob_kernel_create; a half-storage program that does not build (a driver without working
 * vload_half / vstore_half_rte) is OB_ERR_UNSUPPORTED, a skipped row, as for fp16 Adam. */
static ob_status create_kernel(ob_device *dev, ob_conv_storage storage, const char *file,
                               const char *opts, const char *name, cl_kernel *out) {
  const ob_status st = ob_kernel_create(dev, file, opts, name, out);
  if (st != OB_ERR_BUILD || storage != OB_CONV_FP16) return st;
  char why[256];
  snprintf(why, sizeof why, "%s", ob_error_detail());
  return ob_fail(OB_ERR_UNSUPPORTED, "conv: no half support: the fp16 kernel (vload_half, "
                 "vstore_half_rte) does not build: %s", why);
}

ob_status ob_conv_gemm_kernel(ob_device *dev, const ob_conv_view *v, const ob_conv_config *cfg,
                              cl_kernel *out) {
  *out = NULL;
  const size_t nt = (size_t)(cfg->tm / cfg->wm) * (size_t)(cfg->tn / cfg->wn);
  /* float4 fetches of A along the reduction: whole float4s per work-item and step. */
  const int adense = v->adense && cfg->tk % 4 == 0 && (size_t)cfg->tm * cfg->tk % (4 * nt) == 0;
  char opts[208], defines[128];
  ob_tune_defines(&ob_conv_family, cfg, defines, sizeof defines);
  snprintf(opts, sizeof opts, "%s -DBKMAJOR=%d -DADENSE=%d -DTAPMASK=%d%s", defines, v->bkmajor,
           adense, v->tapmask, v->storage == OB_CONV_FP16 ? " -DHALF_IO=1" : "");
  cl_kernel k = NULL;
  OB_TRY(create_kernel(dev, v->storage, "conv_gemm.cl", opts, "conv_gemm", &k));
  char what[260];
  snprintf(what, sizeof what, "conv_gemm with %s", opts);
  const ob_status st = ob_kernel_fits(dev, k, nt, 0, what);
  if (st != OB_OK) {
    clReleaseKernel(k);
    return st;
  }
  *out = k;
  return OB_OK;
}

ob_status ob_conv_enqueue_gemm(ob_conv_plan *p, cl_kernel gemm, const ob_conv_config *cfg,
                               cl_mem ws, cl_mem A, cl_mem B, cl_mem C, cl_mem bias,
                               cl_event *first, cl_event *last) {
  *first = *last = NULL;
  const ob_conv_view *v = &p->view;
  const int split = ob_conv_split_of(cfg);
  const int has_bias = bias && split == 1;
  const cl_mem out = split > 1 ? ws : C, gbias = has_bias ? bias : NULL;
  const int c_split = split > 1 ? v->c_total : 0;
  /* The work-group shape of conv_gemm.cl: NTX x NTY when a warp covers whole rows of at least
   * 16 work-items of the grid (wtx == NTX >= 16), else NT x 1. */
  const size_t ntx = (size_t)(cfg->tn / cfg->wn), nty = (size_t)(cfg->tm / cfg->wm);
  const bool rows = ntx == (size_t)cfg->wtx && ntx >= 16;
  const size_t local[3] = {rows ? ntx : ntx * nty, rows ? nty : 1, 1};
  for (int i = 0; i < v->nphases; i++) {
    const ob_conv_phase *f = &v->phase[i];
    if (f->N == 0) continue; /* a phase without outputs (input smaller than the stride) */
    const int kchunk = ceil_div(ceil_div(f->Kd, split), cfg->tk) * cfg->tk;
    const ob_kernel_arg args[] = {
        OB_KARG(A),       OB_KARG(B),       OB_KARG(out),     OB_KARG(gbias),   OB_KARG(p->rowtab),
        OB_KARG(p->coltab), OB_KARG(v->M),  OB_KARG(f->N),    OB_KARG(f->Kd),   OB_KARG(kchunk),
        OB_KARG(split),   OB_KARG(v->a_ms), OB_KARG(v->c_ms), OB_KARG(v->a_gs), OB_KARG(v->b_gs),
        OB_KARG(v->c_gs), OB_KARG(c_split), OB_KARG(v->BH),   OB_KARG(v->BW),   OB_KARG(has_bias),
        OB_KARG(f->row0), OB_KARG(f->col0)};
    OB_TRY(ob_kernel_set_args(gemm, 0, args, sizeof args / sizeof *args));
    const size_t global[3] = {(size_t)ceil_div(f->N, cfg->tn) * local[0],
                              (size_t)ceil_div(v->M, cfg->tm) * local[1],
                              (size_t)v->groups * (size_t)split};
    cl_event ev = NULL;
    OB_TRY(ob_enqueue_kernel(p->dev, gemm, 3, global, local, &ev));
    OB_TRY(ob_conv_track_event(ev, first, last));
  }
  if (split == 1) return OB_OK;
  const int rbias = bias != NULL;
  const ob_kernel_arg rargs[] = {OB_KARG(ws),    OB_KARG(C),           OB_KARG(v->c_total),
                                 OB_KARG(split), OB_KARG(bias),        OB_KARG(rbias),
                                 OB_KARG(v->bias_div), OB_KARG(v->bias_mod)};
  OB_TRY(ob_kernel_set_args(p->reduce, 0, rargs, sizeof rargs / sizeof *rargs));
  const size_t wg = ob_device_wg_size(p->dev, p->reduce, 256);
  const size_t rglobal = (size_t)ceil_div(v->c_total, (int)wg) * wg;
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel(p->dev, p->reduce, 1, &rglobal, &wg, &ev));
  return ob_conv_track_event(ev, first, last);
}

void ob_conv_plan_destroy(ob_conv_plan *p) {
  if (!p) return;
  if (p->dev && ob_device_queue(p->dev)) clFinish(ob_device_queue(p->dev));
  if (p->first) clReleaseEvent(p->first);
  if (p->last) clReleaseEvent(p->last);
  if (p->gemm) clReleaseKernel(p->gemm);
  if (p->reduce) clReleaseKernel(p->reduce);
  if (p->bias_grad) clReleaseKernel(p->bias_grad);
  ob_conv_wino_destroy(p->wino[0]);
  ob_conv_wino_destroy(p->wino[1]);
  ob_conv_direct_destroy(p->direct);
  ob_buffer_release(p->dev, p->rowtab);
  ob_buffer_release(p->dev, p->coltab);
  ob_buffer_release(p->dev, p->ws);
  free(p);
}

const ob_conv_view *ob_conv_gemm_view(const ob_conv_plan *p, const ob_conv_config *cfg) {
  const int m = ob_conv_algo_tile(cfg->algo);
  const ob_conv_wino *w = m ? p->wino[m / 4] : NULL;
  return w ? &w->inner->view : &p->view;
}

ob_status ob_conv_plan_make(ob_device *dev, const ob_conv_shape *shape, ob_conv_pass pass,
                            ob_conv_storage storage, ob_conv_plan **out) {
  *out = NULL;
  if ((unsigned)pass >= OB_CONV_NPASSES)
    return ob_fail(OB_ERR_INVALID, "conv: unknown pass %d", (int)pass);
  if (storage != OB_CONV_FP32 && storage != OB_CONV_FP16)
    return ob_fail(OB_ERR_INVALID, "conv: unknown storage type %d", (int)storage);
  OB_TRY(ob_conv_shape_check(shape));
  ob_conv_plan *p = calloc(1, sizeof *p);
  if (!p) return ob_fail(OB_ERR_NOMEM, "out of memory");
  p->dev = dev;
  p->shape = *shape;
  p->pass = pass;
  const char *aux = storage == OB_CONV_FP16 ? "-DHALF_IO=1" : "";
  ob_status st = ob_conv_view_make(shape, pass, storage, &p->view);
  if (st == OB_OK) st = ob_device_open(dev);
  if (st == OB_OK) st = upload_tables(p);
  if (st == OB_OK)
    st = create_kernel(dev, storage, "conv_aux.cl", aux, "conv_split_reduce", &p->reduce);
  if (st == OB_OK)
    st = create_kernel(dev, storage, "conv_aux.cl", aux, "conv_bias_grad", &p->bias_grad);
  if (st != OB_OK) {
    ob_conv_plan_destroy(p);
    return st;
  }
  *out = p;
  return OB_OK;
}

/* The GEMM kernel and split-K workspace of the configuration (and the Winograd parts), or the
 * direct kernels and their partial sums. */
static ob_status plan_configure(ob_conv_plan *p, const ob_conv_config *cfg) {
  p->cfg = *cfg;
  if (cfg->algo == OB_CONV_ALGO_DIRECT) {
    p->cfg = ob_conv_direct_resolve(cfg, &p->shape, p->pass, p->dev);
    OB_TRY(ob_conv_direct_make(p, &p->cfg));
  } else {
    if (ob_conv_algo_tile(cfg->algo)) OB_TRY(ob_conv_wino_make(p, cfg->algo));
    const ob_conv_view *v = ob_conv_gemm_view(p, cfg);
    OB_TRY(ob_conv_config_fits(&p->cfg, v, p->dev));
    OB_TRY(ob_conv_gemm_kernel(p->dev, v, &p->cfg, &p->gemm));
  }
  p->ws_bytes = ob_conv_plan_ws_bytes(p, &p->cfg);
  if (p->ws_bytes)
    OB_TRY(ob_buffer_create(p->dev, CL_MEM_READ_WRITE, p->ws_bytes, NULL, &p->ws));
  return OB_OK;
}

ob_status ob_conv_plan_create(ob_device *dev, const ob_conv_shape *shape, ob_conv_pass pass,
                              ob_conv_storage storage, const ob_conv_config *cfg,
                              ob_conv_plan **out) {
  *out = NULL;
  if (!cfg) return ob_fail(OB_ERR_INVALID, "conv: no configuration (ob_conv_select picks one)");
  ob_conv_plan *p = NULL;
  OB_TRY(ob_conv_plan_make(dev, shape, pass, storage, &p));
  const ob_status st = plan_configure(p, cfg);
  if (st != OB_OK) {
    ob_conv_plan_destroy(p);
    return st;
  }
  *out = p;
  return OB_OK;
}

/* OB_ERR_INVALID unless buf holds at least elems elements of the plan's storage type. */
static ob_status check_buffer(const ob_conv_plan *p, cl_mem buf, size_t elems,
                              const char *what) {
  if (!buf) return ob_fail(OB_ERR_INVALID, "conv: %s buffer is NULL", what);
  size_t size = 0;
  OB_TRY(OB_CL(clGetMemObjectInfo(buf, CL_MEM_SIZE, sizeof size, &size, NULL)));
  const size_t need = elems * ob_conv_storage_bytes(p->view.storage);
  if (size < need)
    return ob_fail(OB_ERR_INVALID, "conv: %s buffer has %zu bytes, the shape needs %zu (%s)",
                   what, size, need, ob_conv_storage_name(p->view.storage));
  return OB_OK;
}

static ob_status check_pass(const ob_conv_plan *p, ob_conv_pass want) {
  if (p->pass != want)
    return ob_fail(OB_ERR_INVALID, "conv: a %s plan cannot run %s", ob_conv_pass_name(p->pass),
                   ob_conv_pass_name(want));
  return OB_OK;
}

static void forget_events(ob_conv_plan *p) {
  if (p->first) clReleaseEvent(p->first);
  if (p->last) clReleaseEvent(p->last);
  p->first = p->last = NULL;
}

static ob_status run_gemm(ob_conv_plan *p, cl_mem A, cl_mem B, cl_mem C, cl_mem bias) {
  forget_events(p);
  return ob_conv_enqueue(p, p->gemm, &p->cfg, p->ws, A, B, C, bias, &p->first, &p->last);
}

ob_status ob_conv_forward(ob_conv_plan *p, cl_mem x, cl_mem w, cl_mem b, cl_mem y) {
  OB_TRY(check_pass(p, OB_CONV_FORWARD));
  OB_TRY(check_buffer(p, x, ob_conv_input_elems(&p->shape), "x"));
  OB_TRY(check_buffer(p, w, ob_conv_filter_elems(&p->shape), "w"));
  OB_TRY(check_buffer(p, y, ob_conv_output_elems(&p->shape), "y"));
  if (b) OB_TRY(check_buffer(p, b, (size_t)p->shape.k, "b"));
  return run_gemm(p, w, x, y, b);
}

ob_status ob_conv_backward_data(ob_conv_plan *p, cl_mem dy, cl_mem w, cl_mem dx) {
  OB_TRY(check_pass(p, OB_CONV_BACKWARD_DATA));
  OB_TRY(check_buffer(p, dy, ob_conv_output_elems(&p->shape), "dy"));
  OB_TRY(check_buffer(p, w, ob_conv_filter_elems(&p->shape), "w"));
  OB_TRY(check_buffer(p, dx, ob_conv_input_elems(&p->shape), "dx"));
  return run_gemm(p, w, dy, dx, NULL);
}

ob_status ob_conv_backward_weight(ob_conv_plan *p, cl_mem x, cl_mem dy, cl_mem dw, cl_mem db) {
  OB_TRY(check_pass(p, OB_CONV_BACKWARD_WEIGHT));
  OB_TRY(check_buffer(p, x, ob_conv_input_elems(&p->shape), "x"));
  OB_TRY(check_buffer(p, dy, ob_conv_output_elems(&p->shape), "dy"));
  OB_TRY(check_buffer(p, dw, ob_conv_filter_elems(&p->shape), "dw"));
  if (db) OB_TRY(check_buffer(p, db, (size_t)p->shape.k, "db"));
  OB_TRY(run_gemm(p, dy, x, dw, NULL));
  if (!db) return OB_OK;
  size_t wg = ob_device_wg_size(p->dev, p->bias_grad, 256);
  while (wg & (wg - 1)) wg &= wg - 1; /* a power of two for the tree reduction */
  const int plane = ob_conv_out_h(&p->shape) * ob_conv_out_w(&p->shape);
  const ob_kernel_arg args[] = {OB_KARG(dy),    OB_KARG(db),         OB_KARG(p->shape.n),
                                OB_KARG(p->shape.k), OB_KARG(plane),
                                OB_KARG_LOCAL(wg * sizeof(float))};
  OB_TRY(ob_kernel_set_args(p->bias_grad, 0, args, sizeof args / sizeof *args));
  const size_t global = (size_t)p->shape.k * wg;
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel(p->dev, p->bias_grad, 1, &global, &wg, &ev));
  clReleaseEvent(p->last);
  p->last = ev;
  return OB_OK;
}

ob_status ob_conv_plan_last_seconds(ob_conv_plan *p, double *seconds) {
  if (!p->first || !p->last) return ob_fail(OB_ERR_INVALID, "conv: the plan has not run yet");
  return ob_events_span(p->first, p->last, seconds);
}

const ob_conv_config *ob_conv_plan_config(const ob_conv_plan *p) { return &p->cfg; }

ob_conv_storage ob_conv_plan_storage(const ob_conv_plan *p) { return p->view.storage; }
