/* Fuzz target: edge-list and bias files. Input: an edges file (i,j,w), then after a NUL byte an
 * optional bias file (i,h) loaded into the model the edges file gave. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ising/ising_graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *parts[2], *block = NULL;
  const size_t n = fuzz_split(data, size, parts, 2, &block);
  char spec[128];
  snprintf(spec, sizeof spec, "edges:%s", fuzz_file(0, parts[0], strlen(parts[0])));
  ob_ising_model *m = NULL;
  if (ob_ising_model_from_spec(spec, OB_ISING_WEIGHTS_GAUSS, 1, 1.0, &m) == OB_OK) {
    /* Every edge (i, j) has i < j < n, and the colouring is proper. */
    const uint32_t *e = ob_ising_edge_list(m), *colour = ob_ising_colour(m);
    for (size_t k = 0; k < ob_ising_edges(m); k++)
      if (e[2 * k] >= e[2 * k + 1] || e[2 * k + 1] >= ob_ising_nodes(m) ||
          colour[e[2 * k]] == colour[e[2 * k + 1]])
        __builtin_trap();
    if (n == 2) ob_ising_model_load_biases(m, fuzz_file(1, parts[1], strlen(parts[1])));
    ob_ising_model_destroy(m);
  }
  free(block);
  return 0;
}
