/* `oclbench ising`: sample an Ising model on a device, export moments and samples, train a
 * model on data (KL gradient), or time the plain C loop on the host (--host-loop). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "ising/ising_batch.h"
#include "ising/ising_exact.h"
#include "ising/ising_hostref.h"
#include "ising_cli.h"
#include "ising/ising_sampler.h"
#include "ising/ising_train.h"

/* ------------------------------------------------------------------ modes */

static int host_loop(const ob_ising_args *a, const ob_ising_model *m) {
  const size_t n = ob_ising_nodes(m), chains = (size_t)a->chains;
  if ((double)chains * (double)n > 1e9) {
    fprintf(stderr, "oclbench: --host-loop: %zu chains x %zu nodes is too large for host memory\n",
            chains, n);
    return OB_EXIT_USAGE;
  }
  int8_t *spins = malloc(chains * n);
  ob_ising_hostref *ref = NULL;
  if (!spins || ob_ising_hostref_create(m, NULL, a->tuning.update == OB_ISING_UPDATE_MULTISPIN,
                                                &ref) != OB_OK) {
    fprintf(stderr, "oclbench: %s\n", spins ? ob_error_detail() : "out of memory");
    free(spins);
    return OB_EXIT_FAILED;
  }
  ob_ising_hostref_init(ref, a->seed, 0, chains, spins);
  ob_ising_hostref_sweeps(ref, a->seed, 0, chains, 0, (size_t)a->warmup, spins);
  const double t0 = ob_now();
  ob_ising_hostref_sweeps(ref, a->seed, 0, chains, (uint64_t)a->warmup, (size_t)a->sweeps, spins);
  const double t = ob_now() - t0;
  const double flips = (double)a->sweeps * (double)n * (double)chains;
  double energy = 0.0;
  for (size_t c = 0; c < chains; c++) energy += ob_ising_energy(m, spins + c * n);
  printf("host loop (one thread, byte per spin): %zu chains x %ld sweeps in %.4f s: %.4g "
         "flips/ns\nfinal-state mean energy %.6g\n",
         chains, a->sweeps, t, flips / t * 1e-9, energy / (double)chains);
  ob_ising_hostref_destroy(ref);
  free(spins);
  return OB_EXIT_OK;
}

static void print_config(ob_device *dev, const ob_ising_sampler *s) {
  ob_ising_config c;
  ob_ising_sampler_config(s, &c);
  char screen[80] = "";
  if (c.decision == OB_ISING_DECISION_SCREEN)
    snprintf(screen, sizeof screen, " (decisions screened by %s, within %u ulps)",
             c.exp2 == OB_ISING_EXP2_PTX ? "ex2.approx.ftz (PTX)" : "native_exp2", c.screen_ulps);
  printf("device %s (%s): %s update%s%s%s, path %s, %u chain%s per word, work-group %zu",
         ob_device_slug(dev), ob_device_props_get(dev)->name, ob_ising_update_name(c.update),
         c.sign == OB_ISING_SIGN_MAD   ? " (signs by multiply-add)"
         : c.sign == OB_ISING_SIGN_SEL ? " (signs by select)"
                                       : "",
         c.philox == OB_ISING_PHILOX_LANES ? " (Philox by lanes)" : "", screen,
         ob_ising_path_name(c.path), c.spin_bits,
         c.spin_bits == 1 ? "" : "s", c.wg_size);
  if (c.path == OB_ISING_PATH_LOCAL)
    printf(" x %zu word%s (%zu bytes of local memory), schedule in %s memory", c.wg_words,
           c.wg_words == 1 ? "" : "s", c.local_bytes, ob_ising_path_name(c.schedule));
  if (c.resident) printf(", resident units");
  if (c.regs) printf(", at most %u registers per work-item", c.regs);
  printf(", %zu pass%s\n", c.passes, c.passes == 1 ? "" : "es");
}

/* What the batch's setup did: the calibrated rates (several devices), the autotuned devices. */
static void print_setup(const ob_ising_batch *b, ob_device *const *devs) {
  for (size_t i = 0; b->calibrated && i < b->n; i++)
    printf("%s: calibrated at %.4g flips/ns\n", ob_device_slug(devs[i]), b->rates[i] * 1e-9);
  for (size_t i = 0; i < b->n; i++)
    if (b->tuned[i])
      printf("%s: autotuned (%s)\n", ob_device_slug(devs[i]),
             b->sources[i] == OB_TUNE_CACHED   ? "from the cache"
             : b->sources[i] == OB_TUNE_FORCED ? "forced by OCLBENCH_CONFIG_ISING"
                                               : "searched now");
}

/* The times of one timed run of the batch. */
typedef struct run_times {
  double *device; /* each shard's own time */
  double wall;    /* the wall clock around the run */
  double batch;   /* the batch's: one device's own (event) time, as a plain sampler reports it;
                     several: the wall clock over all of them, since they run at once */
} run_times;

/* Prints flips/ns per device (several devices) and in all, where the time can be believed; why
 * a rate cannot be believed goes into rate_err (the first reason). */
static void print_rates(const ob_ising_args *a, ob_device *const *devs, size_t n,
                        const ob_ising_shards *set, size_t nodes, const run_times *t,
                        bool observe, char *rate_err, size_t errlen) {
  const double flips_per_chain = (double)a->sweeps * (double)nodes;
  for (size_t i = 0; n > 1 && i < ob_ising_shards_count(set); i++) {
    ob_device *dev = ob_ising_shards_device(set, i);
    const double flips = flips_per_chain * (double)ob_ising_shards_chains(set, i);
    ob_status cst = ob_ising_rate_check(&dev, 1, flips, t->device[i], t->wall);
    if (cst == OB_OK)
      printf("%s: %zu chains in %.6f s: %.4g flips/ns\n", ob_device_slug(dev),
             ob_ising_shards_chains(set, i), t->device[i], flips / t->device[i] * 1e-9);
    else
      printf("%s: %zu chains: no rate: %s\n", ob_device_slug(dev),
             ob_ising_shards_chains(set, i), ob_error_detail());
    if (cst != OB_OK && !rate_err[0])
      snprintf(rate_err, errlen, "%s: %s", ob_device_slug(dev), ob_error_detail());
  }
  const double flips = flips_per_chain * (double)a->chains;
  ob_status cst = ob_ising_rate_check(devs, n, flips, t->batch, t->wall);
  if (cst == OB_OK)
    printf("sampled %ld chains x %ld sweeps%s (after %ld warm-up) in %.6f s: %.4g flips/ns%s\n",
           a->chains, a->sweeps, observe ? ", observed" : "", a->warmup, t->batch,
           flips / t->batch * 1e-9, n > 1 ? " (all devices)" : "");
  else
    printf("sampled %ld chains x %ld sweeps%s (after %ld warm-up): no rate: %s\n", a->chains,
           a->sweeps, observe ? ", observed" : "", a->warmup, ob_error_detail());
  if (cst != OB_OK && !rate_err[0]) snprintf(rate_err, errlen, "%s", ob_error_detail());
}

/* The moments (printed, and written to wm) and the final states (to ws); either may be NULL. */
static ob_status write_results(const ob_ising_model *m, ob_ising_shards *set, size_t chains,
                               ob_csv_writer *wm, ob_csv_writer *ws) {
  const size_t nodes = ob_ising_nodes(m), e = ob_ising_edges(m);
  ob_status st = OB_OK;
  if (wm) {
    double *node = malloc((nodes + 1) * sizeof *node), *edge = malloc((e + 1) * sizeof *edge);
    ob_ising_moments mo = {.node = node, .edge = edge};
    st = node && edge ? ob_ising_shards_moments(set, &mo) : ob_fail(OB_ERR_NOMEM, "out of memory");
    if (st == OB_OK) {
      printf("<E> = %.6g, <m> = %.6g over %llu samples\n", mo.energy, mo.magnetisation,
             (unsigned long long)mo.samples);
      st = ob_ising_write_moments(wm, m, &mo);
    }
    free(node);
    free(edge);
  }
  if (st == OB_OK && ws) st = ob_ising_write_samples(ws, set, nodes, chains);
  return st;
}

/* Samples the batch on devs[0..n): one device, or with --shard all of them, the chains split
 * in proportion to their calibrated speed (ising_batch.h). Prints the configuration and
 * flips/ns per device and in all; writes the moments (wm) and samples (ws) when asked. */
static ob_status sample(const ob_ising_args *a, ob_device *const *devs, size_t n,
                        const ob_ising_model *m, ob_csv_writer *wm, ob_csv_writer *ws) {
  ob_tune_settings tune;
  ob_ising_args_tune_settings(&tune);
  const ob_ising_batch_opts opts = {.chains = (size_t)a->chains, .seed = a->seed,
                                    .policy = a->tune ? OB_ISING_TUNE_AUTO : OB_ISING_TUNE_GIVEN,
                                    .settings = &tune, .tuning = a->tuning};
  ob_ising_batch b = {0};
  ob_status st = ob_ising_batch_setup(&b, devs, n, m, &opts);
  print_setup(&b, devs);
  for (size_t i = 0; st == OB_OK && i < ob_ising_shards_count(b.set); i++) {
    print_config(ob_ising_shards_device(b.set, i), ob_ising_shards_sampler(b.set, i));
    if (n > 1) printf("   %zu chains\n", ob_ising_shards_chains(b.set, i));
  }
  run_times t = {.device = calloc(n, sizeof *t.device)};
  if (st == OB_OK && !t.device) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK && a->warmup)
    st = ob_ising_shards_run(b.set, (size_t)a->warmup, false, NULL, NULL);
  const bool observe = wm != NULL;
  if (st == OB_OK) st = ob_ising_shards_run(b.set, (size_t)a->sweeps, observe, &t.wall, t.device);
  /* A rate is printed only when its time can be believed; the samples are kept either way,
   * and the command then fails (exit 1) naming why. */
  char rate_err[600] = "";
  if (st == OB_OK) {
    t.batch = ob_ising_shards_count(b.set) == 1 ? t.device[0] : t.wall;
    print_rates(a, devs, n, b.set, ob_ising_nodes(m), &t, observe, rate_err, sizeof rate_err);
  }
  if (st == OB_OK) st = write_results(m, b.set, (size_t)a->chains, wm, ws);
  if (st == OB_OK && rate_err[0]) st = ob_fail(OB_ERR_TIMING, "%s", rate_err);
  ob_ising_batch_clear(&b);
  free(t.device);
  return st;
}

typedef struct train_data {
  uint32_t *visible;
  int8_t *data;
  size_t nvis, rows;
} train_data;

static ob_status train(const ob_ising_args *a, ob_device *dev, ob_ising_model *m,
                       const train_data *td) {
  const uint32_t *visible = td->visible;
  const int8_t *data = td->data;
  const size_t nvis = td->nvis, rows = td->rows;
  ob_ising_kl_opts o = {.chains_per_row = ((size_t)a->chains + rows - 1) / rows,
                        .free_chains = (size_t)a->chains, .warmup = (size_t)a->warmup,
                        .sweeps = (size_t)a->sweeps, .seed = a->seed, .tuning = a->tuning};
  ob_ising_trainer *t = NULL;
  ob_status st = ob_ising_trainer_create(dev, m, visible, nvis, data, rows, &o, &t);
  const bool exact = ob_ising_nodes(m) <= OB_ISING_EXACT_MAX_NODES;
  double *gh = malloc((ob_ising_nodes(m) + 1) * sizeof *gh);
  double *gj = malloc((ob_ising_edges(m) + 1) * sizeof *gj);
  if (st == OB_OK && (!gh || !gj)) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK)
    printf("training on %zu examples of %zu visible nodes: %ld epochs, lr %g, %zu clamped and "
           "%zu free chains\n", rows, nvis, a->epochs, a->lr, o.chains_per_row * rows,
           o.free_chains);
  for (long ep = 1; ep <= a->epochs && st == OB_OK; ep++) {
    double norm = 0.0, nll = NAN;
    st = ob_ising_trainer_step(t, a->lr, &norm);
    if (st == OB_OK && exact)
      st = ob_ising_exact_kl_grad(m, visible, nvis, data, rows, gh, gj, &nll);
    if (st != OB_OK) break;
    printf("epoch %ld/%ld: gradient norm %.6g", ep, a->epochs, norm);
    if (exact) printf(", negative log-likelihood %.6g (exact, after the step)", nll);
    printf("\n");
    fflush(stdout);
  }
  ob_ising_trainer_destroy(t);
  free(gh);
  free(gj);
  return st;
}

/* The devices: the first one the selectors match, or with --shard every one. */
static int pick_devices(const ob_ising_args *a, ob_registry **reg, ob_device ***devs, size_t *n) {
  int rc = ob_cli_open_registry(reg);
  if (rc != OB_EXIT_OK) return rc;
  const size_t nd = ob_registry_count(*reg);
  bool *sel = calloc(nd, sizeof *sel);
  *devs = calloc(nd, sizeof **devs);
  *n = 0;
  if (!sel || !*devs) {
    free(sel);
    return OB_EXIT_FAILED;
  }
  if (!ob_cli_select(*reg, a->sel, a->nsel, sel)) {
    free(sel);
    return OB_EXIT_USAGE;
  }
  for (size_t d = 0; d < nd && (a->shard || *n == 0); d++)
    if (sel[d]) (*devs)[(*n)++] = ob_registry_device(*reg, d);
  free(sel);
  return OB_EXIT_OK;
}

/* --trace: the Chrome trace JSON of the run's launches; --trace-summary: the per-kernel table. */
static int write_trace(const ob_ising_args *a) {
  if (a->trace_path) {
    if (ob_trace_write_json(a->trace_path) != OB_OK) {
      fprintf(stderr, "oclbench: --trace %s: %s\n", a->trace_path, ob_error_detail());
      return OB_EXIT_FAILED;
    }
    fprintf(stderr, "oclbench: wrote %s\n", a->trace_path);
  }
  if (a->trace_summary) {
    fputc('\n', stdout);
    ob_trace_print_summary(stdout);
  }
  return OB_EXIT_OK;
}

static int status_exit(ob_status st) {
  fprintf(stderr, "oclbench: ising: %s\n", ob_error_detail());
  return st == OB_ERR_INVALID ? OB_EXIT_USAGE : OB_EXIT_FAILED;
}

/* What the command reads before it opens a device: the model, the training data, the output
 * files (atomic writers, committed at the end). */
typedef struct ising_inputs {
  ob_ising_model *model;
  train_data td;
  ob_csv_writer *wm, *ws; /* --moments, --samples */
  ob_csv_writer *we, *wb; /* --save-model: edges and biases */
} ising_inputs;

static ob_status load_inputs(const ob_ising_args *a, ising_inputs *in) {
  train_data *td = &in->td;
  if (a->train)
    OB_TRY(ob_ising_data_load(a->train, ob_ising_nodes(in->model), &td->visible, &td->nvis,
                              &td->data, &td->rows));
  if (a->save_model) {
    if (!ob_ising_model_fits_edges_file(in->model))
      return ob_fail(OB_ERR_INVALID, "--save-model: graph %s: its last node has no edge, so an "
                     "edge file cannot hold it", ob_ising_spec(in->model));
    OB_TRY(ob_csv_writer_create_path(a->save_edges, ob_ising_edges_header, 3, &in->we));
    OB_TRY(ob_csv_writer_create_path(a->save_biases, ob_ising_biases_header, 2, &in->wb));
  }
  return ob_ising_open_outputs(a, in->model, &in->wm, &in->ws);
}

static void inputs_free(ising_inputs *in) {
  ob_csv_writer_destroy(in->wm);
  ob_csv_writer_destroy(in->ws);
  ob_csv_writer_destroy(in->we);
  ob_csv_writer_destroy(in->wb);
  ob_ising_model_destroy(in->model);
  free(in->td.visible);
  free(in->td.data);
}

/* Commits an output file (none: nothing to do); the writer is consumed. */
static int commit_output(ob_csv_writer **w) {
  if (!*w) return OB_EXIT_OK;
  const ob_status st = ob_csv_writer_commit(*w);
  *w = NULL;
  return st == OB_OK ? OB_EXIT_OK : status_exit(st);
}

/* The part on devices: training, sampling, the output files, the trace. */
static int run_on_devices(const ob_ising_args *a, ising_inputs *in) {
  ob_registry *reg = NULL;
  ob_device **devs = NULL;
  size_t ndev = 0;
  int rc = pick_devices(a, &reg, &devs, &ndev);
  /* Errors before output: the graph line only once the devices are there. */
  if (rc == OB_EXIT_OK) ob_ising_print_graph(in->model);
  ob_trace_enable(rc == OB_EXIT_OK && (a->trace_path || a->trace_summary));
  ob_status st = OB_OK;
  if (rc == OB_EXIT_OK && a->train) {
    st = train(a, devs[0], in->model, &in->td);
    if (st == OB_OK && in->we) st = ob_ising_model_write(in->model, in->we, in->wb);
    if (st != OB_OK) rc = status_exit(st);
  }
  /* An unbelievable rate fails the command, but the samples and moments are still written. */
  int rate_rc = OB_EXIT_OK;
  if (rc == OB_EXIT_OK && (!a->train || in->wm || in->ws)) {
    st = sample(a, devs, ndev, in->model, in->wm, in->ws);
    if (st == OB_ERR_TIMING) rate_rc = status_exit(st);
    else if (st != OB_OK) rc = status_exit(st);
  }
  if (rc == OB_EXIT_OK) rc = commit_output(&in->wm);
  if (rc == OB_EXIT_OK) rc = commit_output(&in->ws);
  if (rc == OB_EXIT_OK && in->we) {
    rc = commit_output(&in->we);
    if (rc == OB_EXIT_OK) rc = commit_output(&in->wb);
    if (rc == OB_EXIT_OK)
      printf("saved the trained model: %s and %s (sample it with --graph edges:%s --biases %s "
             "--beta %.15g)\n", a->save_edges, a->save_biases, a->save_edges, a->save_biases,
             ob_ising_beta(in->model));
  }
  if (rc == OB_EXIT_OK) rc = write_trace(a);
  if (rc == OB_EXIT_OK) rc = rate_rc;
  ob_trace_enable(false);
  ob_trace_reset();
  free(devs);
  ob_registry_destroy(reg);
  return rc;
}

int ob_cmd_ising(int argc, char **argv) {
  ob_ising_args a;
  int rc = ob_ising_args_parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ising_inputs in = {0};
  ob_status st = ob_ising_args_model(&a, &in.model);
  if (st == OB_OK && !a.info && !a.host_loop) st = load_inputs(&a, &in);
  if (st == OB_OK && (a.info || a.host_loop)) ob_ising_print_graph(in.model);
  if (st != OB_OK) {
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    rc = st == OB_ERR_NOMEM ? OB_EXIT_FAILED : OB_EXIT_USAGE;
  } else if (a.host_loop) {
    rc = host_loop(&a, in.model);
  } else if (!a.info) {
    rc = run_on_devices(&a, &in);
  }
  inputs_free(&in);
  return rc;
}
