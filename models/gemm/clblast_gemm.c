/* GEMM through CLBlast (Sgemm, Hgemm), wall-clock timed. */
#include "clblast_gemm.h"

#include <clblast_c.h>
#include <math.h>

#include "gemm_ref.h"

const char *ob_clblast_strerror(int code) {
  switch (code) {
  case CLBlastNotImplemented: return "CLBlastNotImplemented";
  case CLBlastInvalidMatrixA: return "CLBlastInvalidMatrixA";
  case CLBlastInvalidMatrixB: return "CLBlastInvalidMatrixB";
  case CLBlastInvalidMatrixC: return "CLBlastInvalidMatrixC";
  case CLBlastInvalidDimension: return "CLBlastInvalidDimension";
  case CLBlastInvalidLeadDimA: return "CLBlastInvalidLeadDimA";
  case CLBlastInvalidLeadDimB: return "CLBlastInvalidLeadDimB";
  case CLBlastInvalidLeadDimC: return "CLBlastInvalidLeadDimC";
  case CLBlastInsufficientMemoryA: return "CLBlastInsufficientMemoryA";
  case CLBlastInsufficientMemoryB: return "CLBlastInsufficientMemoryB";
  case CLBlastInsufficientMemoryC: return "CLBlastInsufficientMemoryC";
  case CLBlastInsufficientMemoryTemp: return "CLBlastInsufficientMemoryTemp";
  case CLBlastInvalidLocalMemUsage: return "CLBlastInvalidLocalMemUsage";
  case CLBlastNoHalfPrecision: return "CLBlastNoHalfPrecision";
  case CLBlastNoDoublePrecision: return "CLBlastNoDoublePrecision";
  case CLBlastUnknownError: return "CLBlastUnknownError";
  case CLBlastUnexpectedError: return "CLBlastUnexpectedError";
  case CLBlastDatabaseError: return "CLBlastDatabaseError";
  case CLBlastInvalidBatchCount: return "CLBlastInvalidBatchCount";
  case CLBlastInvalidOverrideKernel: return "CLBlastInvalidOverrideKernel";
  case CLBlastMissingOverrideParameter: return "CLBlastMissingOverrideParameter";
  default: return code > -1000 ? ob_cl_strerror(code) : "CLBlastUnknownStatus";
  }
}

static CLBlastTranspose trans(ob_gemm_trans t) {
  return t == OB_GEMM_T ? CLBlastTransposeYes : CLBlastTransposeNo;
}

ob_status ob_clblast_gemm(ob_device *dev, ob_clblast_precision prec, const ob_gemm_args *a) {
  cl_command_queue q = ob_device_queue(dev);
  if (!q) return ob_fail(OB_ERR_INVALID, "clblast gemm: device not open");
  CLBlastStatusCode code;
  const char *routine = prec == OB_CLBLAST_FP16 ? "CLBlastHgemm" : "CLBlastSgemm";
  /* CLBlast enqueues kernels oclbench cannot see: the trace records the call as one span. */
  cl_event span = NULL;
  OB_TRY(ob_trace_span_begin(dev, &span));
  if (prec == OB_CLBLAST_FP16)
    code = CLBlastHgemm(CLBlastLayoutRowMajor, trans(a->ta), trans(a->tb), a->m, a->n, a->k,
                        ob_half_from_float(a->alpha), a->a, a->a_off, a->lda, a->b, a->b_off,
                        a->ldb, ob_half_from_float(a->beta), a->c, a->c_off, a->ldc, &q, NULL);
  else
    code = CLBlastSgemm(CLBlastLayoutRowMajor, trans(a->ta), trans(a->tb), a->m, a->n, a->k,
                        a->alpha, a->a, a->a_off, a->lda, a->b, a->b_off, a->ldb, a->beta, a->c,
                        a->c_off, a->ldc, &q, NULL);
  if (code != CLBlastSuccess) {
    if (span) clReleaseEvent(span);
    return ob_fail(code == CLBlastNoHalfPrecision ? OB_ERR_UNSUPPORTED : OB_ERR_LIBRARY,
                   "%s: %s (%d)", routine, ob_clblast_strerror(code), (int)code);
  }
  return ob_trace_span_end(dev, span, routine, 2.0 * (double)a->m * (double)a->n * (double)a->k,
                           NAN);
}

ob_status ob_clblast_gemm_timed(ob_device *dev, ob_clblast_precision prec,
                                const ob_gemm_args *args, double *seconds) {
  *seconds = 0.0;
  const double t0 = ob_now();
  ob_status st = ob_clblast_gemm(dev, prec, args);
  ob_status fin = ob_device_finish(dev);
  *seconds = ob_now() - t0;
  return st != OB_OK ? st : fin;
}
