/* The workloads oclbench knows: adding a workload is adding its folder in models/ and one line
 * here, W(name) for the `const ob_workload ob_workload_<name>` its adapter defines. The order
 * is the order --help lists them and a run runs them (after what they need: ob_runner_plan). */
#include <string.h>

#include "runner.h"

#define OB_WORKLOAD_LIST                                                                         \
  W(peak)                                                                                        \
  W(ising)                                                                                       \
  W(linear)                                                                                      \
  W(conv)                                                                                        \
  W(adam)                                                                                        \
  W(train)

#define W(name) extern const ob_workload ob_workload_##name;
OB_WORKLOAD_LIST
#undef W

#define W(name) &ob_workload_##name,
const ob_workload *const ob_workloads[] = {OB_WORKLOAD_LIST};
#undef W
const size_t ob_nworkloads = sizeof ob_workloads / sizeof *ob_workloads;
_Static_assert(sizeof ob_workloads / sizeof *ob_workloads <= OB_MAX_WORKLOADS,
               "more workloads than OB_MAX_WORKLOADS (runner.h) has room for");

const ob_workload *ob_workload_find(const char *name) {
  for (size_t i = 0; i < ob_nworkloads; i++)
    if (strcmp(ob_workloads[i]->name, name) == 0) return ob_workloads[i];
  return NULL;
}
