/* Planning a run: the workloads (providers first) and their options, the cases chosen, and
 * their expected time. */
#include "runner_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A case's time before it has run, for progress and run --list: set-up, warm-up and
 * verification (ESTIMATE_FIXED_S) and the calibrated repetitions (ESTIMATE_BUDGETS x the time
 * budget: they stop at the budget, or after their minimum number of repetitions
 * (runner_measure.c) at twice it). */
#define ESTIMATE_FIXED_S 0.3
#define ESTIMATE_BUDGETS 1.2

/* Whether wl is one of list[0..n). */
static bool listed(const ob_workload *const *list, size_t n, const ob_workload *wl) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == wl) return true;
  return false;
}

size_t ob_runner_plan(const ob_workload *const *known, size_t nknown,
                      const ob_workload *const *chosen, size_t n, const ob_workload **out,
                      size_t max) {
  unsigned needs = 0;
  for (size_t i = 0; i < n; i++) needs |= chosen[i]->needs;
  size_t k = 0;
  for (size_t w = 0; w < nknown && k < max; w++)
    if ((known[w]->provides & needs) && !listed(out, k, known[w])) out[k++] = known[w];
  for (size_t i = 0; i < n && k < max; i++)
    if (!listed(out, k, chosen[i])) out[k++] = chosen[i];
  return k;
}

ob_run_opts ob_runner_opts_for(const ob_runner_config *chosen, const ob_workload *wl) {
  ob_run_opts o = chosen->opts;
  if (!listed(chosen->workloads, chosen->nworkloads, wl)) o.sustain = 0;
  return o;
}

static bool chosen_size(const ob_run_opts *opts, const ob_case *c) {
  if (!opts->nsizes || !c->size[0]) return true;
  for (size_t i = 0; i < opts->nsizes; i++)
    if (strcmp(opts->sizes[i], c->size) == 0) return true;
  return false;
}

static bool chosen_chains(const ob_run_opts *opts, const ob_case *c) {
  if (!opts->nchains || !c->chains) return true;
  for (size_t i = 0; i < opts->nchains; i++)
    if (opts->chains[i] == c->chains) return true;
  return false;
}

size_t ob_runner_cases(const ob_device *dev, const ob_workload *wl, const ob_run_opts *opts,
                       ob_case *cases, size_t max) {
  const size_t n = wl->list_cases(dev, opts, cases, max);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (chosen_size(opts, &cases[i]) && chosen_chains(opts, &cases[i])) {
      if (k != i) cases[k] = cases[i];
      k++;
    }
  return k;
}

double ob_runner_case_estimate(const ob_run_opts *opts) {
  return ESTIMATE_FIXED_S + (opts->sustain > 0 ? opts->sustain : ESTIMATE_BUDGETS * opts->seconds);
}

double ob_runner_check_estimate(void) { return ESTIMATE_FIXED_S; }

void ob_runner_case_label(const ob_workload *wl, const ob_case *c, char *buf, size_t n) {
  const char *const parts[] = {c->variant, c->precision, c->size, c->detail};
  size_t len = (size_t)snprintf(buf, n, "%s", wl->name);
  for (size_t i = 0; i < sizeof parts / sizeof *parts && len < n; i++)
    if (parts[i][0]) len += (size_t)snprintf(buf + len, n - len, " %s", parts[i]);
}

size_t ob_runner_count_steps(ob_device *const *devs, size_t ndev, const ob_runner_config *cfg,
                             const ob_runner_config *chosen, double *seconds) {
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  size_t steps = 0;
  *seconds = 0.0;
  for (size_t w = 0; cases && w < cfg->nworkloads; w++) {
    const ob_workload *wl = cfg->workloads[w];
    if (ndev > 1 && !wl->setup_group) continue;
    const ob_run_opts o = ob_runner_opts_for(chosen, wl);
    const size_t n = ob_runner_cases(devs[0], wl, &o, cases, OB_RUNNER_MAX_CASES);
    const size_t checks = wl->device_check ? ndev : 0;
    steps += n + checks;
    *seconds += (double)n * ob_runner_case_estimate(&o) + (double)checks * ESTIMATE_FIXED_S;
  }
  free(cases);
  return steps;
}
