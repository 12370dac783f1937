/* Private: the bodies of the core's opaque handles. Only core/ includes this. */
#ifndef OB_DEVICE_IMPL_H
#define OB_DEVICE_IMPL_H

#include "oclbench.h"

#define OB_MAX_BUILD_RECORDS 64

typedef struct ob_program_entry {
  char *files;
  char *options;
  cl_program program;
} ob_program_entry;

struct ob_device {
  size_t index;
  char slug[64];
  cl_platform_id platform;
  cl_device_id id;
  ob_device_props props;
  const ob_vendor_profile *profile;
  cl_context context;
  cl_command_queue queue;
  ob_program_entry *programs;
  size_t nprograms, cap_programs;
  ob_build_record builds[OB_MAX_BUILD_RECORDS];
  size_t nbuilds;
  char *build_log;            /* log of the last failed build, kept for the user */
  size_t mem_current, mem_peak;
};

struct ob_registry {
  ob_device **devices;
  size_t count;
};

/* Fills props from the driver and the vendor profile (core/device.c). */
void ob_device_query_props(cl_platform_id platform, cl_device_id id, ob_device_props *props);

/* Releases everything the device owns and the device itself. */
void ob_device_free(ob_device *dev);

#endif
