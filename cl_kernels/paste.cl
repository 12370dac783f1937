/* Token pasting for kernels whose types and helpers are named by their -D options (float4 from
 * float and VN=4, vload16 from vload and 16): CAT(a, b) pastes a and b after expanding both.
 * Built in front of the kernel file that uses it ("paste.cl gemm.cl"). */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
