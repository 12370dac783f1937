/* Fuzz target: the argument parsers of every command (parse and validate only: no device is
 * opened, nothing is written; output paths are only probed). Input: one byte choosing the
 * command (devices, run, compare, ising, flops), then its arguments separated by NUL bytes.
 * flops also builds its model and checks the batch's counts, as the command does first. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "fuzz.h"
#include "ising_cli.h"
#include "run_args.h"
#include "zoo/zoo.h"

#define MAX_ARGS 64

static void flops(int argc, char **argv) {
  ob_flops_args a;
  if (ob_flops_args_parse(argc, argv, &a) != OB_EXIT_OK) return;
  ob_model *m = NULL;
  if (ob_model_create(a.model, a.c, a.h, a.w, &m) != OB_OK) return;
  ob_model_check_batch(m, a.batch);
  ob_model_destroy(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"devices", "run", "compare", "ising", "flops"};
  if (size < 1) return 0;
  char *argv[MAX_ARGS + 2], *block = NULL;
  const size_t which = data[0] % 5;
  argv[0] = (char *)names[which];
  int argc = 1 + (int)fuzz_split(data + 1, size - 1, argv + 1, MAX_ARGS, &block);
  if (size == 1) argc = 1;
  argv[argc] = NULL;
  if (which == 0) {
    ob_format format = OB_FORMAT_TEXT;
    ob_devices_args_parse(argc, argv, &format);
  } else if (which == 1) {
    ob_run_args a;
    ob_run_args_parse(argc, argv, &a);
  } else if (which == 2) {
    ob_compare_args a = {.files = calloc((size_t)argc, sizeof *a.files),
                         .labels = calloc((size_t)argc, sizeof *a.labels)};
    if (!a.files || !a.labels) abort();
    if (ob_compare_args_parse(argc, argv, &a) == OB_EXIT_OK && a.nfiles == 0) __builtin_trap();
    free(a.files);
    free(a.labels);
  } else if (which == 3) {
    ob_ising_args a;
    ob_ising_args_parse(argc, argv, &a);
  } else {
    flops(argc, argv);
  }
  free(block);
  return 0;
}
