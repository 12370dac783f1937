/* `oclbench run [WORKLOAD...] [--device SEL]... [--out DIR [--force]] [--quick] [--seconds S]
 * [--format F] [--wide] ...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "run_args.h"
#include "runner.h"
#include "table.h"

/* The seed's "allocated / reserved memory": per device, the most one case allocated. */
static void print_memory(const ob_registry *reg, const bool *selected, const ob_session *s,
                         FILE *out) {
  fputc('\n', out);
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!selected[d]) continue;
    const ob_device *dev = ob_registry_device(reg, d);
    const double global = (double)ob_device_props_get(dev)->global_mem;
    const double peak = (double)ob_session_mem_peak(s, dev);
    fprintf(out,
            "%s: peak device memory allocated by oclbench %.1f MiB of %.1f GiB global (%.1f%%)\n",
            ob_device_slug(dev), peak / (1 << 20), global / (1 << 30),
           global > 0 ? 100.0 * peak / global : 0.0);
  }
}

/* run --list: the cases of one device (or, group, the --shard group of n devices) in run
 * order, one line each, each workload with the options it runs with (ob_runner_opts_for, as
 * the run and its progress take them); returns their count and adds their estimate (device
 * checks included) to *seconds. */
static size_t list_device(const ob_device *dev, const char *name, bool group,
                          const ob_runner_config *cfg, const ob_runner_config *chosen,
                          ob_case *cases, double *seconds) {
  size_t total = 0;
  for (size_t w = 0; w < cfg->nworkloads; w++) {
    const ob_workload *wl = cfg->workloads[w];
    if (group && !wl->setup_group) continue;
    const ob_run_opts o = ob_runner_opts_for(chosen, wl);
    const size_t n = ob_runner_cases(dev, wl, &o, cases, OB_RUNNER_MAX_CASES);
    for (size_t i = 0; i < n; i++)
      printf("%-16s %-8s %-16s %-9s %-16s %s\n", name, wl->name, cases[i].variant,
             cases[i].precision[0] ? cases[i].precision : "-",
             cases[i].size[0] ? cases[i].size : "-", cases[i].params);
    total += n;
    *seconds += (double)n * ob_runner_case_estimate(&o) +
                (wl->device_check ? ob_runner_check_estimate() : 0.0);
  }
  return total;
}

/* run --list: what a run of cfg would measure, per device, with the time it should take. */
static int list_cases(const ob_registry *reg, const ob_runner_config *chosen) {
  const ob_workload *plan[OB_MAX_WORKLOADS];
  ob_runner_config cfg = *chosen;
  cfg.workloads = plan;
  cfg.nworkloads = ob_runner_plan(ob_workloads, ob_nworkloads, chosen->workloads,
                                  chosen->nworkloads, plan, OB_MAX_WORKLOADS);
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  if (!cases) return ob_cli_usage_error("out of memory");
  printf("%-16s %-8s %-16s %-9s %-16s %s\n", "device", "workload", "variant", "precision",
         "size", "params");
  size_t all = 0, ndev = 0;
  double seconds = 0.0;
  const ob_device *first = NULL;
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!cfg.selected[d]) continue;
    const ob_device *dev = ob_registry_device(reg, d);
    all += list_device(dev, ob_device_slug(dev), false, &cfg, chosen, cases, &seconds);
    if (!ndev++) first = dev;
  }
  if (cfg.shard && ndev >= 2) {
    char name[32];
    snprintf(name, sizeof name, "all-%zu", ndev);
    all += list_device(first, name, true, &cfg, &cfg, cases, &seconds);
  }
  free(cases);
  char took[24];
  ob_format_duration(took, sizeof took, seconds);
  printf("\n%zu case%s on %zu device%s: about %s (%.3g s budget per case; program builds and "
         "tuning searches on a first run come on top)\n",
         all, all == 1 ? "" : "s", ndev, ndev == 1 ? "" : "s", took, cfg.opts.seconds);
  return OB_EXIT_OK;
}

int ob_cmd_run(int argc, char **argv) {
  ob_run_args a;
  int rc = ob_run_args_parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ob_registry *reg = NULL;
  rc = ob_cli_open_registry(&reg);
  if (rc != OB_EXIT_OK) return rc;
  size_t ndev = ob_registry_count(reg);
  bool *selected = calloc(ndev, sizeof *selected);
  const ob_workload *chosen[OB_MAX_WORKLOADS];
  size_t nchosen = ob_run_args_workloads(&a, chosen, OB_MAX_WORKLOADS);
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
  ob_runner_config cfg = {.workloads = chosen, .nworkloads = nchosen, .selected = selected,
                          .out_dir = a.out_dir, .opts = a.opts, .shard = a.shard};
  rc = ob_run_args_check_cases(&a, reg, selected);
  if (rc == OB_EXIT_OK && a.list) rc = list_cases(reg, &cfg);
  if (rc != OB_EXIT_OK || a.list) {
    free(selected);
    ob_registry_destroy(reg);
    return rc;
  }
  /* The files this run writes: one per selected device, and all-N with --shard. */
  const char **slugs = calloc(ndev + 1, sizeof *slugs);
  char group[32], dir[4096];
  size_t nslugs = 0;
  for (size_t d = 0; slugs && d < ndev; d++)
    if (selected[d]) slugs[nslugs++] = ob_device_slug(ob_registry_device(reg, d));
  snprintf(group, sizeof group, "all-%zu", nslugs);
  if (slugs && a.shard && nslugs >= 2) slugs[nslugs++] = group;
  ob_host_info host;
  ob_host_get(&host);
  rc = slugs ? ob_run_args_out_dir(&a, host.hostname, slugs, nslugs, dir, sizeof dir)
             : OB_EXIT_FAILED;
  free(slugs);
  if (rc != OB_EXIT_OK) {
    free(selected);
    ob_registry_destroy(reg);
    return rc;
  }
  cfg.out_dir = dir;
  ob_session *session = NULL;
  ob_trace_enable(a.trace_path || a.trace_summary);
  ob_status st = ob_session_create(&session);
  if (st == OB_OK) {
    ob_sensor_config sensors;
    ob_cli_sensor_config(&sensors);
    ob_session_set_sensor_config(session, &sensors);
    st = ob_runner_run(reg, &cfg, session);
  }
  if (st == OB_OK && a.trace_path) {
    st = ob_trace_write_json(a.trace_path);
    if (st == OB_OK) fprintf(stderr, "oclbench: wrote %s\n", a.trace_path);
  }
  if (st != OB_OK) {
    fprintf(stderr, "oclbench: %s: %s\n", ob_strerror(st), ob_error_detail());
    rc = OB_EXIT_FAILED;
  } else {
    const size_t failed = ob_session_failed(session);
    rc = failed ? OB_EXIT_FAILED : OB_EXIT_OK;
    /* Standard output holds only the records in a machine format; the rest goes to stderr. */
    const bool machine = a.format == OB_FORMAT_CSV || a.format == OB_FORMAT_JSON;
    FILE *info = machine ? stderr : stdout;
    if (ob_results_print(ob_session_results(session), a.format,
                         a.wide ? 0 : OB_TABLE_WIDTH, stdout) != OB_OK) {
      fprintf(stderr, "oclbench: summary: %s\n", ob_error_detail());
      rc = OB_EXIT_FAILED;
    }
    print_memory(reg, selected, session, info);
    if (a.trace_summary) {
      fputc('\n', info);
      ob_trace_print_summary(info);
    }
    if (failed) fprintf(stderr, "oclbench: %zu row%s failed\n", failed, failed == 1 ? "" : "s");
  }
  ob_run_args_out_done(&a, dir);
  ob_trace_enable(false);
  ob_trace_reset();
  ob_session_destroy(session);
  free(selected);
  ob_registry_destroy(reg);
  return rc;
}
