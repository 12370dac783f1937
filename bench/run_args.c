/* Arguments of `oclbench run` (shared by oclbench and oclbench-mpi). */
#include "run_args.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "runner.h"

int ob_run_args_parse(int argc, char **argv, ob_run_args *a) {
  memset(a, 0, sizeof *a);
  bool any = false, seconds_given = false;
  a->out_dir = "results";
  ob_cli_flags seen = {.n = 0};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (arg[0] == '-' && strcmp(arg, "--device") != 0 && !ob_cli_once(&seen, arg))
      return OB_EXIT_USAGE;
    if (strcmp(arg, "--device") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v) return OB_EXIT_USAGE;
      if (a->nsel == OB_MAX_SELECTORS) return ob_cli_usage_error("too many --device options");
      a->sel[a->nsel++] = v;
    } else if (strcmp(arg, "--out") == 0) {
      a->out_dir = ob_cli_value(argc, argv, &i);
      if (!a->out_dir) return OB_EXIT_USAGE;
      a->out_given = true;
    } else if (strcmp(arg, "--force") == 0) {
      a->force = true;
    } else if (strcmp(arg, "--format") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v || !ob_cli_format(v, &a->format)) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--wide") == 0) {
      a->wide = true;
    } else if (strcmp(arg, "--trace") == 0) {
      a->trace_path = ob_cli_value(argc, argv, &i);
      if (!a->trace_path) return OB_EXIT_USAGE;
      if (!ob_cli_output_path("--trace", a->trace_path)) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--shard") == 0) {
      a->shard = true;
    } else if (strcmp(arg, "--trace-summary") == 0) {
      a->trace_summary = true;
    } else if (strcmp(arg, "--quick") == 0) {
      a->opts.quick = true;
    } else if (strcmp(arg, "--seconds") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v || !ob_cli_double("--seconds", v, 0.001, 3600, &a->opts.seconds))
        return OB_EXIT_USAGE;
      seconds_given = true;
    } else if (arg[0] == '-') {
      return ob_cli_usage_error("run: unknown option '%s'", arg);
    } else if (strcmp(arg, "all") == 0) {
      for (size_t w = 0; w < ob_nworkloads; w++) a->want[w] = true;
      any = true;
    } else {
      size_t w = 0;
      while (w < ob_nworkloads && strcmp(ob_workloads[w]->name, arg) != 0) w++;
      if (w == ob_nworkloads) {
        char names[256] = "";
        for (size_t k = 0; k < ob_nworkloads; k++)
          snprintf(names + strlen(names), sizeof names - strlen(names), "%s, ",
                   ob_workloads[k]->name);
        return ob_cli_usage_error("run: unknown workload '%s' (known: %sall)", arg, names);
      }
      a->want[w] = true;
      any = true;
    }
  }
  if (a->force && !a->out_given)
    return ob_cli_usage_error("--force applies to --out only (a run without --out writes a new "
                              "directory and replaces nothing)");
  if (a->wide && a->format != OB_FORMAT_TEXT)
    return ob_cli_usage_error("--wide applies to --format table only");
  /* Before any work: a run that cannot write its results is refused, not run. */
  if (!ob_cli_output_dir("--out", a->out_dir)) return OB_EXIT_USAGE;
  if (!any)
    for (size_t w = 0; w < ob_nworkloads; w++) a->want[w] = true;
  if (!seconds_given) a->opts.seconds = a->opts.quick ? 0.2 : 1.0;
  return OB_EXIT_OK;
}

size_t ob_run_args_workloads(const ob_run_args *a, const ob_workload **out, size_t max) {
  size_t n = 0;
  for (size_t w = 0; w < ob_nworkloads && n < max; w++)
    if (a->want[w]) out[n++] = ob_workloads[w];
  return n;
}

int ob_run_args_out_dir(const ob_run_args *a, const char *host, const char *const *slugs,
                        size_t n, char *dir, size_t dn) {
  if (!a->out_given) {
    if (ob_results_run_dir_create(a->out_dir, host, dir, dn) != OB_OK)
      return ob_cli_usage_error("results: %s", ob_error_detail());
    return OB_EXIT_OK;
  }
  char found[4200];
  if (!a->force && ob_results_dir_taken(a->out_dir, host, slugs, n, found, sizeof found))
    return ob_cli_usage_error("--out %s: %s exists (an earlier run's); give another --out, leave "
                              "--out away (a new directory per run), or add --force to replace it",
                              a->out_dir, found);
  if (ob_mkdir_p(a->out_dir) != OB_OK) return ob_cli_usage_error("--out: %s", ob_error_detail());
  snprintf(dir, dn, "%s", a->out_dir);
  return OB_EXIT_OK;
}

void ob_run_args_out_done(const ob_run_args *a, const char *dir) {
  if (a->out_given || rmdir(dir) == 0) return; /* rmdir: only when the run wrote nothing */
  if (ob_results_link_latest(a->out_dir, dir) == OB_OK)
    fprintf(stderr, "oclbench: results in %s (%s/latest)\n", dir, a->out_dir);
  else
    fprintf(stderr, "oclbench: results in %s; %s\n", dir, ob_error_detail());
}
