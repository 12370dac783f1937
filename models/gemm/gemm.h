/* The project's own SGEMM: row-major C = alpha * op(A) * op(B) + beta * C on cl_mem buffers.
 *
 * A, B and C are float, or (storage OB_GEMM_FP16) IEEE half: converted to float as they are
 * loaded, rounded to nearest even as C is stored, products and sums in fp32 in between (as
 * PyTorch's fp16 linear layers on GPUs: half in memory, fp32 accumulation). Half needs no
 * cl_khr_fp16 (core OpenCL C 1.2 vload_half / vstore_half_rte), so it works on every device.
 *
 * C is m x n; op(A) is m x k and op(B) is k x n. Matrices are row-major with leading
 * dimensions in elements (the distance between rows as stored) and offsets in elements into
 * their buffers: A is stored m x k (lda >= k) when ta is OB_GEMM_N and k x m (lda >= m) when
 * ta is OB_GEMM_T; B is stored k x n (ldb >= n) or n x k (ldb >= k); C is m x n (ldc >= n).
 * beta == 0 never reads C (it may hold NaN). Any m, n, k, leading dimension and offset is
 * supported: operands that do not fit the kernel's tile and alignment preconditions are copied
 * into zero-padded scratch buffers first (an extra kernel launch per operand). A split-K
 * configuration (splitk > 1) writes partial products into a scratch buffer (float, also with
 * half storage) and adds them to beta * C with a second kernel (cl_kernels/gemm_splitk.cl);
 * so does the stream-K part of a streamk configuration, for the tiles it splits.
 *
 * Kernel configuration (cl_kernels/gemm.cl is one kernel parameterised by -D options, described
 * by ob_gemm_config): a handle runs the configuration it was created with on every call; the
 * selection step, ob_gemm_select (models/gemm/gemm_tune.h), picks one per shape class through
 * the tuning facility (core/tune.h: forced, cached, searched, or the device's default from the
 * vendor table in models/gemm/gemm_config.c).
 *
 * Ownership: the handle borrows the device (which must outlive it), owns its kernels and
 * scratch buffers; the caller owns A, B and C. A handle is not thread-safe: use one per
 * thread or queue. Work is enqueued on the device's queue.
 */
#ifndef OB_GEMM_H
#define OB_GEMM_H

#include "oclbench.h"
#include "tune.h"

typedef enum ob_gemm_trans { OB_GEMM_N = 0, OB_GEMM_T = 1 } ob_gemm_trans;

/* The element type of A, B and C in their buffers (the arithmetic is fp32 either way). */
typedef enum ob_gemm_storage { OB_GEMM_FP32 = 0, OB_GEMM_FP16 = 1 } ob_gemm_storage;

/* One GEMM call. Offsets and leading dimensions are in elements of the storage type. */
typedef struct ob_gemm_args {
  ob_gemm_storage storage; /* zero-initialised: fp32 */
  ob_gemm_trans ta, tb;
  size_t m, n, k;
  float alpha, beta;
  cl_mem a;
  size_t a_off, lda;
  cl_mem b;
  size_t b_off, ldb;
  cl_mem c;
  size_t c_off, ldc;
} ob_gemm_args;

/* The -D options of cl_kernels/gemm.cl (see the comment at the top of that file). */
typedef struct ob_gemm_config {
  int bm, bn;   /* C tile per work-group */
  int tm, tn;   /* C tile per work-item */
  int vm, vn;   /* vector widths along m and n */
  int strided;  /* 0/1: work-item tile groups spaced a work-group apart */
  int local;    /* 0/1: K-slices staged in local memory */
  int bk;       /* K-slice depth (local = 1) */
  int vg;       /* global load width (local = 1) */
  int pad;      /* local row padding in floats (local = 1) */
  int kc;       /* k-steps between work-group barriers (local = 0; 0: none) */
  int lm, ln;   /* strided = 1: lane grid (warp tile) of lm x ln work-items; 0: the group */
  int splitk;   /* K-ranges multiplied by separate work-groups into partial products that a
                   second kernel adds up (0 or 1: one range) */
  int pack;     /* 0/1 (local = 0, kc > 0): the work-group's B panel of kc steps copied into
                   local memory first */
  int panel;    /* operands copied once per call into panels, each read contiguously along k:
                   a sum of 1 (A: tm-row micro-panels) and 2 (B: bn-column panels); not 0
                   needs local = 0, strided = 0, vm = 1, pack = 0, splitk <= 1 */
  int persist;  /* persistent work-groups per compute unit, BLIS-ordered (0: off): each loops
                   over blocks of bn columns (nc) and kc steps, packing op(B)'s kc x bn block
                   into local memory as tn-wide micro-panels, then over its bm-row blocks of
                   op(A) (mc), read in place (float, k contiguous) or packed into local memory
                   (half: as rows; transposed: tm-row micro-panels): no operand copies;
                   needs local = 0, strided = 0,
                   vm = 1, pack = 0, panel = 0, splitk <= 1, kc, bm and bn multiples of 16 */
  int streamk;  /* 0: off; 1 or 2: stream-K (needs local = 1, splitk <= 1): the tiles of the
                   call's whole waves of work-groups (one per compute unit), less streamk - 1
                   waves, by the data-parallel kernel, and the rest of the tiles split evenly by
                   K-slices among at most one work-group per compute unit, whose partial
                   products a third kernel adds into C (no compute unit idles in a last part-full
                   wave); calls split into row bands (a launch limit) run without it */
} ob_gemm_config;

/* The tuning family of ob_gemm_config (core/tune.h): its text form "bm=128,bn=128,...,splitk=0"
 * (OCLBENCH_CONFIG_GEMM, the tuning cache) and the -D options of gemm.cl. */
extern const ob_tune_family ob_gemm_family;

/* Checks the divisibility and vector-width rules of gemm.cl (OB_ERR_INVALID with a detail)
 * and, unless dev is NULL, the device's work-group, local-memory and register-cap limits
 * (OB_ERR_UNSUPPORTED with a detail: a configuration this device cannot run; the built
 * kernel's own limits are checked when it is built, ob_gemm_prepare). */
ob_status ob_gemm_config_check(const ob_gemm_config *cfg, const ob_device *dev);

/* The device's default configuration (vendor table; used when tuning is off). */
void ob_gemm_config_default(const ob_device *dev, ob_gemm_config *out);

/* The device's autotuning candidates, its default first; returns how many (at most max). */
size_t ob_gemm_candidates(const ob_device *dev, ob_gemm_config *out, size_t max);

typedef struct ob_gemm ob_gemm;

/* Creates a handle for dev (opened if needed) that runs config (checked: OB_ERR_INVALID when
 * it breaks a rule or config is NULL, OB_ERR_UNSUPPORTED beyond a device limit) on every
 * shape. No kernel is built until a shape is prepared. */
ob_status ob_gemm_create(ob_device *dev, const ob_gemm_config *config, ob_gemm **out);

/* Releases the handle's kernels and scratch buffers; NULL is a no-op. Finishes the queue. */
void ob_gemm_destroy(ob_gemm *g);

/* Builds the kernel for the layout of args (only storage, ta, tb are read), so that a later
 * ob_gemm_enqueue of that layout does no build. */
ob_status ob_gemm_prepare(ob_gemm *g, const ob_gemm_args *args);

/* The configuration the handle runs. */
const ob_gemm_config *ob_gemm_config_get(const ob_gemm *g);

/* Enqueues the GEMM (preparing the shape first if needed). Checks the arguments (dimensions,
 * leading dimensions, buffer sizes; OB_ERR_INVALID) and that index arithmetic fits the
 * kernel's 32-bit ints (OB_ERR_TOO_LARGE). ev: optional, receives the event of the last
 * kernel (released by the caller). Does not wait. */
ob_status ob_gemm_enqueue(ob_gemm *g, const ob_gemm_args *args, cl_event *ev);

/* Enqueues, waits, and returns in *seconds the device time from the start of the first kernel
 * (operand copies included) to the end of the last (the GEMM kernel, or the split-K
 * reduction) (profiling events). */
ob_status ob_gemm_run_timed(ob_gemm *g, const ob_gemm_args *args, double *seconds);

/* What the compiler reported for the kernel of the layout of args (after ob_gemm_prepare):
 * its private memory per work-item (stack and spills) and, where the vendor profile has a
 * verbose-build option, the register and spill lines of the build log; "" when unknown. */
void ob_gemm_build_info(ob_gemm *g, const ob_gemm_args *args, char *buf, size_t n);

/* Appends to the NUL-terminated buf (n bytes in all) the lines of a build log that mention
 * registers or spills, each from its "Used" or its first digit on (NVIDIA's -cl-nv-verbose:
 * "Used 128 registers, ...", "0 bytes stack frame, 0 bytes spill stores, ..."), whitespace
 * runs collapsed, joined by "; ". */
void ob_gemm_build_log_summary(const char *log, char *buf, size_t n);

/* Kernels the last ob_gemm_enqueue launched (1: the GEMM alone; more: operand copies,
 * several row bands or a split-K reduction). */
int ob_gemm_last_launches(const ob_gemm *g);

/* FLOPs per GEMM launch on a device with a kernel-execution watchdog (display GPUs): about a
 * second even at 30 GFLOP/s. */
#define OB_GEMM_WATCHDOG_FLOPS 3e10

/* Splits every later GEMM into launches of row bands of at most `flops` FLOPs each (at least
 * one work-group row per launch); 0: one launch. The default is OB_GEMM_WATCHDOG_FLOPS on
 * devices that report a watchdog, else 0. */
void ob_gemm_set_launch_limit(ob_gemm *g, double flops);

#endif
