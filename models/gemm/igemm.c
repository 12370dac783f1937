/* int8 GEMM handle: dot-mode selection (build and exactness check), argument checks, operand
 * packing and launches. Configurations: igemm_config.c; selection: igemm_tune.c; kernels:
 * cl_kernels/igemm.cl. */
#include "igemm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IGEMM_FILES "paste.cl igemm.cl" /* paste.cl: CAT */

struct ob_igemm {
  ob_device *dev;
  ob_igemm_config cfg;
  ob_igemm_dot dot;
  cl_kernel gemm, pack;
  cl_mem scratch[2];     /* packed A and B */
  size_t scratch_bytes[2];
  int launches;
};

const char *ob_igemm_dot_name(ob_igemm_dot dot) {
  static const char *const names[] = {"auto", "plain", "khr", "ptx"};
  return (unsigned)dot < sizeof names / sizeof *names ? names[dot] : "unknown";
}

static size_t round_up(size_t x, size_t to) { return (x + to - 1) / to * to; }

/* ---------------------------------------------------------------- building */

/* Whether the device may have the mode at all (before a test compile); the configurations
 * without local memory compute with plain vector arithmetic only. */
static bool dot_possible(const ob_device *dev, const ob_igemm_config *cfg, ob_igemm_dot dot) {
  const ob_device_props *p = ob_device_props_get(dev);
  if (!cfg->local) return dot == OB_IGEMM_DOT_PLAIN;
  switch (dot) {
  case OB_IGEMM_DOT_PLAIN: return true;
  case OB_IGEMM_DOT_KHR: return ob_device_has_extension(dev, "cl_khr_integer_dot_product");
  case OB_IGEMM_DOT_PTX:
    return p->vendor_class == OB_VENDOR_NVIDIA &&
           (p->nv_cc_major > 6 || (p->nv_cc_major == 6 && p->nv_cc_minor >= 1));
  default: return false;
  }
}

/* Builds the program for cfg and dot. The khr built-ins are declared for OpenCL C 2.0 and later
 * by some compilers (clang's headers): a 3.0 device gets a second try with -cl-std=CL3.0. */
static ob_status build(ob_igemm *g) {
  char opts[256], defines[160];
  const ob_igemm_config *c = &g->cfg;
  ob_tune_defines(&ob_igemm_family, c, defines, sizeof defines);
  const char *stds[] = {"", "-cl-std=CL3.0"};
  const bool cl3 = strncmp(ob_device_props_get(g->dev)->cl_version, "OpenCL 3", 8) == 0;
  const int ntries = g->dot == OB_IGEMM_DOT_KHR && cl3 ? 2 : 1;
  ob_status st = OB_OK;
  for (int i = 0; i < ntries; i++) {
    snprintf(opts, sizeof opts, "%s -DDOT=%d %s", defines,
             (int)g->dot - (int)OB_IGEMM_DOT_PLAIN, stds[i]);
    st = ob_kernel_create(g->dev, IGEMM_FILES, opts, "igemm", &g->gemm);
    if (st == OB_OK) break;
  }
  OB_TRY(st);
  char what[300];
  snprintf(what, sizeof what, "igemm with %s", opts);
  OB_TRY(ob_kernel_fits(g->dev, g->gemm, (size_t)(c->bm / c->tm) * (size_t)(c->bn / c->tn), 0,
                        what));
  return ob_kernel_create(g->dev, IGEMM_FILES, opts, "igemm_pack", &g->pack);
}

static void release_kernels(ob_igemm *g) {
  if (g->gemm) clReleaseKernel(g->gemm);
  if (g->pack) clReleaseKernel(g->pack);
  g->gemm = g->pack = NULL;
}

/* A small product through the handle compared exactly with the host: two tiles by two slices,
 * operands packed (A transposed, odd sizes) and direct, values over the whole int8 range. */
static ob_status self_check(ob_igemm *g, bool *exact) {
  const size_t m = (size_t)g->cfg.bm + 3, n = (size_t)g->cfg.bn, k = 2 * (size_t)g->cfg.bk;
  int8_t *a = malloc(m * k), *b = malloc(n * k);
  int32_t *c = malloc(m * n * sizeof *c);
  cl_mem da = NULL, db = NULL, dc = NULL;
  ob_status st = a && b && c ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  uint32_t x = 12345u;
  for (size_t i = 0; st == OB_OK && i < m * k; i++, x = x * 1664525u + 1013904223u)
    a[i] = (int8_t)(x >> 24);
  for (size_t i = 0; st == OB_OK && i < n * k; i++, x = x * 1664525u + 1013904223u)
    b[i] = i % 7 == 0 ? (int8_t)-128 : (int8_t)(x >> 24);
  const cl_mem_flags in = CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR;
  if (st == OB_OK) st = ob_buffer_create(g->dev, in, m * k, a, &da);
  if (st == OB_OK) st = ob_buffer_create(g->dev, in, n * k, b, &db);
  if (st == OB_OK) st = ob_buffer_create(g->dev, CL_MEM_WRITE_ONLY, m * n * sizeof *c, NULL, &dc);
  /* A stored k x m (transposed), B stored n x k */
  const ob_igemm_args args = {.ta = OB_GEMM_T, .tb = OB_GEMM_T, .m = m, .n = n, .k = k, .a = da,
                              .lda = m, .b = db, .ldb = k, .c = dc, .ldc = n};
  double t = 0.0;
  if (st == OB_OK) st = ob_igemm_run_timed(g, &args, &t);
  if (st == OB_OK) st = ob_buffer_read(g->dev, dc, 0, m * n * sizeof *c, c);
  *exact = st == OB_OK;
  for (size_t i = 0; st == OB_OK && i < m; i++)
    for (size_t j = 0; j < n; j++) {
      int64_t want = 0;
      for (size_t l = 0; l < k; l++) want += (int64_t)a[l * m + i] * b[j * k + l];
      if (want != c[i * n + j]) *exact = false;
    }
  ob_buffer_release(g->dev, da);
  ob_buffer_release(g->dev, db);
  ob_buffer_release(g->dev, dc);
  free(a);
  free(b);
  free(c);
  return st;
}

/* The best dot mode that builds with g->cfg and is exact (plain needs no check). */
static ob_status choose_dot(ob_igemm *g, ob_igemm_dot wanted) {
  static const ob_igemm_dot order[] = {OB_IGEMM_DOT_PTX, OB_IGEMM_DOT_KHR, OB_IGEMM_DOT_PLAIN};
  char why[512] = "not supported by the device or configuration";
  for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
    const ob_igemm_dot d = order[i];
    if (wanted != OB_IGEMM_DOT_AUTO && wanted != d) continue;
    if (!dot_possible(g->dev, &g->cfg, d)) continue;
    g->dot = d;
    ob_status st = build(g);
    bool exact = true;
    if (st == OB_OK && d != OB_IGEMM_DOT_PLAIN) st = self_check(g, &exact);
    if (st == OB_OK && exact) return OB_OK;
    snprintf(why, sizeof why, "%s: %s", ob_igemm_dot_name(d),
             st != OB_OK ? ob_error_detail() : "inexact result");
    ob_log(OB_LOG_INFO, "%s: igemm: dot mode %s", ob_device_slug(g->dev), why);
    ob_error_clear();
    release_kernels(g);
  }
  return ob_fail(OB_ERR_UNSUPPORTED, "igemm: dot mode %s is not available on %s (%s)",
                 ob_igemm_dot_name(wanted), ob_device_slug(g->dev), why);
}

ob_status ob_igemm_create(ob_device *dev, const ob_igemm_config *cfg, ob_igemm_dot dot,
                          ob_igemm **out) {
  *out = NULL;
  if ((unsigned)dot > OB_IGEMM_DOT_PTX)
    return ob_fail(OB_ERR_INVALID, "igemm: unknown dot mode %d", (int)dot);
  if (!cfg) return ob_fail(OB_ERR_INVALID, "igemm: no configuration (ob_igemm_select picks one)");
  OB_TRY(ob_device_open(dev));
  OB_TRY(ob_igemm_config_check(cfg, dev));
  ob_igemm *g = calloc(1, sizeof *g);
  if (!g) return ob_fail(OB_ERR_NOMEM, "out of memory");
  g->dev = dev;
  g->cfg = *cfg;
  ob_status st = choose_dot(g, dot);
  if (st != OB_OK) {
    ob_igemm_destroy(g);
    return st;
  }
  *out = g;
  return OB_OK;
}

void ob_igemm_destroy(ob_igemm *g) {
  if (!g) return;
  if (ob_device_queue(g->dev)) clFinish(ob_device_queue(g->dev));
  release_kernels(g);
  for (int i = 0; i < 2; i++) ob_buffer_release(g->dev, g->scratch[i]);
  free(g);
}

const ob_igemm_config *ob_igemm_config_get(const ob_igemm *g) { return &g->cfg; }
ob_igemm_dot ob_igemm_dot_mode(const ob_igemm *g) { return g->dot; }
int ob_igemm_last_launches(const ob_igemm *g) { return g->launches; }

/* ---------------------------------------------------------------- arguments */

/* Operand stored as rows x cols with leading dimension ld at off, elem bytes per element. */
static ob_status check_operand(const char *name, cl_mem mem, size_t off, size_t ld, size_t rows,
                               size_t cols, size_t elem) {
  if (rows == 0 || cols == 0) return OB_OK;
  if (!mem) return ob_fail(OB_ERR_INVALID, "igemm: %s buffer is NULL", name);
  if (ld < cols)
    return ob_fail(OB_ERR_INVALID, "igemm: leading dimension of %s %zu is below %zu", name, ld,
                   cols);
  size_t bytes = 0;
  OB_TRY(OB_CL(clGetMemObjectInfo(mem, CL_MEM_SIZE, sizeof bytes, &bytes, NULL)));
  const size_t need = off + (rows - 1) * ld + cols;
  if (need > bytes / elem)
    return ob_fail(OB_ERR_INVALID, "igemm: %s needs %zu elements, its buffer holds %zu", name,
                   need, bytes / elem);
  if (bytes / elem > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "igemm: %s buffer exceeds 2^32 elements", name);
  return OB_OK;
}

static ob_status check_args(const ob_igemm_args *a) {
  if (a->k > OB_IGEMM_MAX_K)
    return ob_fail(OB_ERR_INVALID, "igemm: k = %zu exceeds %zu (int32 accumulation)", a->k,
                   OB_IGEMM_MAX_K);
  if (a->m > UINT32_MAX || a->n > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "igemm: %zu x %zu exceeds 32-bit indices", a->m, a->n);
  OB_TRY(check_operand("A", a->a, a->a_off, a->lda, a->ta ? a->k : a->m, a->ta ? a->m : a->k, 1));
  OB_TRY(check_operand("B", a->b, a->b_off, a->ldb, a->tb ? a->n : a->k, a->tb ? a->k : a->n, 1));
  return check_operand("C", a->c, a->c_off, a->ldc, a->m, a->n, sizeof(cl_int));
}

/* ---------------------------------------------------------------- launches */

/* Where the kernel reads an operand: buffer, offset and row length in 16-byte units. */
typedef struct operand {
  cl_mem mem;
  cl_uint off, ldq;
} operand;

/* Uses the operand as stored when it is k-contiguous, 16-byte aligned and whole tiles (and
 * not wanted word-major); else packs it (rows x k, element (r, kk) at off + r * ld + kk, or
 * kk * ld + r when kmajor) into scratch slot `slot`, padded to rows_p x k_p, as k-contiguous
 * rows (ldq: 16-byte units per row) or word-major (ldq: words per k-word row). */
static ob_status operand_prepare(ob_igemm *g, int slot, cl_mem mem, size_t off, size_t ld,
                                 bool kmajor, size_t rows, size_t tile, size_t k,
                                 bool wordmajor, operand *out, cl_event *ev) {
  const size_t kp = round_up(k, (size_t)g->cfg.bk), rows_p = round_up(rows, tile);
  if (k == 0 || (!kmajor && !wordmajor && off % 16 == 0 && ld % 16 == 0 && rows % tile == 0 &&
                 k == kp)) {
    *out = (operand){mem, (cl_uint)(off / 16), (cl_uint)(ld / 16)};
    return OB_OK;
  }
  const size_t bytes = rows_p * kp;
  if (bytes / 16 > UINT32_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "igemm: packed operand of %zu bytes", bytes);
  if (g->scratch_bytes[slot] < bytes) {
    ob_buffer_release(g->dev, g->scratch[slot]);
    g->scratch[slot] = NULL;
    g->scratch_bytes[slot] = 0;
    OB_TRY(ob_buffer_create(g->dev, CL_MEM_READ_WRITE, bytes, NULL, &g->scratch[slot]));
    g->scratch_bytes[slot] = bytes;
  }
  const cl_uint o = (cl_uint)off, l = (cl_uint)ld, km = kmajor ? 1u : 0u, r = (cl_uint)rows,
                kk = (cl_uint)k, kw_p = (cl_uint)(kp / 4), wm = wordmajor ? 1u : 0u;
  const ob_kernel_arg args[] = {OB_KARG(mem), OB_KARG(o),    OB_KARG(l),
                                OB_KARG(km),  OB_KARG(r),    OB_KARG(kk),
                                OB_KARG(g->scratch[slot]), OB_KARG(kw_p), OB_KARG(wm)};
  OB_TRY(ob_kernel_set_args(g->pack, 0, args, sizeof args / sizeof *args));
  const size_t global[2] = {kp / 4, rows_p};
  OB_TRY(ob_enqueue_kernel_work(g->dev, g->pack, 2, global, NULL, NAN,
                                (double)rows * (double)k + (double)bytes, ev));
  g->launches++;
  *out = (operand){g->scratch[slot], 0, (cl_uint)(wordmajor ? rows_p : kp / 16)};
  return OB_OK;
}

/* Keeps the first event of the call in *first and releases the others except the last. */
static void keep_event(cl_event ev, cl_event *first, cl_event *prev) {
  if (!ev) return;
  if (first && !*first) {
    clRetainEvent(ev);
    *first = ev;
  }
  if (*prev) clReleaseEvent(*prev);
  *prev = ev;
}

ob_status ob_igemm_enqueue(ob_igemm *g, const ob_igemm_args *a, cl_event *first, cl_event *last) {
  if (first) *first = NULL;
  if (last) *last = NULL;
  g->launches = 0;
  OB_TRY(check_args(a));
  if (a->m == 0 || a->n == 0) return OB_OK;
  const size_t bm = (size_t)g->cfg.bm, bn = (size_t)g->cfg.bn;
  operand A, B;
  cl_event ev = NULL, prev = NULL;
  ob_status st = operand_prepare(g, 0, a->a, a->a_off, a->lda, a->ta == OB_GEMM_T, a->m, bm,
                                 a->k, false, &A, &ev);
  keep_event(ev, first, &prev);
  ev = NULL;
  if (st == OB_OK)
    st = operand_prepare(g, 1, a->b, a->b_off, a->ldb, a->tb == OB_GEMM_N, a->n, bn, a->k,
                         !g->cfg.local, &B, &ev);
  keep_event(ev, first, &prev);
  ev = NULL;
  const cl_uint coff = (cl_uint)a->c_off, ldc = (cl_uint)a->ldc, m = (cl_uint)a->m,
                n = (cl_uint)a->n, slices = (cl_uint)(round_up(a->k, (size_t)g->cfg.bk) /
                                                      (size_t)g->cfg.bk);
  const ob_kernel_arg args[] = {OB_KARG(A.mem), OB_KARG(A.off), OB_KARG(A.ldq),
                                OB_KARG(B.mem), OB_KARG(B.off), OB_KARG(B.ldq),
                                OB_KARG(a->c),  OB_KARG(coff),  OB_KARG(ldc),
                                OB_KARG(m),     OB_KARG(n),     OB_KARG(slices)};
  if (st == OB_OK) st = ob_kernel_set_args(g->gemm, 0, args, sizeof args / sizeof *args);
  const size_t wx = bn / (size_t)g->cfg.tn, wy = bm / (size_t)g->cfg.tm;
  const size_t global[2] = {round_up(a->n, bn) / bn * wx, round_up(a->m, bm) / bm * wy};
  const size_t local[2] = {wx, wy};
  const double bytes = (double)a->m * (double)a->k + (double)a->k * (double)a->n +
                       4.0 * (double)a->m * (double)a->n;
  if (st == OB_OK) st = ob_enqueue_kernel_work(g->dev, g->gemm, 2, global, local, NAN, bytes, &ev);
  if (st == OB_OK) g->launches++;
  keep_event(ev, first, &prev);
  if (last) *last = prev;
  else if (prev) clReleaseEvent(prev);
  if (st != OB_OK && first && *first) {
    clReleaseEvent(*first);
    *first = NULL;
  }
  if (st != OB_OK && last && *last) {
    clReleaseEvent(*last);
    *last = NULL;
  }
  return st;
}

ob_status ob_igemm_run_timed(ob_igemm *g, const ob_igemm_args *args, double *seconds) {
  cl_event first = NULL, last = NULL;
  *seconds = 0.0;
  OB_TRY(ob_igemm_enqueue(g, args, &first, &last));
  if (!last) return OB_OK;
  ob_status st = ob_events_span(first, last, seconds);
  clReleaseEvent(first);
  clReleaseEvent(last);
  return st;
}
