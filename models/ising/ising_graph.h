/* Ising models: a graph (grid, grid3, chimera, pegasus, random regular, an edge file), its
 * weights (couplings J per edge, biases h per node), the inverse temperature beta, and a
 * greedy DSATUR colouring of the nodes into independent sets.
 *
 * P(s) is proportional to exp(beta * (sum_i h_i s_i + sum_(i,j) J_ij s_i s_j)), s_i = +-1.
 * Nodes are 0..n-1; edges are stored once as (i, j) with i < j, sorted by (i, j), and
 * indexed 0..m-1 in that order; the adjacency is CSR with neighbours ascending.
 *
 * Node numbering of the generated graphs (tests/data/ising_graphs_ref.txt checks it against
 * networkx and dwave_networkx, tools/ising_graph_ref.py):
 *   grid:WxH      node (x, y), x < W, y < H, is x*H + y (networkx grid_2d_graph(W, H),
 *                 nodes numbered in sorted order); open boundaries, or with :periodic
 *                 (grid:WxH:periodic, every side >= 3) the torus (lines wrap around)
 *   grid3:AxBxC   node (a, b, c) is (a*B + b)*C + c (networkx grid_graph(dim=(A, B, C)) with
 *                 its nodes (c, b, a) numbered in sorted order of (a, b, c)); :periodic too
 *   chimera:M     dwave_networkx chimera_graph(M) labels: (i, j, u, k) -> ((i*M + j)*2 + u)*4 + k
 *   pegasus:M     dwave_networkx pegasus_graph(M) (fabric only, offsets index 0); its linear
 *                 labels (not contiguous) are renumbered 0..n-1 in increasing order
 *   random:N:D    a uniformly shuffled pairing (Steger-Wormald) D-regular simple graph,
 *                 reproducible from the seed
 *   edges:FILE    CSV with header i,j,w: 0-based ids, n = largest id + 1
 *
 * Ownership: a model owns its graph, weights and colouring; ob_ising_model_destroy frees them.
 */
#ifndef OB_ISING_GRAPH_H
#define OB_ISING_GRAPH_H

#include "oclbench.h"

/* Upper bounds, checked from the declared sizes (a spec's dimensions, a file's ids and edge
 * count) before anything of that size is allocated: they keep every index in 32 bits and a
 * model of the largest size within a few GiB of host memory. An edges file may leave at most
 * OB_ISING_MAX_UNUSED_IDS more ids than its edges can use (n <= 2 m + that), so a small file
 * cannot declare a huge graph of isolated nodes. */
#define OB_ISING_MAX_NODES ((size_t)1 << 24)
#define OB_ISING_MAX_EDGES ((size_t)1 << 25)
#define OB_ISING_MAX_UNUSED_IDS ((size_t)1 << 16)
#define OB_ISING_MAX_RANDOM_DEGREE 64

typedef enum ob_ising_weight_kind {
  OB_ISING_WEIGHTS_GAUSS, /* h and J ~ N(0, 1) from the seed (the default) */
  OB_ISING_WEIGHTS_PM1,   /* J = +-1 from the seed, h = 0 */
} ob_ising_weight_kind;

typedef struct ob_ising_model ob_ising_model;

/* Builds the model named by spec (see above). Generated graphs get weights of the given kind
 * from seed; edges:FILE takes J from the file and h = 0 (weights is ignored). A bad spec or
 * file gives OB_ERR_INVALID with a one-line detail ("FILE:LINE: reason" for files). */
ob_status ob_ising_model_from_spec(const char *spec, ob_ising_weight_kind weights, uint64_t seed,
                                   double beta, ob_ising_model **out);

/* Builds a model from n nodes and m edges (ij[2k], ij[2k+1]) in any order and orientation,
 * with couplings J[k] and biases h (NULL: zero). Self-loops, duplicate edges, ids >= n and
 * non-finite weights give OB_ERR_INVALID. The arrays are copied. */
ob_status ob_ising_model_from_edges(size_t n, size_t m, const uint32_t *ij, const double *J,
                                    const double *h, double beta, ob_ising_model **out);

/* Replaces the biases with those of a CSV file with header i,h (nodes not listed get 0). */
ob_status ob_ising_model_load_biases(ob_ising_model *model, const char *path);

/* The headers of the files edges:FILE and ob_ising_model_load_biases read. */
extern const char *const ob_ising_edges_header[3]; /* i, j, w */
extern const char *const ob_ising_biases_header[2]; /* i, h */

/* Whether edges:FILE can hold the model's graph: a file's node count is its largest id + 1,
 * so the last node must have an edge (every generated graph but a single node has). */
bool ob_ising_model_fits_edges_file(const ob_ising_model *model);

/* Writes the model's couplings as rows i,j,w (every edge, in edge order) to edges and its
 * biases as rows i,h (every node) to biases, with 17 significant digits, so that
 * edges:FILE with --biases reads back the same graph and weights exactly (beta is not in the
 * files). The writers' headers are ob_ising_edges_header and ob_ising_biases_header.
 * OB_ERR_INVALID when ob_ising_model_fits_edges_file does not hold. */
ob_status ob_ising_model_write(const ob_ising_model *model, ob_csv_writer *edges,
                               ob_csv_writer *biases);

/* A deep copy (weights included); used to train a model without changing the original. */
ob_status ob_ising_model_clone(const ob_ising_model *model, ob_ising_model **out);

void ob_ising_model_destroy(ob_ising_model *model);

/* Shape. */
size_t ob_ising_nodes(const ob_ising_model *model);
size_t ob_ising_edges(const ob_ising_model *model);
size_t ob_ising_max_degree(const ob_ising_model *model);
const char *ob_ising_spec(const ob_ising_model *model);
/* Edge k as (i, j), i < j: edge_list[2k], edge_list[2k+1]. */
const uint32_t *ob_ising_edge_list(const ob_ising_model *model);
/* CSR: neighbours of i are col[row_ptr[i] .. row_ptr[i+1]), ascending; col_edge gives the
 * edge index of each entry. */
const uint32_t *ob_ising_row_ptr(const ob_ising_model *model);
const uint32_t *ob_ising_col(const ob_ising_model *model);
const uint32_t *ob_ising_col_edge(const ob_ising_model *model);
/* Colouring: colour[i] in 0..ncolours-1, neighbours never share a colour. */
size_t ob_ising_ncolours(const ob_ising_model *model);
const uint32_t *ob_ising_colour(const ob_ising_model *model);

/* Weights (mutable: training updates them in place). */
double *ob_ising_h(ob_ising_model *model);
double *ob_ising_J(ob_ising_model *model);
const double *ob_ising_h_const(const ob_ising_model *model);
const double *ob_ising_J_const(const ob_ising_model *model);
double ob_ising_beta(const ob_ising_model *model);

/* Energy E(s) = -(sum h s + sum J s s) of one state s[0..n) of +-1. */
double ob_ising_energy(const ob_ising_model *model, const int8_t *s);

/* The sampler's pre-scaled weights: ht[i] = (float)(-2 beta log2(e) h_i) and, per CSR entry,
 * wt[e] = (float)(-2 beta log2(e) J of that entry's edge) (see ising_rule.h). */
void ob_ising_scale(const ob_ising_model *model, float *ht, float *wt);

/* Splitmix64, the seeded generator of graphs, weights and test data. */
uint64_t ob_ising_splitmix64(uint64_t *state);

#endif
