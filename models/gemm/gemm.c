/* The project's SGEMM handle: one configuration, its kernels per layout, operand copies into
 * padded scratch buffers, launches. */
#include "gemm.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GEMM_FILE "paste.cl gemm.cl" /* paste.cl: CAT */
#define COPY_FILE "gemm_copy.cl"
#define SPLITK_FILE "paste.cl gemm_splitk.cl" /* paste.cl: CAT */

/* A built GEMM kernel: its layout flags and its part (gemm.cl's STREAMK: 0 the plain kernel,
 * 1 and 2 a streamk configuration's data-parallel and stream-K parts). */
typedef struct gemm_kernel {
  int ta, tb, half_io, part;
  cl_kernel kernel;
} gemm_kernel;

struct ob_gemm {
  ob_device *dev;
  ob_gemm_config cfg;
  gemm_kernel *kernels;  /* by layout */
  size_t nkernels, cap_kernels;
  cl_kernel copy[4];     /* operand copies, by gemm_copy.cl's HALF_IO (0, 1, 3) */
  cl_kernel reduce[2];   /* split-K reductions, by storage of C */
  cl_kernel sk_reduce[2]; /* stream-K reductions, likewise */
  cl_mem scratch[3];     /* padded copies of A and B, split-K partial products */
  size_t scratch_bytes[3];
  int launches;
  int use_fma;         /* the device has a hardware fma (CL_FP_FMA, not soft float) */
  double launch_flops; /* most FLOPs per GEMM launch; 0: no limit */
};

ob_status ob_gemm_create(ob_device *dev, const ob_gemm_config *config, ob_gemm **out) {
  *out = NULL;
  if (!config) return ob_fail(OB_ERR_INVALID, "gemm: no configuration (ob_gemm_select picks one)");
  OB_TRY(ob_device_open(dev));
  OB_TRY(ob_gemm_config_check(config, dev));
  ob_gemm *g = calloc(1, sizeof *g);
  if (!g) return ob_fail(OB_ERR_NOMEM, "out of memory");
  g->dev = dev;
  g->cfg = *config;
  if (ob_device_props_get(dev)->exec_timeout == 1) g->launch_flops = OB_GEMM_WATCHDOG_FLOPS;
  cl_device_fp_config fp = 0;
  if (clGetDeviceInfo(ob_device_id(dev), CL_DEVICE_SINGLE_FP_CONFIG, sizeof fp, &fp, NULL) ==
      CL_SUCCESS)
    g->use_fma = (fp & CL_FP_FMA) && !(fp & CL_FP_SOFT_FLOAT);
  *out = g;
  return OB_OK;
}

void ob_gemm_destroy(ob_gemm *g) {
  if (!g) return;
  ob_device_finish(g->dev);
  for (size_t i = 0; i < g->nkernels; i++) clReleaseKernel(g->kernels[i].kernel);
  for (int i = 0; i < 4; i++)
    if (g->copy[i]) clReleaseKernel(g->copy[i]);
  for (int i = 0; i < 2; i++) {
    if (g->reduce[i]) clReleaseKernel(g->reduce[i]);
    if (g->sk_reduce[i]) clReleaseKernel(g->sk_reduce[i]);
  }
  for (int i = 0; i < 3; i++) ob_buffer_release(g->dev, g->scratch[i]);
  free(g->kernels);
  free(g);
}

static size_t round_up(size_t x, size_t m) { return (x + m - 1) / m * m; }

/* The kernel layout flags a configuration runs a call with: local-memory and persistent
 * kernels read every layout; the others need B stored k x n (a transposed B is copied), and
 * panel kernels read the panels the copies write whatever the layout. */
static int kernel_ta(const ob_gemm_config *cfg, ob_gemm_trans ta) {
  return cfg->panel & 1 ? 0 : (int)ta;
}

static int kernel_tb(const ob_gemm_config *cfg, ob_gemm_trans tb) {
  return cfg->local || cfg->persist ? (int)tb : 0;
}

/* gemm.cl's HALF_IO for a call (the operands it reads or writes as half: 1 A, 2 B, 4 C).
 * With half storage: B always; C unless split-K (the kernel writes float partial products,
 * the reduction rounds C once); A with local-memory configurations, which convert it once
 * per work-group into local memory. Configurations without local memory (CPUs) read every A
 * value once per work-item and broadcast it: as a half that is a conversion each time, which
 * a CPU without native half loads does in software (PoCL: 4x slower than fp32 at 1024^3), so
 * A is converted into fp32 by the operand copy first (one pass over A). Persistent kernels
 * convert both as they pack them into local memory. */
static int kernel_half_io(const ob_gemm_config *cfg, ob_gemm_storage storage) {
  if (storage != OB_GEMM_FP16) return 0;
  return (cfg->local || cfg->persist ? 1 : 0) | 2 | (cfg->splitk > 1 ? 0 : 4);
}

/* The -D options of a configuration and the vendor's verbose-build option (register and
 * spill use in the build log, for the tuning log). fp32 kernels carry no HALF_IO option,
 * unpacked ones no PACK option, and so on (gemm.cl's defaults). */
static void build_options(const ob_device *dev, const ob_gemm_config *c, int ta, int tb,
                          int half_io, int part, int use_fma, char *buf, size_t n) {
  const ob_vendor_profile *vp = ob_device_profile(dev);
  char half[24] = "", defines[256];
  ob_tune_defines(&ob_gemm_family, c, defines, sizeof defines);
  if (c->pack) snprintf(defines + strlen(defines), sizeof defines - strlen(defines), " -DPACK=1");
  if (c->panel)
    snprintf(defines + strlen(defines), sizeof defines - strlen(defines), " -DPANEL=%d",
             c->panel);
  if (c->persist) /* CPU_DEVICE: gemm.cl's PREFETCH */
    snprintf(defines + strlen(defines), sizeof defines - strlen(defines), " -DPERSIST=1%s",
             ob_device_is_cpu(dev) ? " -DCPU_DEVICE=1" : "");
  if (part)
    snprintf(defines + strlen(defines), sizeof defines - strlen(defines), " -DSTREAMK=%d", part);
  if (half_io) snprintf(half, sizeof half, " -DHALF_IO=%d", half_io);
  snprintf(buf, n, "-DTA=%d -DTB=%d %s -DUSE_FMA=%d%s%s%s", ta, tb, defines, use_fma, half,
           vp->verbose_build_option ? " " : "",
           vp->verbose_build_option ? vp->verbose_build_option : "");
}

static ob_status kernel_get(ob_gemm *g, const ob_gemm_config *cfg, int ta, int tb, int half_io,
                            int part, cl_kernel *out) {
  for (size_t i = 0; i < g->nkernels; i++) {
    gemm_kernel *k = &g->kernels[i];
    if (k->ta == ta && k->tb == tb && k->half_io == half_io && k->part == part) {
      *out = k->kernel;
      return OB_OK;
    }
  }
  if (g->nkernels == g->cap_kernels) {
    size_t cap = g->cap_kernels ? 2 * g->cap_kernels : 8;
    gemm_kernel *grown = realloc(g->kernels, cap * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    g->kernels = grown;
    g->cap_kernels = cap;
  }
  char opts[512];
  build_options(g->dev, cfg, ta, tb, half_io, part, g->use_fma, opts, sizeof opts);
  cl_kernel k = NULL;
  const ob_status built = ob_kernel_create(g->dev, GEMM_FILE, opts, "gemm", &k);
  if (built == OB_ERR_BUILD && half_io) {
    char detail[512];
    snprintf(detail, sizeof detail, "%s", ob_error_detail());
    return ob_fail(OB_ERR_UNSUPPORTED, "gemm: no half support: the kernel with half storage "
                   "(vload_half, vstore_half) does not build: %s", detail);
  }
  OB_TRY(built);
  char what[600];
  snprintf(what, sizeof what, "gemm with %s", opts);
  const ob_status fits =
      ob_kernel_fits(g->dev, k, (size_t)(cfg->bm / cfg->tm) * (size_t)(cfg->bn / cfg->tn), 0, what);
  if (fits != OB_OK) {
    clReleaseKernel(k);
    return fits;
  }
  g->kernels[g->nkernels++] =
      (gemm_kernel){.ta = ta, .tb = tb, .half_io = half_io, .part = part, .kernel = k};
  *out = k;
  return OB_OK;
}

/* The elements of a row of a tile per work-item of the stream-K reduction (gemm_splitk.cl's
 * VW): 4, 2 or 1, the largest dividing bn. */
static int streamk_reduce_width(const ob_gemm_config *cfg) {
  return cfg->bn % 4 == 0 ? 4 : cfg->bn % 2 == 0 ? 2 : 1;
}

/* The stream-K reduction for C stored as half (half) or float. */
static ob_status streamk_reduce_get(ob_gemm *g, int half, cl_kernel *out) {
  if (!g->sk_reduce[half]) {
    char opts[64];
    snprintf(opts, sizeof opts, "-DHALF_IO=%d -DVW=%d", half, streamk_reduce_width(&g->cfg));
    OB_TRY(ob_kernel_create(g->dev, SPLITK_FILE, opts, "gemm_streamk", &g->sk_reduce[half]));
  }
  *out = g->sk_reduce[half];
  return OB_OK;
}

/* The stream-K part's HALF_IO: its partial products are float. */
static int streamk_half_io(int half_io) { return half_io & ~4; }

ob_status ob_gemm_prepare(ob_gemm *g, const ob_gemm_args *args) {
  const int ta = kernel_ta(&g->cfg, args->ta), tb = kernel_tb(&g->cfg, args->tb),
            half_io = kernel_half_io(&g->cfg, args->storage);
  cl_kernel k = NULL;
  /* The kernels a call runs: streamk's parts and reduction, and the plain kernel without
   * streamk or with a launch limit (row bands; K = 0 builds it when it comes). */
  if (!g->cfg.streamk || g->launch_flops > 0.0)
    OB_TRY(kernel_get(g, &g->cfg, ta, tb, half_io, 0, &k));
  if (!g->cfg.streamk) return OB_OK;
  OB_TRY(kernel_get(g, &g->cfg, ta, tb, half_io, 1, &k));
  OB_TRY(kernel_get(g, &g->cfg, ta, tb, streamk_half_io(half_io), 2, &k));
  return streamk_reduce_get(g, args->storage == OB_GEMM_FP16, &k);
}

const ob_gemm_config *ob_gemm_config_get(const ob_gemm *g) { return &g->cfg; }

int ob_gemm_last_launches(const ob_gemm *g) { return g->launches; }

void ob_gemm_build_log_summary(const char *log, char *buf, size_t n) {
  if (n == 0) return;
  size_t len = strlen(buf);
  for (const char *line = log; *line && len + 3 < n;) {
    const char *end = strchr(line, '\n');
    const size_t ll = end ? (size_t)(end - line) : strlen(line);
    char text[256];
    snprintf(text, sizeof text, "%.*s", (int)(ll < sizeof text ? ll : sizeof text - 1), line);
    line += ll + (end ? 1 : 0);
    if (!strstr(text, "registers") && !strstr(text, "spill")) continue;
    const char *t = strstr(text, "Used");
    if (!t) t = text + strcspn(text, "0123456789");
    if (len) len += (size_t)snprintf(buf + len, n - len, "; ");
    for (bool space = false; *t && len + 1 < n; t++) {
      const bool ws = *t == ' ' || *t == '\t' || *t == '\r';
      if (!(ws && space)) buf[len++] = ws ? ' ' : *t;
      space = ws;
    }
    buf[len] = '\0';
  }
}

void ob_gemm_build_info(ob_gemm *g, const ob_gemm_args *args, char *buf, size_t n) {
  if (n == 0) return;
  buf[0] = '\0';
  const ob_gemm_config *cfg = &g->cfg;
  const int ta = kernel_ta(cfg, args->ta), tb = kernel_tb(cfg, args->tb),
            half_io = kernel_half_io(cfg, args->storage);
  cl_kernel k = NULL; /* the plain kernel, or a streamk configuration's data-parallel part */
  for (size_t i = 0; i < g->nkernels && !k; i++)
    if (g->kernels[i].ta == ta && g->kernels[i].tb == tb && g->kernels[i].half_io == half_io &&
        g->kernels[i].part == (cfg->streamk ? 1 : 0))
      k = g->kernels[i].kernel;
  if (!k) return;
  const cl_device_id id = ob_device_id(g->dev);
  cl_ulong priv = 0;
  if (clGetKernelWorkGroupInfo(k, id, CL_KERNEL_PRIVATE_MEM_SIZE, sizeof priv, &priv, NULL) ==
      CL_SUCCESS)
    snprintf(buf, n, "private %llu B", (unsigned long long)priv);
  cl_program prog = NULL;
  size_t len = 0;
  if (!ob_device_profile(g->dev)->verbose_build_option ||
      clGetKernelInfo(k, CL_KERNEL_PROGRAM, sizeof prog, &prog, NULL) != CL_SUCCESS ||
      clGetProgramBuildInfo(prog, id, CL_PROGRAM_BUILD_LOG, 0, NULL, &len) != CL_SUCCESS ||
      len == 0)
    return;
  char *log = malloc(len + 1);
  if (!log) return;
  if (clGetProgramBuildInfo(prog, id, CL_PROGRAM_BUILD_LOG, len, log, NULL) == CL_SUCCESS) {
    log[len] = '\0';
    ob_gemm_build_log_summary(log, buf, n);
  }
  free(log);
}

/* ---------------------------------------------------------------- argument checks */

/* Elements a stored rows x cols matrix spans from its offset (0 when empty). */
static size_t span(size_t rows, size_t cols, size_t ld) {
  return rows && cols ? (rows - 1) * ld + cols : 0;
}

/* Bytes per element of a storage type. */
static size_t elem_size(ob_gemm_storage s) { return s == OB_GEMM_FP16 ? 2 : sizeof(float); }

static ob_status check_operand(const char *name, cl_mem buf, size_t elem, size_t off, size_t ld,
                               size_t rows, size_t cols) {
  if (ld < cols || ld == 0)
    return ob_fail(OB_ERR_INVALID, "gemm: ld%s=%zu is less than the %zu columns of %s as stored",
                   name, ld, cols, name);
  size_t need = span(rows, cols, ld);
  if (need == 0) return OB_OK;
  if (!buf) return ob_fail(OB_ERR_INVALID, "gemm: matrix %s has no buffer", name);
  size_t bytes = 0;
  OB_TRY(OB_CL(clGetMemObjectInfo(buf, CL_MEM_SIZE, sizeof bytes, &bytes, NULL)));
  if (off > SIZE_MAX / elem - need || (off + need) * elem > bytes)
    return ob_fail(OB_ERR_INVALID,
                   "gemm: matrix %s (offset %zu, %zu x %zu, ld %zu) exceeds its %zu-byte buffer",
                   name, off, rows, cols, ld, bytes);
  if (off + need > (size_t)INT_MAX || ld > (size_t)INT_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "gemm: matrix %s spans more than 2^31 elements", name);
  return OB_OK;
}

static ob_status check_args(const ob_gemm_args *a) {
  if (a->ta > OB_GEMM_T || a->tb > OB_GEMM_T)
    return ob_fail(OB_ERR_INVALID, "gemm: transpose flags must be OB_GEMM_N or OB_GEMM_T");
  if (a->storage > OB_GEMM_FP16)
    return ob_fail(OB_ERR_INVALID, "gemm: storage must be OB_GEMM_FP32 or OB_GEMM_FP16");
  if (a->m > (size_t)INT_MAX / 2 || a->n > (size_t)INT_MAX / 2 || a->k > (size_t)INT_MAX / 2)
    return ob_fail(OB_ERR_TOO_LARGE, "gemm: dimension above 2^30");
  const size_t e = elem_size(a->storage);
  OB_TRY(check_operand("A", a->a, e, a->a_off, a->lda, a->ta ? a->k : a->m,
                       a->ta ? a->m : a->k));
  OB_TRY(check_operand("B", a->b, e, a->b_off, a->ldb, a->tb ? a->n : a->k,
                       a->tb ? a->k : a->n));
  return check_operand("C", a->c, e, a->c_off, a->ldc, a->m, a->n);
}

/* ---------------------------------------------------------------- operand copies */

static ob_status scratch_get(ob_gemm *g, int slot, size_t bytes, cl_mem *out) {
  if (g->scratch_bytes[slot] < bytes) {
    ob_buffer_release(g->dev, g->scratch[slot]);
    g->scratch[slot] = NULL;
    g->scratch_bytes[slot] = 0;
    OB_TRY(ob_buffer_create(g->dev, CL_MEM_READ_WRITE, bytes, NULL, &g->scratch[slot]));
    g->scratch_bytes[slot] = bytes;
  }
  *out = g->scratch[slot];
  return OB_OK;
}

static size_t largest_pow2_divisor(size_t x, size_t max) {
  size_t d = max;
  while (d > 1 && x % d) d /= 2;
  return d;
}

/* An operand as the kernel reads it. */
typedef struct operand {
  cl_mem buf;
  size_t off, ld;
} operand;

/* Copies the rows x cols matrix src (read transposed when trans; half elements when src_half)
 * into scratch slot `slot` as a zero-padded drows x dcols matrix (half when dst_half, which
 * needs src_half; a half source is converted to float otherwise) stored as column panels of pw
 * columns (pw divides dcols; pw = dcols: dense, leading dimension dcols), and points *dst at
 * it with leading dimension ld (the kernel's reading of it). */
static ob_status copy_operand(ob_gemm *g, bool src_half, bool dst_half, int slot,
                              const operand *src, int trans, size_t rows, size_t cols,
                              size_t drows, size_t dcols, size_t pw, size_t ld, operand *dst,
                              cl_event *ev) {
  if (drows * dcols > (size_t)INT_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "gemm: padded operand above 2^31 elements");
  const int mode = (src_half ? 1 : 0) | (dst_half ? 2 : 0); /* gemm_copy.cl's HALF_IO */
  if (!g->copy[mode]) {
    char opts[32] = "";
    if (mode) snprintf(opts, sizeof opts, "-DHALF_IO=%d", mode);
    OB_TRY(ob_kernel_create(g->dev, COPY_FILE, opts, "gemm_copy", &g->copy[mode]));
  }
  cl_mem buf = NULL;
  OB_TRY(scratch_get(g, slot, drows * dcols * (dst_half ? 2 : sizeof(float)), &buf));
  const cl_int r = (cl_int)rows, c = (cl_int)cols, t = trans, so = (cl_int)src->off,
               ls = (cl_int)src->ld, dr = (cl_int)drows, dc = (cl_int)dcols, p = (cl_int)pw;
  cl_kernel k = g->copy[mode];
  const ob_kernel_arg args[] = {OB_KARG(r),  OB_KARG(c),  OB_KARG(t),  OB_KARG(src->buf),
                                OB_KARG(so), OB_KARG(ls), OB_KARG(dr), OB_KARG(dc),
                                OB_KARG(p),  OB_KARG(buf)};
  OB_TRY(ob_kernel_set_args(k, 0, args, sizeof args / sizeof *args));
  /* One 4x4 block per work-item; square-ish work-groups keep a transposing copy's reads and
   * writes within cache lines. A transposing copy into narrow panels (A's micro-panels) takes
   * a work-group one panel wide and 64 blocks deep instead: it reads pw source rows in runs of
   * 256 elements and writes one contiguous block of its panel (PoCL, 2048^2: half the time). */
  const size_t global[2] = {(dcols + 3) / 4, (drows + 3) / 4};
  const bool narrow = trans && pw < 16;
  size_t local[2] = {largest_pow2_divisor(global[0], narrow ? (pw + 3) / 4 : 32),
                     largest_pow2_divisor(global[1], narrow ? 64 : 8)};
  const size_t cap = ob_device_wg_size(g->dev, k, 256); /* the built kernel's limit */
  while (local[0] * local[1] > cap && local[0] * local[1] > 1) {
    if (local[1] > 1) local[1] /= 2;
    else local[0] /= 2;
  }
  OB_TRY(ob_enqueue_kernel(g->dev, k, 2, global, local, ev));
  g->launches++;
  *dst = (operand){.buf = buf, .off = 0, .ld = ld};
  return OB_OK;
}

static bool aligned(size_t off, size_t ld, int width) {
  return off % (size_t)width == 0 && ld % (size_t)width == 0;
}

/* Keeps the first event the call produced (for the timed span); releases later ones. */
static void keep_first(cl_event *first, cl_event ev) {
  if (!ev) return;
  if (first && !*first) *first = ev;
  else clReleaseEvent(ev);
}

/* C = sum of the splits partial products in w (m x ldw each, m * ldw apart) + beta * C. */
static ob_status reduce_splits(ob_gemm *g, const ob_gemm_args *a, const operand *w, int splits,
                               cl_event *ev) {
  const int half = a->storage == OB_GEMM_FP16;
  if (!g->reduce[half])
    OB_TRY(ob_kernel_create(g->dev, SPLITK_FILE, half ? "-DHALF_IO=1" : "", "gemm_splitk",
                            &g->reduce[half]));
  const cl_int m = (cl_int)a->m, n = (cl_int)a->n, s = splits, ldw = (cl_int)w->ld,
               wsplit = (cl_int)(a->m * w->ld), co = (cl_int)a->c_off, ldc = (cl_int)a->ldc;
  cl_kernel k = g->reduce[half];
  const ob_kernel_arg args[] = {OB_KARG(m),      OB_KARG(n),       OB_KARG(s),
                                OB_KARG(w->buf), OB_KARG(ldw),     OB_KARG(wsplit),
                                OB_KARG(a->beta), OB_KARG(a->c),   OB_KARG(co),
                                OB_KARG(ldc)};
  OB_TRY(ob_kernel_set_args(k, 0, args, sizeof args / sizeof *args));
  const size_t local[2] = {64, 1}, global[2] = {round_up(a->n, 64), a->m};
  OB_TRY(ob_enqueue_kernel(g->dev, k, 2, global, local, ev));
  g->launches++;
  return OB_OK;
}

/* A call as the kernel runs it: its layout flags, and M, N, K rounded up to the tiles (K to
 * whole bk slices of each of the split-K ranges; persistent kernels: as they are). */
typedef struct gemm_dims {
  int ta, tb, half_io;
  size_t M, N, K, splits;
} gemm_dims;

static gemm_dims dims_of(const ob_gemm_config *cfg, const ob_gemm_args *a) {
  const size_t bm = cfg->persist ? 1 : (size_t)cfg->bm, bn = cfg->persist ? 1 : (size_t)cfg->bn;
  gemm_dims d = {.ta = kernel_ta(cfg, a->ta), .tb = kernel_tb(cfg, a->tb),
                 .half_io = kernel_half_io(cfg, a->storage),
                 .M = round_up(a->m, bm), .N = round_up(a->n, bn),
                 .splits = cfg->splitk > 1 ? (size_t)cfg->splitk : 1};
  d.K = round_up(a->k, (cfg->local ? (size_t)cfg->bk : 1) * d.splits);
  return d;
}

/* A and B as the kernel reads them: as stored where the call fits the kernel's layout,
 * alignment and tiles, else copied into padded scratch (operands stored as half that the
 * kernel reads as float are converted by the copy); panel configurations copy both into their
 * panels (op(A) as K x M in tm-wide column panels, op(B) as K x N in bn-wide ones, "leading
 * dimension" K: row r of A starts at r * K for r a multiple of tm); persistent kernels read
 * them as stored. */
static ob_status operands_prepare(ob_gemm *g, const ob_gemm_args *a, const gemm_dims *d,
                                  operand *A, operand *B, cl_event *first) {
  const ob_gemm_config *cfg = &g->cfg;
  const bool half = a->storage == OB_GEMM_FP16, a_half = d->half_io & 1, b_half = d->half_io & 2;
  const int ta = d->ta, tb = d->tb;
  const size_t M = d->M, N = d->N, K = d->K;
  *A = (operand){a->a, a->a_off, a->lda};
  *B = (operand){a->b, a->b_off, a->ldb};
  if (K == 0 || cfg->persist) return OB_OK; /* persistent kernels pack what is stored */
  /* A as the kernel reads it: M x K rows (ta = 0) or K x M (ta = 1), same layout. */
  bool a_ok = a->m == M && a->k == K && half == a_half &&
              (cfg->local ? aligned(A->off, A->ld, cfg->vg)
                          : !ta || aligned(A->off, A->ld, cfg->vm));
  if (cfg->panel & 1) {
    cl_event ev = NULL;
    OB_TRY(copy_operand(g, half, a_half, 0, A, !a->ta, a->k, a->m, K, M, (size_t)cfg->tm, K, A,
                        first ? &ev : NULL));
    keep_first(first, ev);
  } else if (!a_ok) {
    cl_event ev = NULL;
    OB_TRY(copy_operand(g, half, a_half, 0, A, 0, ta ? a->k : a->m, ta ? a->m : a->k,
                        ta ? K : M, ta ? M : K, ta ? M : K, ta ? M : K, A, first ? &ev : NULL));
    keep_first(first, ev);
  }
  /* B as the kernel reads it: K x N (tb = 0) or N x K (tb = 1). */
  bool b_ok = (int)a->tb == tb && a->n == N && a->k == K && half == b_half &&
              aligned(B->off, B->ld, cfg->local ? cfg->vg : cfg->vn);
  if (cfg->panel & 2) {
    cl_event ev = NULL;
    OB_TRY(copy_operand(g, half, b_half, 1, B, (int)a->tb, a->k, a->n, K, N, (size_t)cfg->bn, K,
                        B, first ? &ev : NULL));
    keep_first(first, ev);
  } else if (!b_ok) {
    cl_event ev = NULL;
    OB_TRY(copy_operand(g, half, b_half, 1, B, (int)a->tb != tb, tb ? a->n : a->k,
                        tb ? a->k : a->n, tb ? N : K, tb ? K : N, tb ? K : N, tb ? K : N, B,
                        first ? &ev : NULL));
    keep_first(first, ev);
  }
  return OB_OK;
}

/* The kernel's arguments that are the same for every row band. */
static ob_status set_call_args(cl_kernel kernel, const ob_gemm_config *cfg,
                               const ob_gemm_args *a, const gemm_dims *d, const operand *A,
                               const operand *B, const operand *out) {
  const float beta = d->splits > 1 ? 0.0f : a->beta;
  const cl_int n = (cl_int)a->n, k = (cl_int)(d->K / d->splits), lda = (cl_int)A->ld,
               bo = (cl_int)B->off, ldb = (cl_int)B->ld, ldc = (cl_int)out->ld,
               cvec = aligned(out->off, out->ld, cfg->vn) ? 1 : 0,
               csplit = d->splits > 1 ? (cl_int)(a->m * d->N) : 0;
  /* Arguments 0 (m), 6 (A's offset) and 12 (C's offset) are the row band's. */
  const ob_kernel_arg from1[] = {OB_KARG(n), OB_KARG(k), OB_KARG(a->alpha), OB_KARG(beta),
                                 OB_KARG(A->buf)},
                      from7[] = {OB_KARG(lda), OB_KARG(B->buf), OB_KARG(bo), OB_KARG(ldb),
                                 OB_KARG(out->buf)},
                      from13[] = {OB_KARG(ldc), OB_KARG(cvec), OB_KARG(csplit)};
  OB_TRY(ob_kernel_set_args(kernel, 1, from1, 5));
  OB_TRY(ob_kernel_set_args(kernel, 7, from7, 5));
  return ob_kernel_set_args(kernel, 13, from13, 3);
}

/* The kernel's arguments that differ between row bands: 0 (m), 6 (A's offset), 12 (C's). */
static ob_status set_band_args(cl_kernel kernel, cl_int m, cl_int a_off, cl_int c_off) {
  OB_TRY(ob_kernel_set_args(kernel, 0, &OB_KARG(m), 1));
  OB_TRY(ob_kernel_set_args(kernel, 6, &OB_KARG(a_off), 1));
  return ob_kernel_set_args(kernel, 12, &OB_KARG(c_off), 1);
}

/* The rows of C per launch: all M of them, or whole work-group rows within the launch limit. */
static size_t band_rows(const ob_gemm *g, const gemm_dims *d) {
  const ob_gemm_config *cfg = &g->cfg;
  const double band_flops = 2.0 * (double)cfg->bm * (double)d->N * (double)(d->K ? d->K : 1);
  if (g->launch_flops > 0.0 && band_flops * (double)(d->M / (size_t)cfg->bm) > g->launch_flops) {
    const double bands = floor(g->launch_flops / band_flops);
    return (size_t)(bands < 1.0 ? 1.0 : bands) * (size_t)cfg->bm;
  }
  return d->M;
}

/* Launches the GEMM over row bands of C, each within the launch limit (one band without a
 * limit); *last gets the final band's event unless split-K's reduction comes after. */
static ob_status launch_bands(ob_gemm *g, cl_kernel kernel, const ob_gemm_args *a,
                              const gemm_dims *d, const operand *A, const operand *out,
                              cl_event *first, cl_event *last) {
  const ob_gemm_config *cfg = &g->cfg;
  const size_t M = d->M, splits = d->splits, band = band_rows(g, d);
  const size_t local[3] = {(size_t)(cfg->bn / cfg->tn), (size_t)(cfg->bm / cfg->tm), 1};
  for (size_t row0 = 0; row0 < M; row0 += band) {
    const size_t rows = M - row0 < band ? M - row0 : band;
    const cl_int m = (cl_int)(a->m - row0 < rows ? a->m - row0 : rows),
                 ao = (cl_int)(A->off + (d->ta ? row0 : row0 * A->ld)),
                 co = (cl_int)(out->off + row0 * out->ld);
    OB_TRY(set_band_args(kernel, m, ao, co));
    /* Persistent kernels: persist work-groups per compute unit, each looping over its blocks. */
    const cl_uint cus = ob_device_props_get(g->dev)->compute_units;
    const size_t groups = (size_t)cfg->persist * (cus ? cus : 1);
    const size_t global[3] = {cfg->persist ? groups * local[0] : d->N / (size_t)cfg->tn,
                              cfg->persist ? local[1] : rows / (size_t)cfg->tm, splits};
    const bool final = row0 + band >= M && splits == 1;
    cl_event ev = NULL;
    OB_TRY(ob_enqueue_kernel(g->dev, kernel, splits > 1 ? 3 : 2, global, local,
                             final ? last : (first && !*first ? &ev : NULL)));
    keep_first(first, ev);
    g->launches++;
  }
  return OB_OK;
}

/* A streamk call (one band, K > 0): waves = the whole waves of tiles (one work-group per
 * compute unit) less streamk - 1; the data-parallel part takes waves * compute units tiles (row-
 * major), the stream-K part splits the rest's K-slices into runs of ceil(rest * slices /
 * compute units), one per work-group, and the reduction adds the runs' segments into C. */
static ob_status launch_streamk(ob_gemm *g, const ob_gemm_args *a, const gemm_dims *d,
                                const operand *A, const operand *B, cl_event *first,
                                cl_event *last) {
  const ob_gemm_config *cfg = &g->cfg;
  const cl_uint cus_ = ob_device_props_get(g->dev)->compute_units;
  const size_t cus = cus_ ? cus_ : 1, tiles_n = d->N / (size_t)cfg->bn,
               tiles = d->M / (size_t)cfg->bm * tiles_n, slices = d->K / (size_t)cfg->bk;
  const size_t fewer = (size_t)cfg->streamk - 1,
               waves = tiles / cus > fewer ? tiles / cus - fewer : 0;
  const size_t dp = waves * cus, rest = tiles - dp;
  /* (rest = 0: no run, nothing but the data-parallel part) */
  const size_t run = (rest * slices + cus - 1) / cus,
               groups = rest ? (rest * slices + run - 1) / run : 0,
               segs = rest ? (run + slices - 1) / slices + 1 : 0,
               tile_elems = (size_t)cfg->bm * (size_t)cfg->bn;
  if (groups * segs * tile_elems > (size_t)INT_MAX)
    return ob_fail(OB_ERR_TOO_LARGE, "gemm: stream-K partial products above 2^31 elements");
  const int half = a->storage == OB_GEMM_FP16;
  cl_kernel kdp = NULL, ksk = NULL, kred = NULL;
  OB_TRY(kernel_get(g, cfg, d->ta, d->tb, d->half_io, 1, &kdp));
  OB_TRY(kernel_get(g, cfg, d->ta, d->tb, streamk_half_io(d->half_io), 2, &ksk));
  OB_TRY(streamk_reduce_get(g, half, &kred));
  const size_t local[2] = {(size_t)(cfg->bn / cfg->tn), (size_t)(cfg->bm / cfg->tm)};
  const cl_int m = (cl_int)a->m, ao = (cl_int)A->off, co = (cl_int)a->c_off;
  if (dp) {
    const operand out = {a->c, a->c_off, a->ldc};
    OB_TRY(set_call_args(kdp, cfg, a, d, A, B, &out));
    OB_TRY(set_band_args(kdp, m, ao, co));
    const size_t global[2] = {dp * local[0], local[1]};
    cl_event ev = NULL;
    OB_TRY(ob_enqueue_kernel(g->dev, kdp, 2, global, local, rest ? (first ? &ev : NULL) : last));
    keep_first(first, ev);
    g->launches++;
  }
  if (!rest) return OB_OK;
  /* The partial products: groups * segs tiles, rows bn apart. */
  operand out = {NULL, 0, (size_t)cfg->bn};
  OB_TRY(scratch_get(g, 2, groups * segs * tile_elems * sizeof(float), &out.buf));
  OB_TRY(set_call_args(ksk, cfg, a, d, A, B, &out));
  const cl_int base = (cl_int)dp, run_ = (cl_int)run, segs_ = (cl_int)segs;
  const ob_kernel_arg sk_args[] = {OB_KARG(base), OB_KARG(run_), OB_KARG(segs_)};
  OB_TRY(set_band_args(ksk, m, ao, 0));
  OB_TRY(ob_kernel_set_args(ksk, 16, sk_args, 3));
  const size_t global[2] = {groups * local[0], local[1]};
  cl_event ev = NULL;
  OB_TRY(ob_enqueue_kernel(g->dev, ksk, 2, global, local, first && !*first ? &ev : NULL));
  keep_first(first, ev);
  g->launches++;
  const cl_int n = (cl_int)a->n, bm = cfg->bm, bn = cfg->bn, tn = (cl_int)tiles_n,
               sl = (cl_int)slices, ldc = (cl_int)a->ldc;
  const ob_kernel_arg red_args[] = {OB_KARG(m),     OB_KARG(n),      OB_KARG(bm),
                                    OB_KARG(bn),    OB_KARG(tn),     OB_KARG(sl),
                                    OB_KARG(base),  OB_KARG(run_),   OB_KARG(segs_),
                                    OB_KARG(out.buf), OB_KARG(a->beta), OB_KARG(a->c),
                                    OB_KARG(co),    OB_KARG(ldc)};
  OB_TRY(ob_kernel_set_args(kred, 0, red_args, sizeof red_args / sizeof *red_args));
  /* Work-groups of up to 256 work-items (or the kernel's limit), along a row first. */
  const size_t cap = ob_device_wg_size(g->dev, kred, 256),
               rglobal[2] = {(size_t)(cfg->bn / streamk_reduce_width(cfg)),
                             (size_t)cfg->bm * rest};
  size_t rlocal[2] = {largest_pow2_divisor(rglobal[0], cap < 64 ? cap : 64), 1};
  rlocal[1] = largest_pow2_divisor(rglobal[1], cap / rlocal[0]);
  OB_TRY(ob_enqueue_kernel(g->dev, kred, 2, rglobal, rlocal, last));
  g->launches++;
  return OB_OK;
}

static ob_status enqueue(ob_gemm *g, const ob_gemm_args *a, cl_event *first, cl_event *last) {
  g->launches = 0;
  OB_TRY(check_args(a));
  if (a->m == 0 || a->n == 0) return OB_OK;
  const gemm_dims d = dims_of(&g->cfg, a);
  operand A, B;
  OB_TRY(operands_prepare(g, a, &d, &A, &B, first));
  if (g->cfg.streamk && d.K > 0 && band_rows(g, &d) == d.M)
    return launch_streamk(g, a, &d, &A, &B, first, last);
  cl_kernel kernel = NULL;
  OB_TRY(kernel_get(g, &g->cfg, d.ta, d.tb, d.half_io, 0, &kernel));
  /* The GEMM writes C, or with split-K the partial products (alpha included) into scratch:
   * splits matrices of m x N, added to beta * C by the reduction. */
  operand out = {a->c, a->c_off, a->ldc};
  if (d.splits > 1) {
    if (d.splits * a->m * d.N > (size_t)INT_MAX)
      return ob_fail(OB_ERR_TOO_LARGE, "gemm: split-K partial products above 2^31 elements");
    OB_TRY(scratch_get(g, 2, d.splits * a->m * d.N * sizeof(float), &out.buf));
    out.off = 0;
    out.ld = d.N;
  }
  OB_TRY(set_call_args(kernel, &g->cfg, a, &d, &A, &B, &out));
  OB_TRY(launch_bands(g, kernel, a, &d, &A, &out, first, last));
  if (d.splits > 1) OB_TRY(reduce_splits(g, a, &out, (int)d.splits, last));
  return OB_OK;
}

void ob_gemm_set_launch_limit(ob_gemm *g, double flops) { g->launch_flops = flops; }

ob_status ob_gemm_enqueue(ob_gemm *g, const ob_gemm_args *args, cl_event *ev) {
  if (ev) *ev = NULL;
  return enqueue(g, args, NULL, ev);
}

ob_status ob_gemm_run_timed(ob_gemm *g, const ob_gemm_args *args, double *seconds) {
  *seconds = 0.0;
  cl_event first = NULL, last = NULL;
  ob_status st = enqueue(g, args, &first, &last);
  if (st == OB_OK && last) st = ob_events_span(first ? first : last, last, seconds);
  if (st != OB_OK) ob_device_finish(g->dev);
  if (first) clReleaseEvent(first);
  if (last) clReleaseEvent(last);
  return st;
}
