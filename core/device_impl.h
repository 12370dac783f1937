/* Private: the bodies of the core's opaque handles. Only core/ includes this. */
#ifndef OB_DEVICE_IMPL_H
#define OB_DEVICE_IMPL_H

#include <stdatomic.h>

#include "oclbench.h"

#define OB_MAX_BUILD_RECORDS 64
#define OB_ERROR_DETAIL_LEN 2048

typedef struct ob_program_entry {
  char *files;
  char *options;
  cl_program program;
  char *unstored;             /* the cache path its binary is still to be written to, or NULL */
} ob_program_entry;

/* Where work on a device happens: everything that is state, as opposed to the device's facts. */
struct ob_stream {
  ob_device *dev;             /* the device it works on */
  cl_context context;
  cl_command_queue queue;     /* in order, with profiling where the device has it */
  ob_program_entry *programs; /* built for this stream's context, by files and options */
  size_t nprograms, cap_programs;
  int binaries_deferred;      /* > 0: builds leave their binaries unwritten for now */
  ob_build_record builds[OB_MAX_BUILD_RECORDS];
  size_t nbuilds;
  char *build_log;            /* log of the last failed build, kept for the user */
  size_t mem_current, mem_peak;
  char error[OB_ERROR_DETAIL_LEN]; /* why the last operation on the stream failed */
};

/* Facts that cost more than a query (a test compile), probed when first asked for. */
typedef struct ob_device_probes {
  atomic_int fp16;            /* 0: not probed yet, 1: no, 2: yes */
  atomic_int ptx;             /* inline PTX: the same */
} ob_device_probes;

/* A device: facts read once when the registry enumerates it (queries only), facts probed on
 * demand, and its default stream. */
struct ob_device {
  size_t index;
  char slug[64];
  cl_platform_id platform;
  cl_device_id id;
  ob_device_props props;
  const ob_vendor_profile *profile;
  ob_device_probes *probes;
  ob_stream *stream;          /* the default stream: NULL until ob_device_open; freed with the
                                 device */
};

struct ob_registry {
  ob_device **devices;
  size_t count;
};

/* Fills props from the driver and the vendor profile (core/device.c). */
void ob_device_query_props(cl_platform_id platform, cl_device_id id, ob_device_props *props);

/* Releases the device's default stream and the device itself. */
void ob_device_free(ob_device *dev);

/* Releases everything a stream owns and the stream (core/stream.c); NULL is a no-op. */
void ob_stream_free(ob_stream *s);

#endif
