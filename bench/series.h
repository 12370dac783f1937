/* Time series of sustained runs (`oclbench run --sustain SECONDS`): per case, one point per
 * interval of repetitions with the rate and what the sensors read, written as a CSV file per
 * device (DIR/sustain/HOST__SLUG.csv, beside its .svg plot) and read back by `oclbench plot`.
 *
 * CSV columns, in this order: t_s, value, clock_mhz, temp_c, power_w (empty where no sensor is
 * readable), reps, rep_seconds (the repetitions' summed time), then the case: host,
 * device_slug, workload, variant, params, metric, unit.
 */
#ifndef OB_SERIES_H
#define OB_SERIES_H

#include "oclbench.h"

/* One interval of a sustained run. */
typedef struct ob_series_point {
  double t_s;        /* end of the interval, seconds since the run's first repetition began */
  double value;      /* the case's first metric over the interval (its unit) */
  double clock_mhz;  /* mean clock over the interval */
  double temp_c;     /* hottest temperature over the interval */
  double power_w;    /* mean power over the interval */
  double reps;       /* repetitions in the interval */
  double seconds;    /* their summed time (column rep_seconds) */
} ob_series_point;

/* One case's series. Strings are owned (malloc'ed), never NULL once added. */
typedef struct ob_series {
  char *host, *device_slug, *workload, *variant, *params, *metric, *unit;
  ob_series_point *points;
  size_t n, cap;
} ob_series;

/* The series of a run (or of the files `plot` read). Zero-initialised: empty. */
typedef struct ob_series_set {
  ob_series *items;
  size_t n, cap;
} ob_series_set;

/* Appends an empty series with copies of the identity strings; *out points at it (valid until
 * the next add). OB_ERR_NOMEM. */
ob_status ob_series_add(ob_series_set *v, const char *host, const char *device_slug,
                        const char *workload, const char *variant, const char *params,
                        const char *metric, const char *unit, ob_series **out);
/* Appends a point. OB_ERR_NOMEM. */
ob_status ob_series_push(ob_series *s, const ob_series_point *p);
/* Frees everything; the set is empty and reusable. */
void ob_series_clear(ob_series_set *v);

/* The path of a device's series file: DIR/sustain/<slugified host>__<slug>.csv. */
void ob_series_csv_path(char *buf, size_t n, const char *dir, const char *host,
                        const char *slug);

/* Writes the series of one host and device_slug, v->items[first..), as CSV at path (its
 * directory created), atomically; *written counts them (0: no file written). */
ob_status ob_series_write_csv(const ob_series_set *v, size_t first, const char *host,
                              const char *slug, const char *path, size_t *written);

/* Reads a series CSV written by ob_series_write_csv, appending its series to v (consecutive
 * lines of one case form one series). OB_ERR_INVALID with "FILE: ..." or "FILE:LINE: reason"
 * when it is not one; OB_ERR_IO when it cannot be read. */
ob_status ob_series_read_csv(const char *path, ob_series_set *v);

/* Repetitions per second of repetition time over the points of s whose t_s lies within
 * [from_s, to_s]: proportional to the rate of a rate metric (the work per repetition is fixed),
 * the inverse of a time metric's mean; for comparing two spans of one series. NAN when no
 * point lies within. */
double ob_series_span_rate(const ob_series *s, double from_s, double to_s);

#endif
