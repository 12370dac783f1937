/* Helpers of the convolution tests (tests/test_conv*.c): the test shapes, running one pass of
 * a plan on fixed-seed inputs in either storage type, and checking it against the double
 * reference. Failures end the current cmocka test. */
#ifndef OB_TEST_CONV_SUPPORT_H
#define OB_TEST_CONV_SUPPORT_H

#include "support.h"

#include "conv/conv.h"
#include "conv/conv_tune.h"

/* How a test plan gets its configuration: ob_conv_select with settings of this mode and,
 * when forced, this configuration (OCLBENCH_CONFIG_CONV's way: split 0 is chosen for the
 * shape). Zeroed: fp32, mode on, nothing forced. */
typedef struct ob_test_conv_opts {
  ob_conv_storage storage;
  ob_tune_mode mode;
  bool forced;
  ob_conv_config config;
} ob_test_conv_opts;

/* The configuration opts give for one pass of shape s on the test device. */
ob_status ob_test_conv_select(const ob_conv_shape *s, ob_conv_pass pass,
                              const ob_test_conv_opts *opts, ob_conv_choice *choice);

/* A plan of the configuration opts give (failing the test on an error); *choice (optional)
 * receives the selection. */
ob_conv_plan *ob_test_conv_plan(const ob_conv_shape *s, ob_conv_pass pass,
                                const ob_test_conv_opts *opts, ob_conv_choice *choice);

/* Odd sizes, 1x1, aligned rows, stride 2 and 3, pad 0/1/2, groups, depthwise, rectangular
 * kernels, inputs smaller than the stride, 36 taps (no tap masks). */
extern const ob_conv_shape ob_test_conv_shapes[];
extern const size_t ob_test_conv_nshapes;

/* Host tensors of one run: the inputs as the device read them and its outputs, as floats. */
typedef struct ob_test_conv_run {
  float *x, *w, *y, *b;   /* inputs of fixed seeds (x, w, dy as y, bias) */
  float *out, *db;        /* the pass's output; the bias gradient (NULL unless computed) */
  size_t nout;
  const float *in0, *in1; /* the pass's inputs in ob_conv_ref_at's order */
  bool has_bias;          /* b was an input (forward) or db an output (weight gradient) */
  char config[256];       /* the selection's description of the plan that ran */
  int algo;               /* the algorithm of its configuration (ob_conv_algo) */
} ob_test_conv_run;

/* Runs one pass of shape s with opts (its storage type included) on the test device. The
 * bias is an input of the forward pass and an output (db) of the weight gradient when
 * with_bias. The inputs are rounded to half when round_inputs (an fp32 plan then reads the
 * values an fp16 plan reads) and, for fp16 plans, by the upload anyway. */
void ob_test_conv_run_pass(const ob_conv_shape *s, ob_conv_pass pass,
                           const ob_test_conv_opts *opts, bool with_bias, bool round_inputs,
                           ob_test_conv_run *r);

/* Frees what a run holds. */
void ob_test_conv_run_free(ob_test_conv_run *r);

/* "forward fp16 n=2 c=3 ..." for messages. */
void ob_test_conv_describe(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage st,
                           char *buf, size_t n);

/* Compares every output of a run of a pass in storage st with the reference within the
 * bound of the arithmetic of the run's algorithm and storage type (fp32: also within 1e-6,
 * 1e-5 for Winograd F(4x4,3x3);
 * fp16: also near the mean error of rounding to half), and the bias gradient when the run
 * has one. */
void ob_test_conv_check_run(const ob_conv_shape *s, ob_conv_pass pass, ob_conv_storage st,
                            const ob_test_conv_run *r);

/* Runs one pass (ob_test_conv_run_pass, inputs not rounded beforehand) and checks it
 * (ob_test_conv_check_run). */
void ob_test_conv_check_pass(const ob_conv_shape *s, ob_conv_pass pass,
                             const ob_test_conv_opts *opts, bool with_bias);

/* Options forcing a configuration (text of ob_conv_family), storage fp32; on a device with
 * less local memory than the tile needs, with tk halved until it fits (said on stdout), and
 * the current test skipped when nothing fits. */
ob_test_conv_opts ob_test_conv_forced(const char *text);

#endif
