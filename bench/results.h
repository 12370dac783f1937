/* Typed results: one record per measurement (a schema-1 row), a vector of them, and their
 * writers and readers: the per-device CSV files (written atomically), the byte encoding that
 * carries records between processes (MPI), and the CSV reader `compare` uses. A record never
 * travels as text inside a run; text is made only where a file is written.
 *
 * The CSV columns are the column table (ob_result_columns): each names a record field and how
 * it is written and read. Adding a column is adding a field to ob_result and one line to the
 * table in results.c; columns after `note` are optional for readers (a file without them
 * loads, their fields stay empty), and a reader ignores columns it does not know.
 */
#ifndef OB_RESULTS_H
#define OB_RESULTS_H

#include "oclbench.h"

typedef enum ob_result_status {
  OB_RESULT_OK,
  OB_RESULT_SKIPPED, /* reason in the note */
  OB_RESULT_FAILED,  /* OpenCL error, mismatch or implausible value in the note */
} ob_result_status;

typedef enum ob_result_verified {
  OB_VERIFIED_NA,    /* probes: nothing to verify */
  OB_VERIFIED_YES,
  OB_VERIFIED_NO,
} ob_result_verified;

/* One measurement. Strings are owned (malloc'ed) by the record and never NULL once the record
 * is complete; numbers are NAN when empty. compute_units, clock_mhz, global_mem_bytes and reps
 * hold whole numbers. */
typedef struct ob_result {
  char *timestamp_utc;  /* ISO 8601 UTC */
  char *host, *os, *cpu;
  char *platform, *vendor, *device, *device_slug, *device_type, *driver, *cl_version;
  double compute_units, clock_mhz, global_mem_bytes;
  char *workload, *variant, *params, *precision, *metric, *unit;
  double value;
  double time_s_min, time_s_median, time_s_max, reps;
  double flops, bytes, peak_fraction;
  ob_result_verified verified;
  ob_result_status status;
  char *note;
  /* Telemetry over the timed repetitions (optional columns; empty where unknown, the device's
   * first measured row of a run saying why in its note). */
  double energy_j;           /* energy the device drew (J) */
  char *energy_method;       /* "counter" or "power integral" (ob_energy_method_name) */
  double power_mean_w;       /* energy_j over the window's seconds */
  double power_sampled_w;    /* the mean of the driver's power readings (a check on the above) */
  double temp_max_c;
  double clock_mean_mhz, clock_min_mhz;
  char *throttled;           /* "yes", "no", "" when unknown */
  char *throttle_reason;     /* driver reasons and/or the clock drop, when throttled */
  double busy_percent;       /* kernel time from profiling events over wall time, % */
  double driver_busy_percent; /* the driver's utilisation (NVML, gpu_busy_percent), mean % */
} ob_result;

/* How a column's field is stored and written. */
typedef enum ob_column_kind {
  OB_COLUMN_SCHEMA,   /* no field: written as OB_CSV_SCHEMA, read as exactly "1" */
  OB_COLUMN_TEXT,     /* char *: as is */
  OB_COLUMN_REAL,     /* double: ob_format_double ("%.10g"), empty for NAN */
  OB_COLUMN_COUNT,    /* double holding a whole number: without exponent, empty for NAN */
  OB_COLUMN_STATUS,   /* ob_result_status: ok, skipped, failed */
  OB_COLUMN_VERIFIED, /* ob_result_verified: yes, no, n/a */
} ob_column_kind;

typedef struct ob_result_column {
  const char *name;   /* CSV header */
  ob_column_kind kind;
  size_t offset;      /* of the field in ob_result */
  bool required;      /* a row must not leave it empty (device_slug, workload, metric) */
} ob_result_column;

/* The columns in CSV order; the first OB_RESULT_SCHEMA_COLS are schema 1's required columns,
 * which every file holds in this order. */
extern const ob_result_column ob_result_columns[];
extern const size_t ob_result_ncolumns;
#define OB_RESULT_SCHEMA_COLS 32

/* Whether a smaller value of the metric is the better one: times (unit s, ms, us, µs or
 * ns, or a metric named *_time or latency); rates and every other metric are better higher. */
bool ob_metric_lower_is_better(const char *metric, const char *unit);

/* The CSV text of column c of r ("" for empty numbers); buf (n bytes) holds it when it is
 * formatted. */
const char *ob_result_column_text(const ob_result *r, const ob_result_column *c, char *buf,
                                  size_t n);

/* "ok", "skipped", "failed". */
const char *ob_result_status_name(ob_result_status st);
/* "yes", "no", "n/a". */
const char *ob_result_verified_name(ob_result_verified v);

/* An empty record: every string NULL, every number NAN, verified n/a, status ok. */
void ob_result_init(ob_result *r);
/* Frees the record's strings; the record is empty (ob_result_init) afterwards. */
void ob_result_free(ob_result *r);
/* Replaces *field (a string field of a record) with a copy of s (NULL: ""). OB_ERR_NOMEM. */
ob_status ob_result_set(char **field, const char *s);
/* Sets every string field still NULL to "" (the record's strings complete). OB_ERR_NOMEM. */
ob_status ob_result_fill_text(ob_result *r);
/* The text of a string field, "" while it is NULL. */
const char *ob_result_text(const ob_result *r, size_t offset);

/* Fills the host and device columns and the timestamp (now) for a measurement on devs[0..n):
 * one device as it is; n >= 2 (measured together) as device_slug `all-<n>`, device "n x NAME"
 * (or the names joined by " + "), the other text columns joined where they differ, compute
 * units and memory summed, the lowest clock. */
ob_status ob_result_set_identity(ob_result *r, const ob_host_info *host, ob_device *const *devs,
                                 size_t n);

/* Checks a complete record as a reader would a row: the required columns are not empty, the
 * numbers are finite or empty, an ok row has a value. OB_ERR_INVALID with "WHERE:LINE: reason"
 * (WHERE:LINE as given) as the detail. */
ob_status ob_result_check(const ob_result *r, const char *where, size_t line);

/* A growable array of records, owning them. Zero-initialised: empty. */
typedef struct ob_results {
  ob_result *items;
  size_t n, cap;
} ob_results;

/* Appends *r, moving its strings into the vector (*r is empty afterwards, also on failure, when
 * they are freed). */
ob_status ob_results_push(ob_results *v, ob_result *r);
/* Frees every record; the vector is empty and reusable afterwards. */
void ob_results_clear(ob_results *v);
/* How many records have status failed. */
size_t ob_results_failed(const ob_results *v);

/* The per-device file name: DIR/<slugified host>__<slug>.csv. */
void ob_results_csv_path(char *buf, size_t n, const char *dir, const char *host,
                         const char *slug);
/* Where a run's CSV files go when --out is not given: a new directory ROOT/<UTC time>-<host>
 * (yyyymmddThhmmssZ; "-2", "-3", ... when that name is taken), created exclusively so that no
 * two runs share one; its path in buf. OB_ERR_IO when it cannot be created. */
ob_status ob_results_run_dir_create(const char *root, const char *host, char *buf, size_t n);
/* Points ROOT/latest at the run directory dir (a relative symbolic link to its last path
 * component), replaced atomically (a new link renamed over the old one). */
ob_status ob_results_link_latest(const char *root, const char *dir);
/* Whether dir already holds a file a run would write: DIR/<host>__<slug>.csv for one of
 * slugs[0..n), or, when host is NULL (hosts not known yet), any DIR/HOST__SLUG.csv. The first such
 * path goes to found (fn bytes). */
bool ob_results_dir_taken(const char *dir, const char *host, const char *const *slugs, size_t n,
                          char *found, size_t fn);

/* Writes the records of v[first..) of one host and device_slug, in order, as a schema-1 CSV at
 * path, atomically (a killed run leaves the previous file). */
ob_status ob_results_write_csv(const ob_results *v, size_t first, const char *host,
                               const char *slug, const char *path);
/* Writes one CSV per (host, device_slug) of v[first..) into dir (created when missing), named
 * by ob_results_csv_path, as `oclbench run` writes them; *files counts them. */
ob_status ob_results_write_device_csvs(const ob_results *v, size_t first, const char *dir,
                                       size_t *files);

/* Reads a schema-1 CSV file: the header must start with the schema-1 columns in order (more
 * may follow), each row is parsed into a record and checked (ob_result_check, and that every
 * number is a number, status and verified known, schema 1). on_record takes ownership of
 * *r's strings (it may move them with ob_results_push); its status stops the read and is
 * returned. OB_ERR_INVALID with "FILE: ..." when the file is not a schema-1 CSV, is empty or
 * has no rows, "FILE:LINE: reason" for a bad row; OB_ERR_IO when it cannot be read. */
typedef ob_status (*ob_result_fn)(void *user, size_t line, ob_result *r);
ob_status ob_results_read_csv(const char *path, ob_result_fn on_record, void *user);

/* Encodes v[first..) as bytes (malloc'ed, owned by the caller) for another process of the
 * same build; numbers travel bit for bit. */
ob_status ob_results_encode(const ob_results *v, size_t first, char **out, size_t *len);
/* Appends the records of an encoding made by ob_results_encode. OB_ERR_INVALID when it is
 * truncated or malformed. */
ob_status ob_results_decode(ob_results *v, const char *buf, size_t len);

#endif
