/* Telemetry of one measurement: sensor windows of the devices and the busy fraction. */
#include "telemetry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether devs[i] appeared before in devs[0..i). */
static bool listed_before(ob_device *const *devs, size_t i) {
  for (size_t j = 0; j < i; j++)
    if (devs[j] == devs[i]) return true;
  return false;
}

ob_status ob_telemetry_begin(ob_session *s, ob_device *const *devs, size_t n, ob_telemetry *t) {
  memset(t, 0, sizeof *t);
  t->n = n < OB_TELEMETRY_MAX_DEVICES ? n : OB_TELEMETRY_MAX_DEVICES;
  ob_status st = OB_OK;
  for (size_t d = 0; d < t->n && st == OB_OK; d++) {
    if (listed_before(devs, d)) continue;
    const ob_sensors *sensors = NULL;
    st = ob_session_sensors(s, devs[d], &sensors);
    if (st == OB_OK) st = ob_sensor_window_begin(sensors, &t->windows[d]);
  }
  if (st != OB_OK) {
    for (size_t d = 0; d < t->n; d++) ob_sensor_window_end(t->windows[d], NULL);
    t->n = 0;
    return st;
  }
  t->wall0 = ob_now();
  t->device0 = ob_event_seconds_total();
  return OB_OK;
}

/* fmax/fmin that take the other value when one is NAN. */
static double max_of(double a, double b) { return isnan(a) || b > a ? b : a; }
static double min_of(double a, double b) { return isnan(a) || b < a ? b : a; }

/* Folds device summary d (the k-th with sensors) into the combined one. */
static void combine(ob_sensor_summary *all, const ob_sensor_summary *d, size_t k) {
  if (k == 0) {
    *all = *d;
    return;
  }
  all->seconds = fmax(all->seconds, d->seconds);
  all->energy_j += d->energy_j; /* NAN when either is unknown */
  all->power_mean_w += d->power_mean_w;
  all->power_sampled_w += d->power_sampled_w;
  if (d->energy_method != all->energy_method)
    all->energy_method = isnan(all->energy_j) ? OB_ENERGY_NONE : OB_ENERGY_POWER_INTEGRAL;
  all->temp_max_c = max_of(all->temp_max_c, d->temp_max_c);
  all->clock_mean_mhz = (all->clock_mean_mhz * (double)k + d->clock_mean_mhz) / (double)(k + 1);
  all->clock_min_mhz = min_of(all->clock_min_mhz, d->clock_min_mhz);
  all->mem_clock_mean_mhz = max_of(all->mem_clock_mean_mhz, d->mem_clock_mean_mhz);
  all->busy_mean_percent =
      (all->busy_mean_percent * (double)k + d->busy_mean_percent) / (double)(k + 1);
  if (d->throttled > all->throttled) all->throttled = d->throttled;
  if (d->throttled == 1) {
    const size_t len = strlen(all->throttle_reason);
    if (strcmp(all->throttle_reason, d->throttle_reason) != 0)
      snprintf(all->throttle_reason + len, sizeof all->throttle_reason - len, "%s%s",
               len ? "; " : "", d->throttle_reason);
  }
  all->samples += d->samples;
}

void ob_telemetry_end(ob_telemetry *t, ob_telemetry_summary *out) {
  const double wall1 = ob_now(), device1 = ob_event_seconds_total();
  memset(out, 0, sizeof *out);
  ob_sensor_window_end(NULL, &out->sensors); /* empty until a device has sensors */
  size_t k = 0;
  for (size_t d = 0; d < t->n; d++) {
    if (!t->windows[d]) continue;
    ob_sensor_summary one;
    ob_sensor_window_end(t->windows[d], &one);
    t->windows[d] = NULL;
    combine(&out->sensors, &one, k++);
  }
  t->n = 0;
  out->wall_s = wall1 - t->wall0;
  out->device_s = device1 - t->device0;
}

double ob_telemetry_busy_percent(const ob_telemetry_summary *t) {
  return t->device_s > 0 && t->wall_s > 0 ? 100.0 * t->device_s / t->wall_s : NAN;
}

ob_status ob_telemetry_fill(const ob_telemetry_summary *t, ob_result *r) {
  const ob_sensor_summary *s = &t->sensors;
  r->energy_j = s->energy_j;
  r->power_mean_w = s->power_mean_w;
  r->power_sampled_w = s->power_sampled_w;
  r->temp_max_c = s->temp_max_c;
  r->clock_mean_mhz = s->clock_mean_mhz;
  r->clock_min_mhz = s->clock_min_mhz;
  r->busy_percent = ob_telemetry_busy_percent(t);
  r->driver_busy_percent = s->busy_mean_percent;
  OB_TRY(ob_result_set(&r->energy_method, ob_energy_method_name(s->energy_method)));
  OB_TRY(ob_result_set(&r->throttled, s->throttled < 0 ? "" : s->throttled ? "yes" : "no"));
  return ob_result_set(&r->throttle_reason, s->throttled == 1 ? s->throttle_reason : "");
}

ob_status ob_telemetry_note(ob_session *s, ob_device *const *devs, size_t n, char *note,
                            size_t len) {
  for (size_t d = 0; d < n && d < OB_TELEMETRY_MAX_DEVICES; d++) {
    const ob_sensors *sensors = NULL;
    OB_TRY(ob_session_sensors(s, devs[d], &sensors));
    if (!sensors || !ob_session_sensor_note_once(s, devs[d])) continue;
    const size_t used = strlen(note);
    const bool none = ob_sensors_available(sensors) == 0;
    snprintf(note + used, len - used, "%ssensors: %s%s%s%s%s", used ? "; " : "",
             n > 1 ? ob_device_slug(devs[d]) : "", n > 1 ? ": " : "",
             none ? "none readable (" : "", ob_sensors_describe(sensors), none ? ")" : "");
  }
  return OB_OK;
}
