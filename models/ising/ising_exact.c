/* Exact Ising moments by enumeration, with Gray-code updates of the log-weight. */
#include "ising_exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Log-weights beta * (sum h s + sum J s s) of every state in logw[2^n] (-INFINITY where the
 * clamp excludes the state); returns the largest. */
static double log_weights(const ob_ising_model *model, const int8_t *clamp, double *logw) {
  const size_t n = ob_ising_nodes(model);
  const double beta = ob_ising_beta(model);
  const double *h = ob_ising_h_const(model), *J = ob_ising_J_const(model);
  const uint32_t *rp = ob_ising_row_ptr(model), *col = ob_ising_col(model),
                 *ce = ob_ising_col_edge(model);
  int8_t s[OB_ISING_EXACT_MAX_NODES];
  double w = 0.0; /* state 0: every spin -1 */
  for (size_t i = 0; i < n; i++) s[i] = -1;
  for (size_t i = 0; i < n; i++) w -= h[i];
  for (size_t k = 0; k < ob_ising_edges(model); k++) w += J[k];
  double best = -INFINITY;
  size_t state = 0;
  const size_t count = (size_t)1 << n;
  for (size_t step = 0; step < count; step++) {
    if (step) { /* Gray code: flip the lowest set bit of step */
      const size_t i = (size_t)__builtin_ctzll(step);
      double field = h[i];
      for (uint32_t e = rp[i]; e < rp[i + 1]; e++) field += J[ce[e]] * s[col[e]];
      w -= 2.0 * s[i] * field;
      s[i] = (int8_t)-s[i];
      state ^= (size_t)1 << i;
    }
    bool allowed = true;
    for (size_t i = 0; clamp && i < n && allowed; i++) allowed = !clamp[i] || clamp[i] == s[i];
    logw[state] = allowed ? beta * w : -INFINITY;
    if (logw[state] > best) best = logw[state];
  }
  return best;
}

ob_status ob_ising_exact_moments(const ob_ising_model *model, const int8_t *clamp, double *node,
                                 double *edge, double *prob, ob_ising_exact_summary *summary) {
  const size_t n = ob_ising_nodes(model), m = ob_ising_edges(model);
  if (n > OB_ISING_EXACT_MAX_NODES)
    return ob_fail(OB_ERR_INVALID, "exact enumeration: %zu nodes, at most %d supported", n,
                   OB_ISING_EXACT_MAX_NODES);
  const size_t count = (size_t)1 << n;
  double *p = malloc(count * sizeof *p);
  if (!p) return ob_fail(OB_ERR_NOMEM, "out of memory");
  const double best = log_weights(model, clamp, p);
  if (!isfinite(best)) {
    free(p);
    return ob_fail(OB_ERR_INVALID, "exact enumeration: the clamp allows no state");
  }
  double z = 0.0;
  for (size_t x = 0; x < count; x++) {
    p[x] = exp(p[x] - best);
    z += p[x];
  }
  const double *h = ob_ising_h_const(model), *J = ob_ising_J_const(model);
  const uint32_t *ed = ob_ising_edge_list(model);
  if (node) memset(node, 0, n * sizeof *node);
  if (edge) memset(edge, 0, m * sizeof *edge);
  double energy = 0.0, mag = 0.0;
  for (size_t x = 0; x < count; x++) {
    p[x] /= z;
    if (p[x] == 0.0) continue;
    double e = 0.0, sum = 0.0;
    for (size_t i = 0; i < n; i++) {
      const double si = (x >> i) & 1 ? 1.0 : -1.0;
      sum += si;
      e -= h[i] * si;
      if (node) node[i] += p[x] * si;
    }
    for (size_t k = 0; k < m; k++) {
      const double ss = ((x >> ed[2 * k]) ^ (x >> ed[2 * k + 1])) & 1 ? -1.0 : 1.0;
      e -= J[k] * ss;
      if (edge) edge[k] += p[x] * ss;
    }
    energy += p[x] * e;
    mag += p[x] * sum / (double)n;
  }
  if (summary) *summary = (ob_ising_exact_summary){energy, mag, best + log(z)};
  if (prob) memcpy(prob, p, count * sizeof *p);
  free(p);
  return OB_OK;
}

ob_status ob_ising_exact_kl_grad(const ob_ising_model *model, const uint32_t *visible,
                                 size_t nvis, const int8_t *data, size_t rows, double *grad_h,
                                 double *grad_J, double *nll) {
  const size_t n = ob_ising_nodes(model), m = ob_ising_edges(model);
  if (rows == 0) return ob_fail(OB_ERR_INVALID, "KL gradient: no data rows");
  double *node = malloc((n + 1) * sizeof *node), *edge = malloc((m + 1) * sizeof *edge);
  int8_t *clamp = calloc(n + 1, 1);
  ob_status st = node && edge && clamp ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  ob_ising_exact_summary free_sum = {0}, cl_sum = {0};
  if (st == OB_OK) st = ob_ising_exact_moments(model, NULL, node, edge, NULL, &free_sum);
  const double beta = ob_ising_beta(model);
  if (st == OB_OK) { /* model phase: + beta <.>_model */
    for (size_t i = 0; i < n; i++) grad_h[i] = beta * node[i];
    for (size_t k = 0; k < m; k++) grad_J[k] = beta * edge[k];
  }
  double loglik = 0.0;
  for (size_t r = 0; r < rows && st == OB_OK; r++) { /* data phase: - beta <.>_data */
    for (size_t k = 0; k < nvis; k++) {
      if (visible[k] >= n) {
        st = ob_fail(OB_ERR_INVALID, "KL gradient: visible node %u out of range", visible[k]);
        break;
      }
      clamp[visible[k]] = data[r * nvis + k];
    }
    if (st == OB_OK) st = ob_ising_exact_moments(model, clamp, node, edge, NULL, &cl_sum);
    if (st != OB_OK) break;
    for (size_t i = 0; i < n; i++) grad_h[i] -= beta * node[i] / (double)rows;
    for (size_t k = 0; k < m; k++) grad_J[k] -= beta * edge[k] / (double)rows;
    loglik += cl_sum.log_z - free_sum.log_z;
  }
  if (st == OB_OK && nll) *nll = -loglik / (double)rows;
  free(node);
  free(edge);
  free(clamp);
  return st;
}
