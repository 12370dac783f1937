/* oclbench-mpi: `oclbench run` over many hosts with Open MPI.
 *
 *   mpirun -n N oclbench-mpi run [WORKLOAD...] [--device SEL]... [--out DIR] [--quick] ...
 *
 * Every rank runs its share of its host's selected devices (ranks on one host split them
 * round-robin; --device applies on every rank), then rank 0 gathers every row, writes one CSV
 * per device into --out and prints the cross-device table. A rank that fails still reports;
 * the exit status is the worst rank's, and rank 0 names the ranks that failed.
 * Built only by `make mpi`; the plain oclbench never needs MPI.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run_args.h"
#include "runner.h"

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

/* Runs this rank's devices into rows; fills res. */
static void run_local(const ob_run_args *a, ob_table *rows, rank_result *res) {
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
    size_t failed = 0;
    st = ob_runner_run(reg, &cfg, rows, &failed);
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

/* Gathers every rank's encoded rows into all (rank 0 only). */
static ob_status gather_rows(const ob_table *mine, ob_table *all) {
  char *buf = NULL;
  size_t len = 0;
  ob_status st = ob_table_encode(mine, 0, &buf, &len);
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
  if (world_rank == 0 && st == OB_OK) st = ob_table_decode(all, recv, (size_t)total);
  free(recv);
  free(counts);
  free(displs);
  free(buf);
  return st;
}

static int mpi_run(int argc, char **argv) {
  /* Rank 0 validates the arguments and speaks for everyone. */
  ob_run_args a;
  int rc = world_rank == 0 ? ob_run_args_parse(argc, argv, &a) : OB_EXIT_OK;
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;
  if (world_rank == 0 && a.trace_path)
    rc = ob_cli_usage_error("--trace is not available in oclbench-mpi (run oclbench per host)");
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;
  if (world_rank != 0) ob_run_args_parse(argc, argv, &a);
  if (world_rank == 0 && ob_mkdir_p(a.out_dir) != OB_OK) rc = ob_cli_usage_error("--out: %s", ob_error_detail());
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != OB_EXIT_OK) return rc;

  ob_table rows = {0}, all = {0};
  rank_result mine = {0};
  run_local(&a, &rows, &mine);
  rank_result *results = world_rank == 0 ? calloc((size_t)world_size, sizeof *results) : NULL;
  MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, results, (int)sizeof mine, MPI_BYTE, 0,
             MPI_COMM_WORLD);
  ob_status st = gather_rows(&rows, &all);
  ob_table_clear(&rows);
  if (world_rank != 0) return mine.rc;

  rc = OB_EXIT_OK;
  if (st == OB_OK) {
    size_t files = 0;
    st = ob_table_write_device_csvs(&all, a.out_dir, &files);
    if (st == OB_OK)
      fprintf(stderr, "oclbench-mpi: wrote %zu CSV file%s into %s from %d ranks\n", files,
              files == 1 ? "" : "s", a.out_dir, world_size);
  }
  if (st == OB_OK) st = ob_table_print_summary(&all, stdout);
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
  ob_table_clear(&all);
  return rc;
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
  else if (world_rank == 0)
    rc = ob_cli_usage_error("usage: mpirun -n N oclbench-mpi run [WORKLOAD...] [--device SEL]... "
                            "[--out DIR] [--quick] [--seconds S]");
  else rc = OB_EXIT_USAGE;
  MPI_Finalize();
  return rc;
}
