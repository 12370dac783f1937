/* KL-gradient estimation and gradient-descent training on a device. */
#include "ising_train.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ob_ising_trainer {
  ob_ising_model *model;
  ob_ising_sampler *clamped, *free;
  ob_ising_kl_opts opts;
  size_t n, m;
  double *node_c, *edge_c, *node_f, *edge_f, *grad_h, *grad_J;
};

void ob_ising_trainer_destroy(ob_ising_trainer *t) {
  if (!t) return;
  ob_ising_sampler_destroy(t->clamped);
  ob_ising_sampler_destroy(t->free);
  free(t->node_c);
  free(t->edge_c);
  free(t->node_f);
  free(t->edge_f);
  free(t->grad_h);
  free(t->grad_J);
  free(t);
}

static ob_status check_opts(const ob_ising_kl_opts *o, size_t nvis, size_t rows) {
  if (!o->chains_per_row || !o->free_chains || !o->sweeps)
    return ob_fail(OB_ERR_INVALID, "KL gradient: chains per row, free chains and sweeps must be "
                   "at least 1");
  if (!nvis || !rows) return ob_fail(OB_ERR_INVALID, "KL gradient: no visible nodes or no data");
  return OB_OK;
}

ob_status ob_ising_trainer_create(ob_device *dev, ob_ising_model *model, const uint32_t *visible,
                                  size_t nvis, const int8_t *data, size_t rows,
                                  const ob_ising_kl_opts *opts, ob_ising_trainer **out) {
  *out = NULL;
  OB_TRY(check_opts(opts, nvis, rows));
  ob_ising_trainer *t = calloc(1, sizeof *t);
  if (!t) return ob_fail(OB_ERR_NOMEM, "out of memory");
  t->model = model;
  t->opts = *opts;
  t->n = ob_ising_nodes(model);
  t->m = ob_ising_edges(model);
  const size_t n1 = t->n + 1, m1 = t->m + 1;
  t->node_c = malloc(n1 * sizeof(double));
  t->node_f = malloc(n1 * sizeof(double));
  t->grad_h = malloc(n1 * sizeof(double));
  t->edge_c = malloc(m1 * sizeof(double));
  t->edge_f = malloc(m1 * sizeof(double));
  t->grad_J = malloc(m1 * sizeof(double));
  const size_t chains = rows * opts->chains_per_row;
  int8_t *values = malloc(chains * nvis + 1);
  ob_status st = t->node_c && t->node_f && t->grad_h && t->edge_c && t->edge_f && t->grad_J &&
                         values
                     ? OB_OK
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t c = 0; st == OB_OK && c < chains; c++)
    memcpy(values + c * nvis, data + (c % rows) * nvis, nvis);
  if (st == OB_OK)
    st = ob_ising_sampler_create(dev, model, chains, opts->seed, &opts->tuning, &t->clamped);
  if (st == OB_OK) st = ob_ising_sampler_clamp(t->clamped, visible, nvis, values);
  if (st == OB_OK)
    st = ob_ising_sampler_create(dev, model, opts->free_chains, opts->seed ^ 0x9E3779B97F4A7C15ull,
                                 &opts->tuning, &t->free);
  free(values);
  if (st != OB_OK) {
    ob_ising_trainer_destroy(t);
    return st;
  }
  *out = t;
  return OB_OK;
}

/* Warm-up, then observed sweeps; moments into node/edge. */
static ob_status phase(ob_ising_sampler *s, const ob_ising_kl_opts *o, double *node,
                       double *edge) {
  if (o->warmup) OB_TRY(ob_ising_sampler_run(s, o->warmup, false, NULL));
  ob_ising_sampler_clear_moments(s);
  OB_TRY(ob_ising_sampler_run(s, o->sweeps, true, NULL));
  ob_ising_moments mo = {.node = node, .edge = edge};
  return ob_ising_sampler_moments(s, &mo);
}

ob_status ob_ising_trainer_grad(ob_ising_trainer *t, double *grad_h, double *grad_J) {
  OB_TRY(phase(t->clamped, &t->opts, t->node_c, t->edge_c));
  OB_TRY(phase(t->free, &t->opts, t->node_f, t->edge_f));
  const double beta = ob_ising_beta(t->model);
  for (size_t i = 0; i < t->n; i++) grad_h[i] = -beta * (t->node_c[i] - t->node_f[i]);
  for (size_t k = 0; k < t->m; k++) grad_J[k] = -beta * (t->edge_c[k] - t->edge_f[k]);
  return OB_OK;
}

ob_status ob_ising_trainer_step(ob_ising_trainer *t, double lr, double *grad_norm) {
  OB_TRY(ob_ising_trainer_grad(t, t->grad_h, t->grad_J));
  double *h = ob_ising_h(t->model), *J = ob_ising_J(t->model), sq = 0.0;
  for (size_t i = 0; i < t->n; i++) {
    h[i] -= lr * t->grad_h[i];
    sq += t->grad_h[i] * t->grad_h[i];
  }
  for (size_t k = 0; k < t->m; k++) {
    J[k] -= lr * t->grad_J[k];
    sq += t->grad_J[k] * t->grad_J[k];
  }
  if (grad_norm) *grad_norm = sqrt(sq);
  OB_TRY(ob_ising_sampler_update_weights(t->clamped));
  return ob_ising_sampler_update_weights(t->free);
}

ob_status ob_ising_kl_grad(ob_device *dev, ob_ising_model *model, const uint32_t *visible,
                           size_t nvis, const int8_t *data, size_t rows,
                           const ob_ising_kl_opts *opts, double *grad_h, double *grad_J) {
  ob_ising_trainer *t = NULL;
  OB_TRY(ob_ising_trainer_create(dev, model, visible, nvis, data, rows, opts, &t));
  ob_status st = ob_ising_trainer_grad(t, grad_h, grad_J);
  ob_ising_trainer_destroy(t);
  return st;
}

/* ------------------------------------------------------------------ data files */

typedef struct data_file {
  const char *path;
  size_t n, nvis, rows, cap;
  uint32_t *visible;
  int8_t *data;
} data_file;

/* A field without its surrounding spaces (allowed around every field of these files), copied
 * into buf; false when it does not fit (then it is no value these files hold). */
static bool trimmed(const char *field, char *buf, size_t n) {
  while (isspace((unsigned char)*field)) field++;
  size_t len = strlen(field);
  while (len && isspace((unsigned char)field[len - 1])) len--;
  if (len >= n) return false;
  memcpy(buf, field, len);
  buf[len] = '\0';
  return true;
}

static bool parse_value(const char *field, int8_t *out) {
  char buf[24];
  int64_t v = 0;
  if (!trimmed(field, buf, sizeof buf) || ob_parse_int(buf, -1, 1, &v) != OB_INT_OK || v == 0)
    return false;
  *out = (int8_t)v;
  return true;
}

static ob_status on_header(data_file *x, size_t line, char **f, size_t nf) {
  x->visible = malloc(nf * sizeof *x->visible);
  uint8_t *seen = calloc(x->n ? x->n : 1, 1);
  ob_status st = x->visible && seen ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < nf && st == OB_OK; k++) {
    char buf[24];
    int64_t v = 0;
    const ob_int_result r = trimmed(f[k], buf, sizeof buf) && isdigit((unsigned char)buf[0])
                                ? ob_parse_int(buf, 0, (int64_t)x->n - 1, &v)
                                : OB_INT_NOT_INTEGER;
    if (r == OB_INT_NOT_INTEGER)
      st = ob_fail(OB_ERR_INVALID, "%s:%zu: header field %zu '%s' is not a node id (the header "
                   "lists the visible nodes)", x->path, line, k + 1, f[k]);
    else if (r == OB_INT_OUT_OF_RANGE)
      st = ob_fail(OB_ERR_INVALID, "%s:%zu: visible node %s out of range (the graph has %zu "
                   "nodes)", x->path, line, buf, x->n);
    else if (seen[v])
      st = ob_fail(OB_ERR_INVALID, "%s:%zu: visible node %lld listed twice", x->path, line,
                   (long long)v);
    else {
      seen[v] = 1;
      x->visible[k] = (uint32_t)v;
    }
  }
  free(seen);
  x->nvis = nf;
  return st;
}

static ob_status on_data_row(void *user, size_t line, char **f, size_t nf) {
  data_file *x = user;
  if (!x->visible) return on_header(x, line, f, nf);
  if (nf != x->nvis)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: expected %zu values, found %zu", x->path, line,
                   x->nvis, nf);
  int8_t *grown = ob_grow(x->data, &x->cap, x->rows + 1, x->nvis, 64);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  x->data = grown;
  for (size_t k = 0; k < nf; k++)
    if (!parse_value(f[k], &x->data[x->rows * x->nvis + k]))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: value '%s' is not +1 or -1", x->path, line, f[k]);
  x->rows++;
  return OB_OK;
}

ob_status ob_ising_data_load(const char *path, size_t n, uint32_t **visible, size_t *nvis,
                             int8_t **data, size_t *rows) {
  data_file x = {.path = path, .n = n};
  ob_status st = ob_csv_read(path, on_data_row, &x);
  if (st == OB_OK && !x.visible)
    st = ob_fail(OB_ERR_INVALID, "%s:1: empty file: expected a header of visible node ids and "
                 "rows of +1/-1", path);
  if (st == OB_OK && x.rows == 0)
    st = ob_fail(OB_ERR_INVALID, "%s:2: no examples after the header", path);
  if (st != OB_OK) {
    free(x.visible);
    free(x.data);
    return st;
  }
  *visible = x.visible;
  *nvis = x.nvis;
  *data = x.data;
  *rows = x.rows;
  return OB_OK;
}
