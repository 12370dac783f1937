/* int8 GEMM with int32 accumulation: row-major C = op(A) * op(B) on cl_mem buffers.
 *
 * A, B hold signed 8-bit integers, C 32-bit integers (written, never read). C is m x n; op(A)
 * is m x k and op(B) is k x n, with the storage conventions of models/gemm/gemm.h: A is stored
 * m x k (lda >= k) for OB_GEMM_N and k x m (lda >= m) for OB_GEMM_T; B is stored k x n
 * (ldb >= n) for OB_GEMM_N and n x k (ldb >= k) for OB_GEMM_T; C is m x n (ldc >= n). Offsets
 * and leading dimensions are in elements. The result is exact: k <= OB_IGEMM_MAX_K keeps every
 * sum of k products of int8 values inside int32.
 *
 * The kernel (cl_kernels/igemm.cl) reads "k-contiguous" operands: A untransposed and B
 * transposed (ta = N, tb = T, the layout of a PyTorch Linear's input and weight), with 16-byte
 * aligned rows and m, n, k multiples of the tile. Any other call first copies the operand(s)
 * into zero-padded scratch buffers (one extra launch per operand); so does B always for the
 * CPU configurations without local memory, which read it word-major.
 *
 * 4-term dot products: cl_khr_integer_dot_product where the device reports it, NVIDIA's dp4a
 * (inline PTX) on NVIDIA devices of compute capability 6.1 and later, plain int arithmetic
 * otherwise; a mode other than plain is used only when its kernel builds and computes a small
 * product exactly (checked at creation).
 *
 * Tile configuration: the one given at creation; the selection step, ob_igemm_select
 * (models/gemm/igemm_tune.h), picks one through the tuning facility (core/tune.h).
 *
 * Ownership: the handle borrows the device (which must outlive it) and owns its kernels and
 * scratch buffers; the caller owns A, B and C. Not thread-safe: one handle per thread.
 */
#ifndef OB_IGEMM_H
#define OB_IGEMM_H

#include "gemm.h"
#include "oclbench.h"
#include "tune.h"

/* Largest k: fewer than 2^17 products of magnitude at most 2^14 ((-128)^2) stay below 2^31. */
#define OB_IGEMM_MAX_K (((size_t)1 << 17) - 1)

/* One int8 GEMM call. */
typedef struct ob_igemm_args {
  ob_gemm_trans ta, tb;
  size_t m, n, k;
  cl_mem a;
  size_t a_off, lda;
  cl_mem b;
  size_t b_off, ldb;
  cl_mem c;
  size_t c_off, ldc;
} ob_igemm_args;

/* The -D options of igemm.cl (see the comment at the top of that file). */
typedef struct ob_igemm_config {
  int bm, bn;  /* C tile per work-group */
  int tm, tn;  /* C tile per work-item */
  int vm, vn;  /* local read widths in words (1, 2, 4); 1 without local memory */
  int bk;      /* k values per slice (a multiple of 16) */
  int pad;     /* local row padding in words; 0 without local memory */
  int local;   /* 1: slices staged in local memory (GPUs); 0: read from global memory, B packed
                  word-major (CPUs) */
} ob_igemm_config;

/* How the 4-term products are computed. AUTO (creation only): the best that works. */
typedef enum ob_igemm_dot {
  OB_IGEMM_DOT_AUTO = 0,
  OB_IGEMM_DOT_PLAIN,
  OB_IGEMM_DOT_KHR,
  OB_IGEMM_DOT_PTX,
} ob_igemm_dot;

/* "auto", "plain", "khr" (cl_khr_integer_dot_product), "ptx" (NVIDIA dp4a). */
const char *ob_igemm_dot_name(ob_igemm_dot dot);

/* The tuning family of ob_igemm_config (core/tune.h): its text form
 * "bm=128,bn=128,tm=8,tn=8,vm=4,vn=4,bk=32,pad=4,local=1" (OCLBENCH_CONFIG_IGEMM, the tuning
 * cache) and the -D options of igemm.cl. */
extern const ob_tune_family ob_igemm_family;

/* Checks the rules of igemm.cl (divisibility, vector widths, padding alignment; OB_ERR_INVALID
 * with a detail) and, when dev is not NULL, the device's work-group and local-memory limits
 * (OB_ERR_UNSUPPORTED with a detail; the built kernel's own work-group limit is checked when
 * it is built, ob_igemm_create). */
ob_status ob_igemm_config_check(const ob_igemm_config *cfg, const ob_device *dev);

/* The device's default configuration, and its autotuning candidates (default first); returns
 * how many (at most max). */
void ob_igemm_config_default(const ob_device *dev, ob_igemm_config *out);
size_t ob_igemm_candidates(const ob_device *dev, ob_igemm_config *out, size_t max);

typedef struct ob_igemm ob_igemm;

/* Creates a handle for dev (opened if needed) with configuration cfg (checked; NULL is
 * OB_ERR_INVALID) and dot mode `dot` (AUTO: the best that builds and is exact; another mode:
 * that one, or OB_ERR_UNSUPPORTED when the device cannot run it). Builds the kernels. */
ob_status ob_igemm_create(ob_device *dev, const ob_igemm_config *cfg, ob_igemm_dot dot,
                          ob_igemm **out);

/* Releases the kernels and scratch buffers (after finishing the queue); NULL is a no-op. */
void ob_igemm_destroy(ob_igemm *g);

/* The configuration and dot mode in use. */
const ob_igemm_config *ob_igemm_config_get(const ob_igemm *g);
ob_igemm_dot ob_igemm_dot_mode(const ob_igemm *g);

/* Enqueues the GEMM, packing operands first where needed. Checks the arguments (dimensions,
 * k <= OB_IGEMM_MAX_K, leading dimensions, buffer sizes: OB_ERR_INVALID) and that the kernel's
 * 32-bit indices suffice (OB_ERR_TOO_LARGE). first / last: optional out events of the first
 * and the last launch (the same launch when nothing is packed; released by the caller). Does
 * not wait. m, n or k of 0: nothing to do for m or n, C = 0 for k = 0 (one launch). */
ob_status ob_igemm_enqueue(ob_igemm *g, const ob_igemm_args *args, cl_event *first,
                           cl_event *last);

/* Enqueues, waits, and returns in *seconds the device time from the start of the first launch
 * (packing included) to the end of the GEMM (profiling events). */
ob_status ob_igemm_run_timed(ob_igemm *g, const ob_igemm_args *args, double *seconds);

/* Launches of the last ob_igemm_enqueue (1: the GEMM alone; 2 or 3 with packing). */
int ob_igemm_last_launches(const ob_igemm *g);

#endif
