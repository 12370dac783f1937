/* The subcommands of the oclbench CLI. Each returns the process exit code. */
#ifndef OB_COMMANDS_H
#define OB_COMMANDS_H

int ob_cmd_devices(int argc, char **argv);
int ob_cmd_run(int argc, char **argv);
int ob_cmd_compare(int argc, char **argv);
int ob_cmd_ising(int argc, char **argv);
int ob_cmd_flops(int argc, char **argv);

#endif
