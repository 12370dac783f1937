/* The tuning convention of the environment (core/tune.h), read once at start-up:
 * OCLBENCH_TUNE=off|on|redo and OCLBENCH_CONFIG_<FAMILY>=k=v,... for the kernel families
 * oclbench tunes. */
#ifndef OB_CLI_TUNE_H
#define OB_CLI_TUNE_H

#include "tune.h"

/* The settings the environment asks for (ob_tune_settings_init's where it asks nothing).
 * OB_ERR_INVALID with a one-line detail naming the variable: a bad mode, an unknown family,
 * a configuration that does not parse or breaks its family's rules, or a variable of the old
 * convention (with what replaced it). */
ob_status ob_cli_tune_settings(ob_tune_settings *out);

#endif
