/* The `adam` workload: one Adam / AdamW optimizer step over a model's parameters, fused and
 * eager (models/adam/adam_workload.c). */
#ifndef OB_ADAM_WORKLOAD_H
#define OB_ADAM_WORKLOAD_H

#include "adam.h"
#include "workload.h"

extern const ob_workload ob_workload_adam;

/* Steps taken from a fresh state before the device is compared with the host reference. */
#define OB_ADAM_VERIFY_STEPS 10
/* Bounds on the verification error (see adam_workload.c): fp32, and the fp16 parameters
 * (10 steps x half's unit roundoff 2^-11, rounded up). */
#define OB_ADAM_VERIFY_BOUND 1e-5
#define OB_ADAM_VERIFY_BOUND_FP16 5e-3

/* The workload's case struct: `tensors` tensors of rows x cols parameters (fp32 or fp16
 * storage; fp16 needs impl fused), impl fused or eager, Adam (adamw false: no weight decay) or
 * AdamW (weight decay 0.01), lr 0.01, with or without amsgrad; quick: also with --quick. */
typedef struct ob_adam_case {
  ob_adam_impl impl;
  ob_adam_precision precision;
  bool adamw, amsgrad;
  int tensors, rows, cols;
  bool quick;
} ob_adam_case;

/* Fills c with the case spec (which must outlive c). Public so tests can run small cases. */
void ob_adam_workload_case(ob_case *c, const ob_adam_case *spec);

#endif
