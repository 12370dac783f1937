/* `oclbench ising`: sample an Ising model on a device, export moments and samples, train a
 * model on data (KL gradient), or time the plain C loop on the host (--host-loop). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "ising/ising_exact.h"
#include "ising/ising_hostref.h"
#include "ising_cli.h"
#include "ising/ising_sampler.h"
#include "ising/ising_train.h"
#include "ising/ising_tune.h"

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
  if (!spins || ob_ising_hostref_create(m, NULL, &ref) != OB_OK) {
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
  printf("device %s (%s): path %s, %u chain%s per word, work-group %zu", ob_device_slug(dev),
         ob_device_props_get(dev)->name, ob_ising_path_name(c.path), c.spin_bits,
         c.spin_bits == 1 ? "" : "s", c.wg_size);
  if (c.path == OB_ISING_PATH_LOCAL)
    printf(" x %zu word%s (%zu bytes of local memory), schedule in %s memory", c.wg_words,
           c.wg_words == 1 ? "" : "s", c.local_bytes, ob_ising_path_name(c.schedule));
  printf(", %zu pass%s\n", c.passes, c.passes == 1 ? "" : "es");
}

/* Per device: the tuning (--tune: the autotuner's, for its share of the chains). */
static ob_status tunings_for(const ob_ising_args *a, ob_device *const *devs, size_t n,
                             const ob_ising_model *m, const size_t *shares,
                             ob_ising_tuning *tunings) {
  ob_tune_settings tune;
  ob_ising_args_tune_settings(&tune);
  for (size_t i = 0; i < n; i++) {
    tunings[i] = a->tuning;
    if (!a->tune || shares[i] == 0) continue;
    ob_tune_source src;
    OB_TRY(ob_ising_select(devs[i], &tune, m, shares[i], &tunings[i], &src));
    tunings[i].max_pass_chains = a->tuning.max_pass_chains;
    printf("%s: autotuned (%s)\n", ob_device_slug(devs[i]),
           src == OB_TUNE_CACHED ? "from the cache"
           : src == OB_TUNE_FORCED ? "forced by OCLBENCH_CONFIG_ISING"
                                   : "searched now");
  }
  return OB_OK;
}

/* Samples the batch on devs[0..n): one device, or with --shard all of them, the chains split
 * in proportion to their calibrated speed. Prints flips/ns per device and in all. */
static ob_status sample(const ob_ising_args *a, ob_device *const *devs, size_t n,
                        const ob_ising_model *m, ob_csv_writer *wm, ob_csv_writer *ws) {
  const size_t chains = (size_t)a->chains, nodes = ob_ising_nodes(m), e = ob_ising_edges(m);
  size_t *shares = calloc(n, sizeof *shares);
  double *rates = calloc(n, sizeof *rates), *dev_s = calloc(n, sizeof *dev_s);
  ob_ising_tuning *tunings = calloc(n, sizeof *tunings);
  double *node = malloc((nodes + 1) * sizeof *node), *edge = malloc((e + 1) * sizeof *edge);
  ob_ising_shards *set = NULL;
  ob_status st = shares && rates && dev_s && tunings && node && edge
                     ? OB_OK
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK && n > 1) {
    st = ob_ising_calibrate(devs, n, m, chains, a->seed, rates);
    for (size_t i = 0; st == OB_OK && i < n; i++)
      printf("%s: calibrated at %.4g flips/ns\n", ob_device_slug(devs[i]), rates[i] * 1e-9);
  } else if (st == OB_OK) {
    rates[0] = 1.0;
  }
  if (st == OB_OK) ob_ising_split(chains, rates, n, shares);
  if (st == OB_OK) st = tunings_for(a, devs, n, m, shares, tunings);
  if (st == OB_OK) st = ob_ising_shards_create(devs, n, m, 0, shares, a->seed, tunings, &set);
  for (size_t i = 0; st == OB_OK && i < ob_ising_shards_count(set); i++) {
    print_config(ob_ising_shards_device(set, i), ob_ising_shards_sampler(set, i));
    if (n > 1) printf("   %zu chains\n", ob_ising_shards_chains(set, i));
  }
  double tw = 0.0, ts = 0.0;
  if (st == OB_OK && a->warmup) st = ob_ising_shards_run(set, (size_t)a->warmup, false, &tw, NULL);
  const bool observe = wm != NULL;
  /* One device: its own (event) time, as a plain sampler reports it; several: the wall clock
   * over all of them, since they run at once. */
  if (st == OB_OK) st = ob_ising_shards_run(set, (size_t)a->sweeps, observe, &ts, dev_s);
  const double wall = ts;
  if (st == OB_OK && ob_ising_shards_count(set) == 1) ts = dev_s[0];
  /* A rate is printed only when its time can be believed; the samples are kept either way,
   * and the command then fails (exit 1) naming why. */
  char rate_err[600] = "";
  if (st == OB_OK) {
    const double flips_per_chain = (double)a->sweeps * (double)nodes;
    for (size_t i = 0; n > 1 && i < ob_ising_shards_count(set); i++) {
      ob_device *dev = ob_ising_shards_device(set, i);
      const double flips = flips_per_chain * (double)ob_ising_shards_chains(set, i);
      ob_status cst = ob_ising_rate_check(&dev, 1, flips, dev_s[i], wall);
      if (cst == OB_OK)
        printf("%s: %zu chains in %.6f s: %.4g flips/ns\n", ob_device_slug(dev),
               ob_ising_shards_chains(set, i), dev_s[i], flips / dev_s[i] * 1e-9);
      else
        printf("%s: %zu chains: no rate: %s\n", ob_device_slug(dev),
               ob_ising_shards_chains(set, i), ob_error_detail());
      if (cst != OB_OK && !rate_err[0])
        snprintf(rate_err, sizeof rate_err, "%s: %s", ob_device_slug(dev), ob_error_detail());
    }
    const double flips = flips_per_chain * (double)chains;
    ob_status cst = ob_ising_rate_check(devs, n, flips, ts, wall);
    if (cst == OB_OK)
      printf("sampled %zu chains x %ld sweeps%s (after %ld warm-up) in %.6f s: %.4g flips/ns%s\n",
             chains, a->sweeps, observe ? ", observed" : "", a->warmup, ts, flips / ts * 1e-9,
             n > 1 ? " (all devices)" : "");
    else
      printf("sampled %zu chains x %ld sweeps%s (after %ld warm-up): no rate: %s\n", chains,
             a->sweeps, observe ? ", observed" : "", a->warmup, ob_error_detail());
    if (cst != OB_OK && !rate_err[0]) snprintf(rate_err, sizeof rate_err, "%s", ob_error_detail());
  }
  ob_ising_moments mo = {.node = node, .edge = edge};
  if (st == OB_OK && observe) st = ob_ising_shards_moments(set, &mo);
  if (st == OB_OK && observe) {
    printf("<E> = %.6g, <m> = %.6g over %llu samples\n", mo.energy, mo.magnetisation,
           (unsigned long long)mo.samples);
    st = ob_ising_write_moments(wm, m, &mo);
  }
  if (st == OB_OK && ws) st = ob_ising_write_samples(ws, set, nodes, chains);
  if (st == OB_OK && rate_err[0]) st = ob_fail(OB_ERR_TIMING, "%s", rate_err);
  ob_ising_shards_destroy(set);
  free(shares);
  free(rates);
  free(dev_s);
  free(tunings);
  free(node);
  free(edge);
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

int ob_cmd_ising(int argc, char **argv) {
  ob_ising_args a;
  int rc = ob_ising_args_parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ob_ising_model *m = NULL;
  ob_status st = ob_ising_args_model(&a, &m);
  if (st != OB_OK) {
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    return st == OB_ERR_NOMEM ? OB_EXIT_FAILED : OB_EXIT_USAGE;
  }
  ob_ising_print_graph(m);
  if (a.info || a.host_loop) {
    rc = a.info ? OB_EXIT_OK : host_loop(&a, m);
    ob_ising_model_destroy(m);
    return rc;
  }
  ob_csv_writer *wm = NULL, *ws = NULL;
  train_data td = {0};
  if (a.train)
    st = ob_ising_data_load(a.train, ob_ising_nodes(m), &td.visible, &td.nvis, &td.data, &td.rows);
  if (st == OB_OK) st = ob_ising_open_outputs(&a, m, &wm, &ws);
  if (st != OB_OK) {
    ob_csv_writer_destroy(wm);
    ob_ising_model_destroy(m);
    free(td.visible);
    free(td.data);
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    return st == OB_ERR_NOMEM ? OB_EXIT_FAILED : OB_EXIT_USAGE;
  }
  ob_registry *reg = NULL;
  ob_device **devs = NULL;
  size_t ndev = 0;
  rc = pick_devices(&a, &reg, &devs, &ndev);
  ob_trace_enable(rc == OB_EXIT_OK && (a.trace_path || a.trace_summary));
  if (rc == OB_EXIT_OK && a.train) {
    st = train(&a, devs[0], m, &td);
    if (st != OB_OK) rc = status_exit(st);
  }
  /* An unbelievable rate fails the command, but the samples and moments are still written. */
  int rate_rc = OB_EXIT_OK;
  if (rc == OB_EXIT_OK && (!a.train || wm || ws)) {
    st = sample(&a, devs, ndev, m, wm, ws);
    if (st == OB_ERR_TIMING) rate_rc = status_exit(st);
    else if (st != OB_OK) rc = status_exit(st);
  }
  if (rc == OB_EXIT_OK && wm) {
    st = ob_csv_writer_commit(wm);
    wm = NULL;
    if (st != OB_OK) rc = status_exit(st);
  }
  if (rc == OB_EXIT_OK && ws) {
    st = ob_csv_writer_commit(ws);
    ws = NULL;
    if (st != OB_OK) rc = status_exit(st);
  }
  if (rc == OB_EXIT_OK) rc = write_trace(&a);
  if (rc == OB_EXIT_OK) rc = rate_rc;
  ob_trace_enable(false);
  ob_trace_reset();
  ob_csv_writer_destroy(wm);
  ob_csv_writer_destroy(ws);
  free(devs);
  ob_registry_destroy(reg);
  ob_ising_model_destroy(m);
  free(td.visible);
  free(td.data);
  return rc;
}
