/* The device Ising sampler: block Gibbs sampling of many chains of one model on an OpenCL
 * device, with clamping, on-device moment accumulation, samples, and the KL gradient.
 *
 * Layout (cl_kernels/ising.cl): spins are bits, SPIN_BITS chains per word, state [node][word];
 * words of 1, 2 or 4 chains are bytes (a small batch spread over many work-items and groups).
 * Two paths of one kernel family:
 *   local   all sweeps in one launch, each work-group holding its words of every node in
 *           local memory (when nodes x words x bytes fit the device's local memory), and the
 *           schedule (positions, neighbour lists) too when it fits beside them;
 *   global  one launch per colour per sweep on the state in global memory (any size).
 * Chains beyond what one buffer allows are split into passes of whole words automatically.
 * A run depends only on the seed, the chain and the sweep index (ising_hostref.h computes the
 * same states on the host), never on the path, the word size, the work-group size or passes.
 *
 * Ownership: the sampler borrows the device and the model (both must outlive it); it owns its
 * kernels and buffers. */
#ifndef OB_ISING_SAMPLER_H
#define OB_ISING_SAMPLER_H

#include "ising_graph.h"

typedef enum ob_ising_path {
  OB_ISING_PATH_AUTO = 0,
  OB_ISING_PATH_LOCAL,
  OB_ISING_PATH_GLOBAL,
} ob_ising_path;

/* How a unit's new spins are computed. FLOAT: the field summed in float per chain
 * (ising_rule.h), any weights. MULTISPIN: 32 chains per word, the field's count formed by
 * bitwise adders and the decision by exact integer thresholds (ising_multispin.h), for models
 * whose couplings are all +-w for one w (any biases); same Philox stream and Gibbs rule, other
 * samples than FLOAT. AUTO: FLOAT (the sampler never picks MULTISPIN itself; the autotuner may). */
typedef enum ob_ising_update {
  OB_ISING_UPDATE_AUTO = 0,
  OB_ISING_UPDATE_FLOAT,
  OB_ISING_UPDATE_MULTISPIN,
} ob_ising_update;

/* Resident units (cl_kernels/ising.cl, RES_DEGREE): on the local path with the float update,
 * when each colour's units fit the work-group, every work-item keeps its units' neighbour lists
 * in registers across the sweeps (small batches: a colour phase is latency-bound). Same samples.
 * AUTO: on GPUs for words of fewer than 8 chains; ON: OB_ERR_UNSUPPORTED where it cannot run
 * (multispin update, global path, a colour's units beyond the work-group, more than
 * OB_ISING_RESIDENT_SLOTS colours x largest degree); OFF: never. */
typedef enum ob_ising_resident {
  OB_ISING_RESIDENT_AUTO = 0,
  OB_ISING_RESIDENT_ON,
  OB_ISING_RESIDENT_OFF,
} ob_ising_resident;
#define OB_ISING_RESIDENT_SLOTS 64

/* How the float update forms each neighbour's +-w (cl_kernels/ising.cl, add_neighbour): the
 * same bits either way. XOR: the spin's bit shifted to the sign and xored in (a shift and a
 * logic op); MAD: w + bit * 2^31 as an integer multiply-add (NVIDIA's compiler issues it on the
 * FMA pipe, where the shift and the logic op both take the half-rate integer pipe; integer
 * multiplies are slow on CPUs); SEL: w or -w selected on the bit, lane by lane (NVIDIA's ptxas
 * sets seven predicates from the word's bits per instruction: a select and an add per chain
 * and neighbour). AUTO: XOR (the tuner may pick MAD or SEL). The multispin update has no +-w:
 * AUTO or XOR only. */
typedef enum ob_ising_sign {
  OB_ISING_SIGN_AUTO = 0,
  OB_ISING_SIGN_XOR,
  OB_ISING_SIGN_MAD,
  OB_ISING_SIGN_SEL,
} ob_ising_sign;

/* How the float update draws the Philox numbers of a word of 8, 16 or 32 chains (2, 4 or 8
 * counters; cl_kernels/ising.cl, word_random): the same numbers either way. VECTOR: the
 * counters as the lanes of one vector, each round's products as vector multiplies (SIMD on
 * CPUs); LANES: each counter's rounds as scalar code of its own, the outputs gathered into the
 * vector (NVIDIA's compiler then keeps fewer values live: 72 registers instead of 96 on the
 * H100 for 32 chains per word, more work-groups per SM; half the speed with PoCL on CPUs).
 * AUTO: VECTOR (the tuner may pick LANES). Words of fewer chains (one counter) and the multispin
 * update: AUTO or VECTOR only. */
typedef enum ob_ising_philox {
  OB_ISING_PHILOX_AUTO = 0,
  OB_ISING_PHILOX_VECTOR,
  OB_ISING_PHILOX_LANES,
} ob_ising_philox;

/* How the float update decides each chain (cl_kernels/ising.cl, decide): the same bits either
 * way. EXACT: the rule's own 2^t (ising_rule.h, about ten operations) for every chain; SCREEN:
 * the device's own 2^t (one instruction on GPUs; ob_ising_exp2_form) and a margin, with the
 * exact rule for a word only when one of its chains is too close to call (at most one chain
 * in 2^17). The sampler first checks on the device, over all 2^32 floats, that this 2^t is
 * close enough for the margin (ising_screen.h): OB_ERR_UNSUPPORTED where it is not. AUTO:
 * EXACT (the tuner may pick SCREEN). The multispin update and words of fewer than 8 chains:
 * AUTO or EXACT only (OB_ERR_INVALID; the check of a scalar native_exp2 takes a minute on a
 * CPU). */
typedef enum ob_ising_decision {
  OB_ISING_DECISION_AUTO = 0,
  OB_ISING_DECISION_EXACT,
  OB_ISING_DECISION_SCREEN,
} ob_ising_decision;

/* Which 2^t the screened decision takes (the screen check tests it either way): NATIVE, OpenCL's
 * native_exp2; PTX, NVIDIA's `ex2.approx.ftz.f32` by inline PTX (one MUFU.EX2 on the H100,
 * where NVIDIA's compiler makes native_exp2 the non-flushing form: five instructions, a range
 * test, a select, two multiplies and the MUFU.EX2), only where ob_device_ptx says yes
 * (OB_ERR_UNSUPPORTED elsewhere). AUTO: PTX where the device takes it, else NATIVE. Only with
 * SCREEN (OB_ERR_INVALID with EXACT). */
typedef enum ob_ising_exp2_form {
  OB_ISING_EXP2_AUTO = 0,
  OB_ISING_EXP2_NATIVE,
  OB_ISING_EXP2_PTX,
} ob_ising_exp2_form;

/* Tuning knobs; zero fields are chosen from the device and the model. */
typedef struct ob_ising_tuning {
  ob_ising_update update;   /* MULTISPIN: OB_ERR_UNSUPPORTED for a model that does not qualify,
                               OB_ERR_INVALID with spin_bits other than 0 or 32 */
  ob_ising_path path;
  unsigned spin_bits;       /* chains per word: 1, 2, 4, 8, 16 or 32 */
  size_t wg_size;           /* work-items per work-group */
  size_t wg_words;          /* local path: words per node per work-group (a power of two) */
  size_t max_pass_chains;   /* chains per pass at most (rounded down to whole work-groups) */
  ob_ising_path schedule;   /* local path: where positions and neighbour lists live (AUTO:
                               on GPUs local memory when they fit beside the state, on CPUs
                               global; LOCAL needs the local path) */
  ob_ising_resident resident;
  ob_ising_sign sign;
  ob_ising_philox philox;
  ob_ising_decision decision;
  ob_ising_exp2_form exp2;
  unsigned regs;            /* the float update's registers per work-item at most, through
                               -cl-nv-maxrregcount (0: the compiler's choice); where the device
                               lacks cl_nv_compiler_options, OB_ERR_UNSUPPORTED. With SCREEN,
                               NVIDIA's compiler keeps the rare exact pass's values in registers
                               (72 become 96 on the H100): a cap gives the occupancy back. */
} ob_ising_tuning;

typedef struct ob_ising_sampler ob_ising_sampler;

/* One batch holds at most this many chains (words of 4 chains have 32-bit indices) and at most
 * OB_ISING_MAX_SPINS chains x nodes (2^38 spins: 32 GiB of state as bits, more than any device
 * holds today), so absurd sizes are refused before any device is opened. */
#define OB_ISING_MAX_CHAINS ((size_t)4 * UINT32_MAX)
#define OB_ISING_MAX_SPINS ((uint64_t)1 << 38)

/* Checks a batch of chains of the model against the limits above: OB_ERR_INVALID naming the
 * limit otherwise. Needs no device; ob_ising_sampler_create checks it too. */
ob_status ob_ising_check_batch(const ob_ising_model *model, size_t chains);

/* Creates a sampler of `chains` chains (>= 1) of the model with this seed, builds its kernels,
 * allocates its state and draws the initial state (as ob_ising_sampler_reset). tuning may be
 * NULL. OB_ERR_TOO_LARGE when the state cannot fit the device. */
ob_status ob_ising_sampler_create(ob_device *dev, const ob_ising_model *model, size_t chains,
                                  uint64_t seed, const ob_ising_tuning *tuning,
                                  ob_ising_sampler **out);
void ob_ising_sampler_destroy(ob_ising_sampler *s);

/* Shards of a batch start at multiples of this many chains (every word size divides it). */
#define OB_ISING_SHARD_ALIGN 32

/* A sampler of the chains [first_chain, first_chain + chains) of a larger batch: its states
 * are those the same chains have in one sampler of the whole batch (same seed), so a batch
 * split over devices or hosts gives the same results. first_chain: a multiple of
 * OB_ISING_SHARD_ALIGN. Chain c of this sampler (samples, clamp values) is chain
 * first_chain + c of the batch. */
ob_status ob_ising_sampler_create_range(ob_device *dev, const ob_ising_model *model,
                                        size_t first_chain, size_t chains, uint64_t seed,
                                        const ob_ising_tuning *tuning, ob_ising_sampler **out);

/* The configuration chosen: path, word size, work-group size and words, passes, schedule. */
typedef struct ob_ising_config {
  ob_ising_update update;   /* FLOAT or MULTISPIN */
  ob_ising_path path;
  unsigned spin_bits;
  size_t wg_size, wg_words;
  size_t passes, words_per_pass;
  size_t local_bytes;       /* local memory per work-group (local path) */
  ob_ising_path schedule;   /* LOCAL or GLOBAL (always GLOBAL on the global path) */
  bool resident;            /* the local path runs resident units (ob_ising_resident) */
  ob_ising_sign sign;       /* XOR, MAD or SEL (the float update; XOR for multispin) */
  ob_ising_philox philox;   /* VECTOR or LANES (LANES: the float update, 8 to 32 chains) */
  ob_ising_decision decision; /* EXACT or SCREEN (SCREEN: the float update) */
  ob_ising_exp2_form exp2;  /* SCREEN: NATIVE or PTX (EXACT: AUTO) */
  unsigned screen_ulps;     /* SCREEN: the device's 2^t (exp2), at most this many ulps from
                               the exact 2^t inside |t| < 125 (ob_ising_screen_check) */
  unsigned regs;            /* the register cap (0: none) */
} ob_ising_config;
void ob_ising_sampler_config(const ob_ising_sampler *s, ob_ising_config *out);
/* "local" / "global". */
const char *ob_ising_path_name(ob_ising_path path);
/* "xor" / "mad" / "sel" ("auto" for AUTO): the tuning key's names. */
const char *ob_ising_sign_name(ob_ising_sign sign);
/* "float" / "multispin" ("auto" for AUTO). */
const char *ob_ising_update_name(ob_ising_update update);

/* Clamps nodes[0..k) in every chain: values[c*k + j] (+1 or -1) is node nodes[j]'s value in
 * chain c. Replaces any earlier clamp (k = 0: none) and resets the state. The schedule changes
 * size: with schedule AUTO it may move between local and global memory; with LOCAL, an
 * OB_ERR_UNSUPPORTED when it no longer fits. */
ob_status ob_ising_sampler_clamp(ob_ising_sampler *s, const uint32_t *nodes, size_t k,
                                 const int8_t *values);

/* Draws a fresh initial state (sweep index 0), applies the clamp, clears the moments. */
ob_status ob_ising_sampler_reset(ob_ising_sampler *s);

/* Uploads the model's weights again after they changed (same graph); on the multispin update,
 * OB_ERR_UNSUPPORTED when they are no longer all +-w. */
ob_status ob_ising_sampler_update_weights(ob_ising_sampler *s);

/* Runs nsweeps sweeps from the current state; when observe, every sweep's final state adds
 * to the moments. *seconds (may be NULL): device time of the sweeps (kernel events on the
 * local path, wall-clock around the launches on the global path). A failure of run, snapshot
 * or rerun is recorded in the device's stream (ob_stream_error) as well as the thread's detail,
 * so that a caller which ran them on another thread can say why. */
ob_status ob_ising_sampler_run(ob_ising_sampler *s, size_t nsweeps, bool observe,
                               double *seconds);

/* Keeps a copy of the current state and sweep index; ob_ising_sampler_rerun then runs nsweeps
 * unobserved sweeps from that copy (the benchmark's repetitions). */
ob_status ob_ising_sampler_snapshot(ob_ising_sampler *s);
ob_status ob_ising_sampler_rerun(ob_ising_sampler *s, size_t nsweeps, double *seconds);

/* Moments averaged over chains and observed sweeps (all zero before any). */
typedef struct ob_ising_moments {
  double *node;         /* n: <s_i> (caller-provided) */
  double *edge;         /* m: <s_i s_j> in edge order (caller-provided) */
  double energy;        /* <E> = -(sum h <s> + sum J <s s>) */
  double magnetisation; /* <(1/n) sum_i s_i> */
  uint64_t samples;     /* chains x observed sweeps */
} ob_ising_moments;
/* Fills out->node and out->edge (either may be NULL) and the scalars. */
ob_status ob_ising_sampler_moments(const ob_ising_sampler *s, ob_ising_moments *out);

/* The exact integer sums behind the moments: node[i] = sum of s_i, edge[k] = sum of s_i s_j
 * over chains and observed sweeps (either array may be NULL), *samples = chains x observed
 * sweeps. Sums of shards add up to the sums of the whole batch. */
ob_status ob_ising_sampler_moment_sums(const ob_ising_sampler *s, int64_t *node, int64_t *edge,
                                      uint64_t *samples);
/* Moments from sums (as ob_ising_sampler_moment_sums gives them, possibly added over shards). */
ob_status ob_ising_moments_from_sums(const ob_ising_model *model, const int64_t *node,
                                     const int64_t *edge, uint64_t samples,
                                     ob_ising_moments *out);
/* A source of the sums behind the moments of `model` (a sampler, a set of shards): fills node
 * and edge (never NULL here) and *samples as ob_ising_sampler_moment_sums does. */
typedef ob_status (*ob_ising_sums_fn)(const void *source, int64_t *node, int64_t *edge,
                                      uint64_t *samples);
/* Moments of `model` from the sums of `source` (working arrays allocated and freed here). */
ob_status ob_ising_moments_of(const ob_ising_model *model, ob_ising_sums_fn sums,
                              const void *source, ob_ising_moments *out);
void ob_ising_sampler_clear_moments(ob_ising_sampler *s);

/* Current states: out[c*n + i] = +-1 for chains [chain0, chain0 + count). */
ob_status ob_ising_sampler_samples(ob_ising_sampler *s, size_t chain0, size_t count,
                                   int8_t *out);

size_t ob_ising_sampler_chains(const ob_ising_sampler *s);
uint64_t ob_ising_sampler_sweep(const ob_ising_sampler *s); /* sweeps run since the reset */

#endif
