/* Registry: every OpenCL platform and device, in a stable order, with stable slugs. */
#include "device_impl.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct platform_entry {
  cl_platform_id id;
  ob_vendor vendor;
  char name[256];
} platform_entry;

/* Order platforms by vendor class then name, so indexes and slugs do not depend on the
 * order in which the ICD loader happens to read /etc/OpenCL/vendors. */
static int cmp_platform(const void *a, const void *b) {
  const platform_entry *x = a, *y = b;
  if (x->vendor != y->vendor) return (int)x->vendor - (int)y->vendor;
  return strcmp(x->name, y->name);
}

static ob_status add_device(ob_registry *reg, cl_platform_id platform, cl_device_id id) {
  ob_device *dev = calloc(1, sizeof *dev);
  if (!dev) return ob_fail(OB_ERR_NOMEM, "out of memory");
  dev->platform = platform;
  dev->id = id;
  ob_device_query_props(platform, id, &dev->props);
  dev->profile = ob_vendor_profile_get(dev->props.vendor_class);
  dev->index = reg->count;
  /* Slug: <vendor>-<type>-<n>, n counting earlier devices with the same prefix. */
  char prefix[48];
  snprintf(prefix, sizeof prefix, "%s-%s", ob_vendor_slug(dev->props.vendor_class),
           dev->props.type_name);
  size_t n = 0;
  for (size_t i = 0; i < reg->count; i++)
    if (strncmp(reg->devices[i]->slug, prefix, strlen(prefix)) == 0 &&
        reg->devices[i]->slug[strlen(prefix)] == '-')
      n++;
  snprintf(dev->slug, sizeof dev->slug, "%s-%zu", prefix, n);
  ob_device **grown = realloc(reg->devices, (reg->count + 1) * sizeof *grown);
  if (!grown) {
    free(dev);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  reg->devices = grown;
  reg->devices[reg->count++] = dev;
  return OB_OK;
}

ob_status ob_registry_create(ob_registry **out) {
  *out = NULL;
  cl_uint np = 0;
  cl_int err = clGetPlatformIDs(0, NULL, &np);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (err == CL_SUCCESS && np == 0))
    return ob_fail(OB_ERR_NO_PLATFORM, "no OpenCL platform found");
  OB_TRY(OB_CL(err));
  cl_platform_id *ids = calloc(np, sizeof *ids);
  platform_entry *plats = calloc(np, sizeof *plats);
  ob_registry *reg = calloc(1, sizeof *reg);
  ob_status st = OB_OK;
  if (!ids || !plats || !reg) {
    st = ob_fail(OB_ERR_NOMEM, "out of memory");
    goto done;
  }
  st = OB_CL(clGetPlatformIDs(np, ids, NULL));
  if (st != OB_OK) goto done;
  for (cl_uint i = 0; i < np; i++) {
    char vendor[128] = "";
    plats[i].id = ids[i];
    clGetPlatformInfo(ids[i], CL_PLATFORM_NAME, sizeof plats[i].name, plats[i].name, NULL);
    clGetPlatformInfo(ids[i], CL_PLATFORM_VENDOR, sizeof vendor, vendor, NULL);
    plats[i].vendor = ob_vendor_classify(0, vendor, plats[i].name);
  }
  qsort(plats, np, sizeof *plats, cmp_platform);
  for (cl_uint i = 0; i < np && st == OB_OK; i++) {
    cl_uint nd = 0;
    err = clGetDeviceIDs(plats[i].id, CL_DEVICE_TYPE_ALL, 0, NULL, &nd);
    if (err == CL_DEVICE_NOT_FOUND || nd == 0) continue;
    if (err != CL_SUCCESS) {
      ob_log(OB_LOG_WARN, "platform '%s': clGetDeviceIDs failed: %s (%d); skipping it",
             plats[i].name, ob_cl_strerror(err), err);
      continue;
    }
    cl_device_id *devs = calloc(nd, sizeof *devs);
    if (!devs) {
      st = ob_fail(OB_ERR_NOMEM, "out of memory");
      break;
    }
    st = OB_CL(clGetDeviceIDs(plats[i].id, CL_DEVICE_TYPE_ALL, nd, devs, NULL));
    for (cl_uint d = 0; d < nd && st == OB_OK; d++) st = add_device(reg, plats[i].id, devs[d]);
    free(devs);
  }
  if (st == OB_OK && reg->count == 0)
    st = ob_fail(OB_ERR_NO_PLATFORM, "OpenCL platforms found, but no devices on them");
done:
  free(ids);
  free(plats);
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
  for (size_t i = 0; i < reg->count; i++) {
    const ob_device *d = reg->devices[i];
    bool hit = strcasecmp(sel, "all") == 0 || strcasecmp(sel, d->slug) == 0 ||
               strcasecmp(sel, d->props.type_name) == 0;
    if (!hit) {
      /* An exact slug or a device type wins; otherwise a name/vendor/platform substring. */
      hit = strcasestr(d->props.name, sel) || strcasestr(d->props.vendor, sel) ||
            strcasestr(d->props.platform, sel);
      if (strcasecmp(sel, "cpu") == 0 || strcasecmp(sel, "gpu") == 0 ||
          strcasecmp(sel, "accel") == 0)
        hit = false;
    }
    if (hit) {
      selected[i] = true;
      matched++;
    }
  }
  return matched;
}

void ob_registry_diagnose(FILE *f) {
  const char *vendors = getenv("OCL_ICD_VENDORS");
  const char *filenames = getenv("OCL_ICD_FILENAMES");
  const char *dir = vendors && *vendors ? vendors : "/etc/OpenCL/vendors";
  fprintf(f, "  ICD loader: loaded (oclbench is linked against libOpenCL)\n");
  if (filenames && *filenames) fprintf(f, "  OCL_ICD_FILENAMES=%s\n", filenames);
  if (vendors && *vendors) fprintf(f, "  OCL_ICD_VENDORS=%s (overrides /etc/OpenCL/vendors)\n", vendors);
  DIR *d = opendir(dir);
  size_t n = 0;
  if (d) {
    struct dirent *e;
    for (e = readdir(d); e; e = readdir(d)) {
      size_t len = strlen(e->d_name);
      if (len > 4 && strcmp(e->d_name + len - 4, ".icd") == 0) {
        fprintf(f, "  ICD file: %s/%s\n", dir, e->d_name);
        n++;
      }
    }
    closedir(d);
  }
  if (!d) fprintf(f, "  ICD directory %s: missing\n", dir);
  else if (n == 0) fprintf(f, "  ICD directory %s: no .icd files\n", dir);
  else fprintf(f, "  the listed drivers loaded no platform (driver missing or failing to start)\n");
  fprintf(f, "  install a driver: apt-get install pocl-opencl-icd (any CPU), nvidia-opencl-icd "
             "(NVIDIA), mesa-opencl-icd or intel-opencl-icd (Intel/AMD GPUs)\n");
}
