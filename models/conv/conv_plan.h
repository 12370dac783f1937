/* Private to models/conv/: the GEMM view of a convolution pass, the plan body, and the plan
 * without a configuration that the selection step times candidates on (conv_plan.c). */
#ifndef OB_CONV_PLAN_H
#define OB_CONV_PLAN_H

#include "conv.h"

/* Kernels of at most this many taps test B's bounds with one AND of tap bit masks. */
#define OB_CONV_MAX_MASK_TAPS 31

/* The data gradient of a strided convolution runs once per stride phase (output rows and
 * columns of one residue modulo the stride): stride <= 8 there. */
#define OB_CONV_MAX_PHASES 64

/* One launch of the GEMM: its column and reduction counts and where its entries start in
 * the index tables. */
typedef struct ob_conv_phase {
  int N, Kd, row0, col0;
} ob_conv_phase;

/* A pass as grouped GEMMs C[M x N] = A[M x Kd] B[Kd x N], one per phase (see
 * cl_kernels/conv_gemm.cl). N and Kd are the largest over the phases. */
typedef struct ob_conv_view {
  int M, N, Kd, groups;
  int nphases;
  ob_conv_phase phase[OB_CONV_MAX_PHASES];
  int nrows, ncols;         /* index table lengths, padding included */
  int a_ms, c_ms;           /* A and C row pitches */
  int a_gs, b_gs, c_gs;     /* per-group offsets of A, B, C */
  int BH, BW, BP;           /* B bounds and row pitch */
  int bkmajor;              /* fetch B along the reduction (contiguous there) */
  int adense;               /* A(m, kk) = A[m * a_ms + kk] with a_ms and a_gs multiples of 4 */
  int tapmask;              /* at most OB_CONV_MAX_MASK_TAPS taps: bounds as tap bit masks */
  int c_total;              /* elements of C over all groups */
  int bias_div, bias_mod;   /* channel of output element i: (i / bias_div) % bias_mod */
  size_t a_elems, b_elems;  /* elements of the A and B tensors */
  ob_conv_storage storage;  /* of A, B, C and the bias; the split-K workspace is fp32 */
} ob_conv_view;

/* The Winograd F(mxm,3x3) parts of a plan (cl_kernels/conv_winograd.cl, built with
 * -DWINO_M=m): the forward convolution the transforms run, the NE = (m + 2)^2 GEMMs as a
 * plan of a grouped 1x1 convolution (its forward pass, or its weight gradient for the weight
 * gradient; without a configuration: the outer plan's GEMM kernel runs on its view), the
 * transform kernels and the workspaces V [NE][C][P], U [NE][K][C] and M [NE][K][P]. */
typedef struct ob_conv_wino {
  ob_conv_shape fwd;        /* the plan's shape, or (data gradient) dy convolved with w flipped */
  int flip;                 /* the filter transform reads w flipped (data gradient) */
  int th, tw, tiles;        /* m x m output tiles per column and row of an image, over the batch */
  ob_conv_plan *inner;
  cl_kernel input;          /* x (or dy) -> V */
  cl_kernel other;          /* w -> U (wino_filter), or for the weight gradient dy -> M (wino_dy) */
  cl_kernel output;         /* M -> y or dx (wino_output), or for the weight gradient U -> dw */
  cl_mem v, u, m;
} ob_conv_wino;

/* The direct kernels of a plan (algo=direct, cl_kernels/conv_direct.c), built for one value
 * of their build parameter (px for the data gradient, kb for the weight gradient). */
typedef struct ob_conv_direct {
  int param;
  cl_kernel main;           /* conv_direct_data or conv_direct_weight */
  cl_kernel sum;            /* conv_direct_sum (weight gradient) */
} ob_conv_direct;

struct ob_conv_plan {
  ob_device *dev;
  ob_conv_shape shape;
  ob_conv_pass pass;
  ob_conv_view view;
  ob_conv_config cfg;        /* none (zeros) in a plan of ob_conv_plan_make */
  cl_kernel gemm, reduce, bias_grad;
  cl_mem rowtab, coltab, ws;
  size_t ws_bytes;
  ob_conv_wino *wino[2];    /* F(2x2), F(4x4); NULL unless made by ob_conv_wino_make */
  ob_conv_direct *direct;   /* NULL unless made by ob_conv_direct_make */
  cl_event first, last;     /* of the last enqueue; NULL before any */
};

/* Fills the GEMM view of a (checked) shape, pass and storage type; OB_ERR_UNSUPPORTED for a
 * data gradient with more than OB_CONV_MAX_PHASES stride phases. */
ob_status ob_conv_view_make(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage storage,
                            ob_conv_view *v);

/* OB_OK when cfg can run for the view on dev (work-group size, local memory, fetch layout);
 * OB_ERR_UNSUPPORTED with a detail otherwise. Does not build anything. */
ob_status ob_conv_config_fits(const ob_conv_config *cfg, const ob_conv_view *v,
                              const ob_device *dev);

/* The split-K factor used for cfg on the view (cfg->split, or 1 when 0). */
int ob_conv_split_of(const ob_conv_config *cfg);

/* Bytes of split-K workspace cfg needs for the view (0 without split). */
size_t ob_conv_ws_bytes(const ob_conv_config *cfg, const ob_conv_view *v);

/* The workspace cfg needs on plan p: ob_conv_direct_ws_bytes for algo=direct, else
 * ob_conv_ws_bytes on the GEMM view cfg runs (ob_conv_gemm_view). */
size_t ob_conv_plan_ws_bytes(const ob_conv_plan *p, const ob_conv_config *cfg);

/* Builds conv_gemm for cfg and the view; OB_ERR_UNSUPPORTED when the built kernel cannot run
 * a work-group of the configuration's size. *out is owned by the caller. */
ob_status ob_conv_gemm_kernel(ob_device *dev, const ob_conv_view *v, const ob_conv_config *cfg,
                              cl_kernel *out);

/* Enqueues the GEMM of the plan's view with kernel `gemm` built for cfg (and the split-K
 * reduction into C through ws when cfg splits), A/B/C/bias as the pass defines them (bias may
 * be NULL). *first and *last receive the events of the first and last kernel (the same event
 * retained twice for one kernel); the caller releases both. */
ob_status ob_conv_enqueue_gemm(ob_conv_plan *p, cl_kernel gemm, const ob_conv_config *cfg,
                               cl_mem ws, cl_mem A, cl_mem B, cl_mem C, cl_mem bias,
                               cl_event *first, cl_event *last);

/* Records a launch's event ev (owned by the caller until then) as the last of a pass: the
 * first one is also kept, retained, in *first; the previous *last is released. */
ob_status ob_conv_track_event(cl_event ev, cl_event *first, cl_event *last);

/* The view of the GEMM that a configuration of algorithm `algo` runs for a pass of a
 * (checked) shape: the pass's own (OB_CONV_ALGO_GEMM), or the grouped 1x1 convolution of the
 * Winograd transforms of that tile size (OB_ERR_UNSUPPORTED with a detail when
 * ob_conv_winograd_check fails). */
ob_status ob_conv_algo_view(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage storage,
                            int algo, ob_conv_view *v);

/* Adds the Winograd parts of algorithm `algo` (OB_CONV_ALGO_WINOGRAD or _WINOGRAD4) to a
 * plan of ob_conv_plan_make (once per tile size; a no-op when it has them): the inner plan,
 * the transform kernels, the workspaces. OB_ERR_UNSUPPORTED when ob_conv_winograd_check
 * fails; allocation and build errors as ob_conv_plan_create's. */
ob_status ob_conv_wino_make(ob_conv_plan *p, int algo);

/* Releases the Winograd parts (after their work finished); NULL is a no-op. */
void ob_conv_wino_destroy(ob_conv_wino *w);

/* Enqueues the plan's pass by cfg's algorithm with GEMM kernel `gemm` built for cfg on
 * ob_conv_algo_view's view (and ws, the split-K workspace for that view): ob_conv_enqueue_gemm
 * (A = w, B = x or dy, C = y, dx or dw), or, for algo=winograd or winograd4 (the plan made
 * by ob_conv_wino_make for it), the filter and input transforms, the GEMMs and the output transform
 * into C, adding the bias (may be NULL), or for algo=direct ob_conv_direct_enqueue (gemm
 * unused). *first and *last as ob_conv_enqueue_gemm's. */
ob_status ob_conv_enqueue(ob_conv_plan *p, cl_kernel gemm, const ob_conv_config *cfg, cl_mem ws,
                          cl_mem A, cl_mem B, cl_mem C, cl_mem bias, cl_event *first,
                          cl_event *last);

/* The view of the GEMM that cfg runs on a plan: the inner plan's for a Winograd algorithm
 * (once ob_conv_wino_make made it), else the plan's own. */
const ob_conv_view *ob_conv_gemm_view(const ob_conv_plan *p, const ob_conv_config *cfg);

/* cfg with algo=direct's zeros resolved for the pass of the (checked) shape on dev: px, kb and
 * wx to their defaults, and split 0 to as many parts (at most the rows of dy) as give about
 * four work-groups per compute unit (weight gradient, dev not NULL; 1 for the data
 * gradient). */
ob_conv_config ob_conv_direct_resolve(const ob_conv_config *cfg, const ob_conv_shape *s,
                                      ob_conv_pass pass, const ob_device *dev);

/* Bytes of partial sums algo=direct with cfg (resolved) needs for the pass of the shape: split x
 * wx per element of the weight gradient (0 when that is 1, and for the data gradient). */
size_t ob_conv_direct_ws_bytes(const ob_conv_config *cfg, const ob_conv_shape *s,
                               ob_conv_pass pass);

/* OB_OK when algo=direct with cfg can run the pass of the (checked) shape on dev: as
 * ob_conv_direct_check, and the split-K workspace within CL_DEVICE_MAX_MEM_ALLOC_SIZE, the
 * data gradient's filters within local memory. OB_ERR_UNSUPPORTED (or OB_ERR_TOO_LARGE) with a
 * detail otherwise. Builds nothing. */
ob_status ob_conv_direct_fits(const ob_conv_config *cfg, const ob_conv_shape *s,
                              ob_conv_pass pass, ob_conv_storage storage, const ob_device *dev);

/* Builds the direct kernels of cfg (resolved) into the plan (again when its build parameter
 * changed); OB_ERR_UNSUPPORTED when ob_conv_direct_fits fails or a built kernel cannot run
 * its work-groups. */
ob_status ob_conv_direct_make(ob_conv_plan *p, const ob_conv_config *cfg);

/* Releases the direct kernels (after their work finished); NULL is a no-op. */
void ob_conv_direct_destroy(ob_conv_direct *d);

/* Enqueues the plan's pass by the direct kernels of cfg (resolved; ob_conv_direct_make made
 * them): data gradient C = dx from A = w and B = dy, weight gradient C = dw from A = dy and
 * B = x (its parts in ws, ob_conv_ws_bytes of the plan's view). *first and *last as
 * ob_conv_enqueue_gemm's. */
ob_status ob_conv_direct_enqueue(ob_conv_plan *p, const ob_conv_config *cfg, cl_mem ws,
                                 cl_mem A, cl_mem B, cl_mem C, cl_event *first, cl_event *last);

/* A plan without a configuration: the shape, pass and storage checked, the view, the index
 * tables uploaded and the split-K reduction and bias-gradient kernels built, but no GEMM
 * kernel (ob_conv_enqueue_gemm takes one). For timing candidates; ob_conv_plan_create
 * completes it. */
ob_status ob_conv_plan_make(ob_device *dev, const ob_conv_shape *shape, ob_conv_pass pass,
                            ob_conv_storage storage, ob_conv_plan **out);

#endif
