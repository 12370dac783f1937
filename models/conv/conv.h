/* Own 2-D convolution on any OpenCL device (NCHW): forward pass, data gradient, weight
 * gradient and bias gradient through one parameterised implicit-GEMM kernel
 * (cl_kernels/conv_gemm.cl), run on the convolution itself or (algo=winograd or winograd4,
 * fp32 3x3 stride 1) on the Winograd transforms of cl_kernels/conv_winograd.cl, or, for the
 * two gradients, the direct kernels of cl_kernels/conv_direct.cl (algo=direct: layers with few
 * channels, where the GEMM has a side of a few rows). A plan runs the
 * configuration it is created with; the selection step, ob_conv_select (models/conv/
 * conv_tune.h), picks one per device, shape, pass and storage type through the tuning
 * facility (core/tune.h).
 *
 * Storage: every tensor of a plan is fp32, or (OB_CONV_FP16) every tensor is IEEE half --
 * x, w, b, y and the gradients alike -- loaded with vload_half and stored with vstore_half_rte
 * (core OpenCL C 1.2: no cl_khr_fp16 needed), while the products are accumulated in fp32 in
 * the same kernel code; only the final rounding to half differs from the fp32 path.
 *
 * Tensors are cl_mem buffers owned by the caller (e.g. from ob_buffer_create), dense, of the
 * plan's storage type:
 *   x  [n][c][h][w]            input                 dx has the same layout
 *   w  [k][c/groups][r][s]     filters               dw has the same layout
 *   b  [k]                     bias (optional)       db has the same layout
 *   y  [n][k][p][q]            output, p = (h + 2 pad - r) / stride + 1, q likewise; dy too
 * Group g (0 <= g < groups) maps input channels [g c/groups, (g+1) c/groups) to output
 * channels [g k/groups, (g+1) k/groups), as torch.nn.Conv2d does.
 *
 * A plan is made once per (device, shape, pass, storage type) and enqueued many times on the
 * device's queue. It owns its kernels, index tables and split-K workspace; every enqueue
 * overwrites its output (no accumulation). Plans are not thread-safe; several may share a device.
 */
#ifndef OB_CONV_H
#define OB_CONV_H

#include "oclbench.h"
#include "tune.h"

typedef struct ob_conv_shape {
  int n, c, h, w;       /* input: batch, channels, height, width */
  int k, r, s;          /* filters: output channels, kernel height, kernel width */
  int stride, pad;      /* the same in both spatial dimensions */
  int groups;           /* 1 for an ordinary convolution */
} ob_conv_shape;

typedef enum ob_conv_pass {
  OB_CONV_FORWARD = 0,    /* y = conv(x, w) + b */
  OB_CONV_BACKWARD_DATA,  /* dx from dy and w */
  OB_CONV_BACKWARD_WEIGHT /* dw (and db) from x and dy */
} ob_conv_pass;

#define OB_CONV_NPASSES 3

typedef enum ob_conv_storage {
  OB_CONV_FP32 = 0, /* float tensors */
  OB_CONV_FP16      /* IEEE half tensors, fp32 accumulation */
} ob_conv_storage;

/* "fp32", "fp16". */
const char *ob_conv_storage_name(ob_conv_storage storage);

/* Bytes of one tensor element: 4 or 2. */
size_t ob_conv_storage_bytes(ob_conv_storage storage);

/* "forward", "backward_data", "backward_weight". */
const char *ob_conv_pass_name(ob_conv_pass pass);

/* OB_OK when the shape is usable: every size >= 1 (pad >= 0), c and k multiples of groups, an
 * output of at least 1x1, and every tensor (and the GEMM index range) below 2^31 elements.
 * OB_ERR_INVALID (or OB_ERR_TOO_LARGE for the element limit) with a detail otherwise. */
ob_status ob_conv_shape_check(const ob_conv_shape *s);

/* Output height and width (the shape must have passed ob_conv_shape_check). */
int ob_conv_out_h(const ob_conv_shape *s);
int ob_conv_out_w(const ob_conv_shape *s);

/* Elements of x, w and y. */
size_t ob_conv_input_elems(const ob_conv_shape *s);
size_t ob_conv_filter_elems(const ob_conv_shape *s);
size_t ob_conv_output_elems(const ob_conv_shape *s);

/* Multiply-accumulates of one pass: n p q k (c/groups) r s; the same for all three passes
 * (FLOPs = 2 MACs). */
double ob_conv_macs(const ob_conv_shape *s);

/* ---------------------------------------------------------------- tensors */

/* Creates a device buffer of n elements of the storage type (flags as clCreateBuffer's,
 * without host-pointer flags) and, when host is not NULL, uploads host[0..n): as floats, or
 * rounded to half (to nearest even), in which case host itself is overwritten with the
 * rounded values, so that a reference computed from it reads what the device holds.
 * *out (NULL on error) is owned by the caller: ob_buffer_release. */
ob_status ob_conv_tensor_create(ob_device *dev, ob_conv_storage storage, cl_mem_flags flags,
                                float *host, size_t n, cl_mem *out);

/* Reads n elements of the storage type from buf into out[0..n) as floats (blocking). */
ob_status ob_conv_tensor_read(ob_device *dev, ob_conv_storage storage, cl_mem buf, size_t n,
                              float *out);

/* ---------------------------------------------------------------- configurations and tuning */

/* The algorithm of a configuration. */
typedef enum ob_conv_algo {
  OB_CONV_ALGO_GEMM = 0, /* implicit GEMM over the convolution (every shape) */
  /* Winograd F(2x2,3x3) (cl_kernels/conv_winograd.cl): the input and filter transforms, 16
   * GEMMs over the channels run by conv_gemm.cl as a grouped 1x1 convolution (the tile
   * parameters are that GEMM's), the output transform. 2.25x fewer multiply-adds than the
   * direct convolution, whose FLOPs rows still count; see ob_conv_winograd_check. */
  OB_CONV_ALGO_WINOGRAD,
  /* Winograd F(4x4,3x3): the same path with 6x6 input and 4x4 output tiles, 36 GEMMs; 4x
   * fewer multiply-adds than the direct convolution, a larger error bound (conv_ref.h). */
  OB_CONV_ALGO_WINOGRAD4,
  /* The direct sums (cl_kernels/conv_direct.cl) of the data and weight gradients: no GEMM, the
   * tile keys unused; see ob_conv_direct_check. */
  OB_CONV_ALGO_DIRECT
} ob_conv_algo;

/* The output tile m of an algorithm's Winograd F(mxm,3x3) (2 or 4), 0 for the implicit GEMM
 * (and any other value). */
int ob_conv_algo_tile(int algo);

/* One configuration of conv_gemm.cl: a tm x tn output tile per work-group of
 * (tm/wm)*(tn/wn) work-items, each holding a wm x wn block in registers; tk reduction steps
 * per local-memory stage; wtx work-items of a 32-lane warp along N (wtx = tn/wn >= 16: whole
 * rows of the work-item grid, launched as a 2-D work-group); the reduction split in `split`
 * parts (split-K, summed by a second kernel; 0 or 1: none); the algorithm whose GEMM these
 * tiles run (an ob_conv_algo; 0, the implicit GEMM, when not given).
 * algo=direct reads px, kb, wx and split instead of the tile (0: the default of each): the
 * data gradient's work-items take px dy columns each (a strip of px * stride dx pixels, all
 * channels of a group; default 2) in work-groups wx strips wide (default 32); the weight
 * gradient's take kb output channels of one input channel (default 4), wx of them along a dy
 * row (default 16), and `split` parts of the reduction (rows of dy) give one partial sum each
 * (0: chosen for the shape and device, 1: none). */
typedef struct ob_conv_config {
  int tm, tn, tk, wm, wn, wtx, split;
  int px, kb, wx;
  int algo;
} ob_conv_config;

/* Index-table padding of a plan: its row table has Kd + OB_CONV_ROW_PAD entries, its column
 * table N rounded up to OB_CONV_COL_PAD; so tk <= OB_CONV_ROW_PAD and tn <= OB_CONV_COL_PAD. */
#define OB_CONV_ROW_PAD 64
#define OB_CONV_COL_PAD 512

/* The tuning family of ob_conv_config (core/tune.h): its text form
 * "tm=128,tn=128,tk=8,wm=8,wn=8,wtx=8,split=2,px=0,kb=0,wx=0,algo=gemm" (the six tile keys
 * required; algo is "gemm", "winograd" (F(2x2,3x3)), "winograd4" (F(4x4,3x3)) or "direct");
 * OCLBENCH_CONFIG_CONV, the tuning cache), its -D
 * options and its rules (ob_conv_config_check). */
extern const ob_tune_family ob_conv_family;

/* OB_OK when the tile parameters are consistent (independent of any device): multiples of
 * 4 for wm/wn, tm/wm and tn/wn work-items laid out in 32-lane warps of wtx x (32/wtx),
 * whole elements per work-item for the loads, tk and tn within the table padding.
 * OB_ERR_INVALID with a detail otherwise. */
ob_status ob_conv_config_check(const ob_conv_config *cfg);

/* Bytes of local memory the kernel of a configuration declares (its double-buffered tiles of
 * A and B); a plan needs a device with at least that much. */
size_t ob_conv_config_local_bytes(const ob_conv_config *cfg);

/* OB_OK when the Winograd algorithm `algo` (OB_CONV_ALGO_WINOGRAD or _WINOGRAD4) can run
 * the pass of the (checked) shape in the storage type: fp32, 3x3 filters, stride 1, groups 1;
 * the forward pass and the weight gradient with any padding, the data gradient with padding
 * at most 2; workspaces below 2^31 elements. OB_ERR_UNSUPPORTED with a detail otherwise
 * (OB_ERR_INVALID for another algo). */
ob_status ob_conv_winograd_check(const ob_conv_shape *shape, ob_conv_pass pass,
                                 ob_conv_storage storage, int algo);

/* OB_OK when algo=direct can run the pass of the (checked) shape in the storage type: the data
 * or the weight gradient (not the forward pass), with at most 256 sums per work-item
 * (data: c/groups x px x stride, weight: kb x r x s; cfg's values, 0 as their defaults), a
 * split within the reduction's rows and a workspace below 2^31 elements.
 * OB_ERR_UNSUPPORTED with a detail otherwise. Device limits (the data gradient's filters in
 * local memory, work-group sizes) are checked when a plan is made. */
ob_status ob_conv_direct_check(const ob_conv_shape *shape, ob_conv_pass pass,
                               ob_conv_storage storage, const ob_conv_config *cfg);

/* Whether the tuner offers algo=direct for the pass of the (checked) shape: a gradient whose
 * GEMM has a side of a few rows, c/groups <= 8 (the data gradient's M) and, for the weight
 * gradient, c/groups x r x s <= 72 (its N). */
bool ob_conv_direct_suits(const ob_conv_shape *shape, ob_conv_pass pass);

/* ---------------------------------------------------------------- plans */

typedef struct ob_conv_plan ob_conv_plan;

/* Makes a plan for one pass of a shape on dev, for the storage type, running configuration
 * cfg (see ob_conv_select): builds the kernels and uploads the index tables.
 * Errors: OB_ERR_INVALID (shape, pass, storage, cfg NULL or breaking the rules),
 * OB_ERR_TOO_LARGE (allocation), OB_ERR_BUILD / OB_ERR_CL, OB_ERR_UNSUPPORTED (a
 * configuration the device cannot run for this pass). *out is owned by the caller:
 * ob_conv_plan_destroy. */
ob_status ob_conv_plan_create(ob_device *dev, const ob_conv_shape *shape, ob_conv_pass pass,
                              ob_conv_storage storage, const ob_conv_config *cfg,
                              ob_conv_plan **out);

/* Releases everything the plan owns after its work finished; NULL is a no-op. */
void ob_conv_plan_destroy(ob_conv_plan *plan);

/* Enqueues y = conv(x, w) (+ b[k] broadcast when b is not NULL) on the device queue.
 * OB_ERR_INVALID when the plan is not a forward plan or a buffer is smaller than its tensor
 * in the plan's storage type. Does not wait. */
ob_status ob_conv_forward(ob_conv_plan *plan, cl_mem x, cl_mem w, cl_mem b, cl_mem y);

/* Enqueues dx = the gradient of sum(dy * conv(x, w)) with respect to x.
 * OB_ERR_INVALID when the plan is not a backward_data plan. Does not wait. */
ob_status ob_conv_backward_data(ob_conv_plan *plan, cl_mem dy, cl_mem w, cl_mem dx);

/* Enqueues dw = the gradient with respect to w and, when db is not NULL, db[k] = the sum of
 * dy over n, p, q. OB_ERR_INVALID when the plan is not a backward_weight plan. No wait. */
ob_status ob_conv_backward_weight(ob_conv_plan *plan, cl_mem x, cl_mem dy, cl_mem dw, cl_mem db);

/* Waits for the last enqueue of the plan and returns its device time: from the start of its
 * first kernel to the end of its last (profiling events). OB_ERR_INVALID before any. */
ob_status ob_conv_plan_last_seconds(ob_conv_plan *plan, double *seconds);

/* The configuration in use. */
const ob_conv_config *ob_conv_plan_config(const ob_conv_plan *plan);

/* The storage type of the plan's tensors. */
ob_conv_storage ob_conv_plan_storage(const ob_conv_plan *plan);

#endif
