/* oclbench: portable OpenCL benchmark. CLI entry point. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "help.h"

static const struct command {
  const char *name;
  int (*fn)(int argc, char **argv);
} commands[] = {
    {"devices", ob_cmd_devices}, {"run", ob_cmd_run},     {"compare", ob_cmd_compare},
    {"ising", ob_cmd_ising},     {"flops", ob_cmd_flops},     {"plot", ob_cmd_plot},
};

static bool is_help(const char *arg) {
  return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    ob_help_print(stderr);
    return OB_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  /* `oclbench help [CMD]`, `oclbench --help`, `oclbench CMD ... --help` */
  if (is_help(cmd) || strcmp(cmd, "help") == 0) {
    if (argc > 2 && !ob_help_print_command(stdout, argv[2]))
      return ob_cli_usage_error("help: no command '%s'", argv[2]);
    if (argc <= 2) ob_help_print(stdout);
    return OB_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("oclbench %s\n", OB_VERSION);
    return OB_EXIT_OK;
  }
  if (strcmp(cmd, "--man") == 0) {
    ob_help_print_man(stdout);
    return OB_EXIT_OK;
  }
  for (int i = 2; i < argc; i++)
    if (is_help(argv[i])) {
      if (!ob_help_print_command(stdout, cmd)) return ob_cli_usage_error("unknown command '%s'", cmd);
      return OB_EXIT_OK;
    }
  if (!ob_cli_check_env()) return OB_EXIT_USAGE;
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
  return ob_cli_usage_error("unknown command '%s'", cmd);
}
