/* Vendor profiles: what differs between OpenCL vendors, as data plus small functions.
 *
 * The core classifies each device into a vendor class and asks its profile for build
 * options, the preferred work-group multiple, quirks, extra device attributes (PCI bus id,
 * compute capability) and a theoretical FP32 peak. Any NULL/zero slot of a profile means
 * "use the generic default" (devices/generic.c).
 */
#ifndef OB_VENDOR_H
#define OB_VENDOR_H

#include <CL/cl.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum ob_vendor {
  OB_VENDOR_OTHER = 0,
  OB_VENDOR_NVIDIA,
  OB_VENDOR_AMD,
  OB_VENDOR_INTEL,
  OB_VENDOR_APPLE,
  OB_VENDOR_POCL,
  OB_VENDOR_COUNT
} ob_vendor;

/* CPUs report their base clock; all-core turbo can run this much faster (bounds only). */
#define OB_CPU_TURBO_HEADROOM 2.0

/* Quirk bits a workload may test with ob_device_quirk(). */
enum {
  OB_QUIRK_NONE = 0,
  OB_QUIRK_SLOW_COMPILE = 1u << 0,  /* compile is seconds per kernel: keep programs few   */
  OB_QUIRK_NO_FP16 = 1u << 1,       /* reports no cl_khr_fp16 even on hardware with fp16   */
};

/* Facts read from the driver, filled by the core (core/device.c) and by the profile's
 * query_extra(). Plain data: everything a CSV row or a workload needs to know. */
typedef struct ob_device_props {
  char name[256];
  char vendor[128];
  char platform[256];
  char platform_version[256];
  char driver[128];
  char cl_version[128];   /* CL_DEVICE_VERSION */
  char c_version[128];    /* CL_DEVICE_OPENCL_C_VERSION */
  char extensions[4096];
  char type_name[16];     /* "gpu", "cpu", "accel", "other" */
  char pci_bus_id[32];    /* "dddd:bb:dd.f" or "" when unknown */
  cl_uint vendor_id;
  cl_device_type type;
  ob_vendor vendor_class;
  cl_uint compute_units;
  cl_uint clock_mhz;      /* the driver's, or the host CPU's where a CPU device reports 0 */
  char clock_source[96];  /* "driver", or where the clock came from, or why it is unknown */
  cl_ulong global_mem;
  cl_ulong global_cache;        /* CPUs: at least the host's last-level cache (ob_host_llc_bytes) */
  cl_ulong local_mem;
  cl_ulong max_alloc;
  cl_ulong max_constant;
  size_t max_wg;
  cl_uint native_float_width;   /* CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT */
  cl_uint isa_float_width;      /* CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT: floats per register of
                                   the instruction set; a compiler that vectorises across
                                   work-items (Intel's CPU runtime) prefers width 1 all the same */
  bool fp64;                    /* (fp16, which needs a test compile, is probed on demand:
                                   ob_device_fp16 in core) */
  bool profiling;
  bool little_endian;           /* CL_DEVICE_ENDIAN_LITTLE */
  int exec_timeout;             /* 1 yes, 0 no, -1 unknown */
  int nv_cc_major, nv_cc_minor; /* NVIDIA compute capability, 0 when not NVIDIA */
  int simd_width;               /* lanes per compute unit used for the peak formula, 0 unknown */
  double clock_headroom;        /* max clock / reported clock: CPUs report the base clock and
                                   turbo above it; 1 when the reported clock is the maximum */
} ob_device_props;

typedef struct ob_vendor_profile {
  const char *name;            /* vendor class slug: "nvidia", "amd", ... */
  const char *build_options;   /* appended to every program build; NULL: none */
  /* Build option that makes the compiler report register and spill use in the build log;
   * NULL: none. */
  const char *verbose_build_option;
  size_t wg_multiple;          /* preferred work-group size multiple; 0: ask the kernel */
  unsigned quirks;             /* OB_QUIRK_* bits */
  /* Reads vendor attributes (PCI id, compute capability, SIMD width) into props.
   * Must tolerate a driver that rejects the query. NULL: nothing extra. */
  void (*query_extra)(cl_device_id dev, ob_device_props *props);
  /* Theoretical FP32 peak in GFLOP/s from props; 0 when unknown. NULL: generic formula. */
  double (*fp32_peak_gflops)(const ob_device_props *props);
} ob_vendor_profile;

/* The profile for a vendor class (never NULL; OB_VENDOR_OTHER gives the generic profile). */
const ob_vendor_profile *ob_vendor_profile_get(ob_vendor v);

/* Classifies a device from its vendor id and vendor/platform strings. */
ob_vendor ob_vendor_classify(cl_uint vendor_id, const char *vendor, const char *platform);

/* Lower-case slug of a vendor class ("nvidia", "pocl", "other"). */
const char *ob_vendor_slug(ob_vendor v);

/* Theoretical FP32 GFLOP/s of the device through its profile (generic formula when the
 * profile has none); 0 when not known. */
double ob_vendor_fp32_peak(const ob_device_props *props);

/* Generic building blocks shared by the profiles. */
double ob_generic_fp32_peak(const ob_device_props *props);
bool ob_pci_query_khr(cl_device_id dev, ob_device_props *props);

#endif
