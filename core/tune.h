/* The one tuning facility (CLBlast's parameter-database idea), used by every tunable kernel
 * family (models/: gemm, igemm, conv, adam, ising).
 *
 * A family declares its parameters once, as data (ob_tune_family): key, range or allowed
 * values, the -D option of its kernel, the field of its configuration struct. From that, core
 * turns a configuration into "k=v,..." text and -D build options and back, validates it, keeps
 * the winners of searches in one cache file per device and driver (lines
 * "family shape config score"), and applies one override convention, which the CLI parses once
 * at start-up into ob_tune_settings (nothing below bench/ reads the environment):
 *   OCLBENCH_TUNE=off|on|redo          off: the device's default configuration; on (the
 *                                       default): the cached one, searched (and cached) when
 *                                       there is none; redo: searched again, replacing it
 *   OCLBENCH_CONFIG_<FAMILY>=k=v,...   this configuration for the family (FAMILY upper case,
 *                                       e.g. OCLBENCH_CONFIG_GEMM), keys not given from the
 *                                       device default
 * An op takes a configuration; its family's selection step (e.g. ob_gemm_select in
 * models/gemm/gemm_tune.h) picks one through ob_tune_select, handing it the device default,
 * the candidates and a trial that times one of them.
 */
#ifndef OB_TUNE_H
#define OB_TUNE_H

#include <stddef.h>

#include "oclbench.h"

/* One parameter of a family: a field of its configuration struct of an integer type (int,
 * unsigned, an enumeration or size_t; set offset, size and is_signed with OB_TUNE_FIELD). */
typedef struct ob_tune_param {
  const char *key;          /* "bm" in the text form */
  const char *define;       /* "BM": the kernel's -D option; NULL: not a build option */
  size_t offset, size;      /* the field */
  bool is_signed;
  long long min, max;       /* allowed range, inclusive */
  const long long *values;  /* NULL, or the allowed values (OB_TUNE_VALUES) */
  size_t nvalues;
  const char *const *names; /* NULL, or value v (0 <= v < nnames) is written names[v] (enums) */
  size_t nnames;
  bool required;            /* text must give it (it has no default) */
} ob_tune_param;

#define OB_TUNE_SIGNED_(x) _Generic((x), int: true, long: true, long long: true, default: false)
/* .offset, .size and .is_signed of field `field` of struct type `type`. */
#define OB_TUNE_FIELD(type, field)                                                              \
  .offset = offsetof(type, field), .size = sizeof(((type *)0)->field),                          \
  .is_signed = OB_TUNE_SIGNED_(((type *)0)->field)
/* .values and .nvalues from a list of allowed values (file-scope initialisers only). */
#define OB_TUNE_VALUES(...)                                                                     \
  .values = (const long long[]){__VA_ARGS__},                                                   \
  .nvalues = sizeof((const long long[]){__VA_ARGS__}) / sizeof(long long)
/* .names and .nnames from the names of values 0, 1, ... (file-scope initialisers only). */
#define OB_TUNE_NAMES(...)                                                                      \
  .names = (const char *const[]){__VA_ARGS__},                                                  \
  .nnames = sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

/* A tunable kernel family: its parameters and the rules between them. */
typedef struct ob_tune_family {
  const char *name;             /* lower case: "gemm"; cache lines, OCLBENCH_CONFIG_GEMM */
  const ob_tune_param *params;  /* in text and -D order */
  size_t nparams;
  size_t size;                  /* of the configuration struct */
  const void *base;             /* a device-independent configuration: the values of the keys a
                                   forced text leaves out when it is validated at start-up */
  /* The family's rules beyond each parameter's range (OB_ERR_INVALID with a detail) and, when
   * dev is not NULL, the device's limits (OB_ERR_UNSUPPORTED with a detail). NULL: none. */
  ob_status (*check)(const void *cfg, const ob_device *dev);
} ob_tune_family;

/* The text form, "bm=128,bn=128,...": every parameter in order, enumerations by name.
 * Truncated to n bytes (always terminated). */
void ob_tune_format(const ob_tune_family *f, const void *cfg, char *buf, size_t n);

/* Parses comma-separated key=value pairs over *cfg (keys not given keep their value; every
 * required key must be given). Each value must be a decimal integer (or a name) within its
 * parameter's range and allowed values. OB_ERR_INVALID with a detail naming the pair ("gemm
 * config: tm='0x10' is not an integer"); *cfg is unchanged then. Does not apply the family's
 * rules (ob_tune_check). */
ob_status ob_tune_parse(const ob_tune_family *f, const char *text, void *cfg);

/* The build options of the parameters that have a define, "-DBM=128 -DBN=128 ...", in
 * parameter order, separated by single spaces. Truncated to n bytes (always terminated). */
void ob_tune_defines(const ob_tune_family *f, const void *cfg, char *buf, size_t n);

/* Every field within its parameter's range and allowed values, then the family's rules and,
 * when dev is not NULL, its limits on dev (see ob_tune_family.check). */
ob_status ob_tune_check(const ob_tune_family *f, const void *cfg, const ob_device *dev);

/* ---------------------------------------------------------------- the user's settings */

typedef enum ob_tune_mode {
  OB_TUNE_ON = 0, /* the cached configuration; a search (cached) when there is none */
  OB_TUNE_OFF,    /* the device's default configuration; no search, no cache */
  OB_TUNE_REDO,   /* a search every time, replacing the cached configuration */
} ob_tune_mode;

/* "on", "off", "redo". */
const char *ob_tune_mode_name(ob_tune_mode mode);

/* Reads "off", "on" or "redo" (the OCLBENCH_TUNE values) into *out; OB_ERR_INVALID otherwise,
 * with a detail listing them. */
ob_status ob_tune_mode_parse(const char *text, ob_tune_mode *out);

#define OB_TUNE_MAX_FORCED 8
#define OB_TUNE_TEXT_MAX 256

typedef struct ob_tune_forced {
  const ob_tune_family *family;
  char text[OB_TUNE_TEXT_MAX];
} ob_tune_forced;

/* How configurations are chosen: the mode, where the cache file lives, forced configurations
 * by family. Plain data; copy freely. */
typedef struct ob_tune_settings {
  ob_tune_mode mode;
  char cache_dir[4096];         /* "": no cache file, winners are kept for the process only */
  ob_tune_forced forced[OB_TUNE_MAX_FORCED];
  size_t nforced;
} ob_tune_settings;

/* Mode on, nothing forced, the cache file in ob_program_cache_dir(). */
void ob_tune_settings_init(ob_tune_settings *s);

/* Forces text for family f (replacing an earlier one) after checking it: parsed over f->base,
 * then ob_tune_check without a device. OB_ERR_INVALID with the parser's or the rules' detail;
 * s is unchanged then. */
ob_status ob_tune_settings_force(ob_tune_settings *s, const ob_tune_family *f, const char *text);

/* The text forced for family f; NULL when none. */
const char *ob_tune_settings_forced(const ob_tune_settings *s, const ob_tune_family *f);

/* Makes *s the process's settings (copied): the CLI calls it once at start-up, before any
 * thread starts. */
void ob_tune_settings_install(const ob_tune_settings *s);

/* The process's settings: the installed ones, else those of ob_tune_settings_init. For the
 * workload adapters, which have no run context to carry them yet. */
const ob_tune_settings *ob_tune_settings_current(void);

/* ---------------------------------------------------------------- selection */

/* Where a selected configuration came from. */
typedef enum ob_tune_source {
  OB_TUNE_DEFAULT = 0, /* the device default (mode off) */
  OB_TUNE_FORCED,      /* OCLBENCH_CONFIG_<FAMILY> */
  OB_TUNE_CACHED,      /* an earlier search on this device and driver */
  OB_TUNE_SEARCHED,    /* a search now */
} ob_tune_source;

/* "default", "env", "cache", "tuned". */
const char *ob_tune_source_name(ob_tune_source source);

/* One selection: a family's configuration for one shape on one device. The callbacks get ctx;
 * configurations are the family's structs (family->size bytes). */
typedef struct ob_tune_search {
  const ob_tune_family *family;
  ob_device *dev;
  const char *shape;            /* the cache key within the family: printable, no spaces */
  void *ctx;
  /* The device's default configuration for the shape (mode off, and the values of the keys a
   * forced text leaves out). */
  ob_status (*fallback)(void *ctx, void *cfg);
  /* Optional: OB_OK when a configuration that passes ob_tune_check on the device can run
   * this shape (a cached one that cannot is searched again; a forced one is an error). */
  ob_status (*fits)(void *ctx, const void *cfg);
  /* The candidates in the order they are tried (ties go to the earlier one); a trial may
   * rewrite its candidate (to the values it resolved), on the search's own copy. The cache
   * keeps the list's hash with the winner: a changed list is searched again. */
  const void *candidates;
  size_t ncandidates;
  /* Optional: called once before the first trial (scratch problems); an error ends the
   * search with it. */
  ob_status (*prepare)(void *ctx);
  /* Times *cfg: OB_OK with *score (> 0, lower is better; it goes to the cache file), or an
   * error, which passes the candidate over (its detail is logged as info; a trial that wants
   * a warning, for a wrong result, logs it itself). best: the best score so far, 0 when none
   * (a trial may stop early when it cannot win). */
  ob_status (*trial)(void *ctx, void *cfg, double best, double *score);
  /* > 1: a second round times again each candidate within this factor of the best (best 0:
   * to the end), keeping its faster score, before the best is picked. 0: one round. */
  double recheck;
} ob_tune_search;

/* The configuration for q's family and shape on q->dev, into *out: the forced one (checked on
 * the device and by fits: an error names the variable), else with mode off the fallback, else
 * (mode on) the cached one that still checks and fits, else the best candidate of a search,
 * cached. *source says which; on an error it names the stage that failed (OB_TUNE_FORCED,
 * OB_TUNE_DEFAULT, or OB_TUNE_SEARCHED when no candidate ran or prepare failed, so that a
 * family may fall back on its default). Safe from several threads. */
ob_status ob_tune_select(const ob_tune_settings *s, const ob_tune_search *q, void *out,
                         ob_tune_source *source);

#endif
