/* Fuzz target: training data files (ob_ising_data_load). Input: one byte, the model's node
 * count (1..256), then the file. */
#include <stdlib.h>

#include "fuzz.h"
#include "ising/ising_train.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const size_t nodes = (size_t)data[0] + 1;
  uint32_t *visible = NULL;
  int8_t *values = NULL;
  size_t nvis = 0, rows = 0;
  if (ob_ising_data_load(fuzz_file(0, data + 1, size - 1), nodes, &visible, &nvis, &values,
                         &rows) == OB_OK) {
    for (size_t k = 0; k < nvis; k++)
      if (visible[k] >= nodes) __builtin_trap();
    for (size_t k = 0; k < nvis * rows; k++)
      if (values[k] != 1 && values[k] != -1) __builtin_trap();
    free(visible);
    free(values);
  }
  return 0;
}
