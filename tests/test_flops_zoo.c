/* Model zoo counting (models/zoo/zoo.h) against the issue's exact numbers and, per module, against
 * calflops (tests/data/calflops_zoo.csv from tools/zoo_flops_reference.py); the graph; the
 * `oclbench flops` command. No OpenCL device needed. */
#include "support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoo/zoo.h"

static ob_model *make(const char *name, int c, int h, int w) {
  ob_model *m = NULL;
  OB_ASSERT_OK(ob_model_create(name, c, h, w, &m));
  return m;
}

static const ob_layer *find(const ob_model *m, const char *name) {
  for (size_t i = 0; i < ob_model_layer_count(m); i++)
    if (strcmp(ob_model_layer(m, i)->name, name) == 0) return ob_model_layer(m, i);
  fail_msg("no layer %s", name);
  return NULL;
}

static void issue_numbers(void **state) {
  (void)state;
  ob_model_totals t;
  ob_model *m = make("simplecnn", 0, 0, 0);
  ob_model_totals_get(m, &t);
  assert_int_equal(t.params, 4014986);
  assert_int_equal(find(m, "conv")->macs, 10838016);
  assert_int_equal(find(m, "fc")->macs, 4014080);
  assert_int_equal(t.flops, 30507008); /* about 0.030 GFLOPs per image */
  assert_int_equal(find(m, "conv")->c, 32);
  assert_int_equal(find(m, "conv")->h, 112);
  ob_model_destroy(m);

  m = make("mlp", 0, 0, 0);
  ob_model_totals_get(m, &t);
  assert_int_equal(t.params, 10485760);
  assert_int_equal(t.macs, 10485760);
  assert_int_equal(ob_model_layer_count(m), 10);
  ob_model_destroy(m);

  m = make("resnet18", 0, 0, 0);
  ob_model_totals_get(m, &t);
  assert_int_equal(t.params, 11689512);
  assert_int_equal(t.macs, 1814073344);  /* about 1.81 GMACs */
  assert_int_equal(t.flops, 3636250112); /* about 3.64 GFLOPs */
  const ob_layer *fc = find(m, "fc");
  assert_int_equal(fc->c, 1000);
  assert_int_equal(ob_layer_flops_train(fc), 3 * fc->flops);
  const ob_layer *l4 = find(m, "layer4.1.conv2");
  assert_true(l4->c == 512 && l4->h == 7 && l4->w == 7);
  ob_model_destroy(m);
}

/* Sums of our layers named `module` (a module called twice is two layers). */
static void module_sums(const ob_model *m, const char *module, int64_t *params, int64_t *macs,
                        int64_t *flops, int *count) {
  *params = *macs = *flops = 0;
  *count = 0;
  for (size_t i = 0; i < ob_model_layer_count(m); i++) {
    const ob_layer *l = ob_model_layer(m, i);
    if (strcmp(l->name, module) != 0) continue;
    *params += l->params;
    *macs += l->macs;
    *flops += l->flops;
    (*count)++;
  }
}

typedef struct calflops_cmp {
  ob_model *models[3];
  size_t rows, modules_seen[3];
} calflops_cmp;

static ob_status compare_row(void *user, size_t line, char **f, size_t n) {
  calflops_cmp *c = user;
  if (line == 1) return OB_OK; /* header */
  assert_int_equal(n, 6);
  int k = 0;
  while (k < 3 && strcmp(ob_zoo_models[k], f[0]) != 0) k++;
  assert_true(k < 3);
  const ob_model *m = c->models[k];
  const int64_t params = strtoll(f[3], NULL, 10), macs = strtoll(f[4], NULL, 10),
                flops = strtoll(f[5], NULL, 10);
  int64_t p, mc, fl;
  int count;
  if (strcmp(f[1], "TOTAL") == 0) {
    ob_model_totals t;
    ob_model_totals_get(m, &t);
    p = t.params, mc = t.macs, fl = t.flops;
  } else {
    module_sums(m, f[1], &p, &mc, &fl, &count);
    if (count == 0) fail_msg("line %zu: no layer %s in %s", line, f[1], f[0]);
    c->modules_seen[k] += (size_t)count;
  }
  if (p != params || mc != macs || fl != flops)
    fail_msg("line %zu: %s %s: ours %" PRId64 "/%" PRId64 "/%" PRId64 ", calflops %" PRId64
             "/%" PRId64 "/%" PRId64 " (params/MACs/FLOPs)", line, f[0], f[1], p, mc, fl,
             params, macs, flops);
  c->rows++;
  return OB_OK;
}

static void matches_calflops_per_module(void **state) {
  (void)state;
  calflops_cmp c;
  memset(&c, 0, sizeof c);
  for (int k = 0; k < 3; k++) c.models[k] = make(ob_zoo_models[k], 0, 0, 0);
  const char *src = getenv("OB_SOURCE_DIR");
  char path[4200];
  snprintf(path, sizeof path, "%s/tests/data/calflops_zoo.csv", src && *src ? src : ".");
  OB_ASSERT_OK(ob_csv_read(path, compare_row, &c));
  assert_int_equal(c.rows, 4 + 10 + 52 + 3); /* modules and totals of the three models */
  for (int k = 0; k < 3; k++) {
    /* Every layer is a calflops module except the residual adds and resnet's flatten (torch
     * functions, not modules); they count nothing. */
    size_t functions = 0;
    for (size_t i = 0; i < ob_model_layer_count(c.models[k]); i++) {
      const ob_layer *l = ob_model_layer(c.models[k], i);
      if (l->kind != OB_LAYER_ADD && !(k == 2 && l->kind == OB_LAYER_FLATTEN)) continue;
      functions++;
      assert_true(l->flops == 0 && l->params == 0 && l->macs == 0);
    }
    assert_int_equal(c.modules_seen[k] + functions, ob_model_layer_count(c.models[k]));
    ob_model_destroy(c.models[k]);
  }
}

static void graph_is_well_formed(void **state) {
  (void)state;
  ob_model *m = make("resnet18", 0, 0, 0);
  size_t adds = 0, downsamples = 0;
  for (size_t i = 0; i < ob_model_layer_count(m); i++) {
    const ob_layer *l = ob_model_layer(m, i);
    assert_int_equal(l->ninputs, l->kind == OB_LAYER_ADD ? 2 : 1);
    for (int k = 0; k < l->ninputs; k++)
      assert_true(l->input[k] == OB_LAYER_FROM_INPUT || (l->input[k] >= 0 && (size_t)l->input[k] < i));
    if (l->kind == OB_LAYER_ADD) {
      adds++;
      const ob_layer *a = ob_model_layer(m, (size_t)l->input[0]);
      const ob_layer *b = ob_model_layer(m, (size_t)l->input[1]);
      assert_true(a->c == b->c && a->h == b->h && a->w == b->w);
    }
    if (strstr(l->name, "downsample.0")) downsamples++;
  }
  assert_int_equal(adds, 8);
  assert_int_equal(downsamples, 3);
  assert_int_equal(ob_model_layer(m, 0)->input[0], OB_LAYER_FROM_INPUT);
  assert_null(ob_model_layer(m, ob_model_layer_count(m)));
  assert_string_equal(ob_layer_kind_name(OB_LAYER_BATCHNORM), "batchnorm");
  assert_string_equal(ob_layer_kind_name(OB_LAYER_LINEAR), "linear");
  ob_model_destroy(m);
  ob_model_destroy(NULL);
}

static void other_inputs(void **state) {
  (void)state;
  /* ResNet-18 takes any input (padding keeps every map at least 1x1). */
  ob_model *m = make("resnet18", 3, 32, 32);
  assert_int_equal(find(m, "layer4.1.conv2")->h, 1);
  ob_model_destroy(m);
  m = make("resnet18", 3, 1, 1);
  ob_model_totals t;
  ob_model_totals_get(m, &t);
  assert_int_equal(t.params, 11689512);
  ob_model_destroy(m);
  /* 223x223 still gives SimpleCNN's 112x112 feature map. */
  m = make("simplecnn", 3, 223, 223);
  ob_model_destroy(m);
  ob_model *bad = NULL;
  assert_int_equal(ob_model_create("simplecnn", 3, 32, 32, &bad), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "fc"));
  assert_int_equal(ob_model_create("mlp", 512, 1, 1, &bad), OB_ERR_INVALID);
  assert_int_equal(ob_model_create("resnet18", 4, 224, 224, &m), OB_OK); /* conv1 adapts */
  ob_model_destroy(m);
  assert_int_equal(ob_model_create("resnet18", 3, 70000, 224, &bad), OB_ERR_INVALID);
  assert_int_equal(ob_model_create("vgg16", 0, 0, 0, &bad), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "resnet18"));
  assert_null(bad);
}

/* Counts are overflow-checked: per image when the model is built (a flattened map beyond int
 * features, a sum beyond 64 bits), per batch by ob_model_check_batch; never wrapped. */
static void counts_that_do_not_fit_are_refused(void **state) {
  (void)state;
  ob_model *m = NULL;
  assert_int_equal(ob_model_create("simplecnn", 3, 65536, 65536, &m), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "flatten would give 34359738368 features, more "
                                            "than the 2147483647 supported"));
  assert_null(m);
  m = make("resnet18", 65536, 65536, 65536);
  assert_int_equal(ob_model_check_batch(m, 1000000), OB_ERR_INVALID);
  assert_non_null(strstr(ob_error_detail(), "more than the 64-bit count limit 9223372036854775807"));
  OB_ASSERT_OK(ob_model_check_batch(m, 1));
  ob_model_destroy(m);
  m = make("resnet18", 0, 0, 0);
  OB_ASSERT_OK(ob_model_check_batch(m, 1000000));
  assert_int_equal(ob_model_check_batch(m, 0), OB_ERR_INVALID);
  ob_model_destroy(m);
}

static void cli_flops(void **state) {
  (void)state;
  char err[1024];
  assert_int_equal(ob_test_cli("flops resnet18", err, sizeof err), 0);
  assert_int_equal(ob_test_cli("flops mlp --batch 128 --input 1024x1x1", err, sizeof err), 0);
  /* a vector input: N alone, or along W (PyTorch's last dimension), as the README shows */
  int rc = 0;
  const char *vectors[] = {"flops mlp --input 1024", "flops mlp --input 1x1x1024"};
  for (size_t i = 0; i < 2; i++) {
    char *out = ob_test_cli_stdout(vectors[i], &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "total (batch 1): 10.49 M params, 10.49 MMACs"));
    free(out);
  }
  char *out = ob_test_cli_stdout("flops resnet18 --batch 32", &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(out, "58.05 GMACs, 116.36 GFLOPs forward (1.81 GMACs, 3.64 GFLOPs per image)"));
  free(out);
  const char *bad[] = {"flops",
                       "flops vgg16",
                       "flops resnet18 --batch 0",
                       "flops resnet18 --batch x",
                       "flops resnet18 --batch",
                       "flops resnet18 --input 3x224",
                       "flops resnet18 --input 3x224x224x1",
                       "flops resnet18 --input 0x224x224",
                       "flops resnet18 --input 3x70000x8",
                       "flops mlp --input 3x224x224",
                       "flops mlp --input 512x1x2",
                       "flops mlp --input 2x512",
                       "flops simplecnn --input 3x32x32",
                       "flops resnet18 mlp",
                       "flops resnet18 --frobnicate",
                       "flops resnet18 --csv /nonexistent-dir/x.csv"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    rc = ob_test_cli(bad[i], err, sizeof err);
    if (rc != 2) fail_msg("'%s' exited %d, not 2", bad[i], rc);
    /* one line naming the problem */
    char *nl = strchr(err, '\n');
    assert_non_null(nl);
    assert_true(nl[1] == '\0');
  }
  /* --csv writes the same table: one row per layer and a total. */
  char path[4200], args[4400];
  snprintf(path, sizeof path, "%s/resnet18.csv", ob_test_tmpdir());
  snprintf(args, sizeof args, "flops resnet18 --batch 2 --csv %s", path);
  assert_int_equal(ob_test_cli(args, err, sizeof err), 0);
  char *text = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_read_file(path, &text, &len));
  assert_non_null(strstr(text, "model,batch,index,layer,type,inputs,output_shape,params,macs,"
                               "flops_forward,flops_forward_backward,activation_bytes,"
                               "param_bytes_fp32,param_bytes_fp16,param_bytes_int8\r\n"));
  /* the total row ends with the model size at fp32, fp16, int8: params x 4, 2, 1 bytes */
  assert_non_null(strstr(text, "resnet18,2,,total,,,,11689512,3628146688,7272500224,"
                               "21817500672,65847104,46758048,23379024,11689512\r\n"));
  assert_non_null(strstr(text, "resnet18,2,9,layer1.0.add,add,8+3,2x64x56x56,0,0,0,0,1605632,"
                               "0,0,0\r\n"));
  assert_non_null(strstr(text, "resnet18,2,68,fc,linear,67,2x1000,513000,1024000,2048000,"
                               "6144000,8000,2052000,1026000,513000\r\n"));
  free(text);
}

static void model_size_table(void **state) {
  (void)state;
  /* params x 4, 2, 1 bytes; MB = 10^6 bytes, MiB = 2^20 bytes, two decimals */
  static const struct {
    const char *model;
    const char *lines[3];
  } want[] = {
      {"simplecnn",
       {"  fp32  4 B/param       16,059,944 bytes      16.06 MB      15.32 MiB\n",
        "  fp16  2 B/param        8,029,972 bytes       8.03 MB       7.66 MiB\n",
        "  int8  1 B/param        4,014,986 bytes       4.01 MB       3.83 MiB\n"}},
      {"mlp",
       {"  fp32  4 B/param       41,943,040 bytes      41.94 MB      40.00 MiB\n",
        "  fp16  2 B/param       20,971,520 bytes      20.97 MB      20.00 MiB\n",
        "  int8  1 B/param       10,485,760 bytes      10.49 MB      10.00 MiB\n"}},
      {"resnet18 --batch 8",
       {"  fp32  4 B/param       46,758,048 bytes      46.76 MB      44.59 MiB\n",
        "  fp16  2 B/param       23,379,024 bytes      23.38 MB      22.30 MiB\n",
        "  int8  1 B/param       11,689,512 bytes      11.69 MB      11.15 MiB\n"}},
  };
  for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
    char args[64];
    snprintf(args, sizeof args, "flops %s", want[k].model);
    int rc = -1;
    char *out = ob_test_cli_stdout(args, &rc);
    assert_int_equal(rc, 0);
    const char *table = strstr(out, "\nmodel size (parameters only; 1 MB = 10^6 bytes, "
                                    "1 MiB = 2^20 bytes):\n");
    if (!table) fail_msg("%s: no model size table in:\n%s", want[k].model, out);
    const char *p = table;
    for (int i = 0; i < 3; i++) {
      const char *line = strstr(p, want[k].lines[i]);
      if (!line) fail_msg("%s: no line '%s'", want[k].model, want[k].lines[i]);
      p = line + 1;
    }
    free(out);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(issue_numbers),        cmocka_unit_test(matches_calflops_per_module),
      cmocka_unit_test(graph_is_well_formed), cmocka_unit_test(other_inputs),
      cmocka_unit_test(counts_that_do_not_fit_are_refused),
      cmocka_unit_test(cli_flops),            cmocka_unit_test(model_size_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
