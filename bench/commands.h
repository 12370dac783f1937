/* The subcommands of the oclbench CLI. Each returns the process exit code.
 *
 * The argument parsers of the commands that have no header of their own (run: run_args.h,
 * ising: ising_cli.h) are declared here too: they only parse and validate (no device is opened,
 * nothing is written), print a one-line error and return OB_EXIT_USAGE on bad input,
 * OB_EXIT_OK otherwise. argv[0] is the command name. */
#ifndef OB_COMMANDS_H
#define OB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

int ob_cmd_devices(int argc, char **argv);
int ob_cmd_run(int argc, char **argv);
int ob_cmd_compare(int argc, char **argv);
int ob_cmd_ising(int argc, char **argv);
int ob_cmd_flops(int argc, char **argv);
int ob_cmd_plot(int argc, char **argv);

#include "table.h"

/* `devices [--format table|csv|json|md] [--csv]` (--csv: --format csv). */
int ob_devices_args_parse(int argc, char **argv, ob_format *format);

/* `compare FILE.csv... [--baseline SEL] [--label FILE=NAME]... [--format F] [--wide]
 * [--out FILE.csv] [--md FILE.md] [--svg FILE.svg]`. */
enum { OB_COMPARE_CSV, OB_COMPARE_MD, OB_COMPARE_SVG, OB_COMPARE_NOUT };
typedef struct ob_compare_args {
  const char **files;     /* room for argc entries, provided by the caller */
  size_t nfiles;
  const char **labels;    /* "FILE=NAME" (room for argc entries, provided by the caller) */
  size_t nlabels;
  const char *baseline;
  const char *out[OB_COMPARE_NOUT];
  ob_format format;       /* of the table on standard output (default text) */
  bool wide;              /* text: no width limit */
} ob_compare_args;
int ob_compare_args_parse(int argc, char **argv, ob_compare_args *a);

/* `flops MODEL [--batch N] [--input CxHxW] [--csv FILE] [--dot FILE.dot]`. */
typedef struct ob_flops_args {
  const char *model;
  long batch;
  int c, h, w;           /* 0: the model's default input */
  const char *csv;
  const char *dot;
} ob_flops_args;
int ob_flops_args_parse(int argc, char **argv, ob_flops_args *a);

/* `plot SERIES.csv... --svg FILE.svg`. */
typedef struct ob_plot_args {
  const char **files;     /* room for argc entries, provided by the caller */
  size_t nfiles;
  const char *svg;
} ob_plot_args;
int ob_plot_args_parse(int argc, char **argv, ob_plot_args *a);

#endif
