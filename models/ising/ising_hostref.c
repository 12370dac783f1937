/* The sampler's arithmetic as a plain single-thread C loop. */
#include "ising_hostref.h"

#include <stdlib.h>

#include "ising_multispin.h"
#include "ising_rule.h"
#include "philox.h"

struct ob_ising_hostref {
  size_t n;
  const uint32_t *row_ptr, *col;
  float *ht, *wt;
  uint32_t *order; /* free nodes, colour by colour */
  size_t nfree;
  uint32_t *sign;  /* multispin: per CSR entry the coupling's sign mask, else NULL */
  uint32_t *K;     /* multispin: node i's thresholds at K[row_ptr[i] + i ..] */
};

void ob_ising_hostref_destroy(ob_ising_hostref *ref) {
  if (!ref) return;
  free(ref->ht);
  free(ref->wt);
  free(ref->order);
  free(ref->sign);
  free(ref->K);
  free(ref);
}

/* The multispin rule's tables (ising_multispin.h). */
static ob_status prepare_multispin(ob_ising_hostref *r, const ob_ising_model *model) {
  double w = 0.0;
  if (!ob_ising_multispin_weight(model, &w))
    return ob_fail(OB_ERR_UNSUPPORTED, "multispin rule: the couplings are not all +-w");
  const size_t entries = 2 * ob_ising_edges(model);
  r->sign = malloc((entries + 1) * sizeof *r->sign);
  r->K = malloc((entries + r->n + 1) * sizeof *r->K);
  if (!r->sign || !r->K) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t e = 0; e < entries; e++) r->sign[e] = ob_ising_multispin_sign(model, e);
  for (size_t i = 0; i < r->n; i++)
    ob_ising_multispin_thresholds(model, w, (uint32_t)i, r->K + r->row_ptr[i] + i);
  return OB_OK;
}

ob_status ob_ising_hostref_create(const ob_ising_model *model, const uint8_t *clamped,
                                  bool multispin, ob_ising_hostref **out) {
  *out = NULL;
  ob_ising_hostref *r = calloc(1, sizeof *r);
  if (!r) return ob_fail(OB_ERR_NOMEM, "out of memory");
  r->n = ob_ising_nodes(model);
  r->row_ptr = ob_ising_row_ptr(model);
  r->col = ob_ising_col(model);
  r->ht = malloc(r->n * sizeof *r->ht);
  r->wt = malloc((2 * ob_ising_edges(model) + 1) * sizeof *r->wt);
  r->order = malloc(r->n * sizeof *r->order);
  if (!r->ht || !r->wt || !r->order) {
    ob_ising_hostref_destroy(r);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  ob_ising_scale(model, r->ht, r->wt);
  const uint32_t *colour = ob_ising_colour(model);
  for (uint32_t c = 0; c < ob_ising_ncolours(model); c++)
    for (size_t i = 0; i < r->n; i++)
      if (colour[i] == c && !(clamped && clamped[i])) r->order[r->nfree++] = (uint32_t)i;
  const ob_status st = multispin ? prepare_multispin(r, model) : OB_OK;
  if (st != OB_OK) {
    ob_ising_hostref_destroy(r);
    return st;
  }
  *out = r;
  return OB_OK;
}

void ob_ising_hostref_init(const ob_ising_hostref *ref, uint64_t seed, size_t chain0,
                           size_t nchains, int8_t *spins) {
  const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  uint32_t r[4];
  for (size_t i = 0; i < ref->n; i++)
    for (size_t c = 0; c < nchains; c++) {
      const size_t chain = chain0 + c;
      if (c == 0 || chain % 4 == 0) {
        const uint32_t ctr[4] = {(uint32_t)i, 0, (uint32_t)(chain / 4), 1};
        ob_philox4x32_10(ctr, k0, k1, r);
      }
      spins[c * ref->n + i] = (int8_t)(r[chain % 4] >> 31 ? -1 : 1);
    }
}

void ob_ising_hostref_sweeps(const ob_ising_hostref *ref, uint64_t seed, size_t chain0,
                             size_t nchains, uint64_t sweep0, size_t nsweeps, int8_t *spins) {
  const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  const size_t n = ref->n;
  uint32_t r[4];
  for (size_t s = 0; s < nsweeps; s++) {
    const uint32_t sweep = (uint32_t)(sweep0 + s);
    for (size_t f = 0; f < ref->nfree; f++) { /* colour by colour */
      const uint32_t i = ref->order[f];
      for (size_t c = 0; c < nchains; c++) {
        const size_t chain = chain0 + c;
        if (!ref->K && (c == 0 || chain % 4 == 0)) { /* the float rule's outputs */
          const uint32_t ctr[4] = {i, sweep, (uint32_t)(chain / 4), 0};
          ob_philox4x32_10(ctr, k0, k1, r);
        }
        int8_t *sc = spins + c * n;
        if (ref->K) { /* multispin: count the neighbours with sigma_ij s_j = -1 */
          uint32_t cnt = 0;
          for (uint32_t e = ref->row_ptr[i]; e < ref->row_ptr[i + 1]; e++)
            cnt += (sc[ref->col[e]] < 0) != (ref->sign[e] != 0);
          const uint32_t K = ref->K[ref->row_ptr[i] + i + cnt];
          sc[i] = (int8_t)(ob_ising_multispin_plus(k0, k1, i, sweep, chain, K) ? 1 : -1);
          continue;
        }
        float t = ref->ht[i];
        for (uint32_t e = ref->row_ptr[i]; e < ref->row_ptr[i + 1]; e++)
          t += ref->wt[e] * sc[ref->col[e]]; /* times +-1: exact, like the kernels' sign flip */
        sc[i] = (int8_t)(ob_ising_minus(t, r[chain % 4]) ? -1 : 1);
      }
    }
  }
}
