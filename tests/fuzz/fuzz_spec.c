/* Fuzz target: graph specs (ob_ising_model_from_spec) with the weights, seed and beta. Input:
 * the spec. Specs that declare more than 2^16 nodes (the product of their numbers) but not so
 * many that the limits must refuse them at once (2^40) are skipped: they are valid graphs whose
 * building would only slow the fuzzer (pegasus:193, 890,000 nodes, took over 10 s under ASan;
 * test_ising_graph checks the sizes near the limits).
 * edges:FILE specs are the edges target's. */
#include <string.h>

#include "fuzz.h"
#include "ising/ising_graph.h"

/* The product of the numbers in s, saturated at 2^62; chimera:M and pegasus:M count their
 * nodes, 8 M^2 and about 24 M^2. */
static double declared(const char *s) {
  double product = 1.0, v = -1.0;
  for (const char *p = s;; p++) {
    if (*p >= '0' && *p <= '9') {
      v = (v < 0 ? 0 : v) * 10 + (*p - '0');
      if (v > 0x1p62) v = 0x1p62;
      continue;
    }
    if (v >= 0) product *= v;
    v = -1.0;
    if (!*p) break;
  }
  if (strncmp(s, "chimera:", 8) == 0) product *= 8 * product;
  if (strncmp(s, "pegasus:", 8) == 0) product *= 24 * product;
  return product;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *parts[1], *block = NULL;
  fuzz_split(data, size, parts, 1, &block);
  const char *spec = parts[0];
  const double units = declared(spec);
  if (strncmp(spec, "edges:", 6) != 0 && (units <= 0x1p16 || units > 0x1p40)) {
    ob_ising_model *m = NULL;
    const ob_ising_weight_kind kind = size % 2 ? OB_ISING_WEIGHTS_PM1 : OB_ISING_WEIGHTS_GAUSS;
    if (ob_ising_model_from_spec(spec, kind, size, 1.0, &m) == OB_OK) {
      if (ob_ising_nodes(m) == 0 || ob_ising_ncolours(m) == 0) __builtin_trap();
      ob_ising_model_destroy(m);
    }
  }
  free(block);
  return 0;
}
