/* Arguments of `oclbench run`: parsed and validated once, shared by oclbench and oclbench-mpi. */
#ifndef OB_RUN_ARGS_H
#define OB_RUN_ARGS_H

#include "runner.h"
#include "table.h"
#include "workload.h"

#define OB_MAX_SELECTORS 64
#define OB_MAX_CHOICES 64

typedef struct ob_run_args {
  bool want[OB_MAX_WORKLOADS];        /* by index in ob_workloads (the runner adds what the
                                         chosen ones need: the peak probes) */
  const char *sel[OB_MAX_SELECTORS];  /* --device selectors (argv strings) */
  size_t nsel;
  const char *out_dir;                /* --out DIR, or the root of the run directories
                                         ("results") when out_given is false */
  bool out_given;                     /* --out: files straight into DIR, refused when one
                                         would replace a file there unless force */
  bool force;                         /* --force (only with --out) */
  ob_format format;                   /* --format of standard output (default the table) */
  bool wide;                          /* --wide: the table's full width */
  const char *trace_path;             /* --trace FILE.json, or NULL */
  bool trace_summary;                 /* --trace-summary */
  bool shard;                         /* --shard: also all selected devices at once */
  bool list;                          /* --list: print the cases, run nothing */
  ob_run_opts opts;                   /* --quick, --seconds (default 1, 0.2 with --quick),
                                         --sustain (0.1 to 86400 s; default 0: off), --sizes
                                         and --chains (pointing into the fields below) */
  char sizes_text[1024];              /* --sizes LIST, its commas made NULs */
  const char *sizes[OB_MAX_CHOICES];
  size_t chains[OB_MAX_CHOICES];      /* --chains LIST */
} ob_run_args;

/* Parses argv[1..argc) (argv[0] is "run"); prints a one-line error and returns OB_EXIT_USAGE on
 * bad input, OB_EXIT_OK otherwise. */
int ob_run_args_parse(int argc, char **argv, ob_run_args *a);

/* Where this run's CSV files go, into dir (dn bytes), before any work: with --out, DIR itself,
 * refused (a one-line error, OB_EXIT_USAGE) when it already holds a file the run would write
 * (ob_results_dir_taken: host and slugs[0..n), host NULL: any results) unless --force; without
 * --out, a new run directory under results/ (ob_results_run_dir_create). */
int ob_run_args_out_dir(const ob_run_args *a, const char *host, const char *const *slugs,
                        size_t n, char *dir, size_t dn);

/* After the run: a run directory that stayed empty is removed, one that holds results becomes
 * results/latest (atomically). Prints where the results are on stderr. */
void ob_run_args_out_done(const ob_run_args *a, const char *dir);

/* The chosen workloads in run order; returns how many. */
size_t ob_run_args_workloads(const ob_run_args *a, const ob_workload **out, size_t max);

/* Checks --sizes and --chains against the cases the chosen workloads list on the selected
 * devices (selected[d] per registry device) under --quick: prints a one-line error naming the
 * first value no case has and the values there are, and returns OB_EXIT_USAGE; else
 * OB_EXIT_OK. Nothing runs. */
int ob_run_args_check_cases(const ob_run_args *a, const ob_registry *reg, const bool *selected);

#endif
