/* Graphviz DOT of a zoo model's layer graph (see zoo_dot.h). */
#include "zoo_dot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* 1234567 -> "1,234,567" (v >= 0). */
static void grouped(int64_t v, char *buf, size_t n) {
  char digits[32];
  snprintf(digits, sizeof digits, "%" PRId64, v);
  const size_t len = strlen(digits);
  size_t o = 0;
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
}

/* A DOT double-quoted string body: quotes and backslashes escaped. */
static void put_escaped(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
}

/* The layer's operation: kind with its window or features ("conv2d 7x7/2 pad 3"). */
static void operation(const ob_layer *l, char *buf, size_t n) {
  const char *kind = ob_layer_kind_name(l->kind);
  switch (l->kind) {
  case OB_LAYER_CONV2D:
  case OB_LAYER_MAXPOOL:
    snprintf(buf, n, "%s %dx%d/%d pad %d%s", kind, l->kernel, l->kernel, l->stride, l->pad,
             l->bias ? " +bias" : "");
    break;
  case OB_LAYER_LINEAR:
    snprintf(buf, n, "%s %d->%d%s", kind, l->kernel, l->out_channels, l->bias ? " +bias" : "");
    break;
  default:
    snprintf(buf, n, "%s", kind);
  }
}

/* Output shape for the batch: "2x64x56x56", or "2x1000" for feature vectors. */
static void shape(long batch, int c, int h, int w, bool features, char *buf, size_t n) {
  if (features) snprintf(buf, n, "%ldx%d", batch, c);
  else snprintf(buf, n, "%ldx%dx%dx%d", batch, c, h, w);
}

static const char *fill_colour(ob_layer_kind kind) {
  switch (kind) {
  case OB_LAYER_CONV2D: return "#cfe2f3";
  case OB_LAYER_LINEAR: return "#fff2cc";
  case OB_LAYER_BATCHNORM: return "#d9ead3";
  case OB_LAYER_ADD: return "#f4cccc";
  default: return "#eeeeee";
  }
}

/* The cluster of a layer: "layer1.0" for "layer1.0.conv1" (the first two dot-separated parts
 * of a name with at least three); empty for top-level layers. */
static void cluster_key(const char *name, char *buf, size_t n) {
  buf[0] = '\0';
  const char *d1 = strchr(name, '.');
  const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
  if (d2 && (size_t)(d2 - name) < n) snprintf(buf, n, "%.*s", (int)(d2 - name), name);
}

static void put_node(FILE *f, const ob_model *m, size_t i, long batch, const char *indent) {
  const ob_layer *l = ob_model_layer(m, i);
  char op[64], shp[64], params[32], macs[32];
  operation(l, op, sizeof op);
  const bool features = l->h == 1 && l->w == 1 &&
                        (l->kind == OB_LAYER_LINEAR || l->kind == OB_LAYER_FLATTEN);
  shape(batch, l->c, l->h, l->w, features, shp, sizeof shp);
  grouped(l->params, params, sizeof params);
  grouped(l->macs * batch, macs, sizeof macs);
  fprintf(f, "%sn%zu [label=\"", indent, i);
  put_escaped(f, l->name);
  fprintf(f, "\\n");
  put_escaped(f, op);
  fprintf(f, "\\n%s\\nparams %s\\nMACs %s\", fillcolor=\"%s\"];\n", shp, params, macs,
          fill_colour(l->kind));
}

static void put_graph(FILE *f, const ob_model *m, long batch) {
  int c, h, w;
  ob_model_input(m, &c, &h, &w);
  ob_model_totals t;
  ob_model_totals_get(m, &t);
  char params[32], macs[32], in[64];
  grouped(t.params, params, sizeof params);
  grouped(t.macs * batch, macs, sizeof macs);
  shape(batch, c, h, w, false, in, sizeof in);
  fprintf(f, "digraph \"");
  put_escaped(f, ob_model_name(m));
  fprintf(f, "\" {\n  graph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", label=\"");
  put_escaped(f, ob_model_name(m));
  fprintf(f, ": input %s, %s params, %s MACs\"];\n", in, params, macs);
  fprintf(f, "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
             "fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
  fprintf(f, "  input [label=\"input\\n%s\", shape=oval, fillcolor=\"#ffffff\"];\n", in);
  /* Nodes, a cluster around each run of layers of one block. */
  char open[40] = "";
  for (size_t i = 0; i < ob_model_layer_count(m); i++) {
    char key[40];
    cluster_key(ob_model_layer(m, i)->name, key, sizeof key);
    if (strcmp(key, open) != 0) {
      if (open[0]) fprintf(f, "  }\n");
      if (key[0]) {
        fprintf(f, "  subgraph \"cluster_");
        put_escaped(f, key);
        fprintf(f, "\" {\n    label=\"");
        put_escaped(f, key);
        fprintf(f, "\"; style=dashed; color=\"#999999\";\n");
      }
      snprintf(open, sizeof open, "%s", key);
    }
    put_node(f, m, i, batch, open[0] ? "    " : "  ");
  }
  if (open[0]) fprintf(f, "  }\n");
  /* Data flow: producer -> consumer; the second input of an add is its shortcut. */
  for (size_t i = 0; i < ob_model_layer_count(m); i++) {
    const ob_layer *l = ob_model_layer(m, i);
    for (int k = 0; k < l->ninputs; k++) {
      if (l->input[k] == OB_LAYER_FROM_INPUT) fprintf(f, "  input -> n%zu", i);
      else fprintf(f, "  n%d -> n%zu", l->input[k], i);
      fprintf(f, "%s;\n", k == 1 ? " [style=dashed, label=\"shortcut\"]" : "");
    }
  }
  fprintf(f, "}\n");
}

ob_status ob_model_dot(const ob_model *m, long batch, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (batch < 1) return ob_fail(OB_ERR_INVALID, "dot: batch %ld is not positive", batch);
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  if (!f) return ob_fail(OB_ERR_NOMEM, "dot: out of memory");
  put_graph(f, m, batch);
  const bool failed = ferror(f) != 0;
  if (fclose(f) != 0 || failed) {
    free(text);
    return ob_fail(OB_ERR_NOMEM, "dot: out of memory");
  }
  *out = text;
  *len = size;
  return OB_OK;
}

ob_status ob_model_dot_write(const ob_model *m, long batch, const char *path) {
  char *text = NULL;
  size_t len = 0;
  OB_TRY(ob_model_dot(m, batch, &text, &len));
  ob_status st = ob_write_file_atomic(path, text, len);
  free(text);
  return st;
}
