/* Every command block of README.md runs and exits as documented.
 *
 * The ```sh blocks are run command by command (a line ending in '\' continues on the next) in
 * one temporary directory, in README order, with the built oclbench first on PATH and a copy of
 * bench/results/; a command exits 0 unless the README says otherwise. An HTML comment right
 * before a block, invisible on a rendered page, says how to test it, one directive a line:
 *
 *   <!-- readme-test
 *   skip all: REASON             the block is not run (minutes, a GPU, root, ...)
 *   skip TEXT: REASON            the commands containing TEXT are not run
 *   exit N TEXT                  the command containing TEXT exits N
 *   file NAME                    (before a non-sh block) its text is written to NAME, before
 *                                any command runs
 *   -->
 *
 * Every TEXT must match exactly one command of its block, so a directive cannot outlive the
 * command it was written for. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DIRECTIVES 16

typedef struct directive {
  char kind[8];   /* "skip", "exit", "file" */
  char text[160]; /* the command text it applies to ("all": the whole block), or the file */
  int code;       /* exit: the status */
  size_t matched; /* commands it matched */
} directive;

typedef struct block_run {
  const char *dir, *bin_dir;
  size_t ran, skipped;
} block_run;

static const char *source_dir(void) {
  const char *d = getenv("OB_SOURCE_DIR");
  return d && *d ? d : ".";
}

/* Reads the directives of a `<!-- readme-test ... -->` comment starting at text; returns how
 * many, and sets *end past the comment. */
static size_t parse_directives(const char *text, directive *out, const char **end) {
  const char *close = strstr(text, "-->");
  assert_non_null(close);
  *end = close + 3;
  size_t n = 0;
  for (const char *line = strchr(text, '\n') + 1; line < close; line = strchr(line, '\n') + 1) {
    const size_t len = strcspn(line, "\n");
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)len, line);
    if (!buf[0] || strncmp(buf, "-->", 3) == 0) continue;
    assert_true(n < MAX_DIRECTIVES);
    directive *d = &out[n++];
    memset(d, 0, sizeof *d);
    char *colon = strstr(buf, ": ");
    if (strncmp(buf, "skip ", 5) == 0 && colon) {
      snprintf(d->kind, sizeof d->kind, "skip");
      snprintf(d->text, sizeof d->text, "%.*s", (int)(colon - buf - 5), buf + 5);
    } else if (sscanf(buf, "exit %d ", &d->code) == 1 && strchr(buf + 5, ' ')) {
      snprintf(d->kind, sizeof d->kind, "exit");
      snprintf(d->text, sizeof d->text, "%s", strchr(buf + 5, ' ') + 1);
    } else if (strncmp(buf, "file ", 5) == 0) {
      snprintf(d->kind, sizeof d->kind, "file");
      snprintf(d->text, sizeof d->text, "%s", buf + 5);
    } else {
      fail_msg("README.md: unknown readme-test directive '%s'", buf);
    }
  }
  return n;
}

/* The directive of that kind whose text the command contains; NULL when none. */
static directive *find(directive *d, size_t n, const char *kind, const char *command) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(d[i].kind, kind) == 0 && (strcmp(d[i].text, "all") == 0 || strstr(command, d[i].text))) {
      d[i].matched++;
      return &d[i];
    }
  return NULL;
}

/* Runs one command in the run's directory; fails the test unless it exits as expected. */
static void run_command(block_run *r, const char *command, int want) {
  /* The command in single quotes for sh -c: each ' becomes '\'' */
  char quoted[8192] = "", shell[16384];
  size_t q = 0;
  for (const char *c = command; *c && q + 5 < sizeof quoted; c++) {
    if (*c == '\'') {
      memcpy(quoted + q, "'\\''", 4);
      q += 4;
    } else {
      quoted[q++] = *c;
    }
  }
  quoted[q] = '\0';
  snprintf(shell, sizeof shell, "cd '%s' && PATH='%s':\"$PATH\" sh -c '%s'", r->dir, r->bin_dir,
           quoted);
  char *err = NULL;
  const int rc = ob_test_run(shell, NULL, &err);
  if (rc != want) fail_msg("README command exited %d, not %d: %s\n%s", rc, want, command, err);
  free(err);
  r->ran++;
}

/* The commands of a ```sh block's text [text, end), run or skipped as the directives say. */
static void run_block(block_run *r, const char *text, const char *end, directive *d, size_t nd) {
  char command[4096] = "";
  for (const char *line = text; line < end; line = strchr(line, '\n') + 1) {
    size_t len = strcspn(line, "\n");
    const bool more = len && line[len - 1] == '\\';
    const size_t used = strlen(command);
    snprintf(command + used, sizeof command - used, "%.*s", (int)(more ? len - 1 : len), line);
    if (more) continue;
    const char *start = command + strspn(command, " ");
    if (*start && *start != '#') {
      const directive *exit_code = find(d, nd, "exit", start);
      if (find(d, nd, "skip", start)) r->skipped++;
      else run_command(r, start, exit_code ? exit_code->code : 0);
    }
    command[0] = '\0';
  }
}

/* Writes [text, end) to dir/name. */
static void write_block(const char *dir, const char *name, const char *text, const char *end) {
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fwrite(text, 1, (size_t)(end - text), f);
  fclose(f);
}

static void readme_commands_run_as_documented(void **state) {
  (void)state;
  char path[4200], bin_dir[4200], cmd[9000];
  snprintf(path, sizeof path, "%s/README.md", source_dir());
  char *readme = NULL;
  OB_ASSERT_OK(ob_read_file(path, &readme, NULL));
  const char *bin = getenv("OB_TEST_BINARY");
  char real[4096];
  assert_non_null(realpath(bin && *bin ? bin : "./oclbench", real));
  block_run r = {.dir = ob_test_tmpdir(), .bin_dir = bin_dir};
  /* The commands run on the test device, not on the first one (Oclgrind, where it is installed,
   * would take hours): the `oclbench` first on PATH is a wrapper that gives `run` and `ising`
   * the test device's --device (both take several). */
  snprintf(bin_dir, sizeof bin_dir, "%s/bin", r.dir);
  assert_int_equal(mkdir(bin_dir, 0777), 0);
  snprintf(path, sizeof path, "%s/oclbench", bin_dir);
  FILE *w = fopen(path, "w");
  assert_non_null(w);
  fprintf(w, "#!/bin/sh\ncase \"$1\" in run|ising) c=$1; shift; exec '%s' \"$c\" %s \"$@\";; esac\n"
             "exec '%s' \"$@\"\n", real, ob_test_device_args(), real);
  assert_int_equal(fclose(w), 0);
  assert_int_equal(chmod(path, 0755), 0);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/bench' && cp -r '%s/bench/results' '%s/bench/'", r.dir,
           source_dir(), r.dir);
  assert_int_equal(ob_test_run(cmd, NULL, NULL), 0);
  directive d[MAX_DIRECTIVES];
  size_t blocks = 0;
  /* The files first (a block may use one the README shows after it), then the commands. */
  for (int pass = 0; pass < 2; pass++)
  for (const char *p = readme; (p = strstr(p, "\n```")) != NULL;) {
    const char *fence = p + 1, *info = fence + 3;
    const char *body = strchr(info, '\n');
    assert_non_null(body);
    body++;
    const char *close = strstr(body, "\n```");
    assert_non_null(close);
    size_t nd = 0;
    const char *comment = strstr(readme, "<!-- readme-test"), *prev = NULL;
    for (; comment && comment < fence; comment = strstr(comment + 1, "<!-- readme-test"))
      prev = comment;
    if (prev) {
      const char *after = NULL;
      const size_t n = parse_directives(prev, d, &after);
      while (*after == '\n') after++;
      if (after == fence) nd = n; /* right before this block: its directives */
    }
    if (pass == 0) {
      if (nd == 1 && strcmp(d[0].kind, "file") == 0) write_block(r.dir, d[0].text, body, close + 1);
    } else if (strncmp(info, "sh\n", 3) == 0) {
      run_block(&r, body, close + 1, d, nd);
      blocks++;
      for (size_t i = 0; i < nd; i++)
        if (d[i].matched == 0 || (strcmp(d[i].text, "all") != 0 && d[i].matched > 1))
          fail_msg("README.md: readme-test '%s %s' matches %zu commands of its block, not one",
                   d[i].kind, d[i].text, d[i].matched);
    } else if (nd && strcmp(d[0].kind, "file") != 0) {
      fail_msg("README.md: readme-test before a block that is not sh: only 'file NAME'");
    }
    p = close + 4;
  }
  free(readme);
  /* The committed comparison is what the README's compare command writes, byte for byte. */
  static const char *const made[] = {"compare.md", "compare.svg", "compare-ising.svg"};
  for (size_t i = 0; i < sizeof made / sizeof *made; i++) {
    char committed[4400], written[4400];
    snprintf(committed, sizeof committed, "%s/bench/results/%s", source_dir(), made[i]);
    snprintf(written, sizeof written, "%s/bench/results/%s", r.dir, made[i]);
    snprintf(cmd, sizeof cmd, "cmp '%s' '%s'", committed, written);
    if (ob_test_run(cmd, NULL, NULL) != 0)
      fail_msg("bench/results/%s differs from what the README's compare command writes", made[i]);
  }
  print_message("README.md: %zu sh blocks, %zu commands run, %zu skipped\n", blocks, r.ran,
                r.skipped);
  assert_true(blocks >= 7);
  assert_true(r.ran >= 10);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(readme_commands_run_as_documented),
  };
  return cmocka_run_group_tests(tests, NULL, ob_test_teardown);
}
