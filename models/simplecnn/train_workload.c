/* The `train` workload: cases, set-up, one part of a training step per repetition, and the
 * verification against the double host reference (see train_workload.h). */
#include "train_workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conv/conv_ref.h"
#include "simplecnn.h"
#include "simplecnn_ref.h"

#define SEED_PARAMS 0x7a11u
#define SEED_INPUT 0x7a12u
#define SEED_LABELS 0x7a13u
#define LR 1e-3
/* The seed's input and the extra sizes of its dynamic-input test (forward only). */
#define INPUT 224
#define SEED_BATCH 32
#define QUICK_SEED_BATCH 2

typedef enum part { PART_STEP, PART_FORWARD, PART_BACKWARD, PART_OPTIMIZER, NPARTS } part;

static const char *const part_names[NPARTS] = {"step", "forward", "backward", "optimizer"};

/* The workload's case struct: one part of a step at one batch and input size, in the full run,
 * with --quick, or both. */
typedef struct train_case {
  part p;
  int batch, input;
  bool full, quick;
} train_case;

/* The case table: every part at batches 8, 32 (the seed's) and 128 (--quick: 2 and 8), then
 * the forward at the extra inputs of the seed's dynamic-input test (batch 32; --quick: 2). */
#define TRAIN_PARTS(batch, full, quick)                                                          \
  {PART_STEP, batch, INPUT, full, quick}, {PART_FORWARD, batch, INPUT, full, quick},             \
      {PART_BACKWARD, batch, INPUT, full, quick}, {PART_OPTIMIZER, batch, INPUT, full, quick}
static const train_case cases_table[] = {
    TRAIN_PARTS(QUICK_SEED_BATCH, false, true), TRAIN_PARTS(8, true, true),
    TRAIN_PARTS(SEED_BATCH, true, false),       TRAIN_PARTS(128, true, false),
    {PART_FORWARD, QUICK_SEED_BATCH, 128, false, true},
    {PART_FORWARD, QUICK_SEED_BATCH, 256, false, true},
    {PART_FORWARD, SEED_BATCH, 128, true, false},
    {PART_FORWARD, SEED_BATCH, 256, true, false},
};

static void dims_for(int batch, int input, ob_simplecnn_dims *d) {
  ob_simplecnn_dims_default(d);
  d->batch = batch;
  d->in_h = d->in_w = input;
}

static void add_case(ob_case *c, const train_case *tc) {
  const part p = tc->p;
  ob_simplecnn_dims d;
  dims_for(tc->batch, tc->input, &d);
  ob_simplecnn_counts n;
  ob_simplecnn_count(&d, &n);
  const double flops[NPARTS] = {n.forward_flops + n.backward_flops + n.optimizer_flops,
                                n.forward_flops, n.backward_flops, n.optimizer_flops};
  const double cost = p == PART_OPTIMIZER ? n.optimizer_bytes : flops[p];
  ob_case_init(c, tc, part_names[p], "fp32", part_names[p], cost);
  snprintf(c->size, sizeof c->size, "%dx%dx%dx%d", tc->batch, d.in_c, d.in_h, d.in_w);
  ob_case_param(c, "model", "simplecnn");
  ob_case_param(c, "batch", "%d", tc->batch);
  ob_case_param(c, "input", "%dx%dx%d", d.in_c, d.in_h, d.in_w);
  c->flops = flops[p];
  ob_case_metric(c, "step_time", "us", OB_METRIC_TIME, 0, 1e6, OB_PEAK_NONE);
  if (p == PART_OPTIMIZER) {
    c->bytes = n.optimizer_bytes;
    ob_case_metric(c, "bandwidth", "GB/s", OB_METRIC_RATE, c->bytes, 1e9, OB_PEAK_BANDWIDTH);
  } else {
    ob_metric_per_joule(
        ob_case_metric(c, "gflops", "GFLOP/s", OB_METRIC_RATE, c->flops, 1e9, OB_PEAK_FP32),
        "gflops_per_j", "GFLOP/J", 1e9);
  }
}

static size_t train_list_cases(const ob_device *dev, const ob_run_opts *opts, ob_case *cases,
                               size_t max) {
  (void)dev;
  size_t n = 0;
  for (size_t i = 0; i < sizeof cases_table / sizeof *cases_table && n < max; i++)
    if (opts->quick ? cases_table[i].quick : cases_table[i].full)
      add_case(&cases[n++], &cases_table[i]);
  return n;
}

/* ---------------------------------------------------------------- set-up and repetitions */

typedef struct train_state {
  ob_device *dev;
  part p;
  ob_simplecnn_config cfg;
  ob_simplecnn *model;
  float *x;
  int32_t *labels;
} train_state;

static void train_teardown(void *state) {
  train_state *s = state;
  ob_simplecnn_destroy(s->model);
  free(s->x);
  free(s->labels);
}

/* The input batch: uniform in [-1, 1), labels uniform over the classes. */
static ob_status make_input(train_state *s) {
  const ob_simplecnn_dims *d = &s->cfg.dims;
  const size_t nx = (size_t)d->batch * d->in_c * d->in_h * d->in_w;
  s->x = malloc(nx * sizeof *s->x);
  s->labels = malloc((size_t)d->batch * sizeof *s->labels);
  float *u = malloc((size_t)d->batch * sizeof *u);
  if (!s->x || !s->labels || !u) {
    free(u);
    return ob_fail(OB_ERR_NOMEM, "out of host memory for the training batch");
  }
  ob_conv_ref_fill(s->x, nx, SEED_INPUT);
  ob_conv_ref_fill(u, (size_t)d->batch, SEED_LABELS);
  for (int n = 0; n < d->batch; n++) {
    const int l = (int)((u[n] + 1.0f) * 0.5f * (float)d->classes);
    s->labels[n] = l < d->classes ? l : d->classes - 1;
  }
  free(u);
  return OB_OK;
}

/* Enqueues the case's part of a step. */
static ob_status enqueue_part(train_state *s) {
  switch (s->p) {
  case PART_STEP: return ob_simplecnn_step(s->model, NULL);
  case PART_FORWARD: return ob_simplecnn_forward(s->model);
  case PART_BACKWARD: return ob_simplecnn_backward(s->model);
  case PART_OPTIMIZER: return ob_simplecnn_update(s->model);
  case NPARTS: break;
  }
  return ob_fail(OB_ERR_INVALID, "train: unknown part %d", (int)s->p);
}

static ob_status train_setup(void *state, ob_device *dev, ob_case *c) {
  train_state *s = state;
  const train_case *tc = c->spec;
  s->dev = dev;
  s->p = tc->p;
  ob_simplecnn_config_init(&s->cfg);
  dims_for(tc->batch, tc->input, &s->cfg.dims);
  s->cfg.seed = SEED_PARAMS;
  s->cfg.lr = LR;
  OB_TRY(ob_device_open(dev));
  OB_TRY(ob_simplecnn_create(dev, &s->cfg, &s->model));
  ob_log(OB_LOG_INFO, "train %s batch %d input %d: %s", part_names[s->p], tc->batch, tc->input,
         ob_simplecnn_describe(s->model));
  OB_TRY(make_input(s));
  OB_TRY(ob_simplecnn_set_input(s->model, s->x, s->labels));
  /* The parts after the forward start from a step's state: activations, gradients. */
  if (s->p == PART_BACKWARD || s->p == PART_OPTIMIZER) OB_TRY(ob_simplecnn_forward(s->model));
  if (s->p == PART_OPTIMIZER) OB_TRY(ob_simplecnn_backward(s->model));
  return ob_device_finish(dev);
}

static ob_status train_run(void *state, double *seconds) {
  train_state *s = state;
  const double t0 = ob_now();
  OB_TRY(enqueue_part(s));
  OB_TRY(ob_device_finish(s->dev));
  *seconds = ob_now() - t0;
  return OB_OK;
}

/* ---------------------------------------------------------------- verification */

/* One step of a fresh model of OB_TRAIN_VERIFY_BATCH images (the timed model's
 * configuration and initial parameters) on the first images of the batch, checked against
 * the reference. Fresh, not the timed model's current parameters: repeated steps on one
 * batch saturate the softmax within a step or two (the fc layer has 4M weights that all move
 * by lr), after which the fp32 gradients underflow to zero and have no relative error left to
 * check. */
static ob_status check_small_step(train_state *s, ob_simplecnn_check *out) {
  ob_simplecnn_config cfg = s->cfg;
  cfg.dims.batch = OB_TRAIN_VERIFY_BATCH;
  ob_simplecnn *small = NULL;
  OB_TRY(ob_simplecnn_create(s->dev, &cfg, &small));
  ob_status st = ob_simplecnn_check_step(small, s->x, s->labels, out);
  ob_simplecnn_destroy(small);
  return st;
}

static ob_status train_verify(void *state, ob_verdict *out) {
  train_state *s = state;
  memset(out, 0, sizeof *out);
  ob_simplecnn_check fwd, step;
  OB_TRY(ob_simplecnn_check_forward(s->model, s->x, s->labels, OB_TRAIN_VERIFY_BATCH, &fwd));
  const bool full = s->p != PART_FORWARD;
  if (full) OB_TRY(check_small_step(s, &step));
  const ob_simplecnn_check *worst = full && !(step.max_err <= fwd.max_err) ? &step : &fwd;
  out->checked = true;
  out->ok = fwd.ok && (!full || step.ok);
  char differ[64] = "";
  if (full && step.mask_differ)
    snprintf(differ, sizeof differ, "; %zu ReLU decisions differ", step.mask_differ);
  snprintf(out->note, sizeof out->note,
           "max_rel_err=%.2e (bound %.0e; worst %s; %s%d images)%s; launches=%zu (forward %zu, "
           "backward %zu, optimizer %zu)",
           worst->max_err, OB_SIMPLECNN_CHECK_BOUND, ob_simplecnn_quantity_name(worst->worst),
           full ? "logits and a whole step of " : "logits of ", OB_TRAIN_VERIFY_BATCH, differ,
           ob_simplecnn_launches(s->model, OB_SIMPLECNN_STEP),
           ob_simplecnn_launches(s->model, OB_SIMPLECNN_FORWARD),
           ob_simplecnn_launches(s->model, OB_SIMPLECNN_BACKWARD),
           ob_simplecnn_launches(s->model, OB_SIMPLECNN_UPDATE));
  return OB_OK;
}

const ob_workload ob_workload_train = {
    .name = "train",
    .description = "SimpleCNN training step (forward, loss, backward, fused Adam) at batch 8, "
                   "32, 128, by part; forward at inputs 128, 224, 256",
    .needs = OB_NEEDS_PEAKS,
    .state_size = sizeof(train_state),
    .list_cases = train_list_cases,
    .setup = train_setup,
    .run = train_run,
    .verify = train_verify,
    .teardown = train_teardown,
};
