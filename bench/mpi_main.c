/* oclbench-mpi: `oclbench run` and `oclbench ising --shard` over many hosts with Open MPI.
 *
 *   mpirun -n N oclbench-mpi run [WORKLOAD...] [--device SEL]... [--out DIR] [--quick] ...
 *   mpirun -n N oclbench-mpi ising --shard [--graph SPEC] [--chains N] ... [--moments F.csv]
 *
 * run: every rank runs its share of its host's selected devices (ranks on one host split them
 * round-robin; --device applies on every rank), then rank 0 gathers every row, writes one CSV
 * per device into --out and prints the cross-device table. A rank that fails still reports;
 * the exit status is the worst rank's, and rank 0 names the ranks that failed.
 * ising --shard: the chains are split over every rank's devices in proportion to their
 * calibrated speed, the moments are summed with MPI_Allreduce, rank 0 writes the moments file:
 * the same results as one device with the same seed and chain count.
 * Built only by `make mpi`; the plain oclbench never needs MPI.
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ising_cli.h"
#include "ising/ising_batch.h"
#include "run_args.h"
#include "runner.h"
#include "table.h"

#define MESSAGE_LEN 512

typedef struct rank_result {
  int rc;                      /* exit code this rank would have as a plain oclbench */
  char message[MESSAGE_LEN];   /* why, when rc != 0 */
} rank_result;

static int world_rank, world_size, local_rank, local_size;

/* This rank's devices: the selected ones whose position among the selected ones, modulo the
 * ranks on this host, is this rank's position on the host. */
static size_t take_share(bool *selected, size_t n) {
  size_t k = 0, mine = 0;
  for (size_t d = 0; d < n; d++) {
    if (!selected[d]) continue;
    selected[d] = (int)(k++ % (size_t)local_size) == local_rank;
    mine += selected[d];
  }
  return mine;
}

/* Runs this rank's devices into the session; fills res. */
static void run_local(const ob_run_args *a, ob_session *session, rank_result *res) {
  ob_registry *reg = NULL;
  ob_status st = ob_registry_create(&reg);
  if (st != OB_OK) {
    res->rc = st == OB_ERR_NO_PLATFORM ? OB_EXIT_NO_PLATFORM : OB_EXIT_FAILED;
    snprintf(res->message, sizeof res->message, "%s", ob_error_detail());
    return;
  }
  size_t n = ob_registry_count(reg);
  bool *selected = calloc(n, sizeof *selected);
  if (!selected) {
    res->rc = OB_EXIT_FAILED;
    snprintf(res->message, sizeof res->message, "out of memory");
    ob_registry_destroy(reg);
    return;
  }
  size_t matched = 0;
  for (size_t i = 0; i < a->nsel; i++) matched += ob_registry_select(reg, a->sel[i], selected);
  if (a->nsel == 0) matched = ob_registry_select(reg, "all", selected);
  if (matched == 0) {
    res->rc = OB_EXIT_USAGE;
    snprintf(res->message, sizeof res->message, "--device matches no device on this host");
  } else if (take_share(selected, n) > 0) {
    const ob_workload *chosen[OB_MAX_WORKLOADS];
    ob_runner_config cfg = {.workloads = chosen,
                            .nworkloads = ob_run_args_workloads(a, chosen, OB_MAX_WORKLOADS),
                            .selected = selected,
                            .out_dir = NULL,
                            .opts = a->opts};
    st = ob_runner_run(reg, &cfg, session);
    const size_t failed = ob_session_failed(session);
    if (st != OB_OK) {
      res->rc = OB_EXIT_FAILED;
      snprintf(res->message, sizeof res->message, "%s: %s", ob_strerror(st), ob_error_detail());
    } else if (failed) {
      res->rc = OB_EXIT_FAILED;
      snprintf(res->message, sizeof res->message, "%zu row%s failed", failed,
               failed == 1 ? "" : "s");
    }
  }
  free(selected);
  ob_registry_destroy(reg);
}

/* Gathers every rank's records into all (rank 0 only): record -> bytes -> record. */
static ob_status gather_rows(const ob_results *mine, ob_results *all) {
  char *buf = NULL;
  size_t len = 0;
  ob_status st = ob_results_encode(mine, 0, &buf, &len);
  if (st != OB_OK) len = 0;
  if (len > (size_t)0x7fffffff) {
    st = ob_fail(OB_ERR_TOO_LARGE, "rank %d: %zu bytes of rows exceed one MPI message", world_rank, len);
    len = 0;
  }
  int count = (int)len;
  int *counts = NULL, *displs = NULL;
  char *recv = NULL;
  long long total = 0;
  if (world_rank == 0) {
    counts = calloc((size_t)world_size, sizeof *counts);
    displs = calloc((size_t)world_size, sizeof *displs);
  }
  MPI_Gather(&count, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
  int proceed = 1;
  if (world_rank == 0) {
    for (int r = 0; counts && displs && r < world_size; r++) {
      displs[r] = (int)total;
      total += counts[r];
    }
    recv = total <= 0x7fffffff ? malloc(total ? (size_t)total : 1) : NULL;
    proceed = counts && displs && recv;
  }
  /* Every rank learns whether rank 0 can receive, so none waits in a gather that never comes. */
  MPI_Bcast(&proceed, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (proceed)
    MPI_Gatherv(buf, count, MPI_BYTE, recv, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
  else if (world_rank == 0)
    st = ob_fail(OB_ERR_TOO_LARGE, "cannot receive %lld bytes of rows", total);
  if (world_rank == 0 && st == OB_OK) st = ob_results_decode(all, recv, (size_t)total);
  free(recv);
  free(counts);
  free(displs);
  free(buf);
  return st;
}

/* --sizes and --chains checked on rank 0 against the cases of its own devices (the sizes are
 * the workloads', the same on every host): a value no case has is exit 2 before any rank runs.
 * Without a platform on rank 0 there is nothing to check against; the run reports that. */
static int check_cases_on_rank0(const ob_run_args *a) {
  if (!a->opts.nsizes && !a->opts.nchains) return OB_EXIT_OK;
  ob_registry *reg = NULL;
  if (ob_registry_create(&reg) != OB_OK) return OB_EXIT_OK;
  const size_t n = ob_registry_count(reg);
  bool *selected = calloc(n ? n : 1, sizeof *selected);
  int rc = OB_EXIT_OK;
  if (selected) {
    for (size_t i = 0; i < a->nsel; i++) ob_registry_select(reg, a->sel[i], selected);
    if (a->nsel == 0) ob_registry_select(reg, "all", selected);
    rc = ob_run_args_check_cases(a, reg, selected);
  }
  free(selected);
  ob_registry_destroy(reg);
  return rc;
}

static int mpi_run(int argc, char **argv) {
  /* Rank 0 validates the arguments and speaks for everyone. */
  ob_run_args a;
  int rc = world_rank == 0 ? ob_run_args_parse(argc, argv, &a) : OB_EXIT_OK;
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;
  if (world_rank == 0 && (a.trace_path || a.list))
    rc = ob_cli_usage_error("%s is not available in oclbench-mpi (run oclbench per host)",
                            a.list ? "--list" : "--trace");
  if (world_rank == 0 && rc == OB_EXIT_OK) rc = check_cases_on_rank0(&a);
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;
  if (world_rank != 0) ob_run_args_parse(argc, argv, &a);
  /* The hosts of the other ranks are not known yet: with --out, any results there refuse it. */
  char dir[4096] = "";
  if (world_rank == 0) rc = ob_run_args_out_dir(&a, NULL, NULL, 0, dir, sizeof dir);
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;

  ob_results all = {0};
  ob_session *session = NULL;
  rank_result mine = {0};
  if (ob_session_create(&session) == OB_OK) {
    ob_sensor_config sensors;
    ob_cli_sensor_config(&sensors);
    ob_session_set_sensor_config(session, &sensors);
    run_local(&a, session, &mine);
  } else {
    mine.rc = OB_EXIT_FAILED;
    snprintf(mine.message, sizeof mine.message, "%s", ob_error_detail());
  }
  rank_result *results = world_rank == 0 ? calloc((size_t)world_size, sizeof *results) : NULL;
  MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, results, (int)sizeof mine, MPI_BYTE, 0,
             MPI_COMM_WORLD);
  const ob_results none = {0};
  ob_status st = gather_rows(session ? ob_session_results(session) : &none, &all);
  ob_session_destroy(session);
  if (world_rank != 0) return mine.rc;

  rc = OB_EXIT_OK;
  if (st == OB_OK) {
    size_t files = 0;
    st = ob_results_write_device_csvs(&all, 0, dir, &files);
    if (st == OB_OK)
      fprintf(stderr, "oclbench-mpi: wrote %zu CSV file%s into %s from %d ranks\n", files,
              files == 1 ? "" : "s", dir, world_size);
  }
  ob_run_args_out_done(&a, dir);
  if (st == OB_OK) st = ob_results_print(&all, a.format, a.wide ? 0 : OB_TABLE_WIDTH, stdout);
  if (st != OB_OK) {
    fprintf(stderr, "oclbench-mpi: %s: %s\n", ob_strerror(st), ob_error_detail());
    rc = OB_EXIT_FAILED;
  }
  for (int r = 0; results && r < world_size; r++) {
    if (results[r].rc == OB_EXIT_OK) continue;
    fprintf(stderr, "oclbench-mpi: rank %d failed (exit %d): %s\n", r, results[r].rc,
            results[r].message);
    if (results[r].rc > rc) rc = results[r].rc;
  }
  free(results);
  ob_results_clear(&all);
  return rc;
}

/* True on every rank when ok is true on every rank: a collective point before the next
 * collective step, so no rank waits for one that failed. */
static bool all_ok(bool ok) {
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

/* A collective step's outcome on every rank: st where this rank failed; else, when another
 * failed, an error naming the first rank that did ("rank 1 failed to calibrate"); else OB_OK. */
static ob_status step_outcome(ob_status st, const char *step) {
  int mine = st == OB_OK ? world_size : world_rank, first = world_size;
  MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (st != OB_OK || first == world_size) return st;
  return ob_fail(OB_ERR_CL, "rank %d failed %s", first, step);
}

/* This rank's devices for the ising command (the run command's round-robin share). */
static ob_status local_devices(ob_registry *reg, const ob_ising_args *a, ob_device ***devs,
                               size_t *n) {
  const size_t nd = ob_registry_count(reg);
  bool *sel = calloc(nd, sizeof *sel);
  *devs = calloc(nd ? nd : 1, sizeof **devs);
  *n = 0;
  if (!sel || !*devs) {
    free(sel);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  size_t matched = 0;
  for (size_t i = 0; i < a->nsel; i++) matched += ob_registry_select(reg, a->sel[i], sel);
  if (a->nsel == 0) matched = ob_registry_select(reg, "all", sel);
  take_share(sel, nd);
  for (size_t d = 0; d < nd; d++)
    if (sel[d]) (*devs)[(*n)++] = ob_registry_device(reg, d);
  free(sel);
  return matched ? OB_OK : ob_fail(OB_ERR_INVALID, "--device matches no device on this host");
}

typedef struct ising_rank {
  ob_registry *reg;
  ob_device **devs;
  size_t ndev;
  ob_ising_model *model;
  ob_ising_batch batch;      /* batch.set: NULL when this rank samples no chains */
  size_t first, chains;      /* this rank's range of the batch */
} ising_rank;

/* Calibrates this rank's devices, agrees on every rank's range, sets up its batch. */
static ob_status ising_prepare(const ob_ising_args *a, ising_rank *r) {
  const size_t total = (size_t)a->chains;
  double *rates = calloc(r->ndev ? r->ndev : 1, sizeof *rates);
  double *rank_rates = calloc((size_t)world_size, sizeof *rank_rates);
  size_t *rank_shares = calloc((size_t)world_size, sizeof *rank_shares);
  ob_status st = rates && rank_rates && rank_shares ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  const size_t per_device = total / (size_t)world_size + 1;
  if (st == OB_OK && r->ndev)
    st = ob_ising_calibrate(r->devs, r->ndev, r->model, per_device, a->seed, rates);
  double mine = 0.0;
  for (size_t i = 0; st == OB_OK && i < r->ndev; i++) mine += rates[i];
  st = step_outcome(st, "to calibrate");
  if (st != OB_OK) goto done;
  MPI_Allgather(&mine, 1, MPI_DOUBLE, rank_rates, 1, MPI_DOUBLE, MPI_COMM_WORLD);
  ob_ising_split(total, rank_rates, (size_t)world_size, rank_shares);
  for (int k = 0; k < world_rank; k++) r->first += rank_shares[k];
  r->chains = rank_shares[world_rank];
  ob_tune_settings tune;
  ob_ising_args_tune_settings(&tune);
  const ob_ising_batch_opts opts = {.first_chain = r->first, .chains = r->chains,
                                    .seed = a->seed, .tuning = a->tuning, .rates = rates,
                                    .policy = a->tune ? OB_ISING_TUNE_AUTO : OB_ISING_TUNE_GIVEN,
                                    .settings = &tune};
  if (r->chains) st = ob_ising_batch_setup(&r->batch, r->devs, r->ndev, r->model, &opts);
  st = step_outcome(st, "to set up");
done:
  free(rates);
  free(rank_rates);
  free(rank_shares);
  return st;
}

/* Sums behind the moments (ob_ising_shards_moment_sums): a rank's, or the whole batch's. */
typedef struct moment_sums {
  int64_t *node, *edge;
  uint64_t samples;
} moment_sums;

/* The warm-up, then the sweeps timed over all ranks (barriers around them) into *t. Collective:
 * every rank calls it with its status so far; a failure anywhere fails every rank. */
static ob_status timed_sweeps(const ob_ising_args *a, ising_rank *r, bool observe, ob_status st,
                              double *t) {
  if (st == OB_OK && r->batch.set && a->warmup)
    st = ob_ising_shards_run(r->batch.set, (size_t)a->warmup, false, NULL, NULL);
  OB_TRY(step_outcome(st, "in the warm-up"));
  MPI_Barrier(MPI_COMM_WORLD);
  const double t0 = MPI_Wtime();
  if (r->batch.set)
    st = ob_ising_shards_run(r->batch.set, (size_t)a->sweeps, observe, NULL, NULL);
  MPI_Barrier(MPI_COMM_WORLD);
  *t = MPI_Wtime() - t0;
  return st;
}

/* This rank's flips/s over t, or NAN when the time cannot be believed (the rank says why). */
static double rank_rate(const ob_ising_args *a, const ising_rank *r, double t) {
  const double flips = (double)a->sweeps * (double)ob_ising_nodes(r->model) * (double)r->chains;
  if (r->chains && ob_ising_rate_check(r->devs, r->ndev, flips, t, t) != OB_OK) {
    fprintf(stderr, "oclbench-mpi: rank %d: no rate: %s\n", world_rank, ob_error_detail());
    return NAN;
  }
  return flips / t;
}

/* Rank 0: every rank's rate (NAN: not believed), the batch's, and with --moments the moments
 * of the whole batch, printed and written to wm. */
static ob_status report(const ob_ising_args *a, const ising_rank *r, const double *rank_rates,
                        double t, const moment_sums *all, ob_csv_writer *wm) {
  const size_t n = ob_ising_nodes(r->model), m = ob_ising_edges(r->model);
  const char *observed = a->moments ? ", observed" : "";
  bool believed = true;
  for (int k = 0; k < world_size; k++) {
    believed = believed && !isnan(rank_rates[k]);
    if (isnan(rank_rates[k])) printf("rank %d: no rate (see its message)\n", k);
    else printf("rank %d: %.4g flips/ns\n", k, rank_rates[k] * 1e-9);
  }
  if (believed)
    printf("sampled %ld chains x %ld sweeps%s on %d ranks in %.6f s: %.4g flips/ns\n",
           a->chains, a->sweeps, observed, world_size, t,
           (double)a->sweeps * (double)n * (double)a->chains / t * 1e-9);
  else
    printf("sampled %ld chains x %ld sweeps%s on %d ranks: no rate\n", a->chains, a->sweeps,
           observed, world_size);
  ob_status st = OB_OK;
  if (a->moments) {
    double *mn = malloc((n + 1) * sizeof *mn), *me = malloc((m + 1) * sizeof *me);
    ob_ising_moments mo = {.node = mn, .edge = me};
    st = mn && me ? ob_ising_moments_from_sums(r->model, all->node, all->edge, all->samples, &mo)
                  : ob_fail(OB_ERR_NOMEM, "out of memory");
    if (st == OB_OK) {
      printf("<E> = %.6g, <m> = %.6g over %llu samples\n", mo.energy, mo.magnetisation,
             (unsigned long long)mo.samples);
      st = ob_ising_write_moments(wm, r->model, &mo);
    }
    free(mn);
    free(me);
  }
  if (st == OB_OK && !believed) st = ob_fail(OB_ERR_TIMING, "a rank's rate cannot be believed");
  return st;
}

/* Warm-up, the observed sweeps (timed over all ranks), the moments summed over all ranks;
 * rank 0 reports. wm: rank 0's --moments writer (NULL elsewhere, or without --moments). */
static ob_status ising_sample(const ob_ising_args *a, ising_rank *r, ob_csv_writer *wm) {
  const size_t n = ob_ising_nodes(r->model), m = ob_ising_edges(r->model);
  moment_sums mine = {calloc(n + 1, sizeof(int64_t)), calloc(m + 1, sizeof(int64_t)), 0};
  moment_sums all = {calloc(n + 1, sizeof(int64_t)), calloc(m + 1, sizeof(int64_t)), 0};
  double *rank_rates = world_rank == 0 ? calloc((size_t)world_size, sizeof *rank_rates) : NULL;
  ob_status st = mine.node && mine.edge && all.node && all.edge && (rank_rates || world_rank)
                     ? OB_OK
                     : ob_fail(OB_ERR_NOMEM, "out of memory");
  double t = 0.0;
  st = timed_sweeps(a, r, a->moments != NULL, st, &t);
  if (st == OB_OK && r->batch.set)
    st = ob_ising_shards_moment_sums(r->batch.set, mine.node, mine.edge, &mine.samples);
  st = step_outcome(st, "while sampling");
  if (st == OB_OK) {
    const double rate = rank_rate(a, r, t);
    MPI_Gather(&rate, 1, MPI_DOUBLE, rank_rates, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    /* Every rank ends with the whole batch's sums (exact: integers); rank 0 writes them. */
    MPI_Allreduce(mine.node, all.node, (int)n, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(mine.edge, all.edge, (int)m, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&mine.samples, &all.samples, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    if (world_rank == 0) st = report(a, r, rank_rates, t, &all, wm);
  }
  free(rank_rates);
  free(mine.node);
  free(mine.edge);
  free(all.node);
  free(all.edge);
  return st;
}

/* The ising arguments: rank 0 checks them and speaks for everyone (--shard needed; what only
 * oclbench ising does refused), then every rank parses them. Collective. */
static int ising_args(int argc, char **argv, ob_ising_args *a) {
  int rc = world_rank == 0 ? ob_ising_args_parse(argc, argv, a) : OB_EXIT_OK;
  if (world_rank == 0 && rc == OB_EXIT_OK && !a->shard)
    rc = ob_cli_usage_error("oclbench-mpi ising samples one batch over every rank: add --shard");
  if (world_rank == 0 && rc == OB_EXIT_OK &&
      (a->samples || a->train || a->host_loop || a->info || a->trace_path || a->trace_summary))
    rc = ob_cli_usage_error("oclbench-mpi ising: --samples, --train, --host-loop, --info and "
                            "--trace are for oclbench ising");
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc == OB_EXIT_OK && world_rank != 0) ob_ising_args_parse(argc, argv, a);
  return rc;
}

/* This rank's model, registry and devices (rank 0 also prints the graph and opens --moments);
 * *rc: the exit code of a failure. */
static ob_status ising_open(const ob_ising_args *a, ising_rank *r, ob_csv_writer **wm, int *rc) {
  ob_status st = ob_ising_args_model(a, &r->model);
  if (st == OB_OK && world_rank == 0) {
    ob_ising_print_graph(r->model);
    st = ob_ising_open_outputs(a, r->model, wm, NULL);
  }
  *rc = st == OB_OK ? OB_EXIT_OK : OB_EXIT_USAGE;
  if (st == OB_OK) {
    st = ob_registry_create(&r->reg);
    if (st != OB_OK) *rc = st == OB_ERR_NO_PLATFORM ? OB_EXIT_NO_PLATFORM : OB_EXIT_FAILED;
  }
  if (st == OB_OK) {
    st = local_devices(r->reg, a, &r->devs, &r->ndev);
    if (st != OB_OK) *rc = OB_EXIT_USAGE;
  }
  return st;
}

static int mpi_ising(int argc, char **argv) {
  ob_ising_args a;
  int rc = ising_args(argc, argv, &a);
  if (rc != OB_EXIT_OK) return rc;
  ising_rank r = {0};
  ob_csv_writer *wm = NULL;
  ob_status st = ising_open(&a, &r, &wm, &rc);
  if (!all_ok(st == OB_OK)) {
    if (st != OB_OK) fprintf(stderr, "oclbench-mpi[rank %d]: %s\n", world_rank, ob_error_detail());
    else rc = OB_EXIT_FAILED;
  } else {
    st = ising_prepare(&a, &r);
    if (st == OB_OK) st = ising_sample(&a, &r, wm);
    if (st == OB_OK && wm) {
      st = ob_csv_writer_commit(wm);
      wm = NULL;
    }
    if (st != OB_OK) {
      fprintf(stderr, "oclbench-mpi[rank %d]: ising: %s\n", world_rank, ob_error_detail());
      rc = OB_EXIT_FAILED;
    }
  }
  int worst = 0;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  ob_csv_writer_destroy(wm);
  ob_ising_batch_clear(&r.batch);
  free(r.devs);
  ob_registry_destroy(r.reg);
  ob_ising_model_destroy(r.model);
  return world_rank == 0 ? worst : rc;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, world_rank, MPI_INFO_NULL, &local);
  MPI_Comm_rank(local, &local_rank);
  MPI_Comm_size(local, &local_size);
  MPI_Comm_free(&local);
  int rc;
  if (!ob_cli_check_env()) rc = OB_EXIT_USAGE;
  else if (argc >= 2 && strcmp(argv[1], "run") == 0) rc = mpi_run(argc - 1, argv + 1);
  else if (argc >= 2 && strcmp(argv[1], "ising") == 0) rc = mpi_ising(argc - 1, argv + 1);
  else if (world_rank == 0)
    rc = ob_cli_usage_error("usage: mpirun -n N oclbench-mpi run [WORKLOAD...] [--device SEL]... "
                            "[--out DIR] [--quick] [--seconds S] | ising --shard [ISING OPTION...]");
  else rc = OB_EXIT_USAGE;
  MPI_Finalize();
  return rc;
}
