/* Registry: every OpenCL platform and device, in a stable order, with stable slugs. */
#include "device_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rank of a device type in the order: GPUs, accelerators, CPUs, anything else. */
static int type_rank(cl_device_type t) {
  if (t & CL_DEVICE_TYPE_GPU) return 0;
  if (t & CL_DEVICE_TYPE_ACCELERATOR) return 1;
  if (t & CL_DEVICE_TYPE_CPU) return 2;
  return 3;
}

/* Rank of a vendor class: the hardware vendors' own drivers, then PoCL, then unknown ones. */
static int vendor_rank(ob_vendor v) { return v == OB_VENDOR_OTHER ? OB_VENDOR_COUNT : (int)v; }

/* The registry's order: device type, vendor class, platform name, then the driver's own order
 * (seq), so that indexes do not depend on the order in which the ICD loader reads its files,
 * and an added driver never changes the slug of a device that was there before. */
static int cmp_device(const void *a, const void *b) {
  const ob_device *x = *(ob_device *const *)a, *y = *(ob_device *const *)b;
  const int tx = type_rank(x->props.type), ty = type_rank(y->props.type);
  if (tx != ty) return tx - ty;
  const int vx = vendor_rank(x->props.vendor_class), vy = vendor_rank(y->props.vendor_class);
  if (vx != vy) return vx - vy;
  const int c = strcmp(x->props.platform, y->props.platform);
  if (c) return c;
  return x->index < y->index ? -1 : x->index > y->index;
}

static ob_status add_device(ob_registry *reg, cl_platform_id platform, cl_device_id id) {
  ob_device *dev = calloc(1, sizeof *dev);
  ob_device_probes *probes = calloc(1, sizeof *probes);
  if (!dev || !probes) {
    free(dev);
    free(probes);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  dev->probes = probes;
  dev->platform = platform;
  dev->id = id;
  ob_device_query_props(platform, id, &dev->props);
  dev->profile = ob_vendor_profile_get(dev->props.vendor_class);
  dev->index = reg->count; /* the loader's order until the registry is sorted */
  ob_device **grown = realloc(reg->devices, (reg->count + 1) * sizeof *grown);
  if (!grown) {
    ob_device_free(dev);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  reg->devices = grown;
  reg->devices[reg->count++] = dev;
  return OB_OK;
}

/* Sorts the devices and gives each its index and slug: <vendor>-<type>-<n>, n counting the
 * earlier devices with the same prefix. */
static void number_devices(ob_registry *reg) {
  qsort(reg->devices, reg->count, sizeof *reg->devices, cmp_device);
  for (size_t i = 0; i < reg->count; i++) {
    ob_device *dev = reg->devices[i];
    char prefix[48];
    snprintf(prefix, sizeof prefix, "%s-%s", ob_vendor_slug(dev->props.vendor_class),
             dev->props.type_name);
    const size_t len = strlen(prefix);
    size_t n = 0;
    for (size_t j = 0; j < i; j++)
      if (strncmp(reg->devices[j]->slug, prefix, len) == 0 && reg->devices[j]->slug[len] == '-')
        n++;
    snprintf(dev->slug, sizeof dev->slug, "%s-%zu", prefix, n);
    dev->index = i;
  }
}

/* Adds every device of one platform; a platform whose devices cannot be listed is skipped with
 * a warning. */
static ob_status add_platform(ob_registry *reg, cl_platform_id platform) {
  char name[256] = "";
  clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name, name, NULL);
  cl_uint nd = 0;
  cl_int err = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
  if (err == CL_DEVICE_NOT_FOUND || nd == 0) return OB_OK;
  if (err != CL_SUCCESS) {
    ob_log(OB_LOG_WARN, "platform '%s': clGetDeviceIDs failed: %s (%d); skipping it", name,
           ob_cl_strerror(err), err);
    return OB_OK;
  }
  cl_device_id *devs = calloc(nd, sizeof *devs);
  if (!devs) return ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_status st = OB_CL(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, nd, devs, NULL));
  for (cl_uint d = 0; d < nd && st == OB_OK; d++) st = add_device(reg, platform, devs[d]);
  free(devs);
  return st;
}

ob_status ob_registry_create(ob_registry **out) {
  *out = NULL;
  cl_uint np = 0;
  cl_int err = clGetPlatformIDs(0, NULL, &np);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (err == CL_SUCCESS && np == 0))
    return ob_fail(OB_ERR_NO_PLATFORM, "no OpenCL platform found");
  OB_TRY(OB_CL(err));
  cl_platform_id *ids = calloc(np, sizeof *ids);
  ob_registry *reg = calloc(1, sizeof *reg);
  ob_status st = OB_OK;
  if (!ids || !reg) {
    st = ob_fail(OB_ERR_NOMEM, "out of memory");
    goto done;
  }
  st = OB_CL(clGetPlatformIDs(np, ids, NULL));
  for (cl_uint i = 0; i < np && st == OB_OK; i++) st = add_platform(reg, ids[i]);
  if (st == OB_OK && reg->count == 0)
    st = ob_fail(OB_ERR_NO_PLATFORM, "OpenCL platforms found, but no devices on them");
  if (st == OB_OK) number_devices(reg);
done:
  free(ids);
  if (st != OB_OK) {
    ob_registry_destroy(reg);
    return st;
  }
  *out = reg;
  return OB_OK;
}

void ob_registry_destroy(ob_registry *reg) {
  if (!reg) return;
  for (size_t i = 0; i < reg->count; i++) ob_device_free(reg->devices[i]);
  free(reg->devices);
  free(reg);
}

size_t ob_registry_count(const ob_registry *reg) { return reg->count; }

ob_device *ob_registry_device(const ob_registry *reg, size_t i) {
  return i < reg->count ? reg->devices[i] : NULL;
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return false;
  return true;
}

/* Whether sel names the device exactly: "all", its slug, its type or its vendor class. */
static bool exact_match(const ob_device *d, const char *sel) {
  return strcasecmp(sel, "all") == 0 || strcasecmp(sel, d->slug) == 0 ||
         strcasecmp(sel, d->props.type_name) == 0 ||
         strcasecmp(sel, ob_vendor_slug(d->props.vendor_class)) == 0;
}

size_t ob_registry_select(const ob_registry *reg, const char *sel, bool *selected) {
  size_t matched = 0;
  if (!sel || !*sel) return 0;
  if (all_digits(sel)) {
    uint64_t i = 0;
    if (ob_parse_uint(sel, UINT64_MAX, &i) == OB_INT_OK && i < reg->count) {
      selected[i] = true;
      return 1;
    }
    return 0;
  }
  /* An exact name wins; otherwise a case-insensitive substring of name, vendor or platform
   * ("intel" is Intel's runtime, not PoCL on an Intel CPU; "xeon" is both). */
  bool exact = false;
  for (size_t i = 0; i < reg->count && !exact; i++) exact = exact_match(reg->devices[i], sel);
  const bool type_word = strcasecmp(sel, "cpu") == 0 || strcasecmp(sel, "gpu") == 0 ||
                         strcasecmp(sel, "accel") == 0;
  for (size_t i = 0; i < reg->count; i++) {
    const ob_device *d = reg->devices[i];
    const bool hit = exact ? exact_match(d, sel)
                           : !type_word && (strcasestr(d->props.name, sel) ||
                                            strcasestr(d->props.vendor, sel) ||
                                            strcasestr(d->props.platform, sel));
    if (hit) {
      selected[i] = true;
      matched++;
    }
  }
  return matched;
}
