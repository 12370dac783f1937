/* `oclbench ising`: sample an Ising model on a device, export moments and samples, train a
 * model on data (KL gradient), or time the plain C loop on the host (--host-loop). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "ising_exact.h"
#include "ising_hostref.h"
#include "ising_sampler.h"
#include "ising_train.h"
#include "ising_tune.h"

#define MAX_SELECTORS 16

typedef struct ising_args {
  const char *graph, *biases, *moments, *samples, *train;
  const char *sel[MAX_SELECTORS];
  size_t nsel;
  ob_ising_weight_kind weights;
  bool weights_given, info, host_loop, tune, tuning_given;
  double beta, lr;
  long chains, warmup, sweeps, epochs;
  bool epochs_given, lr_given;
  unsigned long long seed;
  ob_ising_tuning tuning;
} ising_args;

static bool parse_seed(const char *s, unsigned long long *out) {
  char *end = NULL;
  if (!*s || *s == '-' || *s == '+') return false;
  *out = strtoull(s, &end, 10);
  return *end == '\0';
}

static int parse_flag(int argc, char **argv, int *i, ising_args *a) {
  const char *arg = argv[*i];
  long v = 0;
  if (strcmp(arg, "--info") == 0) {
    a->info = true;
    return OB_EXIT_OK;
  }
  if (strcmp(arg, "--host-loop") == 0) {
    a->host_loop = true;
    return OB_EXIT_OK;
  }
  if (strcmp(arg, "--tune") == 0) {
    a->tune = true;
    return OB_EXIT_OK;
  }
  if (strcmp(arg, "--path") == 0 || strcmp(arg, "--spin-bits") == 0 ||
      strcmp(arg, "--wg-size") == 0 || strcmp(arg, "--wg-words") == 0 ||
      strcmp(arg, "--schedule") == 0)
    a->tuning_given = true;
  const char *val = ob_cli_value(argc, argv, i);
  if (!val) return OB_EXIT_USAGE;
  if (strcmp(arg, "--graph") == 0) a->graph = val;
  else if (strcmp(arg, "--biases") == 0) a->biases = val;
  else if (strcmp(arg, "--moments") == 0) a->moments = val;
  else if (strcmp(arg, "--samples") == 0) a->samples = val;
  else if (strcmp(arg, "--train") == 0) a->train = val;
  else if (strcmp(arg, "--device") == 0) {
    if (a->nsel == MAX_SELECTORS) return ob_cli_usage_error("too many --device options");
    a->sel[a->nsel++] = val;
  } else if (strcmp(arg, "--weights") == 0) {
    if (strcmp(val, "gauss") == 0) a->weights = OB_ISING_WEIGHTS_GAUSS;
    else if (strcmp(val, "pm1") == 0) a->weights = OB_ISING_WEIGHTS_PM1;
    else return ob_cli_usage_error("--weights: '%s' is not gauss or pm1", val);
    a->weights_given = true;
  } else if (strcmp(arg, "--beta") == 0) {
    if (!ob_cli_double(arg, val, 0, 1e6, &a->beta)) return OB_EXIT_USAGE;
  } else if (strcmp(arg, "--lr") == 0) {
    if (!ob_cli_double(arg, val, 1e-12, 1e6, &a->lr)) return OB_EXIT_USAGE;
    a->lr_given = true;
  } else if (strcmp(arg, "--chains") == 0) {
    if (!ob_cli_long(arg, val, 1, 1L << 34, &a->chains)) return OB_EXIT_USAGE;
  } else if (strcmp(arg, "--warmup") == 0) {
    if (!ob_cli_long(arg, val, 0, 1000000000L, &a->warmup)) return OB_EXIT_USAGE;
  } else if (strcmp(arg, "--sweeps") == 0) {
    if (!ob_cli_long(arg, val, 1, 1000000000L, &a->sweeps)) return OB_EXIT_USAGE;
  } else if (strcmp(arg, "--epochs") == 0) {
    if (!ob_cli_long(arg, val, 1, 1000000L, &a->epochs)) return OB_EXIT_USAGE;
    a->epochs_given = true;
  } else if (strcmp(arg, "--seed") == 0) {
    if (!parse_seed(val, &a->seed))
      return ob_cli_usage_error("--seed: '%s' is not an unsigned 64-bit integer", val);
  } else if (strcmp(arg, "--path") == 0 || strcmp(arg, "--schedule") == 0) {
    ob_ising_path *where = strcmp(arg, "--path") == 0 ? &a->tuning.path : &a->tuning.schedule;
    if (strcmp(val, "auto") == 0) *where = OB_ISING_PATH_AUTO;
    else if (strcmp(val, "local") == 0) *where = OB_ISING_PATH_LOCAL;
    else if (strcmp(val, "global") == 0) *where = OB_ISING_PATH_GLOBAL;
    else return ob_cli_usage_error("%s: '%s' is not auto, local or global", arg, val);
  } else if (strcmp(arg, "--spin-bits") == 0) {
    if (!ob_cli_long(arg, val, 1, 32, &v)) return OB_EXIT_USAGE;
    if (v & (v - 1)) return ob_cli_usage_error("--spin-bits: expected 1, 2, 4, 8, 16 or 32");
    a->tuning.spin_bits = (unsigned)v;
  } else if (strcmp(arg, "--wg-size") == 0) {
    if (!ob_cli_long(arg, val, 1, 4096, &v)) return OB_EXIT_USAGE;
    a->tuning.wg_size = (size_t)v;
  } else if (strcmp(arg, "--wg-words") == 0) {
    if (!ob_cli_long(arg, val, 1, 1024, &v)) return OB_EXIT_USAGE;
    if (v & (v - 1)) return ob_cli_usage_error("--wg-words: %ld is not a power of two", v);
    a->tuning.wg_words = (size_t)v;
  } else if (strcmp(arg, "--pass-chains") == 0) {
    if (!ob_cli_long(arg, val, 1, 1L << 34, &v)) return OB_EXIT_USAGE;
    a->tuning.max_pass_chains = (size_t)v;
  } else {
    return ob_cli_usage_error("ising: unknown option '%s'", arg);
  }
  return OB_EXIT_OK;
}

static int parse(int argc, char **argv, ising_args *a) {
  *a = (ising_args){.graph = "grid:20x20", .beta = 1.0, .lr = 0.1, .chains = 128, .sweeps = 100,
                    .epochs = 10};
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] != '-') return ob_cli_usage_error("ising: unexpected argument '%s'", argv[i]);
    int rc = parse_flag(argc, argv, &i, a);
    if (rc != OB_EXIT_OK) return rc;
  }
  if (a->weights_given && strncmp(a->graph, "edges:", 6) == 0)
    return ob_cli_usage_error("--weights: edges:FILE takes its weights from the file");
  if (a->tune && a->tuning_given)
    return ob_cli_usage_error("--tune chooses --path, --spin-bits, --wg-size, --wg-words and "
                              "--schedule itself: give either");
  if ((a->epochs_given || a->lr_given) && !a->train)
    return ob_cli_usage_error("--epochs and --lr need --train DATA.csv");
  if (a->host_loop && (a->train || a->moments || a->samples || a->nsel))
    return ob_cli_usage_error("--host-loop runs on the host only: no --device, --moments, "
                              "--samples or --train");
  return OB_EXIT_OK;
}

static void print_graph(const ob_ising_model *m) {
  printf("graph %s: %zu nodes, %zu edges, max degree %zu, %zu colours\n", ob_ising_spec(m),
         ob_ising_nodes(m), ob_ising_edges(m), ob_ising_max_degree(m), ob_ising_ncolours(m));
}

/* ------------------------------------------------------------------ outputs */

static ob_status open_outputs(const ising_args *a, const ob_ising_model *m,
                              ob_csv_writer **moments, ob_csv_writer **samples) {
  if (a->moments) {
    const char *hdr[] = {"kind", "i", "j", "value"};
    OB_TRY(ob_csv_writer_create_path(a->moments, hdr, 4, moments));
  }
  if (a->samples) {
    const size_t n = ob_ising_nodes(m);
    char **hdr = calloc(n + 1, sizeof *hdr);
    char *names = malloc((n + 1) * 12);
    ob_status st = hdr && names ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
    if (st == OB_OK) {
      hdr[0] = "chain";
      for (size_t i = 0; i < n; i++) {
        snprintf(names + 12 * i, 12, "%zu", i);
        hdr[i + 1] = names + 12 * i;
      }
      st = ob_csv_writer_create_path(a->samples, (const char *const *)hdr, n + 1, samples);
    }
    free(hdr);
    free(names);
    OB_TRY(st);
  }
  return OB_OK;
}

static ob_status write_moments(ob_csv_writer *w, const ob_ising_model *m,
                               const ob_ising_moments *mo) {
  char a[24], b[24], v[40];
  const uint32_t *ed = ob_ising_edge_list(m);
  for (size_t i = 0; i < ob_ising_nodes(m); i++) {
    snprintf(a, sizeof a, "%zu", i);
    ob_format_double(v, sizeof v, mo->node[i]);
    const char *f[] = {"node", a, "", v};
    OB_TRY(ob_csv_writer_add_fields(w, f, 4));
  }
  for (size_t k = 0; k < ob_ising_edges(m); k++) {
    snprintf(a, sizeof a, "%u", ed[2 * k]);
    snprintf(b, sizeof b, "%u", ed[2 * k + 1]);
    ob_format_double(v, sizeof v, mo->edge[k]);
    const char *f[] = {"edge", a, b, v};
    OB_TRY(ob_csv_writer_add_fields(w, f, 4));
  }
  ob_format_double(v, sizeof v, mo->energy);
  const char *fe[] = {"energy", "", "", v};
  OB_TRY(ob_csv_writer_add_fields(w, fe, 4));
  ob_format_double(v, sizeof v, mo->magnetisation);
  const char *fm[] = {"magnetisation", "", "", v};
  return ob_csv_writer_add_fields(w, fm, 4);
}

/* Chains in blocks, so that a large batch never needs all its states in host memory at once. */
static ob_status write_samples(ob_csv_writer *w, ob_ising_sampler *s, size_t n) {
  const size_t chains = ob_ising_sampler_chains(s), block = 4096;
  int8_t *buf = malloc(block * n);
  const char **f = malloc((n + 1) * sizeof *f);
  ob_status st = buf && f ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  char id[24];
  for (size_t c0 = 0; c0 < chains && st == OB_OK; c0 += block) {
    const size_t count = chains - c0 < block ? chains - c0 : block;
    st = ob_ising_sampler_samples(s, c0, count, buf);
    for (size_t c = 0; c < count && st == OB_OK; c++) {
      snprintf(id, sizeof id, "%zu", c0 + c);
      f[0] = id;
      for (size_t i = 0; i < n; i++) f[i + 1] = buf[c * n + i] > 0 ? "1" : "-1";
      st = ob_csv_writer_add_fields(w, f, n + 1);
    }
  }
  free(buf);
  free(f);
  return st;
}

/* ------------------------------------------------------------------ modes */

static int host_loop(const ising_args *a, const ob_ising_model *m) {
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

static ob_status sample(const ising_args *a, ob_device *dev, const ob_ising_model *m,
                        ob_csv_writer *wm, ob_csv_writer *ws) {
  ob_ising_tuning tuning = a->tuning;
  if (a->tune) {
    bool cached = false;
    OB_TRY(ob_ising_autotune(dev, m, (size_t)a->chains, &tuning, &cached));
    tuning.max_pass_chains = a->tuning.max_pass_chains;
    printf("autotuned (%s)\n", cached ? "from the cache" : "searched now");
  }
  ob_ising_sampler *s = NULL;
  OB_TRY(ob_ising_sampler_create(dev, m, (size_t)a->chains, a->seed, &tuning, &s));
  print_config(dev, s);
  const size_t n = ob_ising_nodes(m), e = ob_ising_edges(m);
  double *node = malloc((n + 1) * sizeof *node), *edge = malloc((e + 1) * sizeof *edge);
  double tw = 0.0, ts = 0.0;
  ob_status st = node && edge ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK && a->warmup) st = ob_ising_sampler_run(s, (size_t)a->warmup, false, &tw);
  const bool observe = wm != NULL;
  if (st == OB_OK) st = ob_ising_sampler_run(s, (size_t)a->sweeps, observe, &ts);
  if (st == OB_OK) {
    const double flips = (double)a->sweeps * (double)n * (double)a->chains;
    printf("sampled %ld chains x %ld sweeps%s (after %ld warm-up) in %.6f s: %.4g flips/ns\n",
           a->chains, a->sweeps, observe ? ", observed" : "", a->warmup, ts, flips / ts * 1e-9);
  }
  ob_ising_moments mo = {.node = node, .edge = edge};
  if (st == OB_OK && observe) st = ob_ising_sampler_moments(s, &mo);
  if (st == OB_OK && observe) {
    printf("<E> = %.6g, <m> = %.6g over %llu samples\n", mo.energy, mo.magnetisation,
           (unsigned long long)mo.samples);
    st = write_moments(wm, m, &mo);
  }
  if (st == OB_OK && ws) st = write_samples(ws, s, n);
  free(node);
  free(edge);
  ob_ising_sampler_destroy(s);
  return st;
}

typedef struct train_data {
  uint32_t *visible;
  int8_t *data;
  size_t nvis, rows;
} train_data;

static ob_status train(const ising_args *a, ob_device *dev, ob_ising_model *m,
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

/* The device: the first one the selectors match. */
static int pick_device(const ising_args *a, ob_registry **reg, ob_device **dev) {
  int rc = ob_cli_open_registry(reg);
  if (rc != OB_EXIT_OK) return rc;
  const size_t nd = ob_registry_count(*reg);
  bool *sel = calloc(nd, sizeof *sel);
  if (!sel) return OB_EXIT_FAILED;
  if (!ob_cli_select(*reg, a->sel, a->nsel, sel)) {
    free(sel);
    return OB_EXIT_USAGE;
  }
  for (size_t d = 0; d < nd && !*dev; d++)
    if (sel[d]) *dev = ob_registry_device(*reg, d);
  free(sel);
  return OB_EXIT_OK;
}

static int status_exit(ob_status st) {
  fprintf(stderr, "oclbench: ising: %s\n", ob_error_detail());
  return st == OB_ERR_INVALID ? OB_EXIT_USAGE : OB_EXIT_FAILED;
}

int ob_cmd_ising(int argc, char **argv) {
  ising_args a;
  int rc = parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ob_ising_model *m = NULL;
  ob_status st = ob_ising_model_from_spec(a.graph, a.weights, a.seed, a.beta, &m);
  if (st == OB_OK && a.biases) st = ob_ising_model_load_biases(m, a.biases);
  if (st != OB_OK) {
    ob_ising_model_destroy(m);
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    return st == OB_ERR_NOMEM ? OB_EXIT_FAILED : OB_EXIT_USAGE;
  }
  print_graph(m);
  if (a.info || a.host_loop) {
    rc = a.info ? OB_EXIT_OK : host_loop(&a, m);
    ob_ising_model_destroy(m);
    return rc;
  }
  ob_csv_writer *wm = NULL, *ws = NULL;
  train_data td = {0};
  if (a.train)
    st = ob_ising_data_load(a.train, ob_ising_nodes(m), &td.visible, &td.nvis, &td.data, &td.rows);
  if (st == OB_OK) st = open_outputs(&a, m, &wm, &ws);
  if (st != OB_OK) {
    ob_csv_writer_destroy(wm);
    ob_ising_model_destroy(m);
    free(td.visible);
    free(td.data);
    fprintf(stderr, "oclbench: %s\n", ob_error_detail());
    return st == OB_ERR_NOMEM ? OB_EXIT_FAILED : OB_EXIT_USAGE;
  }
  ob_registry *reg = NULL;
  ob_device *dev = NULL;
  rc = pick_device(&a, &reg, &dev);
  if (rc == OB_EXIT_OK && a.train) {
    st = train(&a, dev, m, &td);
    if (st != OB_OK) rc = status_exit(st);
  }
  if (rc == OB_EXIT_OK && (!a.train || wm || ws)) {
    st = sample(&a, dev, m, wm, ws);
    if (st != OB_OK) rc = status_exit(st);
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
  ob_csv_writer_destroy(wm);
  ob_csv_writer_destroy(ws);
  ob_registry_destroy(reg);
  ob_ising_model_destroy(m);
  free(td.visible);
  free(td.data);
  return rc;
}
