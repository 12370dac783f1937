/* Cross-implementation identity: the same seed gives byte-identical Ising moments and samples
 * files on every OpenCL device present (every implementation the ICD loader lists: PoCL, Intel's
 * CPU runtime, Oclgrind, a GPU driver), with every kernel path and word width, through the CLI a
 * user runs. Sizes are tiny so that a simulator (Oclgrind) takes seconds. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One sampler configuration; "" lets the device choose. */
typedef struct config {
  const char *name;
  const char *flags;
} config;

static const config configs[] = {
    {"chosen by the device", ""},
    {"local path, 1 chain per word", "--path local --spin-bits 1"},
    {"local path, 32 chains per word, schedule in local memory",
     "--path local --spin-bits 32 --schedule local"},
    {"global path, 8 chains per word", "--path global --spin-bits 8"},
};

/* A gaussian graph of 30 nodes with a partial last word (70 chains) and one with 4 colours. */
static const char *const models[] = {
    "--graph random:30:3 --chains 70 --warmup 3 --sweeps 9 --seed 77",
    "--graph chimera:1 --weights pm1 --beta 0.6 --chains 40 --warmup 2 --sweeps 7 --seed 5",
};

/* Runs one sampling into DIR/<tag>.m.csv and DIR/<tag>.s.csv; returns the two files read. */
static void sample(const char *dir, const char *tag, const char *model, const char *flags,
                   const char *slug, char **moments, size_t *mlen, char **samples, size_t *slen) {
  char args[4096], err[8192], path[4200];
  snprintf(args, sizeof args, "ising %s %s --device %s --moments %s/%s.m.csv --samples %s/%s.s.csv",
           model, flags, slug, dir, tag, dir, tag);
  const int rc = ob_test_cli(args, err, sizeof err);
  /* A driver whose timestamps do not advance gets no rate (exit 1), but its samples count. */
  const bool no_rate = rc == 1 && strstr(err, "profiling timestamps");
  if (rc != 0 && !no_rate) fail_msg("%s on %s: exit %d: %s", flags, slug, rc, err);
  snprintf(path, sizeof path, "%s/%s.m.csv", dir, tag);
  OB_ASSERT_OK(ob_read_file(path, moments, mlen));
  snprintf(path, sizeof path, "%s/%s.s.csv", dir, tag);
  OB_ASSERT_OK(ob_read_file(path, samples, slen));
}

static void same_seed_same_bytes_on_every_device_and_path(void **state) {
  (void)state;
  ob_registry *reg = ob_test_registry();
  const size_t ndev = ob_registry_count(reg);
  const char *dir = ob_test_tmpdir();
  for (size_t m = 0; m < sizeof models / sizeof *models; m++) {
    char *ref_m = NULL, *ref_s = NULL;
    size_t ref_ml = 0, ref_sl = 0;
    char ref_what[512] = "";
    for (size_t d = 0; d < ndev; d++) {
      const char *slug = ob_device_slug(ob_registry_device(reg, d));
      for (size_t c = 0; c < sizeof configs / sizeof *configs; c++) {
        char tag[96], *mo = NULL, *sa = NULL;
        size_t ml = 0, sl = 0;
        snprintf(tag, sizeof tag, "m%zu_%s_c%zu", m, slug, c);
        sample(dir, tag, models[m], configs[c].flags, slug, &mo, &ml, &sa, &sl);
        if (!ref_m) {
          ref_m = mo;
          ref_s = sa;
          ref_ml = ml;
          ref_sl = sl;
          snprintf(ref_what, sizeof ref_what, "%s, %s", slug, configs[c].name);
          assert_true(ml > 100 && sl > 100);
          continue;
        }
        if (ml != ref_ml || memcmp(mo, ref_m, ml) != 0)
          fail_msg("%s: moments on %s (%s) differ from %s", models[m], slug, configs[c].name,
                   ref_what);
        if (sl != ref_sl || memcmp(sa, ref_s, sl) != 0)
          fail_msg("%s: samples on %s (%s) differ from %s", models[m], slug, configs[c].name,
                   ref_what);
        free(mo);
        free(sa);
      }
      print_message("identical: %s on %s (%zu configurations)\n", models[m], slug,
                    sizeof configs / sizeof *configs);
    }
    free(ref_m);
    free(ref_s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_seed_same_bytes_on_every_device_and_path),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
