/* Shared CLI helpers: argument validation (exit code 2), registry opening (exit code 3),
 * device selection. Every user-facing error is one line on stderr naming the problem. */
#ifndef OB_CLI_H
#define OB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oclbench.h"
#include "sensors.h"
#include "table.h"

enum { OB_EXIT_OK = 0, OB_EXIT_FAILED = 1, OB_EXIT_USAGE = 2, OB_EXIT_NO_PLATFORM = 3 };

/* Prints "oclbench: <message>" (control characters escaped) and a hint to --help on stderr;
 * returns OB_EXIT_USAGE. */
int ob_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict numeric parsing of a flag value within [min, max] (ob_parse_double, ob_parse_int,
 * ob_parse_uint: no spaces, no trailing text); prints "FLAG: 'V' is not a number|an integer"
 * or "FLAG: V is out of range [min, max]" itself. */
bool ob_cli_double(const char *flag, const char *s, double min, double max, double *out);
bool ob_cli_long(const char *flag, const char *s, long min, long max, long *out);
bool ob_cli_u64(const char *flag, const char *s, uint64_t max, uint64_t *out);

/* The output format a --format value names (table, csv, json, md); prints the error itself. */
bool ob_cli_format(const char *s, ob_format *out);

/* The value after a flag (argv[*i + 1]), advancing *i; prints an error when missing. */
const char *ob_cli_value(int argc, char **argv, int *i);

/* The flags of one command line seen so far, for flags that may be given once. */
typedef struct ob_cli_flags {
  const char *flag[64];
  size_t n;
} ob_cli_flags;
/* Records flag; prints "FLAG given twice" and returns false when it was already given. */
bool ob_cli_once(ob_cli_flags *seen, const char *flag);

/* Checks that an output file path can be written later: not empty, its directory exists and
 * is writable, it is not a directory, its name fits NAME_MAX. Prints the error itself. */
bool ob_cli_output_path(const char *flag, const char *path);

/* Checks that an output directory exists and is writable, or can be created (its nearest
 * existing ancestor is a writable directory). Prints the error itself. */
bool ob_cli_output_dir(const char *flag, const char *path);

/* Reads and validates, once at start-up, the environment variables oclbench reads, hands the
 * core its configuration (ob_configure: log level, progress, kernel and cache directories) and
 * installs the tuning settings (ob_tune_settings_install); prints the error itself, naming the
 * variable, and returns false on a bad value. */
bool ob_cli_check_env(void);

/* The sensor configuration: the defaults, with OCLBENCH_SYSFS_ROOT as sysfs root and
 * OCLBENCH_NVML_LIBRARY as NVML library ("" turns NVML off) when set. ob_cli_check_env has
 * validated them. */
void ob_cli_sensor_config(ob_sensor_config *cfg);

/* Creates the registry; on failure prints the diagnosis (for no platform: the ICD loader's
 * variables and files, which driver package to install) and returns the exit code (3 when
 * there is no platform, 1 otherwise). Returns 0 on success. */
int ob_cli_open_registry(ob_registry **out);

/* Marks the devices matched by every selector (union); "all" when nsel is 0. Prints the
 * devices that exist and returns false when a selector matches nothing. */
bool ob_cli_select(const ob_registry *reg, const char *const *sel, size_t nsel, bool *selected);

#endif
