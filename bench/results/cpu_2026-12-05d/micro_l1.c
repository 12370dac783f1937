/* The 6x64 micro-tile of blis_model.c alone, its A (6 x K) and B (K x 64) panels reused every
 * iteration (L1- or L2-resident: K 256 is 64 KiB of B), one core: the rate the micro-kernel
 * reaches when no packing, C update or cache miss intervenes. Reference data for RESULTS.md;
 * not part of the build.  gcc -O3 -march=native micro_l1.c -o micro_l1 && ./micro_l1 ITERS K */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int K=atoi(argv[2]); float *A=aligned_alloc(64,6*K*4), *B=aligned_alloc(64,64*K*4); float C[6*64] __attribute__((aligned(64)));
  for(int i=0;i<6*K;i++)A[i]=1e-3f*i; for(int i=0;i<64*K;i++)B[i]=1e-3f;
  long iters=atol(argv[1]); double t=now();
  __m512 c[24]; for(int i=0;i<24;i++)c[i]=_mm512_setzero_ps();
  for(long it=0;it<iters;it++){
    const float*a=A,*b=B;
    for(int k=0;k<K;k++,a+=6,b+=64){
      __m512 b0=_mm512_load_ps(b),b1=_mm512_load_ps(b+16),b2=_mm512_load_ps(b+32),b3=_mm512_load_ps(b+48);
      for(int r=0;r<6;r++){__m512 av=_mm512_set1_ps(a[r]);
        c[r*4]=_mm512_fmadd_ps(av,b0,c[r*4]);c[r*4+1]=_mm512_fmadd_ps(av,b1,c[r*4+1]);
        c[r*4+2]=_mm512_fmadd_ps(av,b2,c[r*4+2]);c[r*4+3]=_mm512_fmadd_ps(av,b3,c[r*4+3]);}
    }
  }
  for(int i=0;i<24;i++)_mm512_store_ps(C+i*16,c[i]);
  t=now()-t; printf("%.1f GFLOP/s (C %g)\n", 2.0*6*64*K*iters/t/1e9, C[5]);
}
