/* tools/lint_kernels.py's planted defect (tools/portability.sh expects it found): with
 * -DPLANTED=1 the kernel has an unused variable, with -DPLANTED=0 it is clean. */
__kernel void planted(__global float *x) {
#if PLANTED
  const int unused = 1;
#endif
  x[get_global_id(0)] *= 2.0f;
}
