/* A workload as data: the cases it measures on a device, and setup/run/verify/teardown.
 *
 * The runner (bench/) owns the loop: it asks a workload for its cases, allocates one zeroed
 * state of `state_size` bytes per case, sets the case up in it, warms it up (untimed),
 * calibrates repetitions to the time budget, runs them, verifies the last result against the
 * host reference, tears the case down, frees the state and writes one result per metric. A
 * workload knows nothing of the runner, the CLI or the CSV file.
 *
 * Each workload describes its cases with a case struct of its own (sizes, precisions, the
 * implementation to run), in a static table: ob_case.spec points at the entry a case measures,
 * and setup reads it from there. Adding a workload is one folder in models/ and one line in
 * bench/workloads.c (README, "Adding a workload").
 */
#ifndef OB_WORKLOAD_H
#define OB_WORKLOAD_H

#include "oclbench.h"

/* A device's measured peak, in base units per second: the denominators of `peak_fraction`
 * (the run session keeps them, bench/session.h). OB_PEAK_BANDWIDTH: the copy rate (read +
 * write), the denominator of bandwidth utilisation; OB_PEAK_READ: the read-only rate, the
 * upper bound of plausible memory-bound rates. */
typedef enum ob_peak_kind {
  OB_PEAK_NONE = 0,
  OB_PEAK_FP32,
  OB_PEAK_BANDWIDTH,
  OB_PEAK_READ,
  OB_NPEAKS
} ob_peak_kind;

typedef enum ob_metric_kind {
  OB_METRIC_RATE, /* value = work / seconds / scale (GFLOP/s, GB/s, flips/ns) */
  OB_METRIC_TIME, /* value = seconds * scale (us, ms) */
} ob_metric_kind;

typedef struct ob_metric {
  const char *name;       /* CSV `metric`: "gflops", "bandwidth", "step_time", ... */
  const char *unit;       /* CSV `unit`: "GFLOP/s", "GB/s", "us", ... */
  ob_metric_kind kind;
  double work;            /* RATE: units of work per repetition (FLOP, bytes, flips) */
  double scale;           /* RATE: divisor (1e9: GFLOP/s from FLOP); TIME: multiplier (1e6: us) */
  ob_peak_kind peak;      /* measured peak that `peak_fraction` divides by; NONE: empty */
  ob_peak_kind provides;  /* this metric measures the device's peak of that kind */
  /* A RATE not divided by a peak may still be bounded by one: a rate above limit_per_peak
   * work units per unit of the device's FP32 peak (FLOP/s, the larger of measured and
   * theoretical) is implausible. 0: no such bound. A rate divided by the FP32 peak is
   * bounded by that peak, or by limit_per_peak times it when above 1 (work counted beyond
   * the arithmetic done: a Winograd convolution in direct-convolution FLOPs). */
  double limit_per_peak;
  /* Energy efficiency: when the run knows the energy of the timed repetitions, a row of its
   * own beside this one, metric energy_name in energy_unit. RATE: work per joule divided by
   * energy_scale (1: flips/J; 1e9: GFLOP/J); TIME: joules per repetition times energy_scale
   * (1e6: uJ per step). NULL energy_name: no such row (ob_metric_per_joule sets them). */
  const char *energy_name, *energy_unit;
  double energy_scale;
} ob_metric;

#define OB_MAX_METRICS 3

/* One measured configuration. Strings are copied into the case. */
typedef struct ob_case {
  const void *spec;       /* the workload's own description of the case: an entry of its case
                             table (or of a test's), which outlives the case */
  char variant[64];       /* CSV `variant`: implementation ("own", "clblast", "float4") */
  char params[256];       /* CSV `params`: "m=1024;n=1024;k=1024" */
  char precision[16];     /* CSV `precision`: "fp32", "fp16", "int8", "" */
  char series[64];        /* cases of a series grow in cost; see `cost` */
  char note[256];         /* what the device chose for the case (tuned configuration, launch
                             shape): the start of the CSV `note`, so that `params` stay the
                             same on every device and rows join across devices */
  char size[32];          /* the problem size, as `run --sizes` chooses it and progress shows it
                             ("1024", "fc1024", "resnet_64x56", "10.5M", "grid:20x20"); "": not
                             chosen by size (the peak probes) */
  char detail[48];        /* what else tells cases of one variant, precision and size apart in
                             progress ("backward_data", "adamw", "chains=128"); may be "" */
  size_t chains;          /* Markov chains sampled at once, as `run --chains` chooses them; 0:
                             not a sampler case */
  double cost;            /* relative cost in the series: predicts a repetition's time from the
                             previous case's (0: no prediction) */
  double flops, bytes;    /* per repetition; NAN when not meaningful */
  ob_metric metrics[OB_MAX_METRICS];
  size_t nmetrics;
} ob_case;

typedef struct ob_run_opts {
  bool quick;             /* the small sizes only */
  double seconds;         /* time budget per case */
  double sustain;         /* > 0: each case repeats for this many seconds (a sustained run) */
  /* The runner's choice among the listed cases (run --sizes, --chains; workloads ignore it):
   * a case runs when its size is "" or one of sizes[0..nsizes) (none given: any), and its
   * chains are 0 or one of chains[0..nchains) (none given: any). */
  const char *const *sizes;
  size_t nsizes;
  const size_t *chains;
  size_t nchains;
} ob_run_opts;

/* The result of comparing the device's result with the host reference. */
typedef struct ob_verdict {
  bool checked;           /* false: `verified` is n/a */
  bool ok;
  char note[256];         /* error figure, e.g. "rel_err=3.1e-07 (bound 3.2e-05)" */
} ob_verdict;

/* What a workload needs measured on a device before it runs (ob_workload.needs), and what it
 * measures for the others (ob_workload.provides): the runner runs a provider of every need of
 * the selected workloads first, whatever the order of the workloads. */
typedef enum ob_workload_need {
  OB_NEEDS_PEAKS = 1u << 0, /* the device's measured peaks (peak_fraction, plausibility) */
} ob_workload_need;

typedef struct ob_workload {
  const char *name;         /* CLI and CSV name: "peak", "ising", ... */
  const char *description;  /* one line for --help */
  unsigned needs;           /* OB_NEEDS_* bits */
  unsigned provides;        /* OB_NEEDS_* bits this workload measures */
  size_t state_size;        /* bytes of a case's state, allocated zeroed by the runner */
  /* Fills cases[0..max) for this device; returns how many. */
  size_t (*list_cases)(const ob_device *dev, const ob_run_opts *opts, ob_case *cases, size_t max);
  /* Optional: a once-per-device check whose verdict applies to every row of the workload
   * (the Ising sampler's exact-enumeration test). NULL: per-case verify only. */
  ob_status (*device_check)(ob_device *dev, ob_verdict *out);
  /* Allocates and uploads what the case needs into state (state_size zeroed bytes);
   * OB_ERR_UNSUPPORTED / OB_ERR_TOO_LARGE make a `skipped` row, any other error a `failed`
   * row. Setup may complete the case (flops, bytes, metric work, note) where they depend on
   * calibration. */
  ob_status (*setup)(void *state, ob_device *dev, ob_case *c);
  /* Optional: setup of one case over n >= 2 devices at once (--shard), the work split among
   * them; the state then goes to the same run/verify/teardown. NULL: single devices only. */
  ob_status (*setup_group)(void *state, ob_device *const *devs, size_t n, ob_case *c);
  /* One repetition; *seconds is its time (events for one kernel, wall-clock around clFinish
   * for several). */
  ob_status (*run)(void *state, double *seconds);
  /* Optional: compares the last result with the host reference. NULL: n/a (probes). out may
   * hold the device check's note already: a verify appends to it. */
  ob_status (*verify)(void *state, ob_verdict *out);
  /* Frees what setup made, also after a failed or partial setup (the state stays zeroed where
   * setup did not get to); never the state itself. */
  void (*teardown)(void *state);
} ob_workload;

/* Case construction helpers. */
void ob_case_init(ob_case *c, const void *spec, const char *variant, const char *precision,
                  const char *series, double cost);
/* Appends "key=value" (with ';' between pairs) to c->params. */
void ob_case_param(ob_case *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "key=value" (with "; " between pairs) to c->note. */
void ob_case_note(ob_case *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a metric; returns it for further fields. */
ob_metric *ob_case_metric(ob_case *c, const char *name, const char *unit, ob_metric_kind kind,
                          double work, double scale, ob_peak_kind peak);
/* Gives m an energy-efficiency row (ob_metric.energy_name, energy_unit, energy_scale); returns
 * m for further fields. */
ob_metric *ob_metric_per_joule(ob_metric *m, const char *name, const char *unit, double scale);

#endif
