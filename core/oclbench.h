/* oclbench core: the one public header of the device-abstraction core.
 *
 * Ownership: the registry owns its devices and their streams; a device is facts, its default
 * stream owns the context, the queue and the programs built for it; whoever creates a kernel or
 * buffer owns it (release it through this API). Every constructor takes an out-parameter and
 * returns an ob_status; every *_destroy(NULL) is a no-op. On failure, ob_error_detail() holds a
 * one-line explanation (raw OpenCL code, expression, file and line) for the CSV `note`, and a
 * failed operation on a stream leaves it in the stream's error buffer too (ob_stream_error).
 */
#ifndef OCLBENCH_H
#define OCLBENCH_H

#include <CL/cl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vendor.h"

#define OB_VERSION "0.1.0"
#define OB_CSV_SCHEMA 1

/* ---------------------------------------------------------------- status and errors */

typedef enum ob_status {
  OB_OK = 0,
  OB_ERR_CL,          /* an OpenCL call failed */
  OB_ERR_BUILD,       /* a program failed to build (log in the detail) */
  OB_ERR_NOMEM,       /* host allocation failed */
  OB_ERR_IO,          /* file system error */
  OB_ERR_INVALID,     /* invalid argument or input (exit code 2 at the CLI) */
  OB_ERR_NO_PLATFORM, /* no OpenCL platform (exit code 3) */
  OB_ERR_UNSUPPORTED, /* the device lacks a feature: a `skipped` row */
  OB_ERR_TOO_LARGE,   /* larger than the device's allocation or memory: a `skipped` row */
  OB_ERR_VERIFY,      /* result differs from the host reference */
  OB_ERR_LIBRARY,     /* an external library (CLBlast, hwloc) failed */
  OB_ERR_BUDGET,      /* predicted to exceed the time budget: a `skipped` row */
  OB_ERR_TIMING,      /* the device's timestamps are unusable (an empty or negative span) */
} ob_status;

/* Short English name of a status ("OpenCL error", "unsupported", ...). */
const char *ob_strerror(ob_status st);

/* Symbolic name of an OpenCL error code ("CL_OUT_OF_RESOURCES"); "CL_UNKNOWN_ERROR" else. */
const char *ob_cl_strerror(cl_int code);

/* Records a one-line detail for the calling thread and returns st, for `return ob_fail(...)`. */
ob_status ob_fail(ob_status st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copies src into dst (n bytes, always NUL-terminated, truncated to fit) with control
 * characters made harmless for a terminal: newline, carriage return and tab become spaces when
 * one_line (they are kept otherwise); every other control byte and DEL is written as \xNN.
 * ob_fail, ob_log and the CLI's messages pass what they echo through it. */
void ob_text_escape(char *dst, size_t n, const char *src, bool one_line);

/* The calling thread's last detail ("" when none). Valid until the next ob_fail. */
const char *ob_error_detail(void);

/* Clears the calling thread's detail. */
void ob_error_clear(void);

/* Checks an OpenCL return code: OB_OK, or OB_ERR_CL with the expression, the code's name and
 * the place recorded as detail. A -5/-36/-9999 from a device with a watchdog says so. */
ob_status ob_cl_check(cl_int code, const char *expr, const char *file, int line);
#define OB_CL(expr) ob_cl_check((expr), #expr, __FILE__, __LINE__)

/* Returns from the enclosing function when the status expression is not OB_OK. */
#define OB_TRY(expr)                                                                             \
  do {                                                                                           \
    ob_status ob_try_st_ = (expr);                                                               \
    if (ob_try_st_ != OB_OK) return ob_try_st_;                                                  \
  } while (0)

/* ---------------------------------------------------------------- configuration */

typedef enum ob_log_level { OB_LOG_ERROR, OB_LOG_WARN, OB_LOG_INFO, OB_LOG_DEBUG } ob_log_level;

/* What the core takes from its user. The program (the CLI: bench/cli.c) reads the environment
 * once at start-up, validates it and hands the result to ob_configure; nothing in core reads
 * the environment. */
typedef struct ob_config {
  ob_log_level log_level;  /* messages up to this level are printed (default OB_LOG_WARN) */
  bool progress;           /* progress on stderr (default true) */
  const char *kernel_dir;  /* cl_kernels/ files read from this directory instead of the copies
                              built into the binary; NULL or "": the built-in copies */
  const char *cache_dir;   /* on-disk cache of program binaries and tuning choices; NULL or
                              "": no on-disk cache */
} ob_config;

/* The defaults: OB_LOG_WARN, progress on, built-in kernels, no on-disk cache. */
void ob_config_default(ob_config *cfg);

/* Makes *cfg the process's configuration (the strings are copied). Call it before creating a
 * registry or any other core object, from one thread. OB_ERR_INVALID when a path is longer
 * than 4095 bytes (nothing changes then). */
ob_status ob_configure(const ob_config *cfg);

/* The configuration in use (the defaults until ob_configure); valid until the next
 * ob_configure. */
const ob_config *ob_config_get(void);

/* ---------------------------------------------------------------- logging and progress */

/* Prints "oclbench: <level>: message" on stderr when level is within the configured level. */
void ob_log(ob_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Progress on stderr: a redrawn bar on a TTY, one plain line per step otherwise; nothing when
 * the configuration turns progress off. Each shows the title (once), the step's number, what
 * runs, the time elapsed and the time left: the estimate of the steps to come (their
 * estimates' sum) scaled by how the steps so far compared with theirs. begin: total steps and
 * their estimated seconds; step: a step starts, with its estimate; end: one line with the
 * steps and the time they took. */
void ob_progress_begin(const char *title, size_t total, double estimate_s);
void ob_progress_step(const char *what, double estimate_s);
void ob_progress_end(void);

/* "12s", "3:05" or "1:02:03": a duration in seconds for people (negative or NAN: "?"). */
void ob_format_duration(char *buf, size_t n, double seconds);

/* ---------------------------------------------------------------- host and topology */

typedef struct ob_host_info {
  char hostname[128];
  char os[128];       /* "Linux 6.1.0-18-amd64" */
  char cpu[160];      /* CPU model string */
  int cores;          /* physical cores */
  int pus;            /* hardware threads */
  int numa_nodes;
} ob_host_info;

/* Fills *out from uname() and hwloc. Never fails hard: unknown fields stay empty/0. */
void ob_host_get(ob_host_info *out);

/* The host CPU's highest clock in MHz: hwloc's CPU kinds (FrequencyMaxMHz, FrequencyBaseMHz),
 * else Linux cpufreq (cpuinfo_max_freq), else the largest "cpu MHz" of /proc/cpuinfo. `source`
 * says which; 0 with the reason in `source` when none is readable. */
unsigned ob_host_cpu_mhz(char *source, size_t n);

/* The host's last-level cache in bytes, summed over its instances (each L3 of a multi-die CPU),
 * through hwloc; 0 when unknown. */
size_t ob_host_llc_bytes(void);

/* NUMA node of the PCI device with bus id "dddd:bb:dd.f" through hwloc; -1 when unknown. */
int ob_host_pci_numa_node(const char *pci_bus_id);

/* ---------------------------------------------------------------- registry and devices */

typedef struct ob_registry ob_registry;
typedef struct ob_device ob_device;

/* Enumerates every platform and device (two-call pattern) in a stable order: platforms as
 * the loader lists them, devices in platform order. OB_ERR_NO_PLATFORM when the loader sees
 * no platform. */
ob_status ob_registry_create(ob_registry **out);
void ob_registry_destroy(ob_registry *reg);
size_t ob_registry_count(const ob_registry *reg);
/* The i-th device, owned by the registry; NULL when i is out of range. */
ob_device *ob_registry_device(const ob_registry *reg, size_t i);

/* Marks in selected[0..count) the devices matched by sel: "all", an index, a slug, "cpu",
 * "gpu", "accel", or a case-insensitive substring of vendor or device name. Returns the
 * number matched; 0 when nothing matched. */
size_t ob_registry_select(const ob_registry *reg, const char *sel, bool *selected);

/* Device facts (never NULL; owned by the device). */
const ob_device_props *ob_device_props_get(const ob_device *dev);
const char *ob_device_slug(const ob_device *dev);  /* "nvidia-gpu-0" */
size_t ob_device_index(const ob_device *dev);
cl_device_id ob_device_id(const ob_device *dev);
cl_platform_id ob_device_platform(const ob_device *dev);
const ob_vendor_profile *ob_device_profile(const ob_device *dev);
bool ob_device_has_extension(const ob_device *dev, const char *ext);
bool ob_device_is_cpu(const ob_device *dev);
/* Whether half arithmetic works: the device reports cl_khr_fp16 AND a test compile of a half
 * kernel succeeds (some drivers advertise it and fail to build half code). The test compile (in
 * a context of its own) runs on the first call for the device only: the registry does not
 * probe, a workload or command that needs the answer asks. */
bool ob_device_fp16(const ob_device *dev);
/* Whether the device's OpenCL C compiler takes NVIDIA's inline PTX (`__asm__` statements of
 * PTX instructions, as in CUDA): a test kernel with one must build, run and give the right
 * number. Probed on the first call for the device, as ob_device_fp16; kernels that use PTX
 * get it only where this says yes. */
bool ob_device_ptx(const ob_device *dev);

/* Theoretical FP32 peak from the vendor profile in GFLOP/s; 0 when unknown. */
double ob_device_fp32_theoretical(const ob_device *dev);

/* Work-group size for a 1-D kernel: the vendor profile's multiple, clamped to what the
 * kernel and device allow; at least 1. */
size_t ob_device_wg_size(const ob_device *dev, cl_kernel kernel, size_t wanted);

/* Whether a built kernel can run work-groups of `items` work-items with `arg_local` bytes of
 * __local arguments besides its own __local arrays: items within the kernel's
 * CL_KERNEL_WORK_GROUP_SIZE (which may be below the device's maximum: registers), its
 * CL_KERNEL_LOCAL_MEM_SIZE plus arg_local within the device's local memory. Query before the
 * __local arguments are set (the kernel's figure would count them). OB_ERR_UNSUPPORTED (a
 * skipped row) with a detail starting with `what` when not; OB_ERR_CL when the query fails. */
ob_status ob_kernel_fits(const ob_device *dev, cl_kernel kernel, size_t items, size_t arg_local,
                         const char *what);

/* ---------------------------------------------------------------- streams */

/* A stream is where work on a device happens, as opposed to the device's facts: its OpenCL
 * context, one in-order queue (with profiling where the device has it), the programs built for
 * it (behind them the on-disk binary cache), its allocation counters, its build records and its
 * error buffer. Each device has one, its default stream, created by ob_device_open (nothing is
 * created while the registry enumerates); the calls of this header that take a device (programs,
 * kernels, buffers, launches, ob_device_queue) work on it. A stream is used by one thread at a
 * time; another thread may read its error buffer once that thread's call has returned. */
typedef struct ob_stream ob_stream;

/* Creates the device's default stream (context and queue) on first use; OB_OK once it exists. */
ob_status ob_device_open(ob_device *dev);
/* The device's default stream; NULL before ob_device_open. */
ob_stream *ob_device_stream(const ob_device *dev);
/* The default stream's context and queue; NULL before ob_device_open. */
cl_context ob_device_context(ob_device *dev);
cl_command_queue ob_device_queue(ob_device *dev);

/* Why the last failed operation on the stream failed (one line, "" when none has): written by
 * the thread that ran the operation, as it failed. Every core call on a device's stream records
 * its failures there; ob_stream_record does it for a model's own operations. */
const char *ob_stream_error(const ob_stream *s);
/* For the end of an operation on the stream that failed with st: records the detail the failure
 * left in the calling thread (ob_error_detail) in the stream's error buffer and returns st.
 * OB_OK, or a NULL stream, changes nothing. */
ob_status ob_stream_record(ob_stream *s, ob_status st);

/* ---------------------------------------------------------------- programs and kernels */

/* Returns (borrowed, owned by the device's default stream) the program built from the named
 * cl_kernels/ files (space-separated, concatenated in order) with the vendor profile's options
 * plus `options`. Built programs are kept per stream and cached on disk as binaries. On a build
 * failure the log is in the detail and kept by the stream. */
ob_status ob_program_get(ob_device *dev, const char *files, const char *options,
                         cl_program *out);

/* Defers (defer true) or resumes (false; the calls nest) writing the binaries of the programs
 * built on dev's default stream to the on-disk cache: a program built while deferred has its
 * binary written when ob_program_get next returns it with writing resumed, so a tuning search's
 * candidates that lost cost no binary (on PoCL the binary is generated code, half of what a
 * cold candidate costs) and the chosen one is written when its workload takes it. Opens the
 * device; a device that cannot be opened (or NULL) is left as it is. */
void ob_program_cache_defer(ob_device *dev, bool defer);

/* Creates a kernel (owned by the caller: clReleaseKernel) from ob_program_get's program. */
ob_status ob_kernel_create(ob_device *dev, const char *files, const char *options,
                           const char *name, cl_kernel *out);

/* One kernel argument by value: its size and where its bytes are (NULL: a __local buffer of
 * that size). OB_KARG(x) is the argument x, a variable or lvalue (a cl_mem variable may hold
 * NULL: a NULL buffer); OB_KARG_LOCAL(bytes) a __local buffer of that many bytes. */
typedef struct ob_kernel_arg {
  size_t size;
  const void *value;
} ob_kernel_arg;
#define OB_KARG(x) ((ob_kernel_arg){sizeof(x), &(x)})
#define OB_KARG_LOCAL(bytes) ((ob_kernel_arg){(bytes), NULL})

/* Sets arguments first, first + 1, ... of k to args[0..n) (OB_ERR_CL naming the argument's
 * index when one is refused). */
ob_status ob_kernel_set_args(cl_kernel k, cl_uint first, const ob_kernel_arg *args, size_t n);

/* One program build, as the runner reports it (compile-time rows). */
typedef struct ob_build_record {
  char files[128];
  char options[256];
  double seconds;   /* wall-clock of the build (or of loading the cached binary) */
  bool from_cache;  /* loaded from the on-disk binary cache */
} ob_build_record;

/* Moves the builds the stream recorded since the last call into out[0..max); returns how many
 * (0 for a NULL stream: a device never opened). */
size_t ob_stream_take_builds(ob_stream *s, ob_build_record *out, size_t max);

/* The built-in (or, with the configuration's kernel_dir, on-disk) source of one cl_kernels/
 * file. *out is malloc'ed, NUL-terminated, owned by the caller. */
ob_status ob_kernel_source(const char *file, char **out, size_t *len);

/* The on-disk cache directory in use: the configuration's cache_dir ("" when caching is off). */
const char *ob_program_cache_dir(void);

/* ---------------------------------------------------------------- buffers */

/* Creates a device buffer and counts it in the default stream's allocation statistics.
 * OB_ERR_TOO_LARGE when bytes exceed CL_DEVICE_MAX_MEM_ALLOC_SIZE or global memory. On CPU
 * devices a buffer of 4 MiB or more is placed on host memory of oclbench's own, advised to
 * huge pages (core/buffer.c): the flags' meaning for the caller is unchanged. */
ob_status ob_buffer_create(ob_device *dev, cl_mem_flags flags, size_t bytes, void *host,
                           cl_mem *out);
/* Releases a buffer made by ob_buffer_create; NULL is a no-op. */
void ob_buffer_release(ob_device *dev, cl_mem buf);
/* Blocking host<->device copies. */
ob_status ob_buffer_write(ob_device *dev, cl_mem buf, size_t offset, size_t bytes,
                          const void *src);
ob_status ob_buffer_read(ob_device *dev, cl_mem buf, size_t offset, size_t bytes, void *dst);
/* Fills with a repeated byte pattern of pattern_size bytes. */
ob_status ob_buffer_fill(ob_device *dev, cl_mem buf, const void *pattern, size_t pattern_size,
                         size_t bytes);
/* Bytes the stream has allocated now and at most since the last reset (0 for a NULL stream). */
size_t ob_stream_mem_current(const ob_stream *s);
size_t ob_stream_mem_peak(const ob_stream *s);
void ob_stream_mem_peak_reset(ob_stream *s);

/* ---------------------------------------------------------------- timing and statistics */

/* Monotonic wall-clock seconds. */
double ob_now(void);

/* Seconds between CL_PROFILING_COMMAND_START and _END of a completed event. An END at or
 * before START (a driver whose timestamps do not advance) is OB_ERR_TIMING with a detail:
 * never a time that a rate could be computed from. */
ob_status ob_event_seconds(cl_event ev, double *seconds);
/* Waits for last, then the seconds from first's START to last's END (the span of a sequence
 * of commands on one in-order queue; first may equal last). OB_ERR_TIMING as above. */
ob_status ob_events_span(cl_event first, cl_event last, double *seconds);
/* Device seconds the calling thread has read through ob_event_seconds and ob_events_span
 * since it started (a running total, never reset): its growth over a stretch of work is the
 * work's kernel time by profiling events (the runner's busy fraction); no growth means the
 * work was not timed by events. */
double ob_event_seconds_total(void);
/* Seconds between QUEUED and START (launch latency as clpeak measures it); a START before
 * QUEUED is OB_ERR_TIMING. */
ob_status ob_event_queue_delay(cl_event ev, double *seconds);

/* Enqueues a kernel on the device's queue: every launch of every workload goes through here
 * (the kernel trace records it). local may be NULL. ev: optional out event, released by the
 * caller. */
ob_status ob_enqueue_kernel(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                            const size_t *local, cl_event *ev);

/* ob_enqueue_kernel with the launch's work for the trace (NAN when unknown). */
ob_status ob_enqueue_kernel_work(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                                 const size_t *local, double flops, double bytes, cl_event *ev);

/* clFinish on the device's queue. */
ob_status ob_device_finish(ob_device *dev);

/* Enqueues a 1-D/2-D kernel, waits for it and returns its event time; the helper for
 * single-kernel work. local may be NULL. */
ob_status ob_kernel_run_timed(ob_device *dev, cl_kernel k, cl_uint dims, const size_t *global,
                              const size_t *local, double *seconds);
/* ob_kernel_run_timed with the launch's work for the trace (NAN when unknown). */
ob_status ob_kernel_run_timed_work(ob_device *dev, cl_kernel k, cl_uint dims,
                                   const size_t *global, const size_t *local, double flops,
                                   double bytes, double *seconds);

typedef struct ob_stats {
  double min, median, max, mean, stddev;
  size_t n;
} ob_stats;

/* A measured FLOP rate above max(measured, theoretical) peak times this is not believed. */
#define OB_PLAUSIBLE_FLOPS_MARGIN 1.10

/* Whether `measured_s`, the device time of `reps` repetitions, can be believed: finite, at least
 * 100 ns per repetition (no device runs a kernel in less), and, once the wall-clock time around
 * the repetitions exceeds 1 s, at least 1/1000 of it (launch overhead never explains more;
 * below 1 s a busy host's scheduling can: 0.27 s of wall clock was seen around a 39 us run
 * while both cores of a 2-core machine compiled). OB_OK, or OB_ERR_TIMING with a detail: a
 * driver whose profiling timestamps do not advance reports nanoseconds for milliseconds of
 * work, which must never become a rate. */
ob_status ob_time_check(double measured_s, size_t reps, double wall_s);

/* Statistics of samples[0..n) (n >= 1); samples are not modified. */
void ob_stats_compute(const double *samples, size_t n, ob_stats *out);

/* Repetitions that fill `budget_s` when one takes `one_s`, within [min_reps, max_reps]. */
size_t ob_reps_for_budget(double one_s, double budget_s, size_t min_reps, size_t max_reps);

/* ---------------------------------------------------------------- kernel trace */

/* Turns recording of kernel launches, transfers and library spans on or off (process-wide;
 * off by default, when it costs one branch per launch). */
void ob_trace_enable(bool on);
bool ob_trace_enabled(void);

/* Records an event (retained by the trace until resolved) under a name and category
 * ("kernel", "transfer", "library"). No-op when tracing is off or ev is NULL. */
void ob_trace_add(const ob_device *dev, cl_event ev, const char *name, const char *cat,
                  cl_uint dims, const size_t *global, const size_t *local, double flops,
                  double bytes);
/* ob_trace_add for a kernel launch, named after the kernel function. */
void ob_trace_add_kernel(const ob_device *dev, cl_event ev, cl_kernel k, cl_uint dims,
                         const size_t *global, const size_t *local, double flops, double bytes);

/* A library call that enqueues kernels oclbench cannot see (CLBlast) is recorded as a span
 * between two markers: begin before the call, end after it (end waits for the call). *marker is
 * NULL when tracing is off; span_end(NULL) is a no-op. */
ob_status ob_trace_span_begin(ob_device *dev, cl_event *marker);
ob_status ob_trace_span_end(ob_device *dev, cl_event marker, const char *name, double flops,
                            double bytes);

/* Waits for pending recorded events and reads their times. */
void ob_trace_flush(void);
/* Forgets every record. */
void ob_trace_reset(void);

/* Resolved records, for tests and tools. */
typedef struct ob_trace_record {
  char name[64];
  char category[16];
  const ob_device *device;
  double seconds;       /* START..END */
  double flops, bytes;  /* NAN when unknown */
} ob_trace_record;
size_t ob_trace_count(void);
bool ob_trace_get(size_t i, ob_trace_record *out);

/* Writes the records as Chrome trace event JSON (one process per device, one thread per queue),
 * atomically. */
ob_status ob_trace_write_json(const char *path);
/* Prints the per-kernel table (count, total, mean, share, GFLOP/s, GB/s) by total time. */
void ob_trace_print_summary(FILE *f);

/* ---------------------------------------------------------------- CSV files and numbers
 * (RFC 4180; the schema-1 record and its columns are bench/results.h) */

/* Formats v with '.' as decimal point whatever the locale; "" for NAN. */
void ob_format_double(char *buf, size_t n, double v);
/* The same with 17 significant digits: ob_parse_double gives v back exactly. */
void ob_format_double_exact(char *buf, size_t n, double v);
/* Parses a whole string as a double under the C locale; false when not a number (leading
 * space, trailing text, NaN, overflow to infinity). Underflow (subnormals) is a number. */
bool ob_parse_double(const char *s, double *out);

/* Strict decimal integers, the one parser behind every integer oclbench reads (flags, graph
 * specs, file fields, environment): an optional sign and digits only, nothing else (no space,
 * hex or exponent). NOT_INTEGER when s is not of that form; OUT_OF_RANGE when it is an integer
 * outside the range (including beyond 64 bits and, for ob_parse_uint, any negative value). */
typedef enum ob_int_result { OB_INT_OK, OB_INT_NOT_INTEGER, OB_INT_OUT_OF_RANGE } ob_int_result;
ob_int_result ob_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
ob_int_result ob_parse_uint(const char *s, uint64_t max, uint64_t *out);

typedef struct ob_csv_writer ob_csv_writer;

/* Opens an arbitrary path for a table of free-form columns (header written at creation). */
ob_status ob_csv_writer_create_path(const char *path, const char *const *header, size_t ncols,
                                    ob_csv_writer **out);
/* Writes one record of fields to f (RFC 4180 quoting where needed, CRLF line end). */
void ob_csv_fput_fields(FILE *f, const char *const *fields, size_t n);
/* Appends raw fields (RFC 4180 quoting as needed). */
ob_status ob_csv_writer_add_fields(ob_csv_writer *w, const char *const *fields, size_t n);
/* Flushes, fsyncs and renames into place; the writer is freed either way. */
ob_status ob_csv_writer_commit(ob_csv_writer *w);
/* Discards the temporary file; NULL is a no-op. */
void ob_csv_writer_destroy(ob_csv_writer *w);
/* Final path of the file being written. */
const char *ob_csv_writer_path(const ob_csv_writer *w);

/* Reads a CSV file with libcsv, calling on_record for each record with its 1-based starting
 * line. A callback returning non-OB_OK stops the read and is returned. Strict RFC 4180;
 * malformed quoting gives OB_ERR_INVALID with "FILE:LINE: reason" as detail. */
typedef ob_status (*ob_csv_record_fn)(void *user, size_t line, char **fields, size_t n);
ob_status ob_csv_read(const char *path, ob_csv_record_fn on_record, void *user);

/* ---------------------------------------------------------------- small utilities */

/* Room for `need` elements of `elem` bytes in an array of *cap: items itself when it has room,
 * else the array reallocated to twice *cap (`first` when empty) or need if more, *cap updated.
 * NULL when out of memory (items and *cap then unchanged, still owned by the caller). */
void *ob_grow(void *items, size_t *cap, size_t need, size_t elem, size_t first);
/* Writes a lower-case slug of s (letters, digits, '-') into buf. */
void ob_slugify(char *buf, size_t n, const char *s);
/* Appends sep (when buf, of size n, holds text already) and the formatted text to buf, cut
 * where it does not fit; true when all of it fit. */
bool ob_appendf(char *buf, size_t n, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool ob_vappendf(char *buf, size_t n, const char *sep, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* Creates a directory and its parents (mode 0777 & ~umask); OB_ERR_IO with a detail. */
ob_status ob_mkdir_p(const char *path);
/* A file written atomically: the data goes to a temporary file in the target's directory whose
 * name is short whatever the target's length (".<hash of host and name>.<pid>.oclbench-tmp"),
 * ob_atomic_commit fsyncs it, renames it over the target and fsyncs the directory; until then
 * the target keeps its previous content. Temporary files of the same target that processes of
 * this host which no longer exist left behind (a SIGKILL) are removed by the next open. */
typedef struct ob_atomic_file {
  FILE *f;            /* write through this; NULL once committed or discarded */
  char path[4096];
  char tmp[4200];
} ob_atomic_file;
/* Opens the temporary file of path. OB_ERR_INVALID for an empty or too long path, OB_ERR_IO
 * when the directory cannot take it. */
ob_status ob_atomic_open(ob_atomic_file *a, const char *path);
/* Flushes, fsyncs, renames into place and fsyncs the directory; on failure the temporary file
 * is removed. The file is closed either way. */
ob_status ob_atomic_commit(ob_atomic_file *a);
/* Closes and removes the temporary file; a no-op after commit or discard. */
void ob_atomic_discard(ob_atomic_file *a);
/* The temporary file name ob_atomic_open uses for path in process pid (for tests and tools). */
void ob_atomic_tmp_path(const char *path, long pid, char *buf, size_t n);
/* Writes data to path atomically through an ob_atomic_file. */
ob_status ob_write_file_atomic(const char *path, const void *data, size_t len);
/* Reads a whole file into a malloc'ed NUL-terminated buffer. */
ob_status ob_read_file(const char *path, char **out, size_t *len);
/* 64-bit FNV-1a hash, continued from h (start with OB_HASH_INIT). */
#define OB_HASH_INIT 0xcbf29ce484222325ull
uint64_t ob_hash(uint64_t h, const void *data, size_t len);

#endif
