/* `oclbench plot SERIES.csv... --svg FILE.svg`: the figure of sustained runs (rate, clock,
 * temperature and power over time) from the series files `run --sustain` writes, of one
 * machine or several (a laptop's and a server's on one chart). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "series.h"
#include "svg.h"

int ob_plot_args_parse(int argc, char **argv, ob_plot_args *a) {
  ob_cli_flags seen = {.n = 0};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--svg") == 0) {
      if (!ob_cli_once(&seen, arg)) return OB_EXIT_USAGE;
      a->svg = ob_cli_value(argc, argv, &i);
      if (!a->svg) return OB_EXIT_USAGE;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return ob_cli_usage_error("plot: unknown option '%s'", arg);
    } else {
      a->files[a->nfiles++] = arg;
    }
  }
  if (a->nfiles == 0) return ob_cli_usage_error("plot: no series files given");
  if (!a->svg) return ob_cli_usage_error("plot: --svg FILE.svg is required");
  if (!ob_cli_output_path("--svg", a->svg)) return OB_EXIT_USAGE;
  for (size_t i = 0; i < a->nfiles; i++)
    if (strcmp(a->files[i], a->svg) == 0)
      return ob_cli_usage_error("--svg %s: would overwrite an input file", a->svg);
  return OB_EXIT_OK;
}

int ob_cmd_plot(int argc, char **argv) {
  ob_plot_args a = {.files = calloc((size_t)argc, sizeof(const char *))};
  if (!a.files) {
    fputs("oclbench: out of memory\n", stderr);
    return OB_EXIT_FAILED;
  }
  int rc = ob_plot_args_parse(argc, argv, &a);
  ob_series_set v = {0};
  ob_status st = OB_OK;
  for (size_t i = 0; rc == OB_EXIT_OK && i < a.nfiles && st == OB_OK; i++)
    st = ob_series_read_csv(a.files[i], &v);
  if (rc == OB_EXIT_OK && st != OB_OK) rc = ob_cli_usage_error("%s", ob_error_detail());
  ob_atomic_file f;
  if (rc == OB_EXIT_OK) st = ob_atomic_open(&f, a.svg);
  if (rc == OB_EXIT_OK && st == OB_OK) {
    st = ob_svg_write_series(&v, f.f);
    if (st == OB_OK) st = ob_atomic_commit(&f);
    else ob_atomic_discard(&f);
  }
  if (rc == OB_EXIT_OK && st != OB_OK) {
    fprintf(stderr, "oclbench: plot: %s\n", ob_error_detail());
    rc = OB_EXIT_FAILED;
  } else if (rc == OB_EXIT_OK) {
    fprintf(stderr, "oclbench: wrote %s (%zu series)\n", a.svg, v.n);
  }
  ob_series_clear(&v);
  free(a.files);
  return rc;
}
