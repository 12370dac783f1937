/* The table of workloads: adding a workload is adding its file in models/ and one row here. */
#include "adam/adam_workload.h"
#include "conv/conv_workload.h"
#include "ising/ising.h"
#include "gemm/linear.h"
#include "peak/peak.h"
#include "runner.h"
#include "simplecnn/train_workload.h"

#include <string.h>

const ob_workload *const ob_workloads[] = {
    &ob_workload_peak,
    &ob_workload_ising,
    &ob_workload_linear,
    &ob_workload_conv,
    &ob_workload_adam,
    &ob_workload_train,
};
const size_t ob_nworkloads = sizeof ob_workloads / sizeof *ob_workloads;

const ob_workload *ob_workload_find(const char *name) {
  for (size_t i = 0; i < ob_nworkloads; i++)
    if (strcmp(ob_workloads[i]->name, name) == 0) return ob_workloads[i];
  return NULL;
}
