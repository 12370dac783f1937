/* Arguments of `oclbench run` (shared by oclbench and oclbench-mpi). */
#include "run_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "runner.h"

/* --sizes LIST: names separated by commas, none empty. */
static int parse_sizes(const char *v, ob_run_args *a) {
  if (strlen(v) >= sizeof a->sizes_text)
    return ob_cli_usage_error("--sizes: list longer than %zu bytes", sizeof a->sizes_text - 1);
  snprintf(a->sizes_text, sizeof a->sizes_text, "%s", v);
  char *s = a->sizes_text;
  for (;;) {
    char *comma = strchr(s, ',');
    if (comma) *comma = '\0';
    if (!*s) return ob_cli_usage_error("--sizes '%s': an empty size", v);
    if (a->opts.nsizes == OB_MAX_CHOICES)
      return ob_cli_usage_error("--sizes: more than %d sizes", OB_MAX_CHOICES);
    a->sizes[a->opts.nsizes++] = s;
    if (!comma) break;
    s = comma + 1;
  }
  a->opts.sizes = a->sizes;
  return OB_EXIT_OK;
}

/* --chains LIST: chain counts separated by commas. */
static int parse_chains(const char *v, ob_run_args *a) {
  char part[32];
  for (const char *s = v;;) {
    const char *comma = strchr(s, ',');
    const size_t len = comma ? (size_t)(comma - s) : strlen(s);
    long chains = 0;
    snprintf(part, sizeof part, "%.*s", (int)(len < sizeof part ? len : sizeof part - 1), s);
    if (len >= sizeof part || !ob_cli_long("--chains", part, 1, 1L << 40, &chains))
      return OB_EXIT_USAGE;
    if (a->opts.nchains == OB_MAX_CHOICES)
      return ob_cli_usage_error("--chains: more than %d values", OB_MAX_CHOICES);
    a->chains[a->opts.nchains++] = (size_t)chains;
    if (!comma) break;
    s = comma + 1;
  }
  a->opts.chains = a->chains;
  return OB_EXIT_OK;
}

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
    } else if (strcmp(arg, "--list") == 0) {
      a->list = true;
    } else if (strcmp(arg, "--sizes") == 0 || strcmp(arg, "--chains") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v) return OB_EXIT_USAGE;
      const int rc = arg[2] == 's' ? parse_sizes(v, a) : parse_chains(v, a);
      if (rc != OB_EXIT_OK) return rc;
    } else if (strcmp(arg, "--sustain") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v || !ob_cli_double("--sustain", v, 0.1, 86400, &a->opts.sustain)) return OB_EXIT_USAGE;
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
  if (!a->list && !ob_cli_output_dir("--out", a->out_dir)) return OB_EXIT_USAGE;
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

/* Whether item is an entry of the ", "-separated list. */
static bool in_list(const char *list, const char *item) {
  const size_t len = strlen(item);
  for (const char *p = list; (p = strstr(p, item)) != NULL; p += len)
    if ((p == list || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0')) return true;
  return false;
}

/* Appends item to the ", "-separated list in buf unless it is there. */
static void list_add(char *buf, size_t n, const char *item) {
  if (in_list(buf, item)) return;
  const size_t used = strlen(buf);
  snprintf(buf + used, n - used, "%s%s", used ? ", " : "", item);
}

int ob_run_args_check_cases(const ob_run_args *a, const ob_registry *reg, const bool *selected) {
  if (!a->opts.nsizes && !a->opts.nchains) return OB_EXIT_OK;
  ob_case *cases = calloc(OB_RUNNER_MAX_CASES, sizeof *cases);
  if (!cases) return ob_cli_usage_error("out of memory");
  const ob_workload *chosen[OB_MAX_WORKLOADS];
  const size_t nchosen = ob_run_args_workloads(a, chosen, OB_MAX_WORKLOADS);
  /* Every case, whatever --sizes and --chains say. */
  const ob_run_opts all = {.quick = a->opts.quick, .seconds = a->opts.seconds};
  char sizes[2048] = "", chains[1024] = "";
  for (size_t d = 0; d < ob_registry_count(reg); d++) {
    if (!selected[d]) continue;
    for (size_t w = 0; w < nchosen; w++) {
      const size_t n = chosen[w]->list_cases(ob_registry_device(reg, d), &all, cases,
                                             OB_RUNNER_MAX_CASES);
      for (size_t i = 0; i < n; i++) {
        char num[24];
        snprintf(num, sizeof num, "%zu", cases[i].chains);
        if (cases[i].size[0]) list_add(sizes, sizeof sizes, cases[i].size);
        if (cases[i].chains) list_add(chains, sizeof chains, num);
      }
    }
  }
  free(cases);
  const char *const lists[] = {sizes, chains};
  for (size_t i = 0; i < a->opts.nsizes + a->opts.nchains; i++) {
    const bool is_size = i < a->opts.nsizes;
    char value[64], what[96];
    if (is_size) snprintf(value, sizeof value, "%s", a->opts.sizes[i]);
    else snprintf(value, sizeof value, "%zu", a->opts.chains[i - a->opts.nsizes]);
    if (is_size) snprintf(what, sizeof what, "--sizes: no case of size %s", value);
    else snprintf(what, sizeof what, "--chains: no case with %s chains", value);
    if (!in_list(lists[!is_size], value))
      return ob_cli_usage_error("%s in this run (%s: %s)", what,
                                is_size ? "its sizes" : "its chain counts",
                                lists[!is_size][0] ? lists[!is_size] : "none");
  }
  return OB_EXIT_OK;
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
