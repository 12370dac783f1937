/* `oclbench run [WORKLOAD...] [--device SEL]... [--out DIR] [--quick] [--seconds S]`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "runner.h"

#define MAX_SELECTORS 64

typedef struct run_args {
  bool want[32];                   /* by index in ob_workloads */
  const char *sel[MAX_SELECTORS];
  size_t nsel;
  const char *out_dir;
  const char *trace_path;          /* --trace FILE.json */
  bool trace_summary;              /* --trace-summary */
  ob_run_opts opts;
} run_args;

static int parse(int argc, char **argv, run_args *a) {
  bool any = false, seconds_given = false;
  a->out_dir = "results";
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--device") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v) return OB_EXIT_USAGE;
      if (a->nsel == MAX_SELECTORS) return ob_cli_usage_error("too many --device options");
      a->sel[a->nsel++] = v;
    } else if (strcmp(arg, "--out") == 0) {
      a->out_dir = ob_cli_value(argc, argv, &i);
      if (!a->out_dir) return OB_EXIT_USAGE;
      if (!*a->out_dir) return ob_cli_usage_error("--out: empty directory name");
    } else if (strcmp(arg, "--trace") == 0) {
      a->trace_path = ob_cli_value(argc, argv, &i);
      if (!a->trace_path) return OB_EXIT_USAGE;
      if (!ob_cli_output_path("--trace", a->trace_path)) return OB_EXIT_USAGE;
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
  if (!any)
    for (size_t w = 0; w < ob_nworkloads; w++) a->want[w] = true;
  /* Every workload divides by the measured peaks: the probes always run first. */
  a->want[0] = true;
  if (!seconds_given) a->opts.seconds = a->opts.quick ? 0.2 : 1.0;
  return OB_EXIT_OK;
}

/* The seed's "allocated / reserved memory": per device, the most one case allocated. */
static void print_memory(const ob_registry *reg, const bool *selected, const size_t *mem_peak) {
  if (!mem_peak) return;
  fputc('\n', stdout);
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!selected[d]) continue;
    const ob_device *dev = ob_registry_device(reg, d);
    double global = (double)ob_device_props_get(dev)->global_mem;
    printf("%s: peak device memory allocated by oclbench %.1f MiB of %.1f GiB global (%.1f%%)\n",
           ob_device_slug(dev), (double)mem_peak[d] / (1 << 20), global / (1 << 30),
           global > 0 ? 100.0 * (double)mem_peak[d] / global : 0.0);
  }
}

int ob_cmd_run(int argc, char **argv) {
  run_args a;
  memset(&a, 0, sizeof a);
  int rc = parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ob_registry *reg = NULL;
  rc = ob_cli_open_registry(&reg);
  if (rc != OB_EXIT_OK) return rc;
  size_t ndev = ob_registry_count(reg);
  bool *selected = calloc(ndev, sizeof *selected);
  const ob_workload *chosen[32];
  size_t nchosen = 0;
  for (size_t w = 0; w < ob_nworkloads; w++)
    if (a.want[w]) chosen[nchosen++] = ob_workloads[w];
  if (!selected) {
    ob_registry_destroy(reg);
    fputs("oclbench: out of memory\n", stderr);
    return OB_EXIT_FAILED;
  }
  if (!ob_cli_select(reg, a.sel, a.nsel, selected)) {
    free(selected);
    ob_registry_destroy(reg);
    return OB_EXIT_USAGE;
  }
  if (ob_mkdir_p(a.out_dir) != OB_OK) {
    free(selected);
    ob_registry_destroy(reg);
    return ob_cli_usage_error("--out: %s", ob_error_detail());
  }
  size_t *mem_peak = calloc(ndev, sizeof *mem_peak);
  ob_runner_config cfg = {.workloads = chosen, .nworkloads = nchosen, .selected = selected,
                          .out_dir = a.out_dir, .opts = a.opts, .mem_peak = mem_peak};
  ob_table rows = {0};
  size_t failed = 0;
  ob_trace_enable(a.trace_path || a.trace_summary);
  ob_status st = ob_runner_run(reg, &cfg, &rows, &failed);
  if (st == OB_OK && a.trace_path) {
    st = ob_trace_write_json(a.trace_path);
    if (st == OB_OK) fprintf(stderr, "oclbench: wrote %s\n", a.trace_path);
  }
  if (st != OB_OK) {
    fprintf(stderr, "oclbench: %s: %s\n", ob_strerror(st), ob_error_detail());
    rc = OB_EXIT_FAILED;
  } else {
    rc = failed ? OB_EXIT_FAILED : OB_EXIT_OK;
    if (ob_table_print_summary(&rows, stdout) != OB_OK) {
      fprintf(stderr, "oclbench: summary: %s\n", ob_error_detail());
      rc = OB_EXIT_FAILED;
    }
    print_memory(reg, selected, mem_peak);
    if (a.trace_summary) {
      fputc('\n', stdout);
      ob_trace_print_summary(stdout);
    }
    if (failed) fprintf(stderr, "oclbench: %zu row%s failed\n", failed, failed == 1 ? "" : "s");
  }
  ob_trace_enable(false);
  ob_trace_reset();
  ob_table_clear(&rows);
  free(mem_peak);
  free(selected);
  ob_registry_destroy(reg);
  return rc;
}
