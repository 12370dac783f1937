/* The OpenCL C sources of cl_kernels/, embedded at build time (tools/embed_kernels.sh). */
#ifndef OB_KERNELS_EMBEDDED_H
#define OB_KERNELS_EMBEDDED_H

typedef struct ob_embedded_kernel {
  const char *name;   /* file name, e.g. "peak.cl" */
  const char *source; /* the whole file */
} ob_embedded_kernel;

/* Terminated by an entry whose name is NULL. */
extern const ob_embedded_kernel ob_embedded_kernels[];

#endif
