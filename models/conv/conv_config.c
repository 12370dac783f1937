/* Configurations of the implicit-GEMM convolution: the tuning family (parameters, text form,
 * -D options) and the rules between the parameters. */
#include "conv.h"

/* In conv_gemm.cl's -D order; split is not a kernel define (a second kernel sums the parts),
 * nor are algo (which kernels run around the GEMM) and algo=direct's px, kb and wx
 * (conv_direct.c passes them to its own kernels). The tile keys have no default: the rules
 * require them, but for algo=direct, which has no GEMM (0: not given). */
#define TILE(key_, define_, field_)                                                             \
  {.key = key_, .define = define_, OB_TUNE_FIELD(ob_conv_config, field_), .min = 0,            \
   .max = 4096}
static const ob_tune_param params[] = {
    TILE("tm", "TM", tm), TILE("tn", "TN", tn), TILE("tk", "TK", tk),
    TILE("wm", "WM", wm), TILE("wn", "WN", wn), TILE("wtx", "WTX", wtx),
    {.key = "split", OB_TUNE_FIELD(ob_conv_config, split), .min = 0, .max = 4096},
    {.key = "px", OB_TUNE_FIELD(ob_conv_config, px), .min = 0, .max = 16},
    {.key = "kb", OB_TUNE_FIELD(ob_conv_config, kb), .min = 0, .max = 16},
    {.key = "wx", OB_TUNE_FIELD(ob_conv_config, wx), .min = 0, .max = 1024},
    {.key = "algo", OB_TUNE_FIELD(ob_conv_config, algo), .min = OB_CONV_ALGO_GEMM,
     .max = OB_CONV_ALGO_DIRECT, OB_TUNE_NAMES("gemm", "winograd", "winograd4", "direct")},
};

/* The rules, on parameters within their ranges (ob_tune_check tests those first). */
static ob_status rules(const void *cfg, const ob_device *dev) {
  (void)dev; /* a device's limits depend on the pass too: ob_conv_config_fits */
  const ob_conv_config *c = cfg;
  if (c->algo == OB_CONV_ALGO_DIRECT) return OB_OK; /* the tile keys unused */
  const int tile[] = {c->tm, c->tn, c->tk, c->wm, c->wn, c->wtx};
  for (size_t i = 0; i < sizeof tile / sizeof *tile; i++)
    if (!tile[i])
      return ob_fail(OB_ERR_INVALID, "conv config: %s is missing or 0 (tm, tn, tk, wm, wn and wtx "
                     "are required, but for algo=direct)", params[i].key);
  if (c->wm % 4 || c->wn % 4)
    return ob_fail(OB_ERR_INVALID, "conv config: wm=%d and wn=%d must be multiples of 4",
                   c->wm, c->wn);
  if (c->tm % c->wm || c->tn % c->wn)
    return ob_fail(OB_ERR_INVALID, "conv config: tm=%d and tn=%d must be multiples of wm=%d "
                   "and wn=%d", c->tm, c->tn, c->wm, c->wn);
  if (c->tk > OB_CONV_ROW_PAD || c->tn > OB_CONV_COL_PAD)
    return ob_fail(OB_ERR_INVALID, "conv config: tk=%d above %d or tn=%d above %d", c->tk,
                   OB_CONV_ROW_PAD, c->tn, OB_CONV_COL_PAD);
  const int ntx = c->tn / c->wn, nty = c->tm / c->wm, nt = ntx * nty;
  if (32 % c->wtx || ntx % c->wtx || nty % (32 / c->wtx))
    return ob_fail(OB_ERR_INVALID, "conv config: %dx%d work-items do not form 32-lane warps "
                   "of wtx=%d x %d", nty, ntx, c->wtx, 32 / (32 % c->wtx ? 1 : c->wtx));
  if (nt % c->tk || (c->tm * c->tk) % nt || (c->tn * c->tk) % nt)
    return ob_fail(OB_ERR_INVALID, "conv config: %d work-items cannot share the %dx%d and "
                   "%dx%d tiles evenly (tk must divide the work-group size)", nt, c->tm, c->tk,
                   c->tk, c->tn);
  return OB_OK;
}

static const ob_conv_config base = {0};

const ob_tune_family ob_conv_family = {.name = "conv", .params = params,
                                       .nparams = sizeof params / sizeof *params,
                                       .size = sizeof(ob_conv_config), .base = &base,
                                       .check = rules};

ob_status ob_conv_config_check(const ob_conv_config *cfg) {
  return ob_tune_check(&ob_conv_family, cfg, NULL);
}
