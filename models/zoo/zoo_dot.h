/* The layer graph of a zoo model (models/zoo/zoo.h) as Graphviz DOT, the torchviz picture: one node
 * per layer (name, kind with its kernel/stride/padding or features, output shape for the batch,
 * parameters, MACs for the batch), a node for the model input, and an edge from every producer
 * to its consumer in data-flow order. An add (resnet18's residual connections) has both its
 * inputs as edges; the shortcut edge is dashed. Layers named "stage.block.*" are grouped in a
 * cluster per block. Render with `dot -Tsvg FILE.dot -o FILE.svg`.
 *
 * Counts: ob_model_layer_count(m) + 1 nodes; one edge per layer input (the sum of ninputs). */
#ifndef OB_ZOO_DOT_H
#define OB_ZOO_DOT_H

#include "zoo.h"

/* The DOT text of m for a batch of `batch` images (>= 1) in a malloc'ed NUL-terminated string
 * *out of *len bytes, owned by the caller. OB_ERR_NOMEM when out of memory. */
ob_status ob_model_dot(const ob_model *m, long batch, char **out, size_t *len);

/* Writes the DOT text to path atomically (temporary file, fsync, rename): nothing appears at
 * path when it fails (OB_ERR_IO with a detail). */
ob_status ob_model_dot_write(const ob_model *m, long batch, const char *path);

#endif
