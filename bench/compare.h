/* Cross-device comparison of schema-1 results.
 *
 * Records come from any number of CSV files (from any machines), read into typed records
 * (bench/results.h), or from a run's results vector. Each distinct (source, host, device_slug)
 * is one device column, labelled "host/slug"; when two sources hold the same host and slug (two runs on one machine), the
 * later columns are labelled "host/slug#2", "host/slug#3", ... so both stay comparable.
 *
 * Rows are joined on (workload, variant, params, precision, metric). Parameters chosen per
 * device at run time (calibrated round counts, launch sizes, probe sizes) would otherwise keep
 * the same measurement of two devices on separate rows, so after the exact join the rows of
 * one (workload, variant, precision, metric) are merged into one when every device has at most
 * one of them; the merged params keep the pairs all devices share and show the others as
 * "key=*". Compile-time rows (metric compile_time) are left out. A duplicate row within one
 * device is reported as a warning and ignored. Reading, joining and merging take time linear in
 * the rows (hash indexes); memory is the rows' text plus one cell per row and device column.
 *
 * The comparison owns copies of everything it read; pointers it hands out stay valid until
 * ob_compare_destroy.
 */
#ifndef OB_COMPARE_H
#define OB_COMPARE_H

#include "results.h"

typedef struct ob_compare ob_compare;

/* Device columns one comparison takes at most (a device is a (source, host, device_slug)). */
#define OB_COMPARE_MAX_DEVICES 128

/* One device column. */
typedef struct ob_compare_device {
  const char *label;    /* "host/slug" or "host/slug#N" (or "slug" when host is empty) */
  const char *host, *slug, *name, *platform, *driver;
  const char *source;   /* the file it came from; "" for in-memory rows */
} ob_compare_device;

/* One joined row: the join key and unit. params is the merged form ("key=*" where devices
 * differ). */
typedef struct ob_compare_row {
  const char *workload, *variant, *params, *precision, *metric, *unit;
} ob_compare_row;

/* One device's measurement of a joined row. */
typedef struct ob_compare_cell {
  const ob_result *result; /* the device's record: status, value, peak_fraction, its own params,
                              note */
  double ratio;            /* the speedup over the baseline: how many times better this value
                              is, whichever way the metric is better (ob_metric_lower_is_better:
                              baseline / value for times, value / baseline for rates), so above 1
                              always means faster; NAN for the baseline itself and when either is
                              not an ok, non-zero number */
  const char *source;      /* file and 1-based line of the row ("" and 0 for in-memory rows) */
  size_t line;
} ob_compare_cell;

/* Creates an empty comparison. */
ob_status ob_compare_create(ob_compare **out);
/* Frees everything; NULL is a no-op. */
void ob_compare_destroy(ob_compare *cmp);

/* Reads and validates one schema-1 CSV file (ob_results_read_csv) and adds its devices.
 * OB_ERR_INVALID with a one-line detail: "FILE: ..." when the file is not a schema-1 CSV (or
 * empty), "FILE:LINE: reason" for a bad row (field count, a non-numeric number, unknown status
 * or verified, an ok row without a value). OB_ERR_IO when it cannot be read. Must come before
 * ob_compare_join. */
ob_status ob_compare_add_file(ob_compare *cmp, const char *path);

/* Adds records already in memory (a run's), checked like a file's rows (ob_result_check).
 * They are borrowed, not copied: rows must stay unchanged until ob_compare_destroy. */
ob_status ob_compare_add_results(ob_compare *cmp, const ob_results *rows);

/* Labels the device columns of the file source (a path as given to ob_compare_add_file): NAME
 * when the file holds one device, NAME/slug for each when it holds several. OB_ERR_INVALID when
 * no file was added under that path, name is empty or all digits (a column index), or two
 * columns would then share a label. Before ob_compare_set_baseline. */
ob_status ob_compare_set_label(ob_compare *cmp, const char *source, const char *name);

/* Chooses the baseline column: a column index, a label ("host/slug", "host/slug#2", or one
 * given by ob_compare_set_label), "host:slug" or a slug. OB_ERR_INVALID when sel matches none
 * (naming the columns) or several (naming those, with their files, and how to pick one: an
 * index, a label, --label). The default baseline is column 0 (the first device of the first
 * source). */
ob_status ob_compare_set_baseline(ob_compare *cmp, const char *sel);

/* Joins the rows (see above). OB_ERR_INVALID when no device was added or one metric has two
 * units. Call once, after the adds; the accessors below need it. */
ob_status ob_compare_join(ob_compare *cmp);

size_t ob_compare_ndevices(const ob_compare *cmp);
/* The i-th device column (i < ob_compare_ndevices). */
const ob_compare_device *ob_compare_device_get(const ob_compare *cmp, size_t i);
size_t ob_compare_baseline(const ob_compare *cmp);

size_t ob_compare_nrows(const ob_compare *cmp);
/* The r-th joined row, grouped by workload in order of first appearance. */
const ob_compare_row *ob_compare_row_get(const ob_compare *cmp, size_t r);
/* Fills *out with device dev's measurement of row r; false (and *out untouched) when that
 * device has no such row. */
bool ob_compare_cell_get(const ob_compare *cmp, size_t r, size_t dev, ob_compare_cell *out);

#endif
