/* Telemetry of one measurement: the sensor windows (core/sensors.h) of the devices measured
 * together, through the session's handles (bench/session.h), and the busy fraction (kernel time
 * from profiling events over wall time), folded into a record's telemetry columns. The runner
 * wraps the timed repetitions of each case in one, and each interval of a sustained run in
 * another. */
#ifndef OB_TELEMETRY_H
#define OB_TELEMETRY_H

#include "session.h"

/* Devices one telemetry window covers at most (the rest of a larger group is not read). */
#define OB_TELEMETRY_MAX_DEVICES 16

/* An open window. Owned by its caller between begin and end; used by one thread. */
typedef struct ob_telemetry {
  ob_sensor_window *windows[OB_TELEMETRY_MAX_DEVICES]; /* NULL where a device has no sensors */
  size_t n;
  double wall0;    /* ob_now() at begin */
  double device0;  /* ob_event_seconds_total() at begin */
} ob_telemetry;

/* What a window saw. */
typedef struct ob_telemetry_summary {
  ob_sensor_summary sensors; /* combined over the devices: energy and power summed (unknown
                                when one device's is), the hottest temperature, the mean of the
                                clock means, the lowest clock, throttled when one was */
  double wall_s;             /* wall-clock seconds between begin and end */
  double device_s;           /* kernel seconds this thread read from profiling events in
                                between; 0 when the work was not timed by events */
} ob_telemetry_summary;

/* Opens a window on devs[0..n) (a device listed twice is read once), opening their sensors
 * through the session when it has a configuration. OB_ERR_NOMEM when out of memory (nothing
 * left open). */
ob_status ob_telemetry_begin(ob_session *s, ob_device *const *devs, size_t n, ob_telemetry *t);
/* Closes every window of t and summarises into *out. */
void ob_telemetry_end(ob_telemetry *t, ob_telemetry_summary *out);

/* The busy fraction in percent: device_s over wall_s; NAN when the work was not timed by
 * events (device_s 0) or the window is empty. */
double ob_telemetry_busy_percent(const ob_telemetry_summary *t);

/* Writes t into the telemetry columns of r (ob_result's energy_j ... driver_busy_percent);
 * unknown quantities stay empty. OB_ERR_NOMEM. */
ob_status ob_telemetry_fill(const ob_telemetry_summary *t, ob_result *r);

/* Appends to note ("; "-separated), once per device and run (ob_session_sensor_note_once),
 * what the sensors of devs[0..n) read and, where nothing is readable, why: "sensors: SLUG: none
 * readable (DESCRIPTION)" or "sensors: SLUG: DESCRIPTION" (the slug only for a group). Devices
 * without sensors and without a configuration are not noted. OB_ERR_NOMEM. */
ob_status ob_telemetry_note(ob_session *s, ob_device *const *devs, size_t n, char *note,
                            size_t len);

#endif
