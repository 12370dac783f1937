/* Measurement windows: a reading at begin and at end, and a sampling thread of the window's own
 * in between; the readings are folded into energy (counter or power integral), mean power, the
 * hottest temperature, clock statistics, utilisation and the throttle verdict. */
#include "sensors_impl.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A clock more than this fraction below the window's first reading counts as throttled. */
#define CLOCK_DROP 0.10

/* What the readings add up to. Touched by the sampling thread only while it runs, by the
 * window's owner before it starts and after it is joined. */
typedef struct accum {
  size_t samples;
  double t_first, t_last;
  bool have_counters;
  double counters[OB_SENSOR_MAX_COUNTERS], counters_t;  /* the last readable counters */
  double counter_j, counter_span_s;    /* energy over the intervals the counters covered */
  double power_prev, power_prev_t;     /* the last readable power (NAN: none yet) */
  double power_j, power_span_s;        /* trapezoids over consecutive power readings */
  double temp_max;
  double clock_sum, clock_min, clock_first, clock_low;
  size_t clock_n;
  double mem_sum, busy_sum;
  size_t mem_n, busy_n;
  unsigned throttle;
} accum;

struct ob_sensor_window {
  const ob_sensors *s;
  accum a;
  bool threaded;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stop;  /* under mu */
};

static void accum_init(accum *a) {
  memset(a, 0, sizeof *a);
  a->power_prev = a->power_prev_t = NAN;
  a->temp_max = a->clock_min = a->clock_first = a->clock_low = NAN;
}

/* The counters' energy since the previous readable counters; false when a counter went back
 * and has no known wrap-around (a reset: the interval is left out). */
static bool counter_delta(const ob_sensors *s, const accum *a, const double *c, double *out) {
  double d = 0.0;
  for (size_t i = 0; i < s->ncounters; i++) {
    double di = c[i] - a->counters[i];
    if (di < 0) {
      if (!(s->wrap_j[i] > 0)) return false;
      di += s->wrap_j[i];
    }
    d += di;
  }
  *out = d;
  return true;
}

static void fold_energy(const ob_sensors *s, accum *a, const ob_sensor_sample *x) {
  const double t = x->r.t_s;
  if (s->ncounters && isfinite(x->r.energy_j)) {
    double d = 0.0;
    if (a->have_counters && counter_delta(s, a, x->counters, &d)) {
      a->counter_j += d;
      a->counter_span_s += t - a->counters_t;
    }
    memcpy(a->counters, x->counters, s->ncounters * sizeof *a->counters);
    a->counters_t = t;
    a->have_counters = true;
  }
  const double p = x->r.power_w;
  if (isfinite(p)) {
    if (isfinite(a->power_prev)) {
      a->power_j += 0.5 * (a->power_prev + p) * (t - a->power_prev_t);
      a->power_span_s += t - a->power_prev_t;
    }
    a->power_prev = p;
    a->power_prev_t = t;
  }
}

/* fmax/fmin that take the other value when one is NAN. */
static double max_of(double a, double b) { return isnan(a) || b > a ? b : a; }
static double min_of(double a, double b) { return isnan(a) || b < a ? b : a; }

static void fold(const ob_sensors *s, accum *a, const ob_sensor_sample *x) {
  const ob_sensor_reading *r = &x->r;
  if (a->samples++ == 0) a->t_first = r->t_s;
  a->t_last = r->t_s;
  fold_energy(s, a, x);
  if (isfinite(r->temp_c)) a->temp_max = max_of(a->temp_max, r->temp_c);
  if (isfinite(r->clock_mhz)) {
    if (a->clock_n++ == 0) a->clock_first = r->clock_mhz;
    a->clock_sum += r->clock_mhz;
    a->clock_low = min_of(a->clock_low, r->clock_mhz);
    a->clock_min = min_of(a->clock_min, r->clock_min_mhz);
  }
  if (isfinite(r->mem_clock_mhz)) {
    a->mem_sum += r->mem_clock_mhz;
    a->mem_n++;
  }
  if (isfinite(r->busy_percent)) {
    a->busy_sum += r->busy_percent;
    a->busy_n++;
  }
  a->throttle |= r->throttle;
}

static void take_sample(ob_sensor_window *w) {
  ob_sensor_sample x;
  ob_sensors_sample(w->s, &x);
  fold(w->s, &w->a, &x);
}

static struct timespec deadline_after(double seconds) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const long long ns = (long long)ts.tv_nsec + (long long)(seconds * 1e9);
  ts.tv_sec += (time_t)(ns / 1000000000LL);
  ts.tv_nsec = (long)(ns % 1000000000LL);
  return ts;
}

static void *sampler(void *arg) {
  ob_sensor_window *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stop) {
    const struct timespec next = deadline_after(w->s->interval_s);
    int rc = 0;
    while (!w->stop && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&w->cv, &w->mu, &next);
    if (w->stop) break;
    pthread_mutex_unlock(&w->mu);
    take_sample(w);
    pthread_mutex_lock(&w->mu);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

/* Starts the sampling thread; false (nothing left initialised) when one cannot be made. */
static bool start_thread(ob_sensor_window *w) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0) return false;
  bool ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
            pthread_cond_init(&w->cv, &attr) == 0;
  pthread_condattr_destroy(&attr);
  if (!ok) return false;
  if (pthread_mutex_init(&w->mu, NULL) != 0) {
    pthread_cond_destroy(&w->cv);
    return false;
  }
  if (pthread_create(&w->thread, NULL, sampler, w) != 0) {
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    return false;
  }
  return true;
}

ob_status ob_sensor_window_begin(const ob_sensors *s, ob_sensor_window **out) {
  if (!out) return ob_fail(OB_ERR_INVALID, "ob_sensor_window_begin: NULL out");
  *out = NULL;
  if (!s || !s->available) return OB_OK;
  ob_sensor_window *w = calloc(1, sizeof *w);
  if (!w) return ob_fail(OB_ERR_NOMEM, "sensor window: out of memory");
  w->s = s;
  accum_init(&w->a);
  take_sample(w);
  if (s->interval_s > 0) {
    w->threaded = start_thread(w);
    if (!w->threaded)
      ob_log(OB_LOG_WARN, "sensors: no sampling thread could be started; the window reads at "
                          "its begin and end only");
  }
  *out = w;
  return OB_OK;
}

static void summary_empty(ob_sensor_summary *o) {
  memset(o, 0, sizeof *o);
  o->energy_j = o->power_mean_w = o->power_sampled_w = o->temp_max_c = NAN;
  o->clock_mean_mhz = o->clock_min_mhz = o->mem_clock_mean_mhz = o->busy_mean_percent = NAN;
  o->energy_method = OB_ENERGY_NONE;
  o->throttled = -1;
}

/* Energy over the whole window from the intervals a source covered (all of them, unless a
 * reading failed at the window's edge). */
static double scaled(double joules, double span_s, double window_s) {
  return span_s > 0 ? joules * (window_s / span_s) : NAN;
}

static void summarise(const ob_sensors *s, const accum *a, ob_sensor_summary *o) {
  summary_empty(o);
  o->samples = a->samples;
  o->seconds = a->t_last - a->t_first;
  o->energy_j = scaled(a->counter_j, a->counter_span_s, o->seconds);
  o->energy_method = OB_ENERGY_COUNTER;
  if (!isfinite(o->energy_j)) {
    o->energy_j = scaled(a->power_j, a->power_span_s, o->seconds);
    o->energy_method = OB_ENERGY_POWER_INTEGRAL;
  }
  if (!isfinite(o->energy_j)) {
    o->energy_j = NAN;
    o->energy_method = OB_ENERGY_NONE;
  } else if (o->seconds > 0) {
    o->power_mean_w = o->energy_j / o->seconds;
  }
  if (a->power_span_s > 0) o->power_sampled_w = a->power_j / a->power_span_s;
  o->temp_max_c = a->temp_max;
  if (a->clock_n) {
    o->clock_mean_mhz = a->clock_sum / (double)a->clock_n;
    o->clock_min_mhz = a->clock_min;
  }
  if (a->mem_n) o->mem_clock_mean_mhz = a->mem_sum / (double)a->mem_n;
  if (a->busy_n) o->busy_mean_percent = a->busy_sum / (double)a->busy_n;
  if (!(s->available & OB_SENSE_THROTTLE) && a->clock_n == 0) return;
  const unsigned limiting = a->throttle & OB_THROTTLE_LIMITING;
  const bool dropped = a->clock_n > 1 && a->clock_low < (1.0 - CLOCK_DROP) * a->clock_first;
  o->throttled = limiting || dropped;
  ob_sensor_throttle_text(limiting, o->throttle_reason, sizeof o->throttle_reason);
  if (dropped) {
    const size_t len = strlen(o->throttle_reason);
    snprintf(o->throttle_reason + len, sizeof o->throttle_reason - len,
             "%sclock fell %.0f%% below its start (%.0f -> %.0f MHz)", len ? ", " : "",
             100.0 * (1.0 - a->clock_low / a->clock_first), a->clock_first, a->clock_low);
  }
}

void ob_sensor_window_end(ob_sensor_window *w, ob_sensor_summary *out) {
  if (!w) {
    if (out) summary_empty(out);
    return;
  }
  if (w->threaded) {
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
  }
  take_sample(w);
  if (out) summarise(w->s, &w->a, out);
  free(w);
}
