/* `oclbench flops MODEL [--batch N] [--input CxHxW] [--csv FILE] [--dot FILE.dot]`:
 * parameters, MACs, FLOPs and activations of a zoo model, per layer and in total, as calflops
 * counts them; the model's size at fp32, fp16 and int8 (parameters x 4, 2, 1 bytes); its
 * layer graph as Graphviz DOT. No OpenCL device is needed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "zoo/zoo.h"
#include "zoo/zoo_dot.h"

#define MAX_BATCH 1000000L

/* Parses "CxHxW": three integers in [1, 65536]. */
/* CxHxW, or N alone: a vector of N features (Nx1x1). */
static bool parse_input(const char *s, int *c, int *h, int *w) {
  int64_t v[3] = {1, 1, 1};
  char part[24];
  const int parts = strchr(s, 'x') ? 3 : 1;
  for (int i = 0; i < parts; i++) {
    const char *end = i < parts - 1 ? strchr(s, 'x') : s + strlen(s);
    if (!end || (size_t)(end - s) >= sizeof part) return false;
    snprintf(part, sizeof part, "%.*s", (int)(end - s), s);
    if (ob_parse_int(part, 1, 65536, &v[i]) != OB_INT_OK) return false;
    s = end + (i < parts - 1);
  }
  *c = (int)v[0], *h = (int)v[1], *w = (int)v[2];
  return true;
}

int ob_flops_args_parse(int argc, char **argv, ob_flops_args *a) {
  memset(a, 0, sizeof *a);
  a->batch = 1;
  ob_cli_flags seen = {.n = 0};
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const bool flag = arg[0] == '-';
    if (flag && (strcmp(arg, "--batch") == 0 || strcmp(arg, "--input") == 0 ||
                 strcmp(arg, "--csv") == 0 || strcmp(arg, "--dot") == 0) &&
        !ob_cli_once(&seen, arg))
      return OB_EXIT_USAGE;
    if (strcmp(arg, "--batch") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v || !ob_cli_long("--batch", v, 1, MAX_BATCH, &a->batch)) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--input") == 0) {
      const char *v = ob_cli_value(argc, argv, &i);
      if (!v) return OB_EXIT_USAGE;
      if (!parse_input(v, &a->c, &a->h, &a->w))
        return ob_cli_usage_error("--input '%s': expected CxHxW or N (N features) with each in "
                                  "[1, 65536], e.g. 3x224x224 or 1024", v);
    } else if (strcmp(arg, "--csv") == 0) {
      a->csv = ob_cli_value(argc, argv, &i);
      if (!a->csv || !ob_cli_output_path("--csv", a->csv)) return OB_EXIT_USAGE;
    } else if (strcmp(arg, "--dot") == 0) {
      a->dot = ob_cli_value(argc, argv, &i);
      if (!a->dot || !ob_cli_output_path("--dot", a->dot)) return OB_EXIT_USAGE;
    } else if (flag) {
      return ob_cli_usage_error("flops: unknown option '%s'", arg);
    } else if (a->model) {
      return ob_cli_usage_error("flops: one model only ('%s' and '%s')", a->model, arg);
    } else {
      a->model = arg;
    }
  }
  if (!a->model)
    return ob_cli_usage_error("flops: which model? (simplecnn, mlp, resnet18)");
  return OB_EXIT_OK;
}

/* 1234567 -> "1,234,567" (locale-independent). */
static const char *grouped(int64_t v, char *buf, size_t n) {
  char digits[32];
  snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? -v : v);
  size_t len = strlen(digits), o = 0;
  if (v < 0 && o + 1 < n) buf[o++] = '-';
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

/* 3.64e9 -> "3.64 G" (calflops' style). */
static const char *human(double v, char *buf, size_t n) {
  const char *units[] = {" ", " K", " M", " G", " T", " P"};
  int u = 0;
  while (v >= 1000.0 && u < 5) {
    v /= 1000.0;
    u++;
  }
  snprintf(buf, n, u ? "%.2f%s" : "%.0f%s", v, units[u]);
  return buf;
}

/* One table row as text fields (shared by stdout and the CSV). */
/* Storage precisions of the model-size table: bytes per parameter. */
static const struct precision {
  const char *name;
  int bytes;
} precisions[] = {{"fp32", 4}, {"fp16", 2}, {"int8", 1}};
#define NPRECISIONS (sizeof precisions / sizeof *precisions)

typedef struct row_text {
  char index[16], inputs[32], shape[64], params[32], macs[32], flops[32], train[32], act[32];
  char size[NPRECISIONS][32]; /* parameter bytes at each precision */
} row_text;

static void size_text(int64_t params, row_text *t) {
  for (size_t p = 0; p < NPRECISIONS; p++)
    snprintf(t->size[p], sizeof t->size[p], "%" PRId64, params * precisions[p].bytes);
}

static void layer_text(const ob_model *m, size_t i, long batch, row_text *t) {
  const ob_layer *l = ob_model_layer(m, i);
  snprintf(t->index, sizeof t->index, "%zu", i);
  t->inputs[0] = '\0';
  for (int k = 0; k < l->ninputs; k++) {
    char one[16];
    if (l->input[k] == OB_LAYER_FROM_INPUT) snprintf(one, sizeof one, "input");
    else snprintf(one, sizeof one, "%d", l->input[k]);
    snprintf(t->inputs + strlen(t->inputs), sizeof t->inputs - strlen(t->inputs), "%s%s",
             k ? "+" : "", one);
  }
  if (l->h == 1 && l->w == 1 && (l->kind == OB_LAYER_LINEAR || l->kind == OB_LAYER_FLATTEN))
    snprintf(t->shape, sizeof t->shape, "%ldx%d", batch, l->c);
  else
    snprintf(t->shape, sizeof t->shape, "%ldx%dx%dx%d", batch, l->c, l->h, l->w);
  snprintf(t->params, sizeof t->params, "%" PRId64, l->params);
  snprintf(t->macs, sizeof t->macs, "%" PRId64, l->macs * batch);
  snprintf(t->flops, sizeof t->flops, "%" PRId64, l->flops * batch);
  snprintf(t->train, sizeof t->train, "%" PRId64, ob_layer_flops_train(l) * batch);
  snprintf(t->act, sizeof t->act, "%" PRId64, ob_layer_out_elems(l) * batch * 4);
  size_text(l->params, t);
}

static const char *const csv_header[] = {"model", "batch", "index", "layer", "type", "inputs",
                                         "output_shape", "params", "macs", "flops_forward",
                                         "flops_forward_backward", "activation_bytes",
                                         "param_bytes_fp32", "param_bytes_fp16",
                                         "param_bytes_int8"};
#define CSV_NCOLS (sizeof csv_header / sizeof *csv_header)

static int write_csv(const ob_model *m, long batch, const char *path) {
  ob_csv_writer *wr = NULL;
  if (ob_csv_writer_create_path(path, csv_header, CSV_NCOLS, &wr) != OB_OK)
    return ob_cli_usage_error("--csv %s: %s", path, ob_error_detail());
  char bstr[24];
  snprintf(bstr, sizeof bstr, "%ld", batch);
  ob_status st = OB_OK;
  for (size_t i = 0; i < ob_model_layer_count(m) && st == OB_OK; i++) {
    const ob_layer *l = ob_model_layer(m, i);
    row_text t;
    layer_text(m, i, batch, &t);
    const char *f[CSV_NCOLS] = {ob_model_name(m), bstr,      t.index,   l->name,
                                ob_layer_kind_name(l->kind), t.inputs, t.shape, t.params,
                                t.macs,           t.flops,   t.train,   t.act,
                                t.size[0],        t.size[1], t.size[2]};
    st = ob_csv_writer_add_fields(wr, f, CSV_NCOLS);
  }
  if (st == OB_OK) {
    ob_model_totals tot;
    ob_model_totals_get(m, &tot);
    char p[32], mac[32], fl[32], tr[32], act[32];
    row_text t;
    size_text(tot.params, &t);
    snprintf(p, sizeof p, "%" PRId64, tot.params);
    snprintf(mac, sizeof mac, "%" PRId64, tot.macs * batch);
    snprintf(fl, sizeof fl, "%" PRId64, tot.flops * batch);
    snprintf(tr, sizeof tr, "%" PRId64, tot.flops * (1 + OB_ZOO_BACKWARD_FACTOR) * batch);
    snprintf(act, sizeof act, "%" PRId64, tot.activation_elems * batch * 4);
    const char *f[CSV_NCOLS] = {ob_model_name(m), bstr, "", "total", "", "", "", p, mac, fl, tr,
                                act, t.size[0], t.size[1], t.size[2]};
    st = ob_csv_writer_add_fields(wr, f, CSV_NCOLS);
  }
  if (st == OB_OK) st = ob_csv_writer_commit(wr);
  else ob_csv_writer_destroy(wr);
  if (st != OB_OK) return ob_cli_usage_error("--csv %s: %s", path, ob_error_detail());
  fprintf(stderr, "oclbench: wrote %s\n", path);
  return OB_EXIT_OK;
}

/* One aligned line of the stdout table. */
static void print_row(FILE *out, const char *const f[10]) {
  fprintf(out, "%4s  %-22s %-9s %-7s %-16s %12s %15s %15s %16s %14s\n", f[0], f[1], f[2], f[3],
          f[4], f[5], f[6], f[7], f[8], f[9]);
}

static void print_table(const ob_model *m, long batch, FILE *out) {
  int c, h, w;
  ob_model_input(m, &c, &h, &w);
  fprintf(out, "%s: input %dx%dx%d, batch %ld (counted as calflops counts; backward = 2x "
          "forward)\n\n", ob_model_name(m), c, h, w, batch);
  const char *head[10] = {"#",      "layer", "type",  "inputs",        "output",
                          "params", "MACs",  "FLOPs", "FLOPs fwd+bwd", "act. bytes"};
  print_row(out, head);
  char g[5][40];
  for (size_t i = 0; i < ob_model_layer_count(m); i++) {
    const ob_layer *l = ob_model_layer(m, i);
    row_text t;
    layer_text(m, i, batch, &t);
    const char *f[10] = {t.index,
                         l->name,
                         ob_layer_kind_name(l->kind),
                         t.inputs,
                         t.shape,
                         grouped(l->params, g[0], 40),
                         grouped(l->macs * batch, g[1], 40),
                         grouped(l->flops * batch, g[2], 40),
                         grouped(ob_layer_flops_train(l) * batch, g[3], 40),
                         grouped(ob_layer_out_elems(l) * batch * 4, g[4], 40)};
    print_row(out, f);
  }
  ob_model_totals tot;
  ob_model_totals_get(m, &tot);
  const int64_t train = tot.flops * (1 + OB_ZOO_BACKWARD_FACTOR) * batch;
  const char *f[10] = {"",
                       "total",
                       "",
                       "",
                       "",
                       grouped(tot.params, g[0], 40),
                       grouped(tot.macs * batch, g[1], 40),
                       grouped(tot.flops * batch, g[2], 40),
                       grouped(train, g[3], 40),
                       grouped(tot.activation_elems * batch * 4, g[4], 40)};
  print_row(out, f);
  char hp[24], hm[24], hf[24], hmi[24], hi[24], ht[24], ha[24];
  fprintf(out, "\ntotal (batch %lld): %s params, %sMACs, %sFLOPs forward (%sMACs, %sFLOPs per "
          "image), %sFLOPs forward+backward, %sB of fp32 activations\n", (long long)batch,
          human((double)tot.params, hp, 24), human((double)tot.macs * batch, hm, 24),
          human((double)tot.flops * batch, hf, 24), human((double)tot.macs, hmi, 24),
          human((double)tot.flops, hi, 24), human((double)train, ht, 24),
          human((double)tot.activation_elems * batch * 4, ha, 24));
  fprintf(out, "\nmodel size (parameters only; 1 MB = 10^6 bytes, 1 MiB = 2^20 bytes):\n");
  for (size_t p = 0; p < NPRECISIONS; p++) {
    const int64_t bytes = tot.params * precisions[p].bytes;
    fprintf(out, "  %-5s %d B/param %16s bytes %10.2f MB %10.2f MiB\n", precisions[p].name,
            precisions[p].bytes, grouped(bytes, g[0], 40), (double)bytes / 1e6,
            (double)bytes / (1 << 20));
  }
}

int ob_cmd_flops(int argc, char **argv) {
  ob_flops_args a;
  int rc = ob_flops_args_parse(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ob_model *m = NULL;
  if (ob_model_create(a.model, a.c, a.h, a.w, &m) != OB_OK)
    return ob_cli_usage_error("flops: %s", ob_error_detail());
  if (ob_model_check_batch(m, a.batch) != OB_OK) {
    ob_model_destroy(m);
    return ob_cli_usage_error("flops: --batch %ld: %s", a.batch, ob_error_detail());
  }
  print_table(m, a.batch, stdout);
  rc = a.csv ? write_csv(m, a.batch, a.csv) : OB_EXIT_OK;
  if (rc == OB_EXIT_OK && a.dot) {
    if (ob_model_dot_write(m, a.batch, a.dot) == OB_OK)
      fprintf(stderr, "oclbench: wrote %s\n", a.dot);
    else
      rc = ob_cli_usage_error("--dot %s: %s", a.dot, ob_error_detail());
  }
  ob_model_destroy(m);
  return rc;
}
