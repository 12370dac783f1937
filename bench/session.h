/* The run session: everything one run measures besides the devices' facts. The results, and
 * per device the measured peaks (the denominators of peak_fraction and the plausibility
 * bounds), the device memory the cases allocated, the program builds and the device's sensors
 * (opened once per run, read by the runner's measurement windows). The runner fills it;
 * whoever runs (oclbench run, a rank of oclbench-mpi, a test) creates and destroys it. The
 * devices keep none of it: core's allocation statistics and build records are read through
 * here, once per case.
 */
#ifndef OB_SESSION_H
#define OB_SESSION_H

#include "results.h"
#include "sensors.h"
#include "series.h"
#include "workload.h"

typedef struct ob_session ob_session;

/* An empty session of this host (ob_host_get). */
ob_status ob_session_create(ob_session **out);
/* Frees everything; NULL is a no-op. */
void ob_session_destroy(ob_session *s);

/* The host the records are stamped with. */
const ob_host_info *ob_session_host(const ob_session *s);
/* The records of the run, in the order they were measured (owned by the session). */
ob_results *ob_session_results(ob_session *s);
/* The time series of the run's sustained cases (--sustain), in the order measured (owned by
 * the session). */
ob_series_set *ob_session_series(ob_session *s);
/* Failed rows plus failures without a row (a device that did not open). */
size_t ob_session_failed(const ob_session *s);
/* Counts a failure that has no row. */
void ob_session_count_failure(ob_session *s);

/* The measured peak of a kind on dev, in base units per second (FLOP/s, B/s); 0 until
 * measured. Setting keeps the larger value, and with it the case that measured it (wl NULL:
 * none): the entry `spec` of wl's cases on dev (ob_case.spec), which the runner measures again
 * before it calls a row implausible against that peak (bench/runner_case.c). */
double ob_session_peak(const ob_session *s, const ob_device *dev, ob_peak_kind kind);
ob_status ob_session_set_peak(ob_session *s, const ob_device *dev, ob_peak_kind kind,
                              double value, const ob_workload *wl, const void *spec);
/* The workload whose case measured dev's peak of a kind, and that case's spec in *spec; NULL
 * when none did (never measured, or set without a workload). */
const ob_workload *ob_session_peak_source(const ob_session *s, const ob_device *dev,
                                          ob_peak_kind kind, const void **spec);

/* Device memory of one case on devs[0..n): begin resets the allocation peaks of the devices'
 * streams (core's ob_stream_mem_* statistics) before setup; end, after the case, returns the
 * most the case had allocated at once (summed over the devices) and, for a case on one device,
 * raises that device's ob_session_mem_peak. */
ob_status ob_session_case_begin(ob_session *s, ob_device *const *devs, size_t n);
size_t ob_session_case_end(ob_session *s, ob_device *const *devs, size_t n);
/* The most device memory one case allocated on dev alone; 0 when none ran. */
size_t ob_session_mem_peak(const ob_session *s, const ob_device *dev);

/* Where the devices' sensors are read from: the session copies cfg (its strings must outlive
 * the session) and opens a device's sensors on the first ob_session_sensors for it. Without
 * this call (or an attached handle) a device has no sensors: its rows' telemetry stays empty
 * and no note is written about it. */
void ob_session_set_sensor_config(ob_session *s, const ob_sensor_config *cfg);
/* Gives dev the handle sensors, which the session owns from now on (an earlier handle of dev
 * is destroyed): for tests, and callers that open their own. OB_ERR_NOMEM (sensors destroyed). */
ob_status ob_session_attach_sensors(ob_session *s, const ob_device *dev, ob_sensors *sensors);
/* dev's sensors: the attached handle, or the one opened on the first call when a configuration
 * is set; *out NULL when the device has none. OB_ERR_NOMEM when out of memory. */
ob_status ob_session_sensors(ob_session *s, const ob_device *dev, const ob_sensors **out);
/* True the first time it is asked for dev, false after: the runner writes a device's sensor
 * note on the device's first measured row of the run only. */
bool ob_session_sensor_note_once(ob_session *s, const ob_device *dev);

/* One program build a device made during the run. */
typedef struct ob_session_build {
  const ob_device *dev;
  ob_build_record record;
} ob_session_build;

/* Moves the builds dev recorded since the last call (core's ob_stream_take_builds on the device's stream) into the
 * session; *first is the index of the first one in ob_session_builds, *n how many. */
ob_status ob_session_take_builds(ob_session *s, ob_device *dev, size_t *first, size_t *n);
/* The builds of the run so far (*n of them), in order. */
const ob_session_build *ob_session_builds(const ob_session *s, size_t *n);

#endif
