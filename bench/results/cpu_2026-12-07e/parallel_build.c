/* Does PoCL generate code for two programs at once? Four gemm.cl configurations (cat
 * cl_kernels/paste.cl cl_kernels/gemm.cl > /tmp/shim/src.cl), each built and its binary asked
 * for (where PoCL generates the work-group functions): ./par 0 in turn, ./par 1 in four threads
 * on one context, ./par 2 in four threads with a context each. POCL_KERNEL_CACHE=0.
 * gcc -O2 -o par par.c -lOpenCL -lpthread */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static char *src; static cl_context ctx_g; static cl_device_id dev;
static const char *opts[4]={
"-cl-std=CL1.2 -DTA=0 -DTB=0 -DBM=48 -DBN=256 -DTM=6 -DTN=64 -DVM=1 -DVN=16 -DSTRIDED=0 -DLOCAL=0 -DBK=1 -DVG=1 -DPAD=0 -DKC=256 -DLM=0 -DLN=0 -DUSE_FMA=1",
"-cl-std=CL1.2 -DTA=0 -DTB=0 -DBM=96 -DBN=128 -DTM=6 -DTN=64 -DVM=1 -DVN=16 -DSTRIDED=0 -DLOCAL=0 -DBK=1 -DVG=1 -DPAD=0 -DKC=256 -DLM=0 -DLN=0 -DUSE_FMA=1",
"-cl-std=CL1.2 -DTA=0 -DTB=0 -DBM=96 -DBN=128 -DTM=12 -DTN=32 -DVM=1 -DVN=16 -DSTRIDED=0 -DLOCAL=0 -DBK=1 -DVG=1 -DPAD=0 -DKC=256 -DLM=0 -DLN=0 -DUSE_FMA=1",
"-cl-std=CL1.2 -DTA=0 -DTB=0 -DBM=64 -DBN=128 -DTM=8 -DTN=32 -DVM=1 -DVN=16 -DSTRIDED=0 -DLOCAL=0 -DBK=1 -DVG=1 -DPAD=0 -DKC=256 -DLM=0 -DLN=0 -DUSE_FMA=1"};
static int sep; static void *one(void *a){ long i=(long)a; const char *s=src; cl_int e; cl_context ctx = sep ? clCreateContext(NULL,1,&dev,NULL,NULL,NULL) : ctx_g;
  cl_program p=clCreateProgramWithSource(ctx,1,&s,NULL,&e);
  e=clBuildProgram(p,1,&dev,opts[i],NULL,NULL); if(e) {printf("build err %d\n",e); return 0;}
  size_t sz; double t=now(); clGetProgramInfo(p,CL_PROGRAM_BINARY_SIZES,sizeof sz,&sz,NULL);
  printf("  prog %ld binary %.2f s\n",i,now()-t); clReleaseProgram(p); return 0;}
int main(int c, char **v){ int par=atoi(v[1]);
  FILE *f=fopen("/tmp/shim/src.cl","rb"); fseek(f,0,2); long n=ftell(f); rewind(f); src=calloc(n+1,1); fread(src,1,n,f);
  cl_platform_id pl; clGetPlatformIDs(1,&pl,NULL); clGetDeviceIDs(pl,CL_DEVICE_TYPE_ALL,1,&dev,NULL);
  sep=par==2; ctx_g=clCreateContext(NULL,1,&dev,NULL,NULL,NULL);
  double t=now(); pthread_t th[4];
  if(par){ for(long i=0;i<4;i++) pthread_create(&th[i],0,one,(void*)i); for(int i=0;i<4;i++) pthread_join(th[i],0);}
  else for(long i=0;i<4;i++) one((void*)i);
  printf("%s: %.2f s\n",par?"parallel":"serial",now()-t); return 0;}
