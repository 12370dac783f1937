/* Ising models: graph generators, edge and bias files, weights, CSR, DSATUR colouring. */
#include "ising_graph.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ob_ising_model {
  char spec[256];
  size_t n, m, max_degree, ncolours;
  double beta;
  uint32_t *edges;     /* 2m */
  double *J, *h;       /* m, n */
  uint32_t *row_ptr;   /* n + 1 */
  uint32_t *col;       /* 2m */
  uint32_t *col_edge;  /* 2m */
  uint32_t *colour;    /* n */
};

/* An edge while a graph is assembled: canonical key (i << 32 | j, i < j), weight, source line. */
typedef struct edge_rec {
  uint64_t key;
  double w;
  size_t line;
} edge_rec;

typedef struct edge_vec {
  edge_rec *e;
  size_t n, cap;
} edge_vec;

/* Room for cap edges in all (the exact count of a generated graph, known beforehand). */
static ob_status edge_reserve(edge_vec *v, size_t cap) {
  if (cap <= v->cap) return OB_OK;
  edge_rec *grown = realloc(v->e, cap * sizeof *grown);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  v->e = grown;
  v->cap = cap;
  return OB_OK;
}

static ob_status edge_push(edge_vec *v, uint32_t i, uint32_t j, double w, size_t line) {
  if (v->n == v->cap) OB_TRY(edge_reserve(v, v->cap ? v->cap * 2 : 1024));
  uint32_t a = i < j ? i : j, b = i < j ? j : i;
  v->e[v->n++] = (edge_rec){.key = (uint64_t)a << 32 | b, .w = w, .line = line};
  return OB_OK;
}

uint64_t ob_ising_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double uniform01(uint64_t *st) {
  return ((double)(ob_ising_splitmix64(st) >> 11) + 0.5) * 0x1p-53;
}

static double gauss(uint64_t *st) {
  const double u1 = uniform01(st), u2 = uniform01(st);
  return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Uniform integer in [0, n) (n > 0), rejection-free multiply-shift (bias < 2^-32 for n < 2^32). */
static uint64_t below(uint64_t *st, uint64_t n) {
  return (uint64_t)(((unsigned __int128)ob_ising_splitmix64(st) * n) >> 64);
}

void ob_ising_model_destroy(ob_ising_model *model) {
  if (!model) return;
  free(model->edges);
  free(model->J);
  free(model->h);
  free(model->row_ptr);
  free(model->col);
  free(model->col_edge);
  free(model->colour);
  free(model);
}

/* ------------------------------------------------------------------ colouring (DSATUR) */

typedef struct heap_item {
  uint32_t sat, deg, node;
} heap_item;

static bool heap_before(const heap_item *a, const heap_item *b) {
  if (a->sat != b->sat) return a->sat > b->sat;
  if (a->deg != b->deg) return a->deg > b->deg;
  return a->node < b->node;
}

static void heap_push(heap_item *h, size_t *n, heap_item it) {
  size_t i = (*n)++;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!heap_before(&it, &h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = it;
}

static heap_item heap_pop(heap_item *h, size_t *n) {
  heap_item top = h[0], last = h[--(*n)];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= *n) break;
    if (c + 1 < *n && heap_before(&h[c + 1], &h[c])) c++;
    if (!heap_before(&h[c], &last)) break;
    h[i] = h[c];
    i = c;
  }
  if (*n) h[i] = last;
  return top;
}

/* DSATUR: repeatedly colour the uncoloured node with the most distinct neighbour colours
 * (ties: higher degree, then lower id) with the smallest colour none of its neighbours has.
 * Each node keeps the distinct colours of its coloured neighbours in its CSR row's span. */
static ob_status colour_graph(ob_ising_model *g) {
  const size_t n = g->n;
  uint32_t *seen = malloc((2 * g->m + 1) * sizeof *seen);
  uint32_t *nseen = calloc(n ? n : 1, sizeof *nseen);
  heap_item *heap = malloc((n + 2 * g->m + 1) * sizeof *heap);
  unsigned char *mark = calloc(g->max_degree + 2, 1);
  g->colour = malloc((n ? n : 1) * sizeof *g->colour);
  if (!seen || !nseen || !heap || !mark || !g->colour) {
    free(seen);
    free(nseen);
    free(heap);
    free(mark);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  const uint32_t none = UINT32_MAX;
  size_t hn = 0;
  for (size_t i = 0; i < n; i++) {
    g->colour[i] = none;
    heap_push(heap, &hn, (heap_item){0, g->row_ptr[i + 1] - g->row_ptr[i], (uint32_t)i});
  }
  g->ncolours = 0;
  while (hn) {
    heap_item it = heap_pop(heap, &hn);
    const uint32_t u = it.node;
    if (g->colour[u] != none || it.sat != nseen[u]) continue; /* stale entry */
    const uint32_t *su = seen + g->row_ptr[u];
    for (uint32_t k = 0; k < nseen[u]; k++)
      if (su[k] <= g->max_degree) mark[su[k]] = 1;
    uint32_t c = 0;
    while (mark[c]) c++;
    for (uint32_t k = 0; k < nseen[u]; k++)
      if (su[k] <= g->max_degree) mark[su[k]] = 0;
    g->colour[u] = c;
    if (c + 1 > g->ncolours) g->ncolours = c + 1;
    for (uint32_t e = g->row_ptr[u]; e < g->row_ptr[u + 1]; e++) {
      const uint32_t v = g->col[e];
      if (g->colour[v] != none) continue;
      uint32_t *sv = seen + g->row_ptr[v];
      bool known = false;
      for (uint32_t k = 0; k < nseen[v] && !known; k++) known = sv[k] == c;
      if (known) continue;
      sv[nseen[v]++] = c;
      heap_push(heap, &hn, (heap_item){nseen[v], g->row_ptr[v + 1] - g->row_ptr[v], v});
    }
  }
  free(seen);
  free(nseen);
  free(heap);
  free(mark);
  return OB_OK;
}

/* ------------------------------------------------------------------ assembly */

static int cmp_edge(const void *a, const void *b) {
  const edge_rec *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->line > y->line) - (x->line < y->line);
}

/* Sorts and checks the edges (source names the file for line numbers, NULL: none), builds the
 * CSR and the colouring. Takes the edge vector's storage. */
static ob_status assemble(ob_ising_model *g, edge_vec *v, const char *source) {
  if (v->n > OB_ISING_MAX_EDGES)
    return ob_fail(OB_ERR_INVALID, "%zu edges: more than the %zu supported", v->n,
                   OB_ISING_MAX_EDGES);
  if (v->n > 1) qsort(v->e, v->n, sizeof *v->e, cmp_edge);
  for (size_t k = 1; k < v->n; k++) {
    if (v->e[k].key != v->e[k - 1].key) continue;
    const unsigned i = (unsigned)(v->e[k].key >> 32), j = (unsigned)(v->e[k].key & 0xffffffffu);
    if (source)
      return ob_fail(OB_ERR_INVALID, "%s:%zu: duplicate edge (%u, %u), first on line %zu",
                     source, v->e[k].line, i, j, v->e[k - 1].line);
    return ob_fail(OB_ERR_INVALID, "duplicate edge (%u, %u)", i, j);
  }
  g->m = v->n;
  const size_t m = g->m, n = g->n;
  g->edges = malloc((2 * m + 1) * sizeof *g->edges);
  g->J = malloc((m + 1) * sizeof *g->J);
  g->row_ptr = calloc(n + 1, sizeof *g->row_ptr);
  g->col = malloc((2 * m + 1) * sizeof *g->col);
  g->col_edge = malloc((2 * m + 1) * sizeof *g->col_edge);
  if (!g->h) g->h = calloc(n ? n : 1, sizeof *g->h);
  if (!g->edges || !g->J || !g->row_ptr || !g->col || !g->col_edge || !g->h)
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t k = 0; k < m; k++) {
    const uint32_t i = (uint32_t)(v->e[k].key >> 32), j = (uint32_t)v->e[k].key;
    g->edges[2 * k] = i;
    g->edges[2 * k + 1] = j;
    g->J[k] = v->e[k].w;
    g->row_ptr[i + 1]++;
    g->row_ptr[j + 1]++;
  }
  g->max_degree = 0;
  for (size_t i = 0; i < n; i++) {
    if (g->row_ptr[i + 1] > g->max_degree) g->max_degree = g->row_ptr[i + 1];
    g->row_ptr[i + 1] += g->row_ptr[i];
  }
  /* Edges are sorted by (i, j): filling rows in edge order leaves every row ascending when the
   * lower endpoints' entries (j's row gets i) come first; two passes keep that order. */
  uint32_t *fill = malloc((n ? n : 1) * sizeof *fill);
  if (!fill) return ob_fail(OB_ERR_NOMEM, "out of memory");
  memcpy(fill, g->row_ptr, n * sizeof *fill);
  for (size_t k = 0; k < m; k++) { /* entries (j -> i): i < j, ascending i per row */
    const uint32_t i = g->edges[2 * k], j = g->edges[2 * k + 1];
    g->col[fill[j]] = i;
    g->col_edge[fill[j]++] = (uint32_t)k;
  }
  for (size_t k = 0; k < m; k++) { /* entries (i -> j): j > i, after every smaller neighbour */
    const uint32_t i = g->edges[2 * k], j = g->edges[2 * k + 1];
    g->col[fill[i]] = j;
    g->col_edge[fill[i]++] = (uint32_t)k;
  }
  free(fill);
  free(v->e);
  v->e = NULL;
  return colour_graph(g);
}

/* Draws the weights of a generated graph: J in edge order, then h in node order. */
static void draw_weights(ob_ising_model *g, ob_ising_weight_kind kind, uint64_t seed) {
  uint64_t st = seed ^ 0x5EEDF00DCAFEBABEull;
  for (size_t k = 0; k < g->m; k++)
    g->J[k] = kind == OB_ISING_WEIGHTS_PM1 ? ((ob_ising_splitmix64(&st) >> 63) ? 1.0 : -1.0)
                                           : gauss(&st);
  for (size_t i = 0; i < g->n; i++) g->h[i] = kind == OB_ISING_WEIGHTS_PM1 ? 0.0 : gauss(&st);
}

/* ------------------------------------------------------------------ generators */

/* periodic: the last node of each line also meets the first (every side >= 3). */
static ob_status gen_grid(const size_t *dim, size_t nd, bool periodic, edge_vec *v) {
  size_t stride[3] = {1, 1, 1};
  for (size_t d = nd; d-- > 1;) stride[d - 1] = stride[d] * dim[d];
  const size_t n = stride[0] * dim[0];
  for (size_t id = 0; id < n; id++)
    for (size_t d = 0; d < nd; d++) {
      const size_t at = (id / stride[d]) % dim[d];
      if (at + 1 < dim[d]) OB_TRY(edge_push(v, (uint32_t)id, (uint32_t)(id + stride[d]), 0.0, 0));
      else if (periodic)
        OB_TRY(edge_push(v, (uint32_t)id, (uint32_t)(id - at * stride[d]), 0.0, 0));
    }
  return OB_OK;
}

static ob_status gen_chimera(size_t M, edge_vec *v) {
  for (size_t i = 0; i < M; i++)
    for (size_t j = 0; j < M; j++) {
      const uint32_t base = (uint32_t)((i * M + j) * 8);
      for (uint32_t a = 0; a < 4; a++)
        for (uint32_t b = 0; b < 4; b++) OB_TRY(edge_push(v, base + a, base + 4 + b, 0.0, 0));
      for (uint32_t k = 0; k < 4; k++) {
        if (i + 1 < M) OB_TRY(edge_push(v, base + k, base + (uint32_t)(M * 8) + k, 0.0, 0));
        if (j + 1 < M) OB_TRY(edge_push(v, base + 4 + k, base + 8 + 4 + k, 0.0, 0));
      }
    }
  return OB_OK;
}

/* Pegasus offsets (offsets index 0): vertical S0, horizontal S1. */
static const int peg_s0[12] = {2, 2, 2, 2, 10, 10, 10, 10, 6, 6, 6, 6};
static const int peg_s1[12] = {6, 6, 6, 6, 2, 2, 2, 2, 10, 10, 10, 10};

static size_t peg_linear(size_t M, size_t u, size_t w, size_t k, size_t z) {
  return ((u * M + w) * 12 + k) * (M - 1) + z;
}

static size_t uf_find(uint32_t *parent, size_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/* Pegasus from its definition (dwave_networkx pegasus_graph docs): qubits (u, w, k, z),
 * u in {0,1}, w < M, k < 12, z < M-1; external couplers (u,w,k,z)~(u,w,k,z+1), odd couplers
 * (u,w,2j,z)~(u,w,2j+1,z), internal couplers (0,w0,k0,z0)~(1,w1,k1,z1) when
 * w1 = z0 + [k1 < S0[k0]] and z1 = w0 - [k0 < S1[k1]]. The fabric is the largest connected
 * component; its linear labels are renumbered in increasing order. */
static ob_status gen_pegasus(size_t M, size_t *n_out, edge_vec *v) {
  const size_t full = 24 * M * (M - 1);
  edge_vec all = {0};
  ob_status st = OB_OK;
  for (size_t u = 0; u < 2 && st == OB_OK; u++)
    for (size_t w = 0; w < M; w++)
      for (size_t k = 0; k < 12; k++)
        for (size_t z = 0; z + 1 < M && st == OB_OK; z++) {
          const uint32_t q = (uint32_t)peg_linear(M, u, w, k, z);
          if (z + 2 < M) st = edge_push(&all, q, (uint32_t)peg_linear(M, u, w, k, z + 1), 0, 0);
          if (st == OB_OK && k % 2 == 0)
            st = edge_push(&all, q, (uint32_t)peg_linear(M, u, w, k + 1, z), 0, 0);
          if (u != 0) continue;
          for (size_t k1 = 0; k1 < 12 && st == OB_OK; k1++) {
            const long w1 = (long)z + ((int)k1 < peg_s0[k] ? 1 : 0);
            const long z1 = (long)w - ((int)k < peg_s1[k1] ? 1 : 0);
            if (w1 < 0 || w1 >= (long)M || z1 < 0 || z1 + 1 >= (long)M) continue;
            st = edge_push(&all, q, (uint32_t)peg_linear(M, 1, (size_t)w1, k1, (size_t)z1), 0, 0);
          }
        }
  uint32_t *parent = malloc(full * sizeof *parent);
  size_t *size = calloc(full, sizeof *size);
  uint32_t *relabel = malloc(full * sizeof *relabel);
  if (st == OB_OK && (!parent || !size || !relabel)) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) {
    for (size_t x = 0; x < full; x++) parent[x] = (uint32_t)x;
    for (size_t e = 0; e < all.n; e++) {
      size_t a = uf_find(parent, (size_t)(all.e[e].key >> 32));
      size_t b = uf_find(parent, (size_t)(all.e[e].key & 0xffffffffu));
      if (a != b) parent[a > b ? a : b] = (uint32_t)(a < b ? a : b);
    }
    size_t best = 0;
    for (size_t x = 0; x < full; x++) size[uf_find(parent, x)]++;
    for (size_t x = 0; x < full; x++)
      if (size[x] > size[best]) best = x;
    size_t n = 0;
    for (size_t x = 0; x < full; x++)
      relabel[x] = uf_find(parent, x) == best ? (uint32_t)n++ : UINT32_MAX;
    *n_out = n;
    for (size_t e = 0; e < all.n && st == OB_OK; e++) {
      const uint32_t a = relabel[all.e[e].key >> 32], b = relabel[all.e[e].key & 0xffffffffu];
      if (a != UINT32_MAX && b != UINT32_MAX) st = edge_push(v, a, b, 0.0, 0);
    }
  }
  free(all.e);
  free(parent);
  free(size);
  free(relabel);
  return st;
}

static bool adjacent(const uint32_t *adj, const uint32_t *deg, size_t D, uint32_t a, uint32_t b) {
  for (uint32_t k = 0; k < deg[a]; k++)
    if (adj[(size_t)a * D + k] == b) return true;
  return false;
}

/* One attempt of the pairing model with Steger-Wormald repairs: shuffle the open stubs, pair
 * them, keep the pairs that are neither loops nor duplicates, retry the rest; give up when
 * no valid pair remains among the open stubs. */
static bool random_regular_try(size_t N, size_t D, uint64_t *rng, uint32_t *adj, uint32_t *deg,
                               uint32_t *stubs) {
  memset(deg, 0, N * sizeof *deg);
  size_t ns = N * D;
  for (size_t i = 0; i < ns; i++) stubs[i] = (uint32_t)(i / D);
  while (ns) {
    for (size_t i = ns; i > 1; i--) {
      size_t j = (size_t)below(rng, i);
      uint32_t t = stubs[i - 1];
      stubs[i - 1] = stubs[j];
      stubs[j] = t;
    }
    size_t left = 0;
    for (size_t i = 0; i + 1 < ns; i += 2) {
      const uint32_t a = stubs[i], b = stubs[i + 1];
      if (a != b && !adjacent(adj, deg, D, a, b)) {
        adj[(size_t)a * D + deg[a]++] = b;
        adj[(size_t)b * D + deg[b]++] = a;
      } else {
        stubs[left++] = a;
        stubs[left++] = b;
      }
    }
    if (left == ns) { /* no progress: is any valid pair left at all? */
      bool possible = false;
      for (size_t i = 0; i < ns && !possible; i++)
        for (size_t j = i + 1; j < ns && !possible; j++)
          possible = stubs[i] != stubs[j] && !adjacent(adj, deg, D, stubs[i], stubs[j]);
      if (!possible) return false;
    }
    ns = left;
  }
  return true;
}

static ob_status gen_random(size_t N, size_t D, uint64_t seed, edge_vec *v) {
  uint32_t *adj = malloc(N * D * sizeof *adj);
  uint32_t *deg = malloc(N * sizeof *deg);
  uint32_t *stubs = malloc(N * D * sizeof *stubs);
  ob_status st = OB_OK;
  if (!adj || !deg || !stubs) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  uint64_t rng = seed ^ 0xA5A5A5A5DEADBEEFull;
  bool ok = false;
  for (int attempt = 0; attempt < 1000 && st == OB_OK && !ok; attempt++)
    ok = random_regular_try(N, D, &rng, adj, deg, stubs);
  if (st == OB_OK && !ok)
    st = ob_fail(OB_ERR_INVALID, "random:%zu:%zu: no simple %zu-regular graph found in 1000 "
                 "attempts; use a smaller degree", N, D, D);
  for (size_t a = 0; a < N && st == OB_OK && ok; a++)
    for (uint32_t k = 0; k < deg[a] && st == OB_OK; k++)
      if (adj[a * D + k] > a) st = edge_push(v, (uint32_t)a, adj[a * D + k], 0.0, 0);
  free(adj);
  free(deg);
  free(stubs);
  return st;
}

/* ------------------------------------------------------------------ files */

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t len = strlen(s);
  while (len && isspace((unsigned char)s[len - 1])) s[--len] = '\0';
  return s;
}

/* A node id field (surrounding spaces allowed, as in every field of these files) below limit;
 * on failure the detail says why: negative, not an integer, not a number or out of range. */
static ob_status parse_id(char *field, size_t limit, const char *path, size_t line,
                          const char *what, uint32_t *out) {
  const char *s = trim(field);
  int64_t v = 0;
  double d = 0.0;
  switch (ob_parse_int(s, 0, (int64_t)limit - 1, &v)) {
  case OB_INT_OK:
    *out = (uint32_t)v;
    return OB_OK;
  case OB_INT_OUT_OF_RANGE:
    if (*s == '-') return ob_fail(OB_ERR_INVALID, "%s:%zu: negative %s %s", path, line, what, s);
    return ob_fail(OB_ERR_INVALID, "%s:%zu: %s %s is out of range: ids run from 0 to %zu", path,
                   line, what, s, limit - 1);
  case OB_INT_NOT_INTEGER:
    break;
  }
  if (ob_parse_double(s, &d))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: %s '%s' is not an integer", path, line, what, s);
  return ob_fail(OB_ERR_INVALID, "%s:%zu: %s '%s' is not a number", path, line, what, s);
}

static bool parse_weight(char *field, double *out) {
  return ob_parse_double(trim(field), out) && isfinite(*out);
}

static bool header_is(char **fields, size_t n, const char *a, const char *b, const char *c) {
  const char *want[3] = {a, b, c};
  const size_t nwant = c ? 3 : 2;
  if (n != nwant) return false;
  for (size_t k = 0; k < nwant; k++)
    if (strcmp(trim(fields[k]), want[k]) != 0) return false;
  return true;
}

typedef struct edges_file {
  const char *path;
  edge_vec v;
  size_t rows, max_id, max_line;  /* the largest id and its line */
  bool have_header;
} edges_file;

static ob_status on_edge_row(void *user, size_t line, char **f, size_t n) {
  edges_file *x = user;
  if (!x->have_header) {
    if (!header_is(f, n, "i", "j", "w"))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: missing header: expected 'i,j,w'", x->path, line);
    x->have_header = true;
    return OB_OK;
  }
  if (n != 3)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: expected 3 fields (i,j,w), found %zu", x->path, line,
                   n);
  uint32_t i = 0, j = 0;
  double w = 0.0;
  if (x->rows == OB_ISING_MAX_EDGES)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: more than the %zu edges supported", x->path, line,
                   OB_ISING_MAX_EDGES);
  OB_TRY(parse_id(f[0], OB_ISING_MAX_NODES, x->path, line, "node id (column i)", &i));
  OB_TRY(parse_id(f[1], OB_ISING_MAX_NODES, x->path, line, "node id (column j)", &j));
  if (!parse_weight(f[2], &w))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: weight w '%s' is not a finite number", x->path, line,
                   trim(f[2]));
  if (i == j)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: self-loop on node %u", x->path, line, (unsigned)i);
  const size_t top = i > j ? i : j;
  if (top > x->max_id || x->rows == 0) {
    x->max_id = top;
    x->max_line = line;
  }
  x->rows++;
  return edge_push(&x->v, i, j, w, line);
}

static ob_status load_edges(ob_ising_model *g, const char *path) {
  edges_file x = {.path = path};
  ob_status st = ob_csv_read(path, on_edge_row, &x);
  if (st == OB_OK && !x.have_header)
    st = ob_fail(OB_ERR_INVALID, "%s:1: empty file: expected the header 'i,j,w' and edges", path);
  if (st == OB_OK && x.rows == 0)
    st = ob_fail(OB_ERR_INVALID, "%s:2: no edges after the header", path);
  /* Ids beyond what the edges can use would be isolated nodes, allocated for nothing. */
  if (st == OB_OK && x.max_id + 1 > 2 * x.rows + OB_ISING_MAX_UNUSED_IDS)
    st = ob_fail(OB_ERR_INVALID, "%s:%zu: node id %zu: %zu nodes for %zu edges; an edges file "
                 "may have at most 2 x edges + %zu nodes", path, x.max_line, x.max_id,
                 x.max_id + 1, x.rows, OB_ISING_MAX_UNUSED_IDS);
  if (st == OB_OK) {
    g->n = x.max_id + 1;
    st = assemble(g, &x.v, path);
  }
  free(x.v.e);
  return st;
}

typedef struct bias_file {
  const char *path;
  double *h;
  size_t *line_of; /* line that set node i, 0: none */
  size_t n, rows;
  bool have_header;
} bias_file;

static ob_status on_bias_row(void *user, size_t line, char **f, size_t n) {
  bias_file *x = user;
  if (!x->have_header) {
    if (!header_is(f, n, "i", "h", NULL))
      return ob_fail(OB_ERR_INVALID, "%s:%zu: missing header: expected 'i,h'", x->path, line);
    x->have_header = true;
    return OB_OK;
  }
  if (n != 2)
    return ob_fail(OB_ERR_INVALID, "%s:%zu: expected 2 fields (i,h), found %zu", x->path, line, n);
  uint32_t i = 0;
  double h = 0.0;
  OB_TRY(parse_id(f[0], x->n, x->path, line, "node id (column i)", &i));
  if (!parse_weight(f[1], &h))
    return ob_fail(OB_ERR_INVALID, "%s:%zu: bias h '%s' is not a finite number", x->path, line,
                   trim(f[1]));
  if (x->line_of[i])
    return ob_fail(OB_ERR_INVALID, "%s:%zu: duplicate bias for node %u, first on line %zu",
                   x->path, line, (unsigned)i, x->line_of[i]);
  x->line_of[i] = line;
  x->h[i] = h;
  x->rows++;
  return OB_OK;
}

ob_status ob_ising_model_load_biases(ob_ising_model *model, const char *path) {
  bias_file x = {.path = path, .n = model->n};
  x.h = calloc(model->n ? model->n : 1, sizeof *x.h);
  x.line_of = calloc(model->n ? model->n : 1, sizeof *x.line_of);
  ob_status st = x.h && x.line_of ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) st = ob_csv_read(path, on_bias_row, &x);
  if (st == OB_OK && !x.have_header)
    st = ob_fail(OB_ERR_INVALID, "%s:1: empty file: expected the header 'i,h' and biases", path);
  if (st == OB_OK && x.rows == 0)
    st = ob_fail(OB_ERR_INVALID, "%s:2: no biases after the header", path);
  if (st == OB_OK) memcpy(model->h, x.h, model->n * sizeof *x.h);
  free(x.h);
  free(x.line_of);
  return st;
}

const char *const ob_ising_edges_header[3] = {"i", "j", "w"};
const char *const ob_ising_biases_header[2] = {"i", "h"};

bool ob_ising_model_fits_edges_file(const ob_ising_model *model) {
  return model->n >= 2 && model->row_ptr[model->n] > model->row_ptr[model->n - 1];
}

ob_status ob_ising_model_write(const ob_ising_model *model, ob_csv_writer *edges,
                               ob_csv_writer *biases) {
  if (!ob_ising_model_fits_edges_file(model))
    return ob_fail(OB_ERR_INVALID, "graph %s: node %zu has no edge, so an edge file (n = largest "
                   "id + 1) cannot hold this graph", model->spec, model->n ? model->n - 1 : 0);
  char a[24], b[24], v[40];
  for (size_t k = 0; k < model->m; k++) {
    snprintf(a, sizeof a, "%u", model->edges[2 * k]);
    snprintf(b, sizeof b, "%u", model->edges[2 * k + 1]);
    ob_format_double_exact(v, sizeof v, model->J[k]);
    const char *f[] = {a, b, v};
    OB_TRY(ob_csv_writer_add_fields(edges, f, 3));
  }
  for (size_t i = 0; i < model->n; i++) {
    snprintf(a, sizeof a, "%zu", i);
    ob_format_double_exact(v, sizeof v, model->h[i]);
    const char *f[] = {a, v};
    OB_TRY(ob_csv_writer_add_fields(biases, f, 2));
  }
  return OB_OK;
}

/* ------------------------------------------------------------------ specs */

/* Parses "A" / "AxB" / "AxBxC" style lists of integers in [1, OB_ISING_MAX_NODES] separated by
 * sep (strict integers: no spaces or signs). */
static bool parse_dims(const char *s, char sep, size_t *dims, size_t want) {
  for (size_t d = 0; d < want; d++) {
    const char *end = d + 1 < want ? strchr(s, sep) : s + strlen(s);
    char part[24];
    int64_t v = 0;
    if (!end || (size_t)(end - s) >= sizeof part || !isdigit((unsigned char)*s)) return false;
    snprintf(part, sizeof part, "%.*s", (int)(end - s), s);
    if (ob_parse_int(part, 1, (int64_t)OB_ISING_MAX_NODES, &v) != OB_INT_OK) return false;
    dims[d] = (size_t)v;
    s = end + (d + 1 < want);
  }
  return true;
}

/* The size a spec declares, checked against the limits before anything is generated; the edge
 * vector is reserved at its exact size. */
static ob_status check_size(const char *spec, size_t nodes, size_t edges, edge_vec *v) {
  if (nodes > OB_ISING_MAX_NODES)
    return ob_fail(OB_ERR_INVALID, "graph '%s': %zu nodes, more than the %zu supported", spec,
                   nodes, OB_ISING_MAX_NODES);
  if (edges > OB_ISING_MAX_EDGES)
    return ob_fail(OB_ERR_INVALID, "graph '%s': %zu edges, more than the %zu supported", spec,
                   edges, OB_ISING_MAX_EDGES);
  return edge_reserve(v, edges);
}

/* Nodes (as a double: the product may exceed 64 bits) and edges of a grid of nd dimensions;
 * the edges only when the nodes are within OB_ISING_MAX_NODES. */
static double grid_size(const size_t *dim, size_t nd, bool periodic, size_t *edges) {
  double nodes = 1.0;
  for (size_t d = 0; d < nd; d++) nodes *= (double)dim[d];
  *edges = 0;
  for (size_t d = 0; d < nd && nodes <= (double)OB_ISING_MAX_NODES; d++)
    *edges += (size_t)nodes / dim[d] * (dim[d] - (periodic ? 0 : 1));
  return nodes;
}

/* Fills g->n and the edges of a generated graph. */
static ob_status generate(const char *spec, uint64_t seed, ob_ising_model *g, edge_vec *v) {
  size_t d[3], nodes = 0, edges = 0;
  if (strncmp(spec, "grid:", 5) == 0 || strncmp(spec, "grid3:", 6) == 0) {
    const size_t nd = spec[4] == '3' ? 3 : 2;
    static const char wrap[] = ":periodic";
    const size_t len = strlen(spec), wl = sizeof wrap - 1, off = nd == 3 ? 6 : 5;
    const bool periodic = len >= off + wl && strcmp(spec + len - wl, wrap) == 0;
    const size_t dl = len - off - (periodic ? wl : 0);
    char dims[64];
    snprintf(dims, sizeof dims, "%.*s", (int)(dl < sizeof dims ? dl : 0), spec + off);
    if (dl >= sizeof dims || !parse_dims(dims, 'x', d, nd))
      return ob_fail(OB_ERR_INVALID, nd == 3 ? "graph '%s': expected grid3:AxBxC with A, B, C "
                     "in [1, %zu], optionally :periodic" : "graph '%s': expected grid:WxH with W, "
                     "H in [1, %zu], optionally :periodic", spec, OB_ISING_MAX_NODES);
    for (size_t k = 0; periodic && k < nd; k++)
      if (d[k] < 3)
        return ob_fail(OB_ERR_INVALID, "graph '%s': a periodic grid needs every side >= 3",
                       spec);
    const double total = grid_size(d, nd, periodic, &edges);
    if (total > (double)OB_ISING_MAX_NODES)
      return ob_fail(OB_ERR_INVALID, "graph '%s': %.0f nodes, more than the %zu supported", spec,
                     total, OB_ISING_MAX_NODES);
    nodes = (size_t)total;
    OB_TRY(check_size(spec, nodes, edges, v));
    g->n = nodes;
    return gen_grid(d, nd, periodic, v);
  }
  if (strncmp(spec, "chimera:", 8) == 0) {
    if (!parse_dims(spec + 8, 'x', d, 1) || d[0] > 1024)
      return ob_fail(OB_ERR_INVALID, "graph '%s': expected chimera:M with 1 <= M <= 1024", spec);
    OB_TRY(check_size(spec, 8 * d[0] * d[0], 16 * d[0] * d[0] + 8 * d[0] * (d[0] - 1), v));
    g->n = 8 * d[0] * d[0];
    return gen_chimera(d[0], v);
  }
  if (strncmp(spec, "pegasus:", 8) == 0) {
    if (!parse_dims(spec + 8, 'x', d, 1) || d[0] < 2 || d[0] > 256)
      return ob_fail(OB_ERR_INVALID, "graph '%s': expected pegasus:M with 2 <= M <= 256", spec);
    return gen_pegasus(d[0], &g->n, v);
  }
  if (strncmp(spec, "random:", 7) == 0) {
    if (!parse_dims(spec + 7, ':', d, 2))
      return ob_fail(OB_ERR_INVALID, "graph '%s': expected random:N:D with N in [1, %zu], "
                     "D >= 1", spec, OB_ISING_MAX_NODES);
    if (d[1] >= d[0] || d[1] > OB_ISING_MAX_RANDOM_DEGREE || (d[0] * d[1]) % 2)
      return ob_fail(OB_ERR_INVALID, "graph '%s': a D-regular graph on N nodes needs D < N, "
                     "D <= %d and N*D even", spec, OB_ISING_MAX_RANDOM_DEGREE);
    OB_TRY(check_size(spec, d[0], d[0] * d[1] / 2, v));
    g->n = d[0];
    return gen_random(d[0], d[1], seed, v);
  }
  return ob_fail(OB_ERR_INVALID, "graph '%s': unknown kind (grid:WxH, grid3:AxBxC, chimera:M, "
                 "pegasus:M, random:N:D, edges:FILE)", spec);
}

static ob_status model_alloc(const char *spec, double beta, ob_ising_model **out) {
  *out = NULL;
  if (!isfinite(beta) || beta < 0)
    return ob_fail(OB_ERR_INVALID, "beta %g: expected a finite number >= 0", beta);
  ob_ising_model *g = calloc(1, sizeof *g);
  if (!g) return ob_fail(OB_ERR_NOMEM, "out of memory");
  snprintf(g->spec, sizeof g->spec, "%s", spec);
  g->beta = beta;
  *out = g;
  return OB_OK;
}

ob_status ob_ising_model_from_spec(const char *spec, ob_ising_weight_kind weights, uint64_t seed,
                                   double beta, ob_ising_model **out) {
  ob_ising_model *g = NULL;
  OB_TRY(model_alloc(spec, beta, &g));
  edge_vec v = {0};
  ob_status st;
  if (strncmp(spec, "edges:", 6) == 0) {
    st = spec[6] ? load_edges(g, spec + 6)
                 : ob_fail(OB_ERR_INVALID, "graph '%s': expected edges:FILE", spec);
  } else {
    st = generate(spec, seed, g, &v);
    if (st == OB_OK && g->n == 0) st = ob_fail(OB_ERR_INVALID, "graph '%s' has no nodes", spec);
    if (st == OB_OK) st = assemble(g, &v, NULL);
    if (st == OB_OK) draw_weights(g, weights, seed);
  }
  free(v.e);
  if (st != OB_OK) {
    ob_ising_model_destroy(g);
    return st;
  }
  *out = g;
  return OB_OK;
}

ob_status ob_ising_model_from_edges(size_t n, size_t m, const uint32_t *ij, const double *J,
                                    const double *h, double beta, ob_ising_model **out) {
  if (n == 0 || n > OB_ISING_MAX_NODES)
    return ob_fail(OB_ERR_INVALID, "%zu nodes: expected 1 .. %zu", n, OB_ISING_MAX_NODES);
  ob_ising_model *g = NULL;
  OB_TRY(model_alloc("edges", beta, &g));
  g->n = n;
  edge_vec v = {0};
  ob_status st = OB_OK;
  for (size_t k = 0; k < m && st == OB_OK; k++) {
    if (ij[2 * k] >= n || ij[2 * k + 1] >= n)
      st = ob_fail(OB_ERR_INVALID, "edge %zu: node id out of range (%zu nodes)", k, n);
    else if (ij[2 * k] == ij[2 * k + 1])
      st = ob_fail(OB_ERR_INVALID, "edge %zu: self-loop on node %u", k, (unsigned)ij[2 * k]);
    else if (!isfinite(J[k]))
      st = ob_fail(OB_ERR_INVALID, "edge %zu: weight is not finite", k);
    else
      st = edge_push(&v, ij[2 * k], ij[2 * k + 1], J[k], k + 1);
  }
  if (st == OB_OK && h) {
    g->h = malloc(n * sizeof *g->h);
    if (!g->h) st = ob_fail(OB_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && st == OB_OK; i++) {
      if (!isfinite(h[i])) st = ob_fail(OB_ERR_INVALID, "bias %zu is not finite", i);
      else g->h[i] = h[i];
    }
  }
  if (st == OB_OK) st = assemble(g, &v, NULL);
  free(v.e);
  if (st != OB_OK) {
    ob_ising_model_destroy(g);
    return st;
  }
  *out = g;
  return OB_OK;
}

static void *dup_array(const void *src, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (p && bytes) memcpy(p, src, bytes);
  return p;
}

ob_status ob_ising_model_clone(const ob_ising_model *model, ob_ising_model **out) {
  *out = NULL;
  ob_ising_model *g = calloc(1, sizeof *g);
  if (!g) return ob_fail(OB_ERR_NOMEM, "out of memory");
  *g = *model;
  const size_t n = model->n, m = model->m;
  g->edges = dup_array(model->edges, 2 * m * sizeof *g->edges);
  g->J = dup_array(model->J, m * sizeof *g->J);
  g->h = dup_array(model->h, n * sizeof *g->h);
  g->row_ptr = dup_array(model->row_ptr, (n + 1) * sizeof *g->row_ptr);
  g->col = dup_array(model->col, 2 * m * sizeof *g->col);
  g->col_edge = dup_array(model->col_edge, 2 * m * sizeof *g->col_edge);
  g->colour = dup_array(model->colour, n * sizeof *g->colour);
  if (!g->edges || !g->J || !g->h || !g->row_ptr || !g->col || !g->col_edge || !g->colour) {
    ob_ising_model_destroy(g);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  *out = g;
  return OB_OK;
}

/* ------------------------------------------------------------------ accessors */

size_t ob_ising_nodes(const ob_ising_model *model) { return model->n; }
size_t ob_ising_edges(const ob_ising_model *model) { return model->m; }
size_t ob_ising_max_degree(const ob_ising_model *model) { return model->max_degree; }
const char *ob_ising_spec(const ob_ising_model *model) { return model->spec; }
const uint32_t *ob_ising_edge_list(const ob_ising_model *model) { return model->edges; }
const uint32_t *ob_ising_row_ptr(const ob_ising_model *model) { return model->row_ptr; }
const uint32_t *ob_ising_col(const ob_ising_model *model) { return model->col; }
const uint32_t *ob_ising_col_edge(const ob_ising_model *model) { return model->col_edge; }
size_t ob_ising_ncolours(const ob_ising_model *model) { return model->ncolours; }
const uint32_t *ob_ising_colour(const ob_ising_model *model) { return model->colour; }
double *ob_ising_h(ob_ising_model *model) { return model->h; }
double *ob_ising_J(ob_ising_model *model) { return model->J; }
const double *ob_ising_h_const(const ob_ising_model *model) { return model->h; }
const double *ob_ising_J_const(const ob_ising_model *model) { return model->J; }
double ob_ising_beta(const ob_ising_model *model) { return model->beta; }

double ob_ising_energy(const ob_ising_model *model, const int8_t *s) {
  double e = 0.0;
  for (size_t i = 0; i < model->n; i++) e -= model->h[i] * s[i];
  for (size_t k = 0; k < model->m; k++)
    e -= model->J[k] * s[model->edges[2 * k]] * s[model->edges[2 * k + 1]];
  return e;
}

void ob_ising_scale(const ob_ising_model *model, float *ht, float *wt) {
  const double scale = -2.0 * model->beta * M_LOG2E;
  for (size_t i = 0; i < model->n; i++) ht[i] = (float)(scale * model->h[i]);
  for (size_t e = 0; e < 2 * model->m; e++) wt[e] = (float)(scale * model->J[model->col_edge[e]]);
}
