/* `oclbench compare FILE.csv... [--baseline SEL] [--label FILE=NAME]... [--format F] [--wide]
 * [--out FILE.csv] [--md FILE.md] [--svg FILE.svg]`: one cross-device table from per-device
 * CSVs. */
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

/* The input file (as given) that path names, the same string or the same file; NULL if none. */
static const char *label_file(const ob_compare_args *a, const char *path) {
  for (size_t i = 0; i < a->nfiles; i++)
    if (strcmp(path, a->files[i]) == 0 || same_file(path, a->files[i])) return a->files[i];
  return NULL;
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
    } else if (strcmp(arg, "--label") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v) return OB_EXIT_USAGE;
      const char *eq = strrchr(v, '=');
      if (!eq || eq == v || !eq[1])
        return ob_cli_usage_error("--label: '%s' is not FILE=NAME", v);
      a->labels[a->nlabels++] = v;
    } else if (strcmp(arg, "--format") == 0) {
      if (!ob_cli_once(&seen, arg)) return OB_EXIT_USAGE;
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v || !ob_cli_format(v, &a->format)) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--wide") == 0) {
      if (!ob_cli_once(&seen, arg)) return OB_EXIT_USAGE;
      a->wide = true;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return ob_cli_usage_error("compare: unknown option '%s'", arg);
    } else {
      a->files[a->nfiles++] = arg;
    }
  }
  if (a->nfiles == 0) return ob_cli_usage_error("compare: no CSV files given");
  if (a->wide && a->format != OB_FORMAT_TEXT)
    return ob_cli_usage_error("--wide applies to --format table only");
  for (size_t l = 0; l < a->nlabels; l++) {
    const char *v = a->labels[l], *eq = strrchr(v, '=');
    char file[4096];
    snprintf(file, sizeof file, "%.*s", (int)(eq - v), v);
    if (!label_file(a, file))
      return ob_cli_usage_error("--label %s: '%s' is not one of the files compared", v, file);
    for (size_t k = 0; k < l; k++)
      if (strncmp(a->labels[k], v, (size_t)(eq - v) + 1) == 0)
        return ob_cli_usage_error("--label: '%s' labelled twice", file);
  }
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

/* One file compare writes: which rendering, where, and its bytes once rendered. */
typedef struct output {
  char *path;
  int kind;               /* OB_COMPARE_CSV, _MD, _SVG */
  const char *workload;   /* SVG: the family drawn; NULL: the index */
  char *data;
  size_t len;
} output;

/* The files the outputs asked for: --out, --md, and for --svg FILE.svg the index FILE.svg and
 * one FILE-<workload>.svg per workload family (names relative to the index in rel). */
static ob_status plan_outputs(const ob_compare_args *a, const ob_compare *cmp, output *o,
                              size_t *n, char rel[][256]) {
  *n = 0;
  for (int k = 0; k < OB_COMPARE_NOUT; k++) {
    if (!a->out[k]) continue;
    o[*n] = (output){.path = strdup(a->out[k]), .kind = k};
    if (!o[(*n)++].path) return ob_fail(OB_ERR_NOMEM, "out of memory");
    if (k != OB_COMPARE_SVG) continue;
    const char *names[OB_SVG_MAX_FIGURES];
    const size_t nw = ob_svg_workloads(cmp, names, OB_SVG_MAX_FIGURES);
    const char *path = a->out[k], *slash = strrchr(path, '/');
    size_t stem = strlen(path);
    if (stem > 4 && strcmp(path + stem - 4, ".svg") == 0) stem -= 4;
    for (size_t w = 0; w < nw; w++) {
      char slug[128], full[4400];
      ob_slugify(slug, sizeof slug, names[w]);
      snprintf(full, sizeof full, "%.*s-%s.svg", (int)stem, path, slug);
      snprintf(rel[w], 256, "%s", slash ? full + (slash - path) + 1 : full);
      o[*n] = (output){.path = strdup(full), .kind = k, .workload = names[w]};
      if (!o[(*n)++].path) return ob_fail(OB_ERR_NOMEM, "out of memory");
    }
  }
  return OB_OK;
}

/* Renders one output into memory: nothing reaches the disk before every output rendered. */
static ob_status render(const ob_compare *cmp, output *o, const char *const *rel) {
  FILE *f = open_memstream(&o->data, &o->len);
  if (!f) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = o->kind == OB_COMPARE_CSV ? ob_compare_write(cmp, OB_FORMAT_CSV, 0, f)
                 : o->kind == OB_COMPARE_MD ? ob_compare_write(cmp, OB_FORMAT_MARKDOWN, 0, f)
                 : o->workload              ? ob_svg_write(cmp, o->workload, f)
                                            : ob_svg_write_index(cmp, rel, f);
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
  for (size_t l = 0; l < a->nlabels && rc == OB_EXIT_OK; l++) {
    const char *eq = strrchr(a->labels[l], '=');
    char file[4096];
    snprintf(file, sizeof file, "%.*s", (int)(eq - a->labels[l]), a->labels[l]);
    st = ob_compare_set_label(cmp, label_file(a, file), eq + 1);
    if (st != OB_OK) rc = report(input_exit(st), "--label: ");
  }
  if (rc == OB_EXIT_OK && a->baseline) {
    st = ob_compare_set_baseline(cmp, a->baseline);
    if (st != OB_OK) rc = report(input_exit(st), "--baseline ");
  }
  if (rc == OB_EXIT_OK) {
    st = ob_compare_join(cmp);
    if (st != OB_OK) rc = report(input_exit(st), "");
  }
  output outs[OB_COMPARE_NOUT + OB_SVG_MAX_FIGURES] = {{0}};
  static char rel[OB_SVG_MAX_FIGURES][256];
  const char *rels[OB_SVG_MAX_FIGURES];
  for (size_t w = 0; w < OB_SVG_MAX_FIGURES; w++) rels[w] = rel[w];
  size_t nout = 0;
  if (rc == OB_EXIT_OK && plan_outputs(a, cmp, outs, &nout, rel) != OB_OK)
    rc = report(OB_EXIT_FAILED, "");
  for (size_t k = 0; k < nout && rc == OB_EXIT_OK; k++)
    if (render(cmp, &outs[k], rels) != OB_OK) rc = report(OB_EXIT_FAILED, "");
  for (size_t k = 0; k < nout && rc == OB_EXIT_OK; k++) {
    st = ob_write_file_atomic(outs[k].path, outs[k].data, outs[k].len);
    if (st != OB_OK) rc = report(OB_EXIT_FAILED, "");
    else fprintf(stderr, "oclbench: wrote %s\n", outs[k].path);
  }
  if (rc == OB_EXIT_OK) {
    st = ob_compare_write(cmp, a->format, a->wide ? 0 : OB_TABLE_WIDTH, stdout);
    if (st != OB_OK) rc = report(OB_EXIT_FAILED, "stdout: ");
  }
  for (size_t k = 0; k < OB_COMPARE_NOUT + OB_SVG_MAX_FIGURES; k++) {
    free(outs[k].path);
    free(outs[k].data);
  }
  ob_compare_destroy(cmp);
  return rc;
}

int ob_cmd_compare(int argc, char **argv) {
  ob_compare_args a;
  memset(&a, 0, sizeof a);
  a.files = calloc((size_t)argc, sizeof *a.files);
  a.labels = calloc((size_t)argc, sizeof *a.labels);
  if (!a.files || !a.labels) {
    free(a.files);
    free(a.labels);
    fputs("oclbench: out of memory\n", stderr);
    return OB_EXIT_FAILED;
  }
  int rc = ob_compare_args_parse(argc, argv, &a);
  if (rc == OB_EXIT_OK) rc = compare_files(&a);
  free(a.files);
  free(a.labels);
  return rc;
}
