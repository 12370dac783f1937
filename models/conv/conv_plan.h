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

struct ob_conv_plan {
  ob_device *dev;
  ob_conv_shape shape;
  ob_conv_pass pass;
  ob_conv_view view;
  ob_conv_config cfg;        /* none (zeros) in a plan of ob_conv_plan_make */
  cl_kernel gemm, reduce, bias_grad;
  cl_mem rowtab, coltab, ws;
  size_t ws_bytes;
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

/* A plan without a configuration: the shape, pass and storage checked, the view, the index
 * tables uploaded and the split-K reduction and bias-gradient kernels built, but no GEMM
 * kernel (ob_conv_enqueue_gemm takes one). For timing candidates; ob_conv_plan_create
 * completes it. */
ob_status ob_conv_plan_make(ob_device *dev, const ob_conv_shape *shape, ob_conv_pass pass,
                            ob_conv_storage storage, ob_conv_plan **out);

#endif
