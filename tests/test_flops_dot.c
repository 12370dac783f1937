/* `oclbench flops MODEL --dot FILE.dot` (models/zoo/zoo_dot.h): exact node and edge counts per
 * model, residual adds with both inputs, Graphviz renders the file to an SVG that xmllint
 * accepts, bad paths exit 2. No OpenCL device needed; needs graphviz (dot) and libxml2-utils
 * (xmllint), both in the Makefile's DEB_PKGS. */
#include "support.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "zoo/zoo_dot.h"

typedef struct dot_counts {
  size_t nodes, edges, dashed, clusters;
  size_t in_degree[128]; /* per layer node n<i> */
  size_t input_out;      /* edges leaving the input node */
} dot_counts;

/* Counts node statements, edges (with the in-degree of every layer node) and clusters, line
 * by line: the writer puts one statement per line. */
static void count_dot(const char *text, dot_counts *c) {
  memset(c, 0, sizeof *c);
  regex_t node, edge;
  assert_int_equal(regcomp(&node, "^ *(input|n[0-9]+) \\[label=\"", REG_EXTENDED), 0);
  assert_int_equal(regcomp(&edge, "^ *(input|n[0-9]+) -> n([0-9]+)( \\[.*\\])?;$", REG_EXTENDED),
                   0);
  const char *p = text;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char line[512];
    assert_true(len < sizeof line);
    memcpy(line, p, len);
    line[len] = '\0';
    regmatch_t mt[4];
    if (regexec(&node, line, 0, NULL, 0) == 0) c->nodes++;
    if (regexec(&edge, line, 4, mt, 0) == 0) {
      c->edges++;
      const long to = strtol(line + mt[2].rm_so, NULL, 10);
      assert_true(to >= 0 && to < 128);
      c->in_degree[to]++;
      if (strncmp(line + mt[1].rm_so, "input", 5) == 0) c->input_out++;
      if (strstr(line, "style=dashed")) c->dashed++;
    }
    if (strstr(line, "subgraph \"cluster_")) c->clusters++;
    p += len + (nl ? 1 : 0);
  }
  regfree(&node);
  regfree(&edge);
}

static char *model_dot(const char *name, long batch, ob_model **keep) {
  ob_model *m = NULL;
  OB_ASSERT_OK(ob_model_create(name, 0, 0, 0, &m));
  char *text = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_model_dot(m, batch, &text, &len));
  assert_int_equal(strlen(text), len);
  if (keep) *keep = m;
  else ob_model_destroy(m);
  return text;
}

static void exact_counts(void **state) {
  (void)state;
  static const struct {
    const char *model;
    size_t nodes, edges, dashed, clusters;
  } want[] = {
      /* conv, relu, flatten, fc + input; a chain */
      {"simplecnn", 5, 4, 0, 0},
      /* fc0..fc9 + input */
      {"mlp", 11, 10, 0, 0},
      /* 69 layers + input; 69 edges + the second input of 8 residual adds; 8 blocks */
      {"resnet18", 70, 77, 8, 8},
  };
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    ob_model *m = NULL;
    char *text = model_dot(want[k].model, 1, &m);
    dot_counts c;
    count_dot(text, &c);
    if (c.nodes != want[k].nodes || c.edges != want[k].edges || c.dashed != want[k].dashed ||
        c.clusters != want[k].clusters)
      fail_msg("%s: %zu nodes, %zu edges, %zu dashed, %zu clusters", want[k].model, c.nodes,
               c.edges, c.dashed, c.clusters);
    assert_int_equal(c.nodes, ob_model_layer_count(m) + 1);
    assert_int_equal(c.input_out, 1);
    /* Every layer has as many incoming edges as inputs: adds two, the others one. */
    for (size_t i = 0; i < ob_model_layer_count(m); i++)
      assert_int_equal(c.in_degree[i], (size_t)ob_model_layer(m, i)->ninputs);
    free(text);
    ob_model_destroy(m);
  }
}

static void labels_carry_shape_params_macs(void **state) {
  (void)state;
  char *text = model_dot("resnet18", 2, NULL);
  /* layer1.0's add reads bn2 (n8) and the block input, maxpool (n3) */
  assert_non_null(strstr(text, "  n8 -> n9;\n"));
  assert_non_null(strstr(text, "  n3 -> n9 [style=dashed, label=\"shortcut\"];\n"));
  assert_non_null(strstr(text, "n4 [label=\"layer1.0.conv1\\nconv2d 3x3/1 pad 1\\n2x64x56x56\\n"
                               "params 36,864\\nMACs 231,211,008\""));
  assert_non_null(strstr(text, "\\nlinear 512->1000 +bias\\n2x1000\\nparams 513,000\\n"
                               "MACs 1,024,000\""));
  assert_non_null(strstr(text, "input [label=\"input\\n2x3x224x224\""));
  assert_non_null(strstr(text, "11,689,512 params"));
  free(text);
}

/* Runs a shell command; its exit status (-1 when it did not exit). */
static int sh(const char *cmd) {
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void graphviz_renders_valid_svg(void **state) {
  (void)state;
  if (sh("command -v dot >/dev/null && command -v xmllint >/dev/null") != 0)
    fail_msg("graphviz (dot) or libxml2-utils (xmllint) missing: `make deps` installs both");
  const char *dir = ob_test_tmpdir();
  for (size_t k = 0; ob_zoo_models[k]; k++) {
    char path[4200], cmd[9000];
    snprintf(path, sizeof path, "%s/%s.dot", dir, ob_zoo_models[k]);
    ob_model *m = NULL;
    OB_ASSERT_OK(ob_model_create(ob_zoo_models[k], 0, 0, 0, &m));
    OB_ASSERT_OK(ob_model_dot_write(m, 4, path));
    ob_model_destroy(m);
    snprintf(cmd, sizeof cmd, "dot -Tsvg '%s' -o '%s.svg' 2>&1 && xmllint --noout '%s.svg'",
             path, path, path);
    if (sh(cmd) != 0) fail_msg("%s: dot or xmllint failed", ob_zoo_models[k]);
    snprintf(cmd, sizeof cmd, "%s.svg", path);
    char *svg = NULL;
    size_t len = 0;
    OB_ASSERT_OK(ob_read_file(cmd, &svg, &len));
    assert_non_null(strstr(svg, "<svg"));
    if (strcmp(ob_zoo_models[k], "resnet18") == 0) {
      assert_non_null(strstr(svg, "layer4.1.add"));
      assert_non_null(strstr(svg, "shortcut"));
    }
    free(svg);
  }
}

static void cli_dot(void **state) {
  (void)state;
  char dir[4096], path[4200], args[4400], err[1024];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir()); /* static storage: reused by ob_test_cli */
  snprintf(path, sizeof path, "%s/mlp.dot", dir);
  snprintf(args, sizeof args, "flops mlp --batch 3 --dot %s", path);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  char *file = NULL, *want = model_dot("mlp", 3, NULL);
  size_t len = 0;
  OB_ASSERT_OK(ob_read_file(path, &file, &len));
  assert_string_equal(file, want);
  free(file);
  free(want);
  /* Bad paths: one line, exit 2, nothing written. */
  char missing[4300], isdir[4300], empty[64];
  snprintf(missing, sizeof missing, "flops mlp --dot %s/no-such-dir/x.dot", dir);
  snprintf(isdir, sizeof isdir, "flops mlp --dot %s", dir);
  snprintf(empty, sizeof empty, "flops mlp --dot ''");
  const char *bad[] = {missing, isdir, empty, "flops mlp --dot"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int rc = ob_test_cli(bad[i], err, sizeof err);
    if (rc != 2) fail_msg("'%s' exited %d, not 2", bad[i], rc);
    char *nl = strchr(err, '\n');
    assert_non_null(nl);
    assert_true(nl[1] == '\0');
    assert_non_null(strstr(err, "--dot"));
  }
  struct stat st;
  snprintf(path, sizeof path, "%s/no-such-dir", dir);
  assert_int_not_equal(stat(path, &st), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(exact_counts),
      cmocka_unit_test(labels_carry_shape_params_macs),
      cmocka_unit_test(graphviz_renders_valid_svg),
      cmocka_unit_test(cli_dot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
