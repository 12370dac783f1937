/* Arguments of `oclbench run`: parsed and validated once, shared by oclbench and oclbench-mpi. */
#ifndef OB_RUN_ARGS_H
#define OB_RUN_ARGS_H

#include "workload.h"

#define OB_MAX_SELECTORS 64
#define OB_MAX_WORKLOADS 32

typedef struct ob_run_args {
  bool want[OB_MAX_WORKLOADS];        /* by index in ob_workloads (the runner adds what the
                                         chosen ones need: the peak probes) */
  const char *sel[OB_MAX_SELECTORS];  /* --device selectors (argv strings) */
  size_t nsel;
  const char *out_dir;                /* --out, default "results" */
  const char *trace_path;             /* --trace FILE.json, or NULL */
  bool trace_summary;                 /* --trace-summary */
  bool shard;                         /* --shard: also all selected devices at once */
  ob_run_opts opts;                   /* --quick, --seconds (default 1, 0.2 with --quick),
                                         --sustain (0.1 to 86400 s; default 0: off) */
} ob_run_args;

/* Parses argv[1..argc) (argv[0] is "run"); prints a one-line error and returns OB_EXIT_USAGE on
 * bad input, OB_EXIT_OK otherwise. */
int ob_run_args_parse(int argc, char **argv, ob_run_args *a);

/* The chosen workloads in run order; returns how many. */
size_t ob_run_args_workloads(const ob_run_args *a, const ob_workload **out, size_t max);

#endif
