/* The run session: results, and per device peaks, memory and builds (see session.h). */
#include "session.h"

#include <stdlib.h>
#include <string.h>

/* What the session keeps about one device. */
typedef struct device_entry {
  const ob_device *dev;
  double peak[OB_NPEAKS];   /* by ob_peak_kind; 0: not measured */
  const ob_workload *peak_wl[OB_NPEAKS]; /* the workload and case spec that measured it */
  const void *peak_spec[OB_NPEAKS];
  size_t mem_before;        /* allocated when the current case began */
  size_t mem_peak;          /* the most one case allocated on the device alone */
  ob_sensors *sensors;      /* NULL: none (or not opened yet) */
  bool sensors_opened;      /* opened or attached: not to be opened again */
  bool sensor_noted;
} device_entry;

struct ob_session {
  ob_host_info host;
  ob_results results;
  size_t failures;          /* without a row */
  device_entry *devices;
  size_t ndevices;
  ob_session_build *builds;
  size_t nbuilds, cap_builds;
  ob_series_set series;
  ob_sensor_config sensor_cfg;
  bool sensor_cfg_set;
};

ob_status ob_session_create(ob_session **out) {
  *out = calloc(1, sizeof **out);
  if (!*out) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_host_get(&(*out)->host);
  return OB_OK;
}

void ob_session_destroy(ob_session *s) {
  if (!s) return;
  ob_results_clear(&s->results);
  ob_series_clear(&s->series);
  for (size_t i = 0; i < s->ndevices; i++) ob_sensors_destroy(s->devices[i].sensors);
  free(s->devices);
  free(s->builds);
  free(s);
}

const ob_host_info *ob_session_host(const ob_session *s) { return &s->host; }

ob_results *ob_session_results(ob_session *s) { return &s->results; }

ob_series_set *ob_session_series(ob_session *s) { return &s->series; }

size_t ob_session_failed(const ob_session *s) {
  return ob_results_failed(&s->results) + s->failures;
}

void ob_session_count_failure(ob_session *s) { s->failures++; }

/* The entry of dev; NULL when the session has none. */
static device_entry *find(const ob_session *s, const ob_device *dev) {
  for (size_t i = 0; i < s->ndevices; i++)
    if (s->devices[i].dev == dev) return &s->devices[i];
  return NULL;
}

/* The entry of dev, added on first sight. */
static ob_status entry(ob_session *s, const ob_device *dev, device_entry **out) {
  *out = find(s, dev);
  if (*out) return OB_OK;
  device_entry *grown = realloc(s->devices, (s->ndevices + 1) * sizeof *grown);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  s->devices = grown;
  *out = &s->devices[s->ndevices++];
  memset(*out, 0, sizeof **out);
  (*out)->dev = dev;
  return OB_OK;
}

double ob_session_peak(const ob_session *s, const ob_device *dev, ob_peak_kind kind) {
  const device_entry *e = find(s, dev);
  return e && kind > OB_PEAK_NONE && kind < OB_NPEAKS ? e->peak[kind] : 0.0;
}

ob_status ob_session_set_peak(ob_session *s, const ob_device *dev, ob_peak_kind kind,
                              double value, const ob_workload *wl, const void *spec) {
  if (kind <= OB_PEAK_NONE || kind >= OB_NPEAKS) return OB_OK;
  device_entry *e = NULL;
  OB_TRY(entry(s, dev, &e));
  if (value > e->peak[kind]) {
    e->peak[kind] = value;
    e->peak_wl[kind] = wl;
    e->peak_spec[kind] = spec;
  }
  return OB_OK;
}

const ob_workload *ob_session_peak_source(const ob_session *s, const ob_device *dev,
                                          ob_peak_kind kind, const void **spec) {
  const device_entry *e = find(s, dev);
  if (!e || kind <= OB_PEAK_NONE || kind >= OB_NPEAKS || !e->peak_wl[kind]) return NULL;
  *spec = e->peak_spec[kind];
  return e->peak_wl[kind];
}

ob_status ob_session_case_begin(ob_session *s, ob_device *const *devs, size_t n) {
  for (size_t d = 0; d < n; d++) {
    device_entry *e = NULL;
    OB_TRY(entry(s, devs[d], &e));
    e->mem_before = ob_stream_mem_current(ob_device_stream(devs[d]));
    ob_stream_mem_peak_reset(ob_device_stream(devs[d]));
  }
  return OB_OK;
}

size_t ob_session_case_end(ob_session *s, ob_device *const *devs, size_t n) {
  size_t peak = 0, before = 0;
  for (size_t d = 0; d < n; d++) {
    const device_entry *e = find(s, devs[d]);
    peak += ob_stream_mem_peak(ob_device_stream(devs[d]));
    before += e ? e->mem_before : 0;
  }
  const size_t bytes = peak > before ? peak - before : 0;
  device_entry *e = n == 1 ? find(s, devs[0]) : NULL;
  if (e && bytes > e->mem_peak) e->mem_peak = bytes;
  return bytes;
}

size_t ob_session_mem_peak(const ob_session *s, const ob_device *dev) {
  const device_entry *e = find(s, dev);
  return e ? e->mem_peak : 0;
}

ob_status ob_session_take_builds(ob_session *s, ob_device *dev, size_t *first, size_t *n) {
  *first = s->nbuilds;
  *n = 0;
  ob_build_record rec[16];
  for (size_t got = ob_stream_take_builds(ob_device_stream(dev), rec, 16); got > 0;
       got = ob_stream_take_builds(ob_device_stream(dev), rec, 16)) {
    ob_session_build *grown =
        ob_grow(s->builds, &s->cap_builds, s->nbuilds + got, sizeof *s->builds, 32);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    s->builds = grown;
    for (size_t i = 0; i < got; i++)
      s->builds[s->nbuilds++] = (ob_session_build){.dev = dev, .record = rec[i]};
    *n += got;
  }
  return OB_OK;
}

const ob_session_build *ob_session_builds(const ob_session *s, size_t *n) {
  *n = s->nbuilds;
  return s->builds;
}

void ob_session_set_sensor_config(ob_session *s, const ob_sensor_config *cfg) {
  s->sensor_cfg = *cfg;
  s->sensor_cfg_set = true;
}

ob_status ob_session_attach_sensors(ob_session *s, const ob_device *dev, ob_sensors *sensors) {
  device_entry *e = NULL;
  ob_status st = entry(s, dev, &e);
  if (st != OB_OK) {
    ob_sensors_destroy(sensors);
    return st;
  }
  ob_sensors_destroy(e->sensors);
  e->sensors = sensors;
  e->sensors_opened = true;
  return OB_OK;
}

ob_status ob_session_sensors(ob_session *s, const ob_device *dev, const ob_sensors **out) {
  *out = NULL;
  device_entry *e = NULL;
  OB_TRY(entry(s, dev, &e));
  if (!e->sensors_opened && s->sensor_cfg_set) {
    OB_TRY(ob_sensors_open(&s->sensor_cfg, ob_device_props_get(dev), &e->sensors));
    e->sensors_opened = true;
  }
  *out = e->sensors;
  return OB_OK;
}

bool ob_session_sensor_note_once(ob_session *s, const ob_device *dev) {
  device_entry *e = NULL;
  if (entry(s, dev, &e) != OB_OK || e->sensor_noted) return false;
  e->sensor_noted = true;
  return true;
}
