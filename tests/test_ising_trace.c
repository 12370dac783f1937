/* `oclbench ising --trace FILE.json --trace-summary`: the Chrome trace JSON is valid, its kernel
 * events are the sampler's kernels (names declared in cl_kernels/ising.cl) with the counts the
 * summary table reports, and bad uses exit 2. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "json_check.h"

#define MAX_KERNELS 16

typedef struct kernel_count {
  char name[64];
  long count;
} kernel_count;

/* The kernel names declared in ising.cl ("__kernel void NAME("). */
static size_t declared_kernels(char names[][64], size_t max) {
  char *src = NULL;
  size_t len = 0, n = 0;
  OB_ASSERT_OK(ob_kernel_source("ising.cl", &src, &len));
  for (const char *p = strstr(src, "__kernel void "); p && n < max;
       p = strstr(p + 1, "__kernel void ")) {
    const char *name = p + strlen("__kernel void ");
    const size_t k = strcspn(name, "( ");
    assert_true(k < 64);
    snprintf(names[n++], 64, "%.*s", (int)k, name);
  }
  free(src);
  return n;
}

static kernel_count *find_or_add(kernel_count *c, size_t *n, const char *name, size_t len) {
  for (size_t i = 0; i < *n; i++)
    if (strlen(c[i].name) == len && strncmp(c[i].name, name, len) == 0) return &c[i];
  assert_true(*n < MAX_KERNELS);
  snprintf(c[*n].name, sizeof c[*n].name, "%.*s", (int)len, name);
  c[*n].count = 0;
  return &c[(*n)++];
}

/* Kernel events of the JSON: {"name":"N","cat":"kernel",...}. */
static size_t json_kernels(const char *json, kernel_count *c) {
  size_t n = 0;
  const char *key = "{\"name\":\"";
  for (const char *p = strstr(json, key); p; p = strstr(p + 1, key)) {
    const char *name = p + strlen(key);
    const char *end = strchr(name, '"');
    assert_non_null(end);
    if (strncmp(end, "\",\"cat\":\"kernel\"", 16) != 0) continue;
    find_or_add(c, &n, name, (size_t)(end - name))->count++;
  }
  return n;
}

/* Rows of the summary table: "device  kernel  count  ...". */
static size_t summary_kernels(const char *out, const char *const *names, size_t nnames,
                              kernel_count *c) {
  size_t n = 0;
  const char *table = strstr(out, "\ndevice         kernel ");
  assert_non_null(table);
  for (const char *line = strchr(table + 1, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
    char dev[64], kernel[64];
    long count = 0;
    if (sscanf(line + 1, "%63s %63s %ld", dev, kernel, &count) != 3) break;
    for (size_t i = 0; i < nnames; i++)
      if (strcmp(kernel, names[i]) == 0) find_or_add(c, &n, kernel, strlen(kernel))->count = count;
  }
  return n;
}

static void traced_sampling(void **state) {
  (void)state;
  char dir[4096], path[4200], args[4600];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  snprintf(path, sizeof path, "%s/ising.json", dir);
  snprintf(args, sizeof args,
           "ising --graph grid:8x8 --chains 64 --warmup 5 --sweeps 20 --moments %s/m.csv "
           "--trace %s --trace-summary", dir, path);
  int rc = -1;
  char *out = ob_test_cli_stdout(args, &rc);
  assert_int_equal(rc, 0);
  char *json = NULL;
  size_t len = 0, where = 0;
  OB_ASSERT_OK(ob_read_file(path, &json, &len));
  if (!ob_json_valid(json, len, &where)) fail_msg("invalid JSON at byte %zu", where);
  assert_non_null(strstr(json, "\"traceEvents\":["));
  char declared[MAX_KERNELS][64];
  const size_t ndecl = declared_kernels(declared, MAX_KERNELS);
  assert_true(ndecl >= 3);
  kernel_count traced[MAX_KERNELS], summary[MAX_KERNELS];
  const size_t nt = json_kernels(json, traced);
  long init = 0, sweeps = 0;
  for (size_t i = 0; i < nt; i++) {
    bool known = false;
    for (size_t k = 0; k < ndecl; k++) known |= strcmp(traced[i].name, declared[k]) == 0;
    if (!known) fail_msg("kernel event %s is not a kernel of ising.cl", traced[i].name);
    if (strcmp(traced[i].name, "ising_init") == 0) init += traced[i].count;
    if (strncmp(traced[i].name, "ising_sweeps", 12) == 0 ||
        strcmp(traced[i].name, "ising_colour_global") == 0)
      sweeps += traced[i].count;
  }
  assert_int_equal(init, 1);  /* one batch, initialised once */
  assert_true(sweeps >= 2);   /* warm-up and sampling, at least one launch each */
  /* The summary table reports the same kernels with the same counts. */
  const char *names[MAX_KERNELS];
  for (size_t k = 0; k < ndecl; k++) names[k] = declared[k];
  const size_t ns = summary_kernels(out, names, ndecl, summary);
  assert_int_equal(ns, nt);
  for (size_t i = 0; i < nt; i++) {
    bool same = false;
    for (size_t j = 0; j < ns; j++)
      same |= strcmp(traced[i].name, summary[j].name) == 0 && traced[i].count == summary[j].count;
    if (!same) fail_msg("%s: %ld events in the JSON, not in the summary", traced[i].name,
                        traced[i].count);
  }
  free(json);
  free(out);
}

static void bad_trace_usage(void **state) {
  (void)state;
  char dir[4096], missing[4300], isdir[4300], err[1024];
  snprintf(dir, sizeof dir, "%s", ob_test_tmpdir());
  snprintf(missing, sizeof missing, "ising --trace %s/no-such-dir/t.json", dir);
  snprintf(isdir, sizeof isdir, "ising --trace %s", dir);
  const char *bad[] = {missing, isdir, "ising --trace", "ising --trace ''",
                       "ising --host-loop --trace-summary", "ising --info --trace t.json"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int rc = ob_test_cli(bad[i], err, sizeof err);
    if (rc != 2) fail_msg("'%s' exited %d, not 2", bad[i], rc);
    char *nl = strchr(err, '\n');
    assert_non_null(nl);
    assert_true(nl[1] == '\0');
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(traced_sampling),
      cmocka_unit_test(bad_trace_usage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
