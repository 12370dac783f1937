/* Helpers of the Ising sampler tests (ising_support.h). */
#include "ising_support.h"

#include <stdlib.h>

#include "ising/ising_hostref.h"

ob_ising_model *ob_test_ising_model(const char *spec, ob_ising_weight_kind w) {
  ob_ising_model *m = NULL;
  OB_ASSERT_OK(ob_ising_model_from_spec(spec, w, 11, 0.7, &m));
  return m;
}

int8_t *ob_test_ising_run_equals_host(const ob_ising_model *m, size_t chains, size_t sweeps,
                                      const ob_ising_tuning *t, const uint32_t *clamp_nodes,
                                      size_t nclamp, const int8_t *clamp_vals, bool observe) {
  const size_t n = ob_ising_nodes(m);
  ob_ising_sampler *s = NULL;
  OB_ASSERT_OK(ob_ising_sampler_create(ob_test_device(), m, chains, 0x123456789abcull, t, &s));
  if (nclamp) OB_ASSERT_OK(ob_ising_sampler_clamp(s, clamp_nodes, nclamp, clamp_vals));
  int8_t *dev = malloc(chains * n), *host = malloc(chains * n);
  OB_ASSERT_OK(ob_ising_sampler_samples(s, 0, chains, dev));
  uint8_t *held = calloc(n, 1);
  for (size_t j = 0; j < nclamp; j++) held[clamp_nodes[j]] = 1;
  ob_ising_hostref *ref = NULL;
  OB_ASSERT_OK(ob_ising_hostref_create(m, held, t && t->update == OB_ISING_UPDATE_MULTISPIN,
                                       &ref));
  ob_ising_hostref_init(ref, 0x123456789abcull, 0, chains, host);
  for (size_t c = 0; c < chains; c++)
    for (size_t j = 0; j < nclamp; j++) host[c * n + clamp_nodes[j]] = clamp_vals[c * nclamp + j];
  assert_memory_equal(dev, host, chains * n); /* the initial state */
  OB_ASSERT_OK(ob_ising_sampler_run(s, sweeps / 2, false, NULL));
  OB_ASSERT_OK(ob_ising_sampler_run(s, sweeps - sweeps / 2, observe, NULL));
  assert_int_equal(ob_ising_sampler_sweep(s), sweeps);
  OB_ASSERT_OK(ob_ising_sampler_samples(s, 0, chains, dev));
  ob_ising_hostref_sweeps(ref, 0x123456789abcull, 0, chains, 0, sweeps, host);
  size_t differ = 0;
  for (size_t i = 0; i < chains * n; i++) differ += dev[i] != host[i];
  if (differ) {
    ob_ising_config c;
    ob_ising_sampler_config(s, &c);
    fail_msg("%zu of %zu spins differ (%s update, path %s, %u bits, wg %zu x %zu, %zu passes, "
             "schedule %s)",
             differ, chains * n, ob_ising_update_name(c.update), ob_ising_path_name(c.path),
             c.spin_bits, c.wg_size, c.wg_words,
             c.passes, ob_ising_path_name(c.schedule));
  }
  ob_ising_hostref_destroy(ref);
  ob_ising_sampler_destroy(s);
  free(held);
  free(host);
  return dev;
}

int8_t *ob_test_ising_equals_host(const ob_ising_model *m, size_t chains, size_t sweeps,
                                  const ob_ising_tuning *t, const uint32_t *clamp_nodes,
                                  size_t nclamp, const int8_t *clamp_vals) {
  return ob_test_ising_run_equals_host(m, chains, sweeps, t, clamp_nodes, nclamp, clamp_vals, true);
}

void ob_test_ising_configurations_agree(const ob_ising_model *m, size_t chains, size_t sweeps,
                                        const ob_ising_tuning *cfgs, size_t ncfgs,
                                        const uint32_t *held, size_t nheld,
                                        const int8_t *vals) {
  int8_t *first = NULL;
  for (size_t k = 0; k < ncfgs; k++) {
    int8_t *s = ob_test_ising_equals_host(m, chains, sweeps, &cfgs[k], held, nheld, vals);
    if (!first) first = s;
    else {
      assert_memory_equal(s, first, chains * ob_ising_nodes(m));
      free(s);
    }
  }
  free(first);
}
