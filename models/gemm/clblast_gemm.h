/* GEMM through CLBlast, on the same row-major arguments as the project's own SGEMM.
 *
 * CLBlast routines launch several kernels (operand copies, the GEMM, ...) and return an event
 * for the last one only, so they are timed here by wall-clock around the call and clFinish.
 * The first call on a device compiles CLBlast's kernels (seconds): make one untimed call
 * first. A CLBlast error becomes OB_ERR_LIBRARY with "CLBlastSgemm: <name> (<code>)" as the
 * detail, ready for the CSV note.
 */
#ifndef OB_CLBLAST_GEMM_H
#define OB_CLBLAST_GEMM_H

#include "gemm.h"

typedef enum ob_clblast_precision {
  OB_CLBLAST_FP32, /* CLBlastSgemm on float buffers */
  OB_CLBLAST_FP16, /* CLBlastHgemm on half buffers (alpha and beta rounded to half) */
} ob_clblast_precision;

/* Enqueues C = alpha * op(A) * op(B) + beta * C on the device's queue; does not wait. For
 * FP16 the buffers hold IEEE halves and offsets/leading dimensions count halves. */
ob_status ob_clblast_gemm(ob_device *dev, ob_clblast_precision prec, const ob_gemm_args *args);

/* Runs ob_clblast_gemm and clFinish; *seconds is the wall-clock time of both. */
ob_status ob_clblast_gemm_timed(ob_device *dev, ob_clblast_precision prec,
                                const ob_gemm_args *args, double *seconds);

/* Symbolic name of a CLBlast status code ("CLBlastNoHalfPrecision", or the OpenCL name for
 * the codes CLBlast shares with OpenCL). */
const char *ob_clblast_strerror(int code);

#endif
