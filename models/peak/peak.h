/* Peak probes workload ("peak"): the measured denominators of `peak_fraction`. It provides
 * OB_NEEDS_PEAKS: the runner runs it first on a device whose other workloads need them. */
#ifndef OB_PEAK_H
#define OB_PEAK_H

#include "workload.h"

extern const ob_workload ob_workload_peak;

typedef enum ob_probe_kind {
  OB_PROBE_FMA,       /* FP32 FMA rate of one vector width */
  OB_PROBE_COPY,      /* global-memory copy bandwidth: a bandwidth peak */
  OB_PROBE_UPDATE,    /* in-place read and write bandwidth: a bandwidth peak */
  OB_PROBE_READ,      /* read-only bandwidth */
  OB_PROBE_LATENCY,   /* an empty kernel's queue-to-start time */
  OB_PROBE_ROUNDTRIP, /* an empty kernel's enqueue-to-finish wall time */
  OB_PROBE_H2D,       /* pinned host to device transfer */
  OB_PROBE_D2H,       /* device to pinned host transfer */
} ob_probe_kind;

/* The workload's case struct. A probe with a buffer sizes it from its case's `bytes` (the
 * bytes one repetition moves): bytes / moves. */
typedef struct ob_peak_probe {
  ob_probe_kind kind;
  const char *variant;  /* CSV `variant` */
  int width;            /* FMA: the vector width */
  double moves;         /* bytes moved per buffer byte and repetition; 0: no buffer */
} ob_peak_probe;

/* The workload's entries, public for tests. */
size_t ob_peak_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                          size_t max);
ob_status ob_peak_setup(void *state, ob_device *dev, ob_case *c);
ob_status ob_peak_run(void *state, double *seconds);
void ob_peak_teardown(void *state);

#endif
