/* The `adam` workload: one Adam / AdamW optimizer step over a model's parameters, fused and
 * eager (models/adam_workload.c). */
#ifndef OB_ADAM_WORKLOAD_H
#define OB_ADAM_WORKLOAD_H

#include "adam.h"
#include "workload.h"

extern const ob_workload ob_workload_adam;

/* Steps taken from a fresh state before the device is compared with the host reference. */
#define OB_ADAM_VERIFY_STEPS 10
/* Bound on the verification error (see adam_workload.c). */
#define OB_ADAM_VERIFY_BOUND 1e-5

/* Fills c with one case: `tensors` tensors of rows x cols fp32 parameters, impl fused or
 * eager, Adam (adamw false: no weight decay) or AdamW (weight decay 0.01), lr 0.01, with or
 * without amsgrad. Public so tests can run small cases. */
void ob_adam_workload_case(ob_case *c, ob_adam_impl impl, bool adamw, bool amsgrad, int tensors,
                           int rows, int cols);

#endif
