/* LD_PRELOAD shim: logs how long PoCL spends in clBuildProgram, clGetProgramInfo (the binary
 * oclbench caches), the first clEnqueueNDRangeKernel / clWaitForEvents / clFinish of a cold search.
 * gcc -shared -fPIC -O2 -o shim.so shim.c -ldl; XDG_CACHE_HOME=$(mktemp -d) LD_PRELOAD=./shim.so
 *   ./oclbench run linear --sizes 1024 --device pocl --out DIR */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
cl_int clBuildProgram(cl_program p, cl_uint n, const cl_device_id *d, const char *o, void (*cb)(cl_program, void*), void *u){
  static cl_int (*f)(cl_program, cl_uint, const cl_device_id*, const char*, void (*)(cl_program, void*), void*);
  if(!f) f=dlsym(RTLD_NEXT,"clBuildProgram");
  double t=now(); cl_int r=f(p,n,d,o,cb,u); fprintf(stderr,"SHIM build %.3f s OPTS[%s]\n",now()-t,o?o:""); return r;}
cl_int clFinish(cl_command_queue q){
  static cl_int (*f)(cl_command_queue); if(!f) f=dlsym(RTLD_NEXT,"clFinish");
  double t=now(); cl_int r=f(q); double e=now()-t; if(e>0.3) fprintf(stderr,"SHIM finish %.3f s\n",e); return r;}
cl_int clGetProgramInfo(cl_program p, cl_program_info i, size_t s, void *v, size_t *r){
  static cl_int (*f)(cl_program, cl_program_info, size_t, void*, size_t*); if(!f) f=dlsym(RTLD_NEXT,"clGetProgramInfo");
  double t=now(); cl_int x=f(p,i,s,v,r); double e=now()-t; if(e>0.05) fprintf(stderr,"SHIM proginfo %#x %.3f s\n",i,e); return x;}
cl_int clEnqueueNDRangeKernel(cl_command_queue q, cl_kernel k, cl_uint d, const size_t *o, const size_t *g, const size_t *l, cl_uint n, const cl_event *w, cl_event *ev){
  static cl_int (*f)(cl_command_queue, cl_kernel, cl_uint, const size_t*, const size_t*, const size_t*, cl_uint, const cl_event*, cl_event*); if(!f) f=dlsym(RTLD_NEXT,"clEnqueueNDRangeKernel");
  double t=now(); cl_int x=f(q,k,d,o,g,l,n,w,ev); double e=now()-t; if(e>0.05) fprintf(stderr,"SHIM enqueue %.3f s\n",e); return x;}
cl_int clWaitForEvents(cl_uint n, const cl_event *e){
  static cl_int (*f)(cl_uint, const cl_event*); if(!f) f=dlsym(RTLD_NEXT,"clWaitForEvents");
  double t=now(); cl_int x=f(n,e); double d=now()-t; if(d>0.3) fprintf(stderr,"SHIM wait %.3f s\n",d); return x;}
