/* Core: registry, selection, configuration, streams, programs and the binary cache, buffers, statistics,
 * utilities. */
#include "support.h"

#include <float.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int type_rank(cl_device_type t) {
  return t & CL_DEVICE_TYPE_GPU ? 0 : t & CL_DEVICE_TYPE_ACCELERATOR ? 1 : t & CL_DEVICE_TYPE_CPU ? 2 : 3;
}

static void registry_finds_devices_with_sane_properties(void **state) {
  (void)state;
  ob_registry *reg = ob_test_registry();
  size_t n = ob_registry_count(reg);
  assert_true(n >= 1);
  for (size_t i = 0; i < n; i++) {
    const ob_device *d = ob_registry_device(reg, i);
    const ob_device_props *p = ob_device_props_get(d);
    assert_int_equal(ob_device_index(d), i);
    assert_true(strlen(p->name) > 0);
    assert_true(p->compute_units >= 1);
    assert_true(p->global_mem > 0);
    assert_true(p->max_alloc > 0 && p->max_alloc <= p->global_mem);
    assert_true(p->max_wg >= 1);
    assert_true(p->local_mem > 0);
    /* A clock of 0 is the host CPU's for CPU devices, or says why it is unknown. */
    assert_true(p->clock_source[0] != '\0');
    if (p->clock_mhz == 0) assert_true(strncmp(p->clock_source, "unknown", 7) == 0);
    /* A CPU of a known implementation with a clock has a theoretical peak (host lanes). */
    const bool known_cpu = p->type == CL_DEVICE_TYPE_CPU && p->vendor_class != OB_VENDOR_OTHER;
    if (known_cpu && p->clock_mhz > 0 && !(ob_device_fp32_theoretical(d) > 0))
      fail_msg("%s: %u MHz (%s) but no theoretical peak", ob_device_slug(d), p->clock_mhz,
               p->clock_source);
    assert_non_null(strstr(p->cl_version, "OpenCL"));
    /* A CPU device runs on the host, so it has the host's byte order. */
    const uint16_t one = 1;
    if (p->type == CL_DEVICE_TYPE_CPU)
      assert_int_equal(p->little_endian, *(const unsigned char *)&one == 1);
    /* fp16: probed on the first question (a test compile), the same answer afterwards. */
    const bool fp16 = ob_device_fp16(d);
    if (!strstr(p->extensions, "cl_khr_fp16")) assert_false(fp16);
    assert_int_equal(ob_device_fp16(d), fp16);
    /* Inline PTX: NVIDIA's compiler only (CPU devices are not asked), the same answer
     * afterwards. */
    const bool ptx = ob_device_ptx(d);
    if (p->vendor_class != OB_VENDOR_NVIDIA) assert_false(ptx);
    assert_int_equal(ob_device_ptx(d), ptx);
    assert_true(strcmp(p->type_name, "cpu") == 0 || strcmp(p->type_name, "gpu") == 0 ||
                strcmp(p->type_name, "accel") == 0 || strcmp(p->type_name, "other") == 0);
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(ob_device_slug(d), ob_device_slug(ob_registry_device(reg, j)));
    /* slug = <vendor>-<type>-<n> */
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s-%s-", ob_vendor_slug(p->vendor_class), p->type_name);
    assert_true(strncmp(ob_device_slug(d), prefix, strlen(prefix)) == 0);
    /* The order: GPUs, accelerators, CPUs, others; within a type, by vendor class (unknown
     * vendors last) then platform name, whatever order the ICD loader lists them in. */
    if (i > 0) {
      const ob_device_props *q = ob_device_props_get(ob_registry_device(reg, i - 1));
      const int rp = type_rank(p->type), rq = type_rank(q->type);
      assert_true(rq <= rp);
      if (rq == rp) {
        const int vp = p->vendor_class == OB_VENDOR_OTHER ? OB_VENDOR_COUNT : (int)p->vendor_class;
        const int vq = q->vendor_class == OB_VENDOR_OTHER ? OB_VENDOR_COUNT : (int)q->vendor_class;
        assert_true(vq <= vp);
        if (vq == vp) assert_true(strcmp(q->platform, p->platform) <= 0);
      }
    }
  }
  assert_null(ob_registry_device(reg, n));
}

static void selection_by_index_slug_type_and_substring(void **state) {
  (void)state;
  ob_registry *reg = ob_test_registry();
  size_t n = ob_registry_count(reg);
  bool *m = calloc(n, sizeof *m);
  assert_int_equal(ob_registry_select(reg, "all", m), n);
  memset(m, 0, n);
  assert_int_equal(ob_registry_select(reg, "0", m), 1);
  assert_true(m[0]);
  memset(m, 0, n);
  const ob_device *d0 = ob_registry_device(reg, 0);
  assert_int_equal(ob_registry_select(reg, ob_device_slug(d0), m), 1);
  assert_true(m[0]);
  memset(m, 0, n);
  assert_true(ob_registry_select(reg, ob_device_props_get(d0)->type_name, m) >= 1);
  assert_true(m[0]);
  /* a case-changed substring of the device name */
  char sub[8];
  snprintf(sub, sizeof sub, "%.4s", ob_device_props_get(d0)->name);
  for (char *p = sub; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p + (*p >= 'A' && *p <= 'Z' ? 32 : 0));
  memset(m, 0, n);
  assert_true(ob_registry_select(reg, sub, m) >= 1);
  assert_true(m[0]);
  /* a vendor class selects exactly the devices of that class (not PoCL on an Intel CPU for
   * "intel": an exact name wins over substrings) */
  const ob_vendor v0 = ob_device_props_get(d0)->vendor_class;
  memset(m, 0, n);
  const size_t nclass = ob_registry_select(reg, ob_vendor_slug(v0), m);
  assert_true(nclass >= 1);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(m[i], ob_device_props_get(ob_registry_device(reg, i))->vendor_class == v0);
  memset(m, 0, n);
  assert_int_equal(ob_registry_select(reg, "no-such-device-xyz", m), 0);
  assert_int_equal(ob_registry_select(reg, "999", m), 0);
  assert_int_equal(ob_registry_select(reg, "", m), 0);
  free(m);
}

/* Whether a fresh registry (new process state) loads the program of opts from the disk cache.
 * It builds with binaries deferred, so asking writes nothing. */
static bool program_binary_on_disk(ob_device *dev, const char *opts) {
  ob_registry *reg = NULL;
  OB_ASSERT_OK(ob_registry_create(&reg));
  ob_device *fresh = ob_registry_device(reg, ob_device_index(dev));
  ob_program_cache_defer(fresh, true);
  cl_kernel k = NULL;
  OB_ASSERT_OK(ob_kernel_create(fresh, "peak.cl", opts, "empty", &k));
  clReleaseKernel(k);
  ob_build_record rec[8];
  assert_int_equal(ob_stream_take_builds(ob_device_stream(fresh), rec, 8), 1);
  const bool cached = rec[0].from_cache;
  ob_registry_destroy(reg);
  return cached;
}

static void program_builds_and_loads_from_binary_cache(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  ob_build_record rec[8];
  ob_stream_take_builds(ob_device_stream(dev), rec, 8);
  /* A unique define makes a program no earlier run has cached. */
  char opts[64];
  snprintf(opts, sizeof opts, "-DTEST_NONCE=%ld", (long)ob_now());
  cl_kernel k = NULL;
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", opts, "empty", &k));
  clReleaseKernel(k);
  assert_int_equal(ob_stream_take_builds(ob_device_stream(dev), rec, 8), 1);
  assert_false(rec[0].from_cache);
  assert_true(rec[0].seconds > 0);
  /* Same program again in this device: no build at all. */
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", opts, "empty", &k));
  clReleaseKernel(k);
  assert_int_equal(ob_stream_take_builds(ob_device_stream(dev), rec, 8), 0);
  /* A fresh registry (new process state) loads it from the disk cache. */
  assert_true(program_binary_on_disk(dev, opts));
}

/* A program built while binaries are deferred (a tuning search) reaches the disk cache only
 * when it is taken again with writing resumed; one never taken again never does. */
static void deferred_binaries_are_written_when_taken_again(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  char chosen[64], passed_over[64];
  snprintf(chosen, sizeof chosen, "-DTEST_NONCE=%ld -DCHOSEN", (long)ob_now());
  snprintf(passed_over, sizeof passed_over, "-DTEST_NONCE=%ld -DPASSED", (long)ob_now());
  cl_kernel k = NULL;
  ob_program_cache_defer(dev, true);
  ob_program_cache_defer(dev, true); /* nested: written only once both are resumed */
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", chosen, "empty", &k));
  clReleaseKernel(k);
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", passed_over, "empty", &k));
  clReleaseKernel(k);
  ob_program_cache_defer(dev, false);
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", chosen, "empty", &k));
  clReleaseKernel(k);
  assert_false(program_binary_on_disk(dev, chosen));
  ob_program_cache_defer(dev, false);
  ob_program_cache_defer(dev, false); /* one resume too many changes nothing */
  assert_false(program_binary_on_disk(dev, chosen)); /* not taken since */
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", chosen, "empty", &k));
  clReleaseKernel(k);
  ob_build_record rec[8];
  ob_stream_take_builds(ob_device_stream(dev), rec, 8);
  assert_true(program_binary_on_disk(dev, chosen));
  assert_false(program_binary_on_disk(dev, passed_over));
}

/* A work-group or local memory beyond what a built kernel can take is unsupported, by name. */
static void kernel_limits_are_checked(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  cl_kernel k = NULL;
  OB_ASSERT_OK(ob_kernel_create(dev, "peak.cl", "", "empty", &k));
  size_t kmax = 0;
  assert_int_equal(clGetKernelWorkGroupInfo(k, ob_device_id(dev), CL_KERNEL_WORK_GROUP_SIZE,
                                            sizeof kmax, &kmax, NULL), CL_SUCCESS);
  /* What the built kernel uses itself counts too (NVIDIA's compiler reports 1 byte for an empty
   * kernel): the arguments may take the rest. */
  cl_ulong own = 0;
  assert_int_equal(clGetKernelWorkGroupInfo(k, ob_device_id(dev), CL_KERNEL_LOCAL_MEM_SIZE,
                                            sizeof own, &own, NULL), CL_SUCCESS);
  const cl_ulong local = ob_device_props_get(dev)->local_mem - own;
  OB_ASSERT_OK(ob_kernel_fits(dev, k, kmax, (size_t)local, "empty"));
  assert_int_equal(ob_kernel_fits(dev, k, kmax + 1, 0, "empty"), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "empty: "));
  assert_non_null(strstr(ob_error_detail(), "CL_KERNEL_WORK_GROUP_SIZE"));
  assert_int_equal(ob_kernel_fits(dev, k, 1, (size_t)local + 1, "empty"), OB_ERR_UNSUPPORTED);
  assert_non_null(strstr(ob_error_detail(), "local memory"));
  clReleaseKernel(k);
}

static void build_failure_reports_the_log(void **state) {
  (void)state;
  const char *dir = ob_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/broken.cl", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("__kernel void broken(__global float *p) { p[0] = undeclared_name; }\n", f);
  fclose(f);
  ob_test_kernel_dir(dir);
  cl_kernel k = NULL;
  ob_status st = ob_kernel_create(ob_test_device(), "broken.cl", "", "broken", &k);
  ob_test_kernel_dir(NULL);
  assert_int_equal(st, OB_ERR_BUILD);
  assert_null(k);
  assert_non_null(strstr(ob_error_detail(), "broken.cl"));
  assert_non_null(strstr(ob_error_detail(), "undeclared_name"));
  remove(path);
}

static void kernel_source_embedded_and_from_directory(void **state) {
  (void)state;
  char *src = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_kernel_source("peak.cl", &src, &len));
  assert_true(len > 100);
  assert_non_null(strstr(src, "fma_peak"));
  free(src);
  assert_int_equal(ob_kernel_source("no_such.cl", &src, &len), OB_ERR_INVALID);
  assert_int_equal(ob_kernel_source("../etc/passwd", &src, &len), OB_ERR_INVALID);
}

/* The core reads its configuration from ob_configure only, never from the environment. */
static void configuration_is_explicit(void **state) {
  (void)state;
  char *saved = ob_test_env_set("OCLBENCH_KERNEL_DIR", "/nonexistent/kernels");
  char *src = NULL;
  size_t len = 0;
  OB_ASSERT_OK(ob_kernel_source("peak.cl", &src, &len)); /* the built-in copy */
  free(src);
  ob_test_env_restore("OCLBENCH_KERNEL_DIR", saved);
  const char *dir = ob_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/peak.cl", dir);
  OB_ASSERT_OK(ob_write_file_atomic(path, "// edited\n", 10));
  ob_test_kernel_dir(dir);
  OB_ASSERT_OK(ob_kernel_source("peak.cl", &src, &len));
  ob_test_kernel_dir(NULL);
  assert_string_equal(src, "// edited\n");
  free(src);
  remove(path);
  /* A path beyond 4095 bytes is refused and leaves the configuration as it was. */
  char *huge = malloc(5000);
  assert_non_null(huge);
  memset(huge, 'x', 4999);
  huge[4999] = '\0';
  const ob_config before = *ob_config_get();
  ob_config cfg = before;
  cfg.cache_dir = huge;
  assert_int_equal(ob_configure(&cfg), OB_ERR_INVALID);
  assert_string_equal(ob_program_cache_dir(), before.cache_dir ? before.cache_dir : "");
  assert_int_equal(ob_config_get()->log_level, before.log_level);
  free(huge);
}

static void buffers_are_counted_and_bounded(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  size_t before = ob_stream_mem_current(ob_device_stream(dev));
  ob_stream_mem_peak_reset(ob_device_stream(dev));
  cl_mem a = NULL, b = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 1 << 20, NULL, &a));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 3 << 20, NULL, &b));
  assert_int_equal(ob_stream_mem_current(ob_device_stream(dev)), before + (4 << 20));
  ob_buffer_release(dev, a);
  assert_int_equal(ob_stream_mem_current(ob_device_stream(dev)), before + (3 << 20));
  assert_int_equal(ob_stream_mem_peak(ob_device_stream(dev)), before + (4 << 20));
  const float v = 2.5f;
  OB_ASSERT_OK(ob_buffer_fill(dev, b, &v, sizeof v, 3 << 20));
  float back[4];
  OB_ASSERT_OK(ob_buffer_read(dev, b, 1024, sizeof back, back));
  for (int i = 0; i < 4; i++) assert_true(back[i] == 2.5f);
  ob_buffer_release(dev, b);
  ob_buffer_release(dev, NULL);
  assert_int_equal(ob_stream_mem_current(ob_device_stream(dev)), before);
  cl_mem huge = NULL;
  size_t too_big = (size_t)ob_device_props_get(dev)->max_alloc + 1;
  assert_int_equal(ob_buffer_create(dev, CL_MEM_READ_WRITE, too_big, NULL, &huge), OB_ERR_TOO_LARGE);
  assert_non_null(strstr(ob_error_detail(), "CL_DEVICE_MAX_MEM_ALLOC_SIZE"));
  assert_null(huge);
}

/* Large buffers of CPU devices on host memory of oclbench's own (core/buffer.c): 2 MiB-aligned,
 * created with USE_HOST_PTR in place of COPY_HOST_PTR or no host pointer, the contents the
 * caller's either way; small ones and other devices as the caller asked. */
static void large_cpu_buffers_sit_on_aligned_host_memory(void **state) {
  (void)state;
  ob_device *dev = ob_test_device();
  const bool cpu = ob_device_is_cpu(dev);
  const size_t n = (5u << 20) / sizeof(float) + 3; /* 5 MiB and a bit: rounded up to 6 MiB */
  float *host = malloc(n * sizeof *host), *back = malloc(n * sizeof *back);
  assert_non_null(host);
  assert_non_null(back);
  for (size_t i = 0; i < n; i++) host[i] = (float)(i % 1000) - 0.5f;
  const size_t before = ob_stream_mem_current(ob_device_stream(dev));
  cl_mem copied = NULL, blank = NULL, small = NULL;
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n * sizeof *host,
                                host, &copied));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, n * sizeof *host, NULL, &blank));
  OB_ASSERT_OK(ob_buffer_create(dev, CL_MEM_READ_WRITE, 1 << 20, NULL, &small));
  assert_int_equal(ob_stream_mem_current(ob_device_stream(dev)),
                   before + 2 * n * sizeof *host + (1 << 20));
  cl_mem_flags flags[3];
  void *where[3];
  const cl_mem bufs[3] = {copied, blank, small};
  for (int i = 0; i < 3; i++) {
    assert_int_equal(clGetMemObjectInfo(bufs[i], CL_MEM_FLAGS, sizeof flags[i], &flags[i], NULL),
                     CL_SUCCESS);
    assert_int_equal(clGetMemObjectInfo(bufs[i], CL_MEM_HOST_PTR, sizeof where[i], &where[i], NULL),
                     CL_SUCCESS);
  }
  for (int i = 0; i < 2; i++) {
    assert_int_equal((flags[i] & CL_MEM_USE_HOST_PTR) != 0, cpu);
    /* on a CPU the copy is made into the aligned memory, not by the driver */
    assert_int_equal((flags[i] & CL_MEM_COPY_HOST_PTR) != 0, !cpu && i == 0);
    if (cpu) assert_int_equal((uintptr_t)where[i] % (2u << 20), 0);
  }
  assert_int_equal(flags[2], CL_MEM_READ_WRITE);
  assert_null(where[2]);
  /* a copy from no host memory is the driver's error, as for any buffer */
  cl_mem none = NULL;
  assert_int_equal(ob_buffer_create(dev, CL_MEM_COPY_HOST_PTR, n * sizeof *host, NULL, &none),
                   OB_ERR_CL);
  assert_null(none);
  assert_non_null(strstr(ob_error_detail(), "CL_INVALID_HOST_PTR"));
  OB_ASSERT_OK(ob_buffer_read(dev, copied, 0, n * sizeof *back, back));
  assert_memory_equal(back, host, n * sizeof *host);
  for (size_t i = 0; i < n; i++) host[i] = -host[i];
  OB_ASSERT_OK(ob_buffer_write(dev, blank, 0, n * sizeof *host, host));
  memset(back, 0, n * sizeof *back);
  OB_ASSERT_OK(ob_buffer_read(dev, blank, 0, n * sizeof *back, back));
  assert_memory_equal(back, host, n * sizeof *host);
  for (int i = 0; i < 3; i++) ob_buffer_release(dev, bufs[i]);
  assert_int_equal(ob_stream_mem_current(ob_device_stream(dev)), before);
  free(host);
  free(back);
}

typedef struct too_big_job {
  ob_device *dev;
  ob_status st;
} too_big_job;

static void *allocate_too_much(void *arg) {
  too_big_job *j = arg;
  cl_mem m = NULL;
  j->st = ob_buffer_create(j->dev, CL_MEM_READ_WRITE,
                           (size_t)ob_device_props_get(j->dev)->max_alloc + 1, NULL, &m);
  return NULL;
}

/* A fresh registry creates no context: a device's stream appears with ob_device_open. A failure
 * on a stream stays in the stream's error buffer, for another thread to read after the call. */
static void streams_open_on_demand_and_keep_their_errors(void **state) {
  (void)state;
  ob_registry *reg = NULL;
  OB_ASSERT_OK(ob_registry_create(&reg));
  for (size_t i = 0; i < ob_registry_count(reg); i++) {
    assert_null(ob_device_stream(ob_registry_device(reg, i)));
    assert_null(ob_device_queue(ob_registry_device(reg, i)));
  }
  ob_device *dev = ob_registry_device(reg, ob_device_index(ob_test_device()));
  assert_int_equal(ob_stream_take_builds(ob_device_stream(dev), NULL, 0), 0);
  assert_int_equal(ob_stream_mem_peak(ob_device_stream(dev)), 0);
  OB_ASSERT_OK(ob_device_open(dev));
  ob_stream *s = ob_device_stream(dev);
  assert_non_null(s);
  assert_non_null(ob_device_queue(dev));
  assert_non_null(ob_device_context(dev));
  assert_string_equal(ob_stream_error(s), "");
  too_big_job job = {.dev = dev, .st = OB_OK};
  pthread_t t;
  ob_error_clear();
  assert_int_equal(pthread_create(&t, NULL, allocate_too_much, &job), 0);
  pthread_join(t, NULL);
  assert_int_equal(job.st, OB_ERR_TOO_LARGE);
  assert_non_null(strstr(ob_stream_error(s), "CL_DEVICE_MAX_MEM_ALLOC_SIZE"));
  assert_string_equal(ob_error_detail(), ""); /* this thread's detail is its own */
  assert_int_equal(ob_stream_record(s, OB_OK), OB_OK);
  assert_non_null(strstr(ob_stream_error(s), "CL_DEVICE_MAX_MEM_ALLOC_SIZE"));
  assert_int_equal(ob_stream_record(NULL, OB_ERR_IO), OB_ERR_IO);
  ob_registry_destroy(reg);
}

static void statistics_and_repetitions(void **state) {
  (void)state;
  const double s[] = {5, 1, 4, 2, 3};
  ob_stats st;
  ob_stats_compute(s, 5, &st);
  assert_true(st.min == 1 && st.max == 5 && st.median == 3 && st.mean == 3 && st.n == 5);
  assert_true(fabs(st.stddev - sqrt(2.5)) < 1e-12);
  const double e[] = {4, 1, 3, 2};
  ob_stats_compute(e, 4, &st);
  assert_true(st.median == 2.5);
  ob_stats_compute(e, 1, &st);
  assert_true(st.median == 4 && st.stddev == 0);
  assert_int_equal(ob_reps_for_budget(0.1, 1.0, 3, 1000), 10);
  assert_int_equal(ob_reps_for_budget(2.0, 1.0, 3, 1000), 3);
  assert_int_equal(ob_reps_for_budget(1e-9, 1.0, 3, 1000), 1000);
  assert_int_equal(ob_reps_for_budget(0.0, 1.0, 3, 1000), 1000);
  char source[96] = "";
  const unsigned mhz = ob_host_cpu_mhz(source, sizeof source);
  assert_true(mhz > 0 ? strncmp(source, "host CPU", 8) == 0 : strncmp(source, "unknown", 7) == 0);
  /* A CPU device's global cache is at least the host's last-level cache (hwloc's, where it
   * knows one: Linux always has one). */
  const size_t llc = ob_host_llc_bytes();
  assert_true(llc >= 64 * 1024);
  ob_device *dev = ob_test_device();
  if (ob_device_is_cpu(dev)) assert_true(ob_device_props_get(dev)->global_cache >= llc);

  /* A time is believed when positive and not far below the wall clock around it. */
  OB_ASSERT_OK(ob_time_check(1e-3, 1, 1.2e-3));
  OB_ASSERT_OK(ob_time_check(1.3e-5, 1, 0.05)); /* a thread's start-up around a tiny kernel */
  OB_ASSERT_OK(ob_time_check(2e-4, 1000, 0.15)); /* 1000 launches of 0.2 us */
  assert_int_equal(ob_time_check(0.0, 1, 1e-3), OB_ERR_TIMING);
  assert_int_equal(ob_time_check(-1e-6, 1, 1e-3), OB_ERR_TIMING);
  assert_int_equal(ob_time_check(NAN, 1, 1e-3), OB_ERR_TIMING);
  assert_int_equal(ob_time_check(1e-9, 1, 1e-4), OB_ERR_TIMING);  /* 1 ns: no kernel is this fast */
  assert_int_equal(ob_time_check(5e-8, 100, 0.01), OB_ERR_TIMING); /* 0.5 ns each */
  OB_ASSERT_OK(ob_time_check(4e-5, 1, 0.6)); /* a tiny run on a busy host */
  assert_int_equal(ob_time_check(1e-4, 1, 1.5), OB_ERR_TIMING); /* 0.1 ms of 1.5 s */
  assert_non_null(strstr(ob_error_detail(), "timestamps"));
}

static void utilities(void **state) {
  (void)state;
  char buf[64];
  ob_slugify(buf, sizeof buf, "NVIDIA H200 (SXM)");
  assert_string_equal(buf, "nvidia-h200-sxm");
  ob_slugify(buf, sizeof buf, "--My.Host--");
  assert_string_equal(buf, "my-host");
  char list[12] = "";
  assert_true(ob_appendf(list, sizeof list, ", ", "%s", "nvml"));
  assert_true(ob_appendf(list, sizeof list, ", ", "%d", 42));
  assert_string_equal(list, "nvml, 42");
  assert_false(ob_appendf(list, sizeof list, "; ", "%s", "rapl")); /* cut at the end */
  assert_string_equal(list, "nvml, 42; r");
  assert_false(ob_appendf(list, sizeof list, "; ", "%s", "x")); /* full: unchanged */
  assert_string_equal(list, "nvml, 42; r");
  assert_true(ob_hash(OB_HASH_INIT, "a", 1) != ob_hash(OB_HASH_INIT, "b", 1));
  double v = 0;
  assert_true(ob_parse_double("1.5e3", &v) && v == 1500);
  assert_false(ob_parse_double("1,5", &v));
  assert_false(ob_parse_double("", &v));
  assert_false(ob_parse_double("nan", &v));
  assert_false(ob_parse_double("12abc", &v));
  const char *dir = ob_test_tmpdir();
  char nested[4200];
  snprintf(nested, sizeof nested, "%s/a/b/c", dir);
  OB_ASSERT_OK(ob_mkdir_p(nested));
  struct stat stt;
  assert_int_equal(stat(nested, &stt), 0);
  assert_true(ob_cl_strerror(CL_OUT_OF_RESOURCES)[0] == 'C');
  assert_int_equal(OB_CL(CL_INVALID_VALUE), OB_ERR_CL);
  assert_non_null(strstr(ob_error_detail(), "CL_INVALID_VALUE"));
}

/* One strict integer parser for every input: no spaces, hex or exponents; overflow is out of
 * range, never wrapped or saturated. Subnormal doubles are numbers. */
static void strict_numbers(void **state) {
  (void)state;
  const struct {
    const char *s;
    ob_int_result want;
    int64_t v;
  } ints[] = {{"5", OB_INT_OK, 5},
              {"-5", OB_INT_OK, -5},
              {"+7", OB_INT_OK, 7},
              {"007", OB_INT_OK, 7},
              {"9223372036854775807", OB_INT_OK, INT64_MAX},
              {"-9223372036854775808", OB_INT_OK, INT64_MIN},
              {" 5", OB_INT_NOT_INTEGER, 0},
              {"5 ", OB_INT_NOT_INTEGER, 0},
              {"", OB_INT_NOT_INTEGER, 0},
              {"-", OB_INT_NOT_INTEGER, 0},
              {"0x10", OB_INT_NOT_INTEGER, 0},
              {"1e3", OB_INT_NOT_INTEGER, 0},
              {"1.0", OB_INT_NOT_INTEGER, 0},
              {"--1", OB_INT_NOT_INTEGER, 0},
              {"9223372036854775808", OB_INT_OUT_OF_RANGE, 0},
              {"-9223372036854775809", OB_INT_OUT_OF_RANGE, 0},
              {"99999999999999999999999", OB_INT_OUT_OF_RANGE, 0}};
  for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
    int64_t v = 12345;
    ob_int_result r = ob_parse_int(ints[i].s, INT64_MIN, INT64_MAX, &v);
    if (r != ints[i].want) fail_msg("'%s': %d, expected %d", ints[i].s, r, ints[i].want);
    assert_true(v == (r == OB_INT_OK ? ints[i].v : 12345)); /* untouched on failure */
  }
  int64_t v = 0;
  assert_int_equal(ob_parse_int("11", 0, 10, &v), OB_INT_OUT_OF_RANGE);
  assert_int_equal(ob_parse_int("-1", 0, 10, &v), OB_INT_OUT_OF_RANGE);
  uint64_t u = 0;
  assert_int_equal(ob_parse_uint("18446744073709551615", UINT64_MAX, &u), OB_INT_OK);
  assert_true(u == UINT64_MAX);
  assert_int_equal(ob_parse_uint("18446744073709551616", UINT64_MAX, &u), OB_INT_OUT_OF_RANGE);
  assert_int_equal(ob_parse_uint("-5", UINT64_MAX, &u), OB_INT_OUT_OF_RANGE);
  assert_int_equal(ob_parse_uint(" -5", UINT64_MAX, &u), OB_INT_NOT_INTEGER);
  assert_int_equal(ob_parse_uint("-0", UINT64_MAX, &u), OB_INT_OK);
  assert_true(u == 0);
  double d = 0.0;
  assert_true(ob_parse_double("1e-308", &d) && d > 0.0 && d < DBL_MIN);
  assert_true(ob_parse_double("4.9e-324", &d) && d > 0.0);
  assert_true(ob_parse_double("-1e-310", &d) && d < 0.0);
  assert_false(ob_parse_double("1e999", &d));
  assert_false(ob_parse_double(" 1", &d));
}

/* Control characters echoed from inputs are written as \xNN, never raw. */
static void control_characters_are_escaped(void **state) {
  (void)state;
  char buf[64];
  ob_text_escape(buf, sizeof buf, "a\x1b[2Jb\nc\td\x7f\x07", true);
  assert_string_equal(buf, "a\\x1b[2Jb c d\\x7f\\x07");
  ob_text_escape(buf, sizeof buf, "a\x1b[2Jb\nc\td", false);
  assert_string_equal(buf, "a\\x1b[2Jb\nc\td");
  ob_text_escape(buf, 6, "ab\x01" "cd", true); /* an escape that does not fit is left out */
  assert_string_equal(buf, "ab");
  ob_text_escape(buf, sizeof buf, "caf\xc3\xa9", true); /* UTF-8 passes */
  assert_string_equal(buf, "caf\xc3\xa9");
  assert_int_equal(ob_fail(OB_ERR_INVALID, "file '%s'", "x\x1b]0;pwned\x07\r\n"), OB_ERR_INVALID);
  assert_string_equal(ob_error_detail(), "file 'x\\x1b]0;pwned\\x07  '");
}

static void theoretical_peak_formulas(void **state) {
  (void)state;
  ob_device_props p;
  memset(&p, 0, sizeof p);
  p.vendor_class = OB_VENDOR_NVIDIA;
  p.compute_units = 132;
  p.clock_mhz = 1980;
  p.simd_width = 128; /* what the NVIDIA profile derives for compute capability 9.0 */
  assert_true(fabs(ob_vendor_fp32_peak(&p) - 132 * 128 * 2 * 1.98) < 1e-6);
  assert_int_equal(ob_vendor_classify(0x10de, "NVIDIA Corporation", "NVIDIA CUDA"), OB_VENDOR_NVIDIA);
  assert_int_equal(ob_vendor_classify(0x8086, "GenuineIntel", "Portable Computing Language"), OB_VENDOR_POCL);
  assert_int_equal(ob_vendor_classify(0x1002, "Advanced Micro Devices, Inc.", "AMD Accelerated Parallel Processing"), OB_VENDOR_AMD);
  assert_int_equal(ob_vendor_classify(0x8086, "Intel(R) Corporation", "Intel(R) OpenCL Graphics"), OB_VENDOR_INTEL);
  assert_int_equal(ob_vendor_classify(0x1027f00, "Apple", "Apple"), OB_VENDOR_APPLE);
  assert_int_equal(ob_vendor_classify(0x1234, "Acme", "Acme CL"), OB_VENDOR_OTHER);
  p.simd_width = 0;
  assert_true(ob_vendor_fp32_peak(&p) == 0.0);
}

/* ob_grow: untouched with room, doubled from `first`, at least the need, NULL on overflow with
 * the array and its capacity kept. */
static void arrays_grow(void **state) {
  (void)state;
  size_t cap = 0;
  int *v = ob_grow(NULL, &cap, 1, sizeof *v, 4);
  assert_non_null(v);
  assert_int_equal(cap, 4);
  assert_ptr_equal(ob_grow(v, &cap, 4, sizeof *v, 4), v);
  v = ob_grow(v, &cap, 5, sizeof *v, 4);
  assert_int_equal(cap, 8);
  v = ob_grow(v, &cap, 100, sizeof *v, 4);
  assert_int_equal(cap, 100);
  v[99] = 7;
  assert_null(ob_grow(v, &cap, SIZE_MAX / 2, sizeof *v, 4));
  assert_int_equal(cap, 100);
  assert_int_equal(v[99], 7);
  free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(registry_finds_devices_with_sane_properties),
      cmocka_unit_test(selection_by_index_slug_type_and_substring),
      cmocka_unit_test(program_builds_and_loads_from_binary_cache),
      cmocka_unit_test(deferred_binaries_are_written_when_taken_again),
      cmocka_unit_test(kernel_limits_are_checked),
      cmocka_unit_test(build_failure_reports_the_log),
      cmocka_unit_test(kernel_source_embedded_and_from_directory),
      cmocka_unit_test(configuration_is_explicit),
      cmocka_unit_test(buffers_are_counted_and_bounded),
      cmocka_unit_test(large_cpu_buffers_sit_on_aligned_host_memory),
      cmocka_unit_test(streams_open_on_demand_and_keep_their_errors),
      cmocka_unit_test(statistics_and_repetitions),
      cmocka_unit_test(utilities),
      cmocka_unit_test(strict_numbers),
      cmocka_unit_test(control_characters_are_escaped),
      cmocka_unit_test(theoretical_peak_formulas),
      cmocka_unit_test(arrays_grow),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
