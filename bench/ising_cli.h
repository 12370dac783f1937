/* The `ising` command's arguments and outputs, shared by oclbench and oclbench-mpi. */
#ifndef OB_ISING_CLI_H
#define OB_ISING_CLI_H

#include "ising/ising_shard.h"
#include "tune.h"

#define OB_ISING_MAX_SELECTORS 16

typedef struct ob_ising_args {
  const char *graph, *biases, *moments, *samples, *train;
  const char *sel[OB_ISING_MAX_SELECTORS];
  size_t nsel;
  ob_ising_weight_kind weights;
  bool weights_given, info, host_loop, tune, tuning_given;
  bool shard;                /* --shard: split the chains over every selected device */
  double beta, lr;
  long chains, warmup, sweeps, epochs;
  bool epochs_given, lr_given;
  unsigned long long seed;
  ob_ising_tuning tuning;
  const char *save_model;    /* --save-model PREFIX: the trained model, in the two files */
  char save_edges[4096];     /* PREFIX.edges.csv (i,j,w: what --graph edges:FILE reads) */
  char save_biases[4096];    /* PREFIX.biases.csv (i,h: what --biases reads) */
  const char *trace_path;    /* --trace FILE.json: Chrome trace of every kernel launch */
  bool trace_summary;        /* --trace-summary: the per-kernel table on stdout */
} ob_ising_args;


/* Parses argv[1..argc) ("ising" is argv[0]); prints a one-line error and returns
 * OB_EXIT_USAGE on bad input. */
int ob_ising_args_parse(int argc, char **argv, ob_ising_args *a);

/* The tuning settings of --tune: the process's, except that tuning off searches anyway (the
 * flag asks for it); with OCLBENCH_TUNE=redo a search every time. */
void ob_ising_args_tune_settings(ob_tune_settings *out);

/* Builds the model of --graph/--weights/--seed/--beta/--biases; OB_ERR_INVALID on bad input. */
ob_status ob_ising_args_model(const ob_ising_args *a, ob_ising_model **out);

/* "graph SPEC: N nodes, M edges, max degree D, C colours" on stdout. */
void ob_ising_print_graph(const ob_ising_model *m);

/* Opens the --moments and --samples files (atomic writers; either may stay NULL). */
ob_status ob_ising_open_outputs(const ob_ising_args *a, const ob_ising_model *m,
                                ob_csv_writer **moments, ob_csv_writer **samples);
/* Writes moments as `kind,i,j,value` rows (node, edge, energy, magnetisation). */
ob_status ob_ising_write_moments(ob_csv_writer *w, const ob_ising_model *m,
                                 const ob_ising_moments *mo);
/* Writes the final states of every chain of the set, a block of chains at a time. */
ob_status ob_ising_write_samples(ob_csv_writer *w, ob_ising_shards *set, size_t n,
                                 size_t chains);

#endif
