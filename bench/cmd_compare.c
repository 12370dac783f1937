/* `oclbench compare FILE.csv... [--baseline SEL] [--out FILE.csv] [--md FILE.md]
 * [--svg FILE.svg]`: one cross-device table from per-device CSVs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "svg.h"
#include "table.h"

static const char *const out_flags[OB_COMPARE_NOUT] = {"--out", "--md", "--svg"};

/* Same file (device and inode) as an existing path. */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* An output path must be a writable file in an existing directory and no input or other
 * output. */
static int check_output(const ob_compare_args *a, int k) {
  const char *path = a->out[k], *flag = out_flags[k];
  if (!ob_cli_output_path(flag, path)) return OB_EXIT_USAGE;
  for (size_t i = 0; i < a->nfiles; i++)
    if (strcmp(path, a->files[i]) == 0 || same_file(path, a->files[i]))
      return ob_cli_usage_error("%s %s: would overwrite an input file", flag, path);
  for (int j = 0; j < k; j++)
    if (a->out[j] && (strcmp(path, a->out[j]) == 0 || same_file(path, a->out[j])))
      return ob_cli_usage_error("%s and %s name the same file '%s'", out_flags[j], flag, path);
  return OB_EXIT_OK;
}

int ob_compare_args_parse(int argc, char **argv, ob_compare_args *a) {
  ob_cli_flags seen = {.n = 0};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int k = 0;
    while (k < OB_COMPARE_NOUT && strcmp(arg, out_flags[k]) != 0) k++;
    if (k < OB_COMPARE_NOUT) {
      if (!ob_cli_once(&seen, arg)) return OB_EXIT_USAGE;
      a->out[k] = ob_cli_value(argc, argv, &i);
      if (!a->out[k]) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--baseline") == 0) {
      if (!ob_cli_once(&seen, arg)) return OB_EXIT_USAGE;
      a->baseline = ob_cli_value(argc, argv, &i);
      if (!a->baseline) return OB_EXIT_USAGE;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return ob_cli_usage_error("compare: unknown option '%s'", arg);
    } else {
      a->files[a->nfiles++] = arg;
    }
  }
  if (a->nfiles == 0) return ob_cli_usage_error("compare: no CSV files given");
  for (int k = 0; k < OB_COMPARE_NOUT; k++) {
    int rc = a->out[k] ? check_output(a, k) : OB_EXIT_OK;
    if (rc != OB_EXIT_OK) return rc;
  }
  return OB_EXIT_OK;
}

/* Exit code of a failed step on the inputs: bad or unreadable input is 2, anything else 1. */
static int input_exit(ob_status st) {
  return st == OB_ERR_INVALID || st == OB_ERR_IO ? OB_EXIT_USAGE : OB_EXIT_FAILED;
}

/* Prints the error detail and returns rc. */
static int report(int rc, const char *prefix) {
  fprintf(stderr, "oclbench: %s%s\n", prefix, ob_error_detail());
  return rc;
}

/* Renders one output into memory: nothing reaches the disk before every output rendered. */
static ob_status render(const ob_compare *cmp, int k, char **data, size_t *len) {
  *data = NULL;
  FILE *f = open_memstream(data, len);
  if (!f) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = k == OB_COMPARE_SVG ? ob_svg_write(cmp, f)
                              : ob_compare_write(cmp, k == OB_COMPARE_CSV ? OB_FORMAT_CSV
                                                                   : OB_FORMAT_MARKDOWN, f);
  if (fclose(f) != 0 && st == OB_OK) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  return st;
}

static int compare_files(const ob_compare_args *a) {
  ob_compare *cmp = NULL;
  ob_status st = ob_compare_create(&cmp);
  if (st != OB_OK) return report(OB_EXIT_FAILED, "");
  int rc = OB_EXIT_OK;
  for (size_t i = 0; i < a->nfiles && rc == OB_EXIT_OK; i++) {
    st = ob_compare_add_file(cmp, a->files[i]);
    if (st != OB_OK) rc = report(input_exit(st), "");
  }
  if (rc == OB_EXIT_OK && a->baseline) {
    st = ob_compare_set_baseline(cmp, a->baseline);
    if (st != OB_OK) rc = report(input_exit(st), "--baseline ");
  }
  if (rc == OB_EXIT_OK) {
    st = ob_compare_join(cmp);
    if (st != OB_OK) rc = report(input_exit(st), "");
  }
  char *data[OB_COMPARE_NOUT] = {NULL};
  size_t len[OB_COMPARE_NOUT] = {0};
  for (int k = 0; k < OB_COMPARE_NOUT && rc == OB_EXIT_OK; k++) {
    if (!a->out[k]) continue;
    st = render(cmp, k, &data[k], &len[k]);
    if (st != OB_OK) rc = report(OB_EXIT_FAILED, "");
  }
  for (int k = 0; k < OB_COMPARE_NOUT && rc == OB_EXIT_OK; k++) {
    if (!a->out[k]) continue;
    st = ob_write_file_atomic(a->out[k], data[k], len[k]);
    if (st != OB_OK) rc = report(OB_EXIT_FAILED, "");
    else fprintf(stderr, "oclbench: wrote %s\n", a->out[k]);
  }
  if (rc == OB_EXIT_OK) {
    st = ob_compare_write(cmp, OB_FORMAT_TEXT, stdout);
    if (st != OB_OK) rc = report(OB_EXIT_FAILED, "stdout: ");
  }
  for (int k = 0; k < OB_COMPARE_NOUT; k++) free(data[k]);
  ob_compare_destroy(cmp);
  return rc;
}

int ob_cmd_compare(int argc, char **argv) {
  ob_compare_args a;
  memset(&a, 0, sizeof a);
  a.files = calloc((size_t)argc, sizeof *a.files);
  if (!a.files) {
    fputs("oclbench: out of memory\n", stderr);
    return OB_EXIT_FAILED;
  }
  int rc = ob_compare_args_parse(argc, argv, &a);
  if (rc == OB_EXIT_OK) rc = compare_files(&a);
  free(a.files);
  return rc;
}
