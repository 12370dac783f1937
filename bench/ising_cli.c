/* The `ising` command's arguments and outputs, shared by oclbench and oclbench-mpi. */
#include "ising_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* What a flag parser returns for a flag it does not know (besides the OB_EXIT_* codes). */
#define NOT_MINE (-1)

/* The flags without a value: the switch each sets; NULL for any other flag. */
static bool *switch_of(const char *arg, ob_ising_args *a) {
  if (strcmp(arg, "--info") == 0) return &a->info;
  if (strcmp(arg, "--host-loop") == 0) return &a->host_loop;
  if (strcmp(arg, "--tune") == 0) return &a->tune;
  if (strcmp(arg, "--shard") == 0) return &a->shard;
  if (strcmp(arg, "--trace-summary") == 0) return &a->trace_summary;
  return NULL;
}

/* The flags naming the kernel configuration that --tune would choose. */
static bool is_tuning_choice(const char *arg) {
  return strcmp(arg, "--path") == 0 || strcmp(arg, "--spin-bits") == 0 ||
         strcmp(arg, "--update") == 0 ||
         strcmp(arg, "--wg-size") == 0 || strcmp(arg, "--wg-words") == 0 ||
         strcmp(arg, "--schedule") == 0;
}

/* Files, selectors and names: --graph, --biases, --train, --save-model, --moments,
 * --samples, --trace, --device, --weights. */
static int parse_text(const char *arg, const char *val, ob_ising_args *a) {
  if (strcmp(arg, "--graph") == 0) a->graph = val;
  else if (strcmp(arg, "--biases") == 0) a->biases = val;
  else if (strcmp(arg, "--train") == 0) a->train = val;
  else if (strcmp(arg, "--save-model") == 0) {
    if (strlen(val) + sizeof ".biases.csv" > sizeof a->save_biases)
      return ob_cli_usage_error("--save-model: path longer than %zu bytes",
                                sizeof a->save_biases - sizeof ".biases.csv");
    snprintf(a->save_edges, sizeof a->save_edges, "%s.edges.csv", val);
    snprintf(a->save_biases, sizeof a->save_biases, "%s.biases.csv", val);
    if (!ob_cli_output_path(arg, a->save_edges) || !ob_cli_output_path(arg, a->save_biases))
      return OB_EXIT_USAGE;
    a->save_model = val;
  }
  else if (strcmp(arg, "--moments") == 0 || strcmp(arg, "--samples") == 0 ||
           strcmp(arg, "--trace") == 0) {
    if (!ob_cli_output_path(arg, val)) return OB_EXIT_USAGE;
    *(strcmp(arg, "--moments") == 0 ? &a->moments
      : strcmp(arg, "--samples") == 0 ? &a->samples : &a->trace_path) = val;
  } else if (strcmp(arg, "--device") == 0) {
    if (a->nsel == OB_ISING_MAX_SELECTORS) return ob_cli_usage_error("too many --device options");
    a->sel[a->nsel++] = val;
  } else if (strcmp(arg, "--weights") == 0) {
    if (strcmp(val, "gauss") == 0) a->weights = OB_ISING_WEIGHTS_GAUSS;
    else if (strcmp(val, "pm1") == 0) a->weights = OB_ISING_WEIGHTS_PM1;
    else return ob_cli_usage_error("--weights: '%s' is not gauss or pm1", val);
    a->weights_given = true;
  } else {
    return NOT_MINE;
  }
  return OB_EXIT_OK;
}

/* The numbers of the run: --beta, --lr, --chains, --warmup, --sweeps, --epochs, --seed. */
static int parse_number(const char *arg, const char *val, ob_ising_args *a) {
  bool ok = true;
  if (strcmp(arg, "--beta") == 0) {
    ok = ob_cli_double(arg, val, 0, 1e6, &a->beta);
  } else if (strcmp(arg, "--lr") == 0) {
    ok = ob_cli_double(arg, val, 1e-12, 1e6, &a->lr);
    a->lr_given = true;
  } else if (strcmp(arg, "--chains") == 0) {
    ok = ob_cli_long(arg, val, 1, (long)OB_ISING_MAX_CHAINS, &a->chains);
  } else if (strcmp(arg, "--warmup") == 0) {
    ok = ob_cli_long(arg, val, 0, 1000000000L, &a->warmup);
  } else if (strcmp(arg, "--sweeps") == 0) {
    ok = ob_cli_long(arg, val, 1, 1000000000L, &a->sweeps);
  } else if (strcmp(arg, "--epochs") == 0) {
    ok = ob_cli_long(arg, val, 1, 1000000L, &a->epochs);
    a->epochs_given = true;
  } else if (strcmp(arg, "--seed") == 0) {
    uint64_t seed = 0;
    ok = ob_cli_u64(arg, val, UINT64_MAX, &seed);
    a->seed = seed;
  } else {
    return NOT_MINE;
  }
  return ok ? OB_EXIT_OK : OB_EXIT_USAGE;
}

/* The kernel configuration: --update, --path, --schedule, --spin-bits, --wg-size, --wg-words,
 * --pass-chains. */
static int parse_tuning(const char *arg, const char *val, ob_ising_args *a) {
  long v = 0;
  if (strcmp(arg, "--path") == 0 || strcmp(arg, "--schedule") == 0) {
    ob_ising_path *where = strcmp(arg, "--path") == 0 ? &a->tuning.path : &a->tuning.schedule;
    if (strcmp(val, "auto") == 0) *where = OB_ISING_PATH_AUTO;
    else if (strcmp(val, "local") == 0) *where = OB_ISING_PATH_LOCAL;
    else if (strcmp(val, "global") == 0) *where = OB_ISING_PATH_GLOBAL;
    else return ob_cli_usage_error("%s: '%s' is not auto, local or global", arg, val);
  } else if (strcmp(arg, "--update") == 0) {
    if (strcmp(val, "auto") == 0) a->tuning.update = OB_ISING_UPDATE_AUTO;
    else if (strcmp(val, "float") == 0) a->tuning.update = OB_ISING_UPDATE_FLOAT;
    else if (strcmp(val, "multispin") == 0) a->tuning.update = OB_ISING_UPDATE_MULTISPIN;
    else return ob_cli_usage_error("--update: '%s' is not auto, float or multispin", val);
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
    if (!ob_cli_long(arg, val, 1, (long)OB_ISING_MAX_CHAINS, &v)) return OB_EXIT_USAGE;
    a->tuning.max_pass_chains = (size_t)v;
  } else {
    return NOT_MINE;
  }
  return OB_EXIT_OK;
}

/* One flag at argv[*i] (and its value, advancing *i). */
static int parse_flag(int argc, char **argv, int *i, ob_ising_args *a, ob_cli_flags *seen) {
  const char *arg = argv[*i];
  if (strcmp(arg, "--device") != 0 && !ob_cli_once(seen, arg)) return OB_EXIT_USAGE;
  bool *on = switch_of(arg, a);
  if (on) {
    *on = true;
    return OB_EXIT_OK;
  }
  if (is_tuning_choice(arg)) a->tuning_given = true;
  const char *val = ob_cli_value(argc, argv, i);
  if (!val) return OB_EXIT_USAGE;
  int rc = parse_text(arg, val, a);
  if (rc == NOT_MINE) rc = parse_number(arg, val, a);
  if (rc == NOT_MINE) rc = parse_tuning(arg, val, a);
  if (rc == NOT_MINE) rc = ob_cli_usage_error("ising: unknown option '%s'", arg);
  return rc;
}

int ob_ising_args_parse(int argc, char **argv, ob_ising_args *a) {
  *a = (ob_ising_args){.graph = "grid:20x20", .beta = 1.0, .lr = 0.1, .chains = 128, .sweeps = 100,
                    .epochs = 10};
  ob_cli_flags seen = {.n = 0};
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] != '-') return ob_cli_usage_error("ising: unexpected argument '%s'", argv[i]);
    int rc = parse_flag(argc, argv, &i, a, &seen);
    if (rc != OB_EXIT_OK) return rc;
  }
  if (a->weights_given && strncmp(a->graph, "edges:", 6) == 0)
    return ob_cli_usage_error("--weights: edges:FILE takes its weights from the file");
  if (a->tune && a->tuning_given)
    return ob_cli_usage_error("--tune chooses --update, --path, --spin-bits, --wg-size, "
                              "--wg-words and --schedule itself: give either");
  if ((a->epochs_given || a->lr_given || a->save_model) && !a->train)
    return ob_cli_usage_error("--epochs, --lr and --save-model need --train DATA.csv");
  if (a->host_loop && (a->train || a->moments || a->samples || a->nsel || a->shard))
    return ob_cli_usage_error("--host-loop runs on the host only: no --device, --shard, "
                              "--moments, --samples or --train");
  if ((a->trace_path || a->trace_summary) && (a->host_loop || a->info))
    return ob_cli_usage_error("--trace and --trace-summary record device kernels: not with "
                              "--host-loop or --info");
  if (a->shard && a->train)
    return ob_cli_usage_error("--shard samples one batch over several devices; --train runs on one");
  return OB_EXIT_OK;
}

void ob_ising_args_tune_settings(ob_tune_settings *out) {
  *out = *ob_tune_settings_current();
  if (out->mode == OB_TUNE_OFF) out->mode = OB_TUNE_ON;
}

ob_status ob_ising_args_model(const ob_ising_args *a, ob_ising_model **out) {
  *out = NULL;
  ob_ising_model *m = NULL;
  ob_status st = ob_ising_model_from_spec(a->graph, a->weights, a->seed, a->beta, &m);
  if (st == OB_OK && a->biases) st = ob_ising_model_load_biases(m, a->biases);
  if (st == OB_OK && !a->info && ob_ising_check_batch(m, (size_t)a->chains) != OB_OK) {
    char why[512];
    snprintf(why, sizeof why, "%s", ob_error_detail());
    st = ob_fail(OB_ERR_INVALID, "--chains %ld: %s", a->chains, why);
  }
  if (st != OB_OK) {
    ob_ising_model_destroy(m);
    return st;
  }
  *out = m;
  return OB_OK;
}

void ob_ising_print_graph(const ob_ising_model *m) {
  printf("graph %s: %zu nodes, %zu edges, max degree %zu, %zu colours\n", ob_ising_spec(m),
         ob_ising_nodes(m), ob_ising_edges(m), ob_ising_max_degree(m), ob_ising_ncolours(m));
}

/* ------------------------------------------------------------------ outputs */

ob_status ob_ising_open_outputs(const ob_ising_args *a, const ob_ising_model *m,
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

ob_status ob_ising_write_moments(ob_csv_writer *w, const ob_ising_model *m,
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
ob_status ob_ising_write_samples(ob_csv_writer *w, ob_ising_shards *set, size_t n,
                                 size_t chains) {
  const size_t block = 4096;
  int8_t *buf = malloc(block * n);
  const char **f = malloc((n + 1) * sizeof *f);
  ob_status st = buf && f ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  char id[24];
  for (size_t c0 = 0; c0 < chains && st == OB_OK; c0 += block) {
    const size_t count = chains - c0 < block ? chains - c0 : block;
    st = ob_ising_shards_samples(set, c0, count, buf);
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
