/* Replays every fuzz target's committed corpus and regression inputs (tests/fuzz/corpus/T and
 * tests/fuzz/regressions/T, among them the inputs of every crash found) through the target's
 * entry point, built without the fuzzer runtime (BUILD/tests/fuzz/replay_T): none may crash, and
 * under `make check` none may trip ASan or UBSan. */
#include "support.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char replay_dir[4096];

static void corpora_and_regressions_replay_cleanly(void **state) {
  (void)state;
  const char *src = getenv("OB_SOURCE_DIR");
  char corpora[4200];
  snprintf(corpora, sizeof corpora, "%s/tests/fuzz/corpus", src && *src ? src : ".");
  DIR *d = opendir(corpora);
  assert_non_null(d);
  size_t targets = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd %s && %s/replay_%s tests/fuzz/corpus/%s tests/fuzz/regressions/%s",
             src && *src ? src : ".", replay_dir, e->d_name, e->d_name, e->d_name);
    int rc = ob_test_run(cmd, &out, &err);
    unsigned long inputs = 0;
    const char *line = strstr(err, "replay: ");
    if (rc != 0 || !line || sscanf(line, "replay: %lu inputs", &inputs) != 1 || inputs == 0)
      fail_msg("%s: exit %d: %s", e->d_name, rc, err);
    print_message("fuzz target %s: %lu inputs replayed\n", e->d_name, inputs);
    free(out);
    free(err);
    targets++;
  }
  closedir(d);
  assert_true(targets >= 6);
}

int main(int argc, char **argv) {
  (void)argc;
  char self[4096];
  snprintf(self, sizeof self, "%s", argv[0]);
  snprintf(replay_dir, sizeof replay_dir, "%s/fuzz", dirname(self));
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(corpora_and_regressions_replay_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
