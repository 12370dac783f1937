/* The model zoo: the seeds' models (simplecnn, mlp, resnet18) as small layer graphs with, per
 * layer, the output shape, parameters, MACs, FLOPs and activation bytes.
 *
 * Counting follows calflops 0.3.2 (DeepSpeed's profiler rules, eval mode), so the totals are
 * the numbers users compare with (tests/data/calflops_zoo.csv, made by
 * tools/zoo_flops_reference.py):
 *   conv2d     MACs = Hout Wout Kh Kw (Cin / groups) Cout;  FLOPs = 2 MACs + Cout Hout Wout
 *              when it has a bias
 *   linear     MACs = in * out;  FLOPs = 2 MACs (calflops does not count the bias add)
 *   batchnorm  FLOPs = 2 elements (inference: scale and shift)
 *   relu       FLOPs = elements
 *   maxpool, adaptive avgpool   FLOPs = elements of the input
 *   add        0: torchvision adds the residual in place (`out += identity`), which calflops
 *              does not see
 *   flatten    0
 * Forward + backward FLOPs are 3x forward (backward = 2x forward, calflops'
 * include_backPropagation). All counts are per image; a batch multiplies MACs, FLOPs and
 * activations, not parameters.
 *
 * The graph: layer i reads the outputs of layers input[0..ninputs) (all < i) or the model
 * input (OB_LAYER_FROM_INPUT). A torch module called twice (BasicBlock's relu) is two layers
 * with the same name; layer indices are unique.
 */
#ifndef OB_ZOO_H
#define OB_ZOO_H

#include "oclbench.h"

typedef enum ob_layer_kind {
  OB_LAYER_CONV2D,
  OB_LAYER_LINEAR,
  OB_LAYER_BATCHNORM,
  OB_LAYER_RELU,
  OB_LAYER_MAXPOOL,
  OB_LAYER_AVGPOOL, /* adaptive, to 1x1 */
  OB_LAYER_ADD,
  OB_LAYER_FLATTEN,
} ob_layer_kind;

#define OB_LAYER_FROM_INPUT (-1)
#define OB_ZOO_BACKWARD_FACTOR 2

typedef struct ob_layer {
  char name[40];          /* torch module name, e.g. "layer1.0.conv1" */
  ob_layer_kind kind;
  int input[2];           /* producing layers, or OB_LAYER_FROM_INPUT */
  int ninputs;            /* 2 for add, else 1 */
  int out_channels;       /* conv: filters; linear: output features */
  int kernel, stride, pad, groups; /* conv and pools */
  bool bias;              /* conv, linear */
  int c, h, w;            /* output shape per image (linear, flatten: c features, 1x1) */
  int64_t params, macs, flops; /* per image, forward */
} ob_layer;

typedef struct ob_model_totals {
  int64_t params, macs, flops, activation_elems; /* per image, forward */
} ob_model_totals;

typedef struct ob_model ob_model;

/* The model names, NULL-terminated: "simplecnn", "mlp", "resnet18". */
extern const char *const ob_zoo_models[];

/* Builds the named model for an input of c x h x w per image (c features with h = w = 1 for
 * mlp); c, h, w <= 0 take the model's default (3x224x224; mlp 1024x1x1). OB_ERR_INVALID with
 * a one-line detail for an unknown name or an input the model cannot take (a feature count
 * that does not match a fixed linear layer, a spatial size that shrinks to nothing).
 * *out is owned by the caller: ob_model_destroy. */
ob_status ob_model_create(const char *name, int c, int h, int w, ob_model **out);

/* Frees the model; NULL is a no-op. */
void ob_model_destroy(ob_model *m);

/* The model's name and its input shape per image. */
const char *ob_model_name(const ob_model *m);
void ob_model_input(const ob_model *m, int *c, int *h, int *w);

/* Layers in execution order; ob_model_layer is NULL when i is out of range. */
size_t ob_model_layer_count(const ob_model *m);
const ob_layer *ob_model_layer(const ob_model *m, size_t i);

/* Sums over the layers (per image). */
void ob_model_totals_get(const ob_model *m, ob_model_totals *out);

/* Checks that every count of a batch of images (MACs, forward+backward FLOPs, activation and
 * parameter bytes, per layer and in total) fits a signed 64-bit integer; OB_ERR_INVALID naming
 * the count and the limit otherwise (batch < 1 too). Model creation checks the per-image counts
 * the same way, so every product a caller forms from them stays defined. */
ob_status ob_model_check_batch(const ob_model *m, int64_t batch);

/* "conv2d", "linear", "batchnorm", "relu", "maxpool", "avgpool", "add", "flatten". */
const char *ob_layer_kind_name(ob_layer_kind kind);

/* Elements of the layer's output per image. */
int64_t ob_layer_out_elems(const ob_layer *l);

/* Forward + backward FLOPs of a layer per image: (1 + OB_ZOO_BACKWARD_FACTOR) x forward. */
int64_t ob_layer_flops_train(const ob_layer *l);

#endif
