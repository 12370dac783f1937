/* oclbench: portable OpenCL benchmark. CLI entry point. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "runner.h"

static const struct command {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *usage;
} commands[] = {
    {"devices", ob_cmd_devices, "devices [--csv]"},
    {"run", ob_cmd_run,
     "run [WORKLOAD...] [--device SEL]... [--out DIR] [--quick] [--seconds S]\n"
     "               [--trace FILE.json] [--trace-summary] [--shard]"},
    {"compare", ob_cmd_compare,
     "compare FILE.csv... [--baseline SEL] [--out FILE.csv] [--md FILE.md] [--svg FILE.svg]"},
    {"ising", ob_cmd_ising,
     "ising [--graph SPEC] [--biases FILE] [--weights gauss|pm1] [--beta B] [--chains N]\n"
     "                 [--warmup W] [--sweeps N] [--seed S] [--device SEL] [--moments FILE.csv]\n"
     "                 [--samples FILE.csv] [--train DATA.csv --epochs E --lr L] [--info]\n"
     "                 [--host-loop] [--tune | --path auto|local|global\n"
     "                  --spin-bits 1|2|4|8|16|32 --wg-size N --wg-words N\n"
     "                  --schedule auto|local|global] [--pass-chains N] [--shard]\n"
     "                 [--trace FILE.json] [--trace-summary]"},
    {"flops", ob_cmd_flops, "flops MODEL [--batch N] [--input CxHxW] [--csv FILE] [--dot FILE.dot]"},
};

static void print_help(FILE *f) {
  fprintf(f, "oclbench %s: run the same OpenCL workloads on every device, one CSV per device\n\n",
          OB_VERSION);
  fputs("usage:\n", f);
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  oclbench %s\n", commands[i].usage);
  fputs("  oclbench --help | --version\n\nworkloads:\n", f);
  for (size_t i = 0; i < ob_nworkloads; i++)
    fprintf(f, "  %-8s %s\n", ob_workloads[i]->name, ob_workloads[i]->description);
  fputs("  all      every workload above (the default)\n\n"
        "SEL: all (default), an index or slug from 'oclbench devices', cpu, gpu, accel,\n"
        "     or a case-insensitive substring of the vendor or device name.\n\n"
        "compare: one column per device (host/slug), rows joined on workload, variant, params,\n"
        "     precision and metric (params set per device, such as calibrated round counts,\n"
        "     shown as key=*); ratios to --baseline: a column index, host/slug, host:slug or\n"
        "     slug (default: the first file's device). --out: wide CSV, --md: Markdown,\n"
        "     --svg: bar charts and flips/ns-vs-chains curves.\n\n"
        "environment:\n"
        "  OCLBENCH_KERNEL_DIR  load cl_kernels/*.cl from this directory instead of the binary\n"
        "  OCLBENCH_CACHE_DIR   program binary and tuning cache\n"
        "                       (default $XDG_CACHE_HOME/oclbench)\n"
        "  OCLBENCH_NO_CACHE=1  never read or write cached program binaries or tunings\n"
        "  OCLBENCH_LOG         error | warn (default) | info | debug\n"
        "  OCLBENCH_PROGRESS=0  no progress on stderr\n"
        "  OCLBENCH_SYSFS_ROOT  directory holding the sys/ tree sensors are read from (default /)\n"
        "  OCLBENCH_NVML_LIBRARY NVML to load for NVIDIA sensors (default libnvidia-ml.so.1;\n"
        "                       empty: none)\n"
        "  OCLBENCH_TUNE        every tuned kernel family: on (default; cached per device and\n"
        "                       driver, searched when missing) | off (device defaults) | redo\n"
        "  OCLBENCH_CONFIG_<FAMILY>  force a configuration of GEMM, IGEMM, CONV, ADAM or ISING,\n"
        "                       e.g. OCLBENCH_CONFIG_CONV=tm=128,tn=128,tk=8,wm=8,wn=8,wtx=8\n\n"
        "exit codes: 0 ok, 1 a workload failed, 2 bad usage or input, 3 no OpenCL platform\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_help(stderr);
    return OB_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    print_help(stdout);
    return OB_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("oclbench %s\n", OB_VERSION);
    return OB_EXIT_OK;
  }
  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      print_help(stdout);
      return OB_EXIT_OK;
    }
  if (!ob_cli_check_env()) return OB_EXIT_USAGE;
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
  return ob_cli_usage_error("unknown command '%s'", cmd);
}
