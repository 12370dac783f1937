/* Bad input, table-driven, through the real CLI: every flag of every command, the OCLBENCH_*
 * variables, graph specs, edge/bias/training files, compare CSVs and flops shapes. For each
 * case: exit code 2, exactly one line on stderr naming the problem, no control character
 * echoed raw, nothing written or changed (the working directory holds one file, which stays as
 * it was, and the fixture directory is untouched), within a time limit and (when not built with
 * sanitizers, which need a large address space) an address-space limit of 1 GiB.
 *
 * In the arguments, {D} is the fixture directory, {O} the working directory of the run (empty
 * but for keep.csv) and {LONG} a 256-byte file name. */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results.h"

typedef struct bad_input {
  const char *env;    /* shell assignments before the command, or NULL */
  const char *args;   /* the command line after the binary (shell syntax) */
  const char *want;   /* in the one line on stderr */
} bad_input;

static const bad_input cases[] = {
    /* command and environment (OCLBENCH_*, validated before any command runs) */
    {NULL, "frobnicate", "unknown command 'frobnicate'"},
    {"OCLBENCH_LOG=loud", "flops mlp", "OCLBENCH_LOG='loud': expected error, warn, info or debug"},
    {"OCLBENCH_LOG=\"$(printf 'x\\033[2J')\"", "flops mlp", "OCLBENCH_LOG='x\\x1b[2J'"},
    {"OCLBENCH_PROGRESS=2", "flops mlp", "OCLBENCH_PROGRESS='2': expected 0 or 1"},
    {"OCLBENCH_TUNE=maybe", "flops mlp", "OCLBENCH_TUNE='maybe': expected off, on or redo"},
    {"OCLBENCH_CONFIG_GEMM='bm= 64'", "flops mlp", "bm=' 64' is not an integer in [0, 4096]"},
    {"OCLBENCH_CONFIG_GEMM=bm=99999999999999999999", "flops mlp", "is not an integer in [0, 4096]"},
    {"OCLBENCH_CONFIG_GEMM=bogus=1", "flops mlp", "OCLBENCH_CONFIG_GEMM='bogus=1'"},
    {"OCLBENCH_CONFIG_GEMM=bm=64,bm=32", "flops mlp", "bm given twice"},
    {"OCLBENCH_CONFIG_NOPE=x=1", "flops mlp", "OCLBENCH_CONFIG_NOPE: no tuned kernel family"},
    {"OCLBENCH_GEMM_TUNE=0", "flops mlp", "OCLBENCH_GEMM_TUNE is now OCLBENCH_TUNE=off|on|redo"},
    {"OCLBENCH_GEMM_CONFIG=bm=64", "flops mlp", "OCLBENCH_GEMM_CONFIG is now OCLBENCH_CONFIG_GEMM"},
    {"OCLBENCH_CONV_TUNE=always", "flops mlp", "OCLBENCH_CONV_TUNE is now OCLBENCH_TUNE"},
    {"OCLBENCH_CONFIG_CONV=tm=0x10", "flops mlp", "tm='0x10' is not an integer in [0, 4096]"},
    {"OCLBENCH_CONFIG_CONV=tm=128,tm=64", "flops mlp", "tm given twice"},
    {"OCLBENCH_CONFIG_CONV=tm=32", "flops mlp", "OCLBENCH_CONFIG_CONV='tm=32': conv config: tn is "
                                                "missing"},
    {"OCLBENCH_KERNEL_DIR=/nonexistent/kernels", "flops mlp", "OCLBENCH_KERNEL_DIR"},
    {"OCLBENCH_CACHE_DIR=/proc/oclbench-cache", "flops mlp", "OCLBENCH_CACHE_DIR"},
    /* devices */
    {NULL, "devices --bogus", "devices: unknown argument '--bogus'"},
    {NULL, "devices --csv --csv", "--csv given twice"},
    {NULL, "devices --format xml", "--format: 'xml' is not one of table, csv, json, md"},
    {NULL, "devices --format", "--format needs a value"},
    {NULL, "devices --csv --format json", "--csv is --format csv: give one of them"},
    /* run */
    {NULL, "run --bogus", "run: unknown option '--bogus'"},
    {NULL, "run nosuchworkload", "unknown workload 'nosuchworkload'"},
    {NULL, "run peak --seconds abc", "--seconds: 'abc' is not a number"},
    {NULL, "run peak --seconds ' 1'", "--seconds: ' 1' is not a number"},
    {NULL, "run peak --seconds -1", "--seconds: -1 is out of range"},
    {NULL, "run peak --seconds 1e999", "--seconds: '1e999' is not a number"},
    {NULL, "run peak --out", "--out needs a value"},
    {NULL, "run peak --out ''", "--out: empty directory name"},
    {NULL, "run peak --out /proc/oclbench-results", "directory '/proc' is not writable"},
    {NULL, "run peak --out {D}/e_ok.csv/sub", "'{D}/e_ok.csv' is not a directory"},
    {NULL, "run peak --out {O}/a --out {O}/b", "--out given twice"},
    {NULL, "run peak --quick --quick", "--quick given twice"},
    {NULL, "run peak --format yaml", "--format: 'yaml' is not one of table, csv, json, md"},
    {NULL, "run peak --format csv --format json", "--format given twice"},
    {NULL, "run peak --format json --wide", "--wide applies to --format table only"},
    {NULL, "run peak --force", "--force applies to --out only"},
    {NULL, "run peak --trace {O}/no/t.json", "directory '{O}/no' does not exist"},
    {NULL, "run peak --device nosuch-device", "--device 'nosuch-device' matches no device"},
    /* compare: arguments */
    {NULL, "compare", "compare: no CSV files given"},
    {NULL, "compare {D}/a.csv --bogus", "compare: unknown option '--bogus'"},
    {NULL, "compare {D}/a.csv --baseline 7", "'7' is not a device column"},
    {NULL, "compare {D}/a.csv --baseline 99999999999999999999", "is not a device column"},
    {NULL, "compare {D}/a.csv --baseline x --baseline y", "--baseline given twice"},
    {NULL, "compare {D}/a.csv --format html", "--format: 'html' is not one of table, csv, json, md"},
    {NULL, "compare {D}/a.csv --format md --wide", "--wide applies to --format table only"},
    {NULL, "compare {D}/a.csv --label laptop", "--label: 'laptop' is not FILE=NAME"},
    {NULL, "compare {D}/a.csv --label {D}/a.csv=", "is not FILE=NAME"},
    {NULL, "compare {D}/a.csv --label {D}/b.csv=x", "'{D}/b.csv' is not one of the files compared"},
    {NULL, "compare {D}/a.csv --label {D}/a.csv=x --label {D}/a.csv=y", "labelled twice"},
    {NULL, "compare {D}/a.csv --label {D}/a.csv=7", "'7' cannot be a label"},
    {NULL, "compare {D}/a.csv --out {D}/a.csv", "would overwrite an input file"},
    {NULL, "compare {D}/a.csv --out {O}/x.csv --out {O}/y.csv", "--out given twice"},
    {NULL, "compare {D}/a.csv --md {O}/x.md --svg {O}/x.md", "--md and --svg name the same file"},
    {NULL, "compare {D}/a.csv --svg {O}", "is a directory"},
    {NULL, "compare {D}/a.csv --out {O}/{LONG}", "--out: file name longer than 255 bytes"},
    {NULL, "compare {D}/missing.csv", "{D}/missing.csv: cannot open"},
    /* compare: CSV files */
    {NULL, "compare {D}/c_schema2.csv", "c_schema2.csv:2: schema '2'"},
    {NULL, "compare {D}/c_comma.csv", "c_comma.csv:2: value '1,5' is not a number"},
    {NULL, "compare {D}/c_nan.csv", "c_nan.csv:2: value 'nan' is not a number"},
    {NULL, "compare {D}/c_inf.csv", "c_inf.csv:2: value 'inf' is not a number"},
    {NULL, "compare {D}/c_space.csv", "c_space.csv:2: value ' 5' is not a number"},
    {NULL, "compare {D}/c_status.csv", "c_status.csv:2: unknown status 'fine'"},
    {NULL, "compare {D}/c_ctrl.csv", "c_ctrl.csv:2: unknown status '\\x1b[31mok'"},
    {NULL, "compare {D}/c_fields.csv", "c_fields.csv:2: 3 fields, the header has 32"},
    {NULL, "compare {D}/c_header.csv", "c_header.csv: not an oclbench schema-1 CSV"},
    {NULL, "compare {D}/c_empty.csv", "c_empty.csv: empty file"},
    {NULL, "compare {D}/c_nul.csv", "c_nul.csv:2: NUL byte"},
    {NULL, "compare {D}/c_cr.csv", "c_cr.csv:3: unknown status 'bad'"},
    {NULL, "compare {D}/c_quote.csv", "c_quote.csv:2: malformed CSV"},
    {NULL, "compare {D}/c_unit.csv", "c_unit.csv:3: unit 'TFLOP/s' differs from 'GFLOP/s'"},
    {NULL, "compare {D}/c_devices.csv", "c_devices.csv:130: a device column beyond the 128"},
    /* ising: graph specs */
    {NULL, "ising --graph grid:0x3 --info", "expected grid:WxH with W, H in [1, 16777216]"},
    {NULL, "ising --graph 'grid: 5x5' --info", "expected grid:WxH"},
    {NULL, "ising --graph grid:8192x8192 --info", "67108864 nodes, more than the 16777216 supported"},
    {NULL, "ising --graph grid3:406x406x406 --info", "66923416 nodes, more than the 16777216"},
    {NULL, "ising --graph random:67108864:64 --info", "random:N:D with N in [1, 16777216]"},
    {NULL, "ising --graph random:16777216:64 --info", "536870912 edges, more than the 33554432"},
    {NULL, "ising --graph random:9:3 --info", "N*D even"},
    {NULL, "ising --graph chimera:2000 --info", "1 <= M <= 1024"},
    {NULL, "ising --graph pegasus:1 --info", "2 <= M <= 256"},
    {NULL, "ising --graph torus:3 --info", "unknown kind"},
    {NULL, "ising --graph edges: --info", "expected edges:FILE"},
    /* ising: edge, bias and training files */
    {NULL, "ising --graph edges:{D}/e_big.csv --info",
     "e_big.csv:2: node id 16777000: 16777001 nodes for 1 edges; an edges file may have at most "
     "2 x edges + 65536 nodes"},
    {NULL, "ising --graph edges:{D}/e_huge.csv --info", "e_huge.csv:2: node id (column j) 2147483000 is out "
                                                        "of range: ids run from 0 to 16777215"},
    {NULL, "ising --graph edges:{D}/e_hex.csv --info", "e_hex.csv:2: node id (column j) '0x10' is not an integer"},
    {NULL, "ising --graph edges:{D}/e_exp.csv --info", "e_exp.csv:2: node id (column i) '1e3' is not an integer"},
    {NULL, "ising --graph edges:{D}/e_neg.csv --info", "e_neg.csv:2: negative node id (column j) -1"},
    {NULL, "ising --graph edges:{D}/e_word.csv --info", "e_word.csv:2: node id (column i) 'x' is not a number"},
    {NULL, "ising --graph edges:{D}/e_self.csv --info", "e_self.csv:2: self-loop on node 2"},
    {NULL, "ising --graph edges:{D}/e_dup_cr.csv --info",
     "e_dup_cr.csv:4: duplicate edge (0, 1), first on line 2"},
    {NULL, "ising --graph edges:{D}/e_weight.csv --info", "weight w 'nan' is not a finite number"},
    {NULL, "ising --graph edges:{D}/e_header.csv --info", "e_header.csv:1: missing header"},
    {NULL, "ising --graph edges:{D}/missing.csv --info", "missing.csv: cannot open"},
    {NULL, "ising --graph grid:2x2 --biases {D}/h_range.csv --info",
     "h_range.csv:2: node id (column i) 4 is out of range"},
    {NULL, "ising --graph grid:2x2 --biases {D}/h_dup.csv --info",
     "h_dup.csv:3: duplicate bias for node 1, first on line 2"},
    {NULL, "ising --graph grid:2x2 --biases {D}/h_inf.csv --info", "bias h 'inf' is not a finite"},
    {NULL, "ising --graph grid:2x2 --train {D}/t_value.csv", "t_value.csv:2: value '0x1' is not +1 or -1"},
    {NULL, "ising --graph grid:2x2 --train {D}/t_header.csv", "t_header.csv:1: header field 2 '1e0' is not a node id"},
    {NULL, "ising --graph grid:2x2 --train {D}/t_range.csv", "t_range.csv:1: visible node 9 out of range"},
    {NULL, "ising --graph grid:2x2 --train {D}/t_count.csv", "t_count.csv:3: expected 2 values, found 1"},
    /* ising: flags */
    {NULL, "ising --seed ' -5'", "--seed: ' -5' is not an integer"},
    {NULL, "ising --seed -5", "--seed: -5 is out of range [0, 18446744073709551615]"},
    {NULL, "ising --seed 99999999999999999999999", "--seed: 99999999999999999999999 is out of range"},
    {NULL, "ising --sweeps ' 5'", "--sweeps: ' 5' is not an integer"},
    {NULL, "ising --sweeps '5 '", "--sweeps: '5 ' is not an integer"},
    {NULL, "ising --sweeps 0x10", "--sweeps: '0x10' is not an integer"},
    {NULL, "ising --warmup 1e3", "--warmup: '1e3' is not an integer"},
    {NULL, "ising --chains 17179869184", "--chains: 17179869184 is out of range [1, 17179869180]"},
    {NULL, "ising --graph grid:100x100 --chains 17179869180",
     "10000 nodes = 1.718e+14 spins, more than the 274877906944 (2^38)"},
    {NULL, "ising --graph grid:2x2 --graph grid:3x3", "--graph given twice"},
    {NULL, "ising --info --info", "--info given twice"},
    {NULL, "ising --weights uniform", "--weights: 'uniform' is not gauss or pm1"},
    {NULL, "ising --beta -1", "--beta: -1 is out of range"},
    {NULL, "ising --epochs 3", "--epochs, --lr and --save-model need --train"},
    {NULL, "ising --spin-bits 3", "--spin-bits: expected 1, 2, 4, 8, 16 or 32"},
    {NULL, "ising --tune --wg-size 64", "--tune chooses"},
    {NULL, "ising --moments {O}/no/m.csv", "directory '{O}/no' does not exist"},
    {NULL, "ising --samples {O}", "is a directory"},
    {NULL, "ising --moments {O}/{LONG}", "--moments: file name longer than 255 bytes"},
    {NULL, "ising --graph grid:1000x1000 --chains 2000 --host-loop", "too large for host memory"},
    /* flops: models and shapes */
    {NULL, "flops", "flops: which model?"},
    {NULL, "flops vgg16", "unknown model 'vgg16'"},
    {NULL, "flops resnet18 --batch 0", "--batch: 0 is out of range [1, 1000000]"},
    {NULL, "flops resnet18 --batch ' 5'", "--batch: ' 5' is not an integer"},
    {NULL, "flops resnet18 --batch 2 --batch 3", "--batch given twice"},
    {NULL, "flops resnet18 --input 3x224", "--input '3x224': expected CxHxW"},
    {NULL, "flops resnet18 --input '3x 224x224'", "expected CxHxW or N (N features)"},
    {NULL, "flops resnet18 --input 3x224x99999999999999999999", "expected CxHxW"},
    {NULL, "flops simplecnn --input 3x65536x65536",
     "flatten would give 34359738368 features, more than the 2147483647 supported"},
    {NULL, "flops resnet18 --input 65536x65536x65536 --batch 1000000",
     "more than the 64-bit count limit 9223372036854775807"},
    {NULL, "flops mlp --input 3x224x224", "fc0 takes a vector of 1024 input features"},
    {NULL, "flops resnet18 --csv {O}/no/x.csv", "directory '{O}/no' does not exist"},
    {NULL, "flops resnet18 --dot {O}", "is a directory"},
};

/* Writes text (len bytes) to dir/name. */
static void put_file(const char *dir, const char *name, const char *text, size_t len) {
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void put_text(const char *dir, const char *name, const char *text) {
  put_file(dir, name, text, strlen(text));
}

/* A schema-1 CSV: the header, then row r on device dev-r (same workload, variant and params)
 * with status[r], value[r] and unit[r] (NULL: ok, 5, GFLOP/s), lines ended by eol. */
static void put_compare(const char *dir, const char *name, size_t nrows, const char *const *status,
                        const char *const *value, const char *const *unit, const char *eol) {
  char text[1 << 16];
  size_t len = 0;
  for (size_t i = 0; i < OB_RESULT_SCHEMA_COLS; i++)
    len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i ? "," : "",
                            ob_result_columns[i].name);
  len += (size_t)snprintf(text + len, sizeof text - len, "%s", eol);
  for (size_t r = 0; r < nrows; r++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "1,2025-01-01T00:00:00Z,host,Linux,cpu,plat,vendor,dev,dev-%zu,cpu,"
                            "drv,OpenCL 3.0,8,3000,16000000000,peak,fma,width=4,fp32,gflops,"
                            "%s,%s,0.001,0.001,0.001,10,,,,n/a,%s,%s",
                            r, unit ? unit[r] : "GFLOP/s", value ? value[r] : "5",
                            status ? status[r] : "ok", eol);
  put_file(dir, name, text, len);
}

static void make_fixtures(const char *d) {
  static const char *const ok[] = {"ok"}, *const five[] = {"5"};
  put_compare(d, "a.csv", 1, ok, five, NULL, "\r\n");
  static const char *const comma[] = {"\"1,5\""}, *const nan[] = {"nan"}, *const inf[] = {"inf"},
                           *const space[] = {"\" 5\""};
  put_compare(d, "c_comma.csv", 1, ok, comma, NULL, "\r\n");
  put_compare(d, "c_nan.csv", 1, ok, nan, NULL, "\r\n");
  put_compare(d, "c_inf.csv", 1, ok, inf, NULL, "\r\n");
  put_compare(d, "c_space.csv", 1, ok, space, NULL, "\r\n");
  static const char *const fine[] = {"fine"}, *const ctrl[] = {"\x1b[31mok"};
  put_compare(d, "c_status.csv", 1, fine, five, NULL, "\r\n");
  put_compare(d, "c_ctrl.csv", 1, ctrl, five, NULL, "\r\n");
  static const char *const cr_status[] = {"ok", "bad"}, *const two[] = {"5", "6"};
  put_compare(d, "c_cr.csv", 2, cr_status, two, NULL, "\r");
  static const char *const units[] = {"GFLOP/s", "TFLOP/s"};
  put_compare(d, "c_unit.csv", 2, NULL, two, units, "\r\n");
  put_compare(d, "c_devices.csv", 129, NULL, NULL, NULL, "\r\n");
  char schema2[1 << 12], path[4400], *text = NULL;
  snprintf(path, sizeof path, "%s/a.csv", d);
  OB_ASSERT_OK(ob_read_file(path, &text, NULL));
  snprintf(schema2, sizeof schema2, "%s", text);
  free(text);
  char *row = strstr(schema2, "\r\n") + 2;
  const size_t hlen = (size_t)(row - schema2);
  *row = '2';
  put_text(d, "c_schema2.csv", schema2);
  snprintf(row, sizeof schema2 - hlen, "1,2,3\r\n");
  put_text(d, "c_fields.csv", schema2);
  snprintf(row, sizeof schema2 - hlen, "\"unterminated,1\r\n");
  put_text(d, "c_quote.csv", schema2);
  memcpy(row, "1,\0,3\r\n", 7);
  put_file(d, "c_nul.csv", schema2, hlen + 7);
  put_text(d, "c_header.csv", "a,b,c\r\n1,2,3\r\n");
  put_text(d, "c_empty.csv", "");
  /* edge, bias and training files */
  put_text(d, "e_ok.csv", "i,j,w\n0,1,0.5\n");
  put_text(d, "e_big.csv", "i,j,w\n0,16777000,1\n"); /* 19 bytes of header and edge */
  put_text(d, "e_huge.csv", "i,j,w\n0,2147483000,1\n");
  put_text(d, "e_hex.csv", "i,j,w\n0,0x10,1\n");
  put_text(d, "e_exp.csv", "i,j,w\n1e3,0,1\n");
  put_text(d, "e_neg.csv", "i,j,w\n0,-1,1\n");
  put_text(d, "e_word.csv", "i,j,w\nx,1,1\n");
  put_text(d, "e_self.csv", "i,j,w\n2,2,1\n");
  put_text(d, "e_dup_cr.csv", "i,j,w\r0,1,1\r1,2,1\r1,0,3\r");
  put_text(d, "e_weight.csv", "i,j,w\n0,1,nan\n");
  put_text(d, "e_header.csv", "0,1,1\n");
  put_text(d, "h_range.csv", "i,h\n4,1\n");
  put_text(d, "h_dup.csv", "i,h\n1,1\n1,2\n");
  put_text(d, "h_inf.csv", "i,h\n1,inf\n");
  put_text(d, "t_value.csv", "0,1\n1,0x1\n");
  put_text(d, "t_header.csv", "0,1e0\n1,1\n");
  put_text(d, "t_range.csv", "0,9\n1,1\n");
  put_text(d, "t_count.csv", "0,1\n1,1\n1\n");
}

/* Names and sizes of the entries of dir, sorted, as one string (malloc'ed). */
static char *listing(const char *dir) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  assert_non_null(f);
  struct dirent **names = NULL;
  int n = scandir(dir, &names, NULL, alphasort);
  assert_true(n >= 0);
  for (int i = 0; i < n; i++) {
    char path[4400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
    if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0 &&
        stat(path, &st) == 0)
      fprintf(f, "%s:%lld\n", names[i]->d_name, (long long)st.st_size);
    free(names[i]);
  }
  free(names);
  fclose(f);
  return text;
}

/* s with {D}, {O} and {LONG} replaced, in out. */
static void expand(char *out, size_t n, const char *s, const char *data, const char *work) {
  char longname[257];
  memset(longname, 'n', 256);
  longname[256] = '\0';
  size_t len = 0;
  while (*s && len + 1 < n) {
    const char *with = NULL;
    size_t skip = 0;
    if (strncmp(s, "{D}", 3) == 0) with = data, skip = 3;
    else if (strncmp(s, "{O}", 3) == 0) with = work, skip = 3;
    else if (strncmp(s, "{LONG}", 6) == 0) with = longname, skip = 6;
    if (with) {
      len += (size_t)snprintf(out + len, n - len, "%s", with);
      s += skip;
    } else {
      out[len++] = *s++;
    }
  }
  out[len < n ? len : n - 1] = '\0';
}

static void every_bad_input_exits_2_names_the_problem_and_writes_nothing(void **state) {
  (void)state;
  char data[4096], base[4096];
  snprintf(data, sizeof data, "%s", ob_test_tmpdir());
  snprintf(base, sizeof base, "%s", ob_test_tmpdir());
  make_fixtures(data);
  char *fixtures = listing(data);
  const char *bin = getenv("OB_TEST_BINARY");
  /* Sanitizers reserve terabytes of address space: no address-space limit under them. Nor for
   * a case that opens the OpenCL drivers: NVIDIA's reserves more address space than the limit
   * before it reports a platform (the bound is on oclbench's validation, not on drivers). */
  const char *limit = getenv("OB_SANITIZED") ? "" : "ulimit -v 1048576 && ";
  size_t failures = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char work[4200], keep[4300], args[8192], want[8192], cmd[16384];
    snprintf(work, sizeof work, "%s/%zu", base, i);
    assert_int_equal(mkdir(work, 0777), 0);
    snprintf(keep, sizeof keep, "%s/keep.csv", work);
    OB_ASSERT_OK(ob_write_file_atomic(keep, "keep\n", 5));
    char *before = listing(work);
    expand(args, sizeof args, cases[i].args, data, work);
    expand(want, sizeof want, cases[i].want, data, work);
    const bool drivers = strstr(cases[i].args, "--device") != NULL;
    snprintf(cmd, sizeof cmd, "cd %s && %s%s timeout 60 %s %s", work, drivers ? "" : limit,
             cases[i].env ? cases[i].env : "", bin && *bin ? bin : "./oclbench", args);
    char *out = NULL, *err = NULL;
    int rc = ob_test_run(cmd, &out, &err);
    const char *nl = strchr(err, '\n');
    bool raw_control = false;
    for (const unsigned char *p = (const unsigned char *)err; *p; p++)
      raw_control |= *p < 0x20 && *p != '\n';
    char *after = listing(work), *content = NULL;
    OB_ASSERT_OK(ob_read_file(keep, &content, NULL));
    const char *why = rc != 2                              ? "exit code"
                      : !nl || nl[1] != '\0'               ? "not one line on stderr"
                      : !strstr(err, want)                 ? "message"
                      : raw_control                        ? "raw control character"
                      : strcmp(before, after) != 0         ? "wrote in its directory"
                      : strcmp(content, "keep\n") != 0     ? "changed keep.csv"
                                                           : NULL;
    if (why) {
      print_error("case %zu (%s%s%s): %s: exit %d, stderr: %s  expected: %s\n", i,
                  cases[i].env ? cases[i].env : "", cases[i].env ? " " : "", args, why, rc, err,
                  want);
      failures++;
    }
    free(out);
    free(err);
    free(before);
    free(after);
    free(content);
  }
  char *fixtures_after = listing(data);
  assert_string_equal(fixtures, fixtures_after);
  free(fixtures);
  free(fixtures_after);
  if (failures) fail_msg("%zu of %zu bad inputs broke the contract", failures,
                         sizeof cases / sizeof *cases);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_bad_input_exits_2_names_the_problem_and_writes_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
