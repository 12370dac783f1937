/* The CLI's documentation (bench/help.h) against the CLI: every option a command's page lists
 * is one its parser accepts, every option its parser source names is listed, every environment
 * variable the CLI reads is documented; per-command --help, help CMD, and the man page. */
#include "support.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"

/* The source file of each command's argument parser. */
static const struct {
  const char *command, *parser;
} parsers[] = {
    {"devices", "bench/cmd_devices.c"}, {"run", "bench/run_args.c"},
    {"compare", "bench/cmd_compare.c"}, {"ising", "bench/ising_cli.c"},
    {"flops", "bench/cmd_flops.c"}, {"plot", "bench/cmd_plot.c"},
};

static const ob_help_command *command(const char *name) {
  for (const ob_help_command *c = ob_help_commands; c->name; c++)
    if (strcmp(c->name, name) == 0) return c;
  fail_msg("no help page for %s", name);
  return NULL;
}

/* Whether the command's page lists `flag` ("--graph" matches "--graph SPEC"). */
static bool listed(const ob_help_command *c, const char *flag) {
  const size_t n = strlen(flag);
  for (const ob_help_option *o = c->options; o->flag; o++)
    if (strncmp(o->flag, flag, n) == 0 && (o->flag[n] == '\0' || o->flag[n] == ' ')) return true;
  return false;
}

static char *source(const char *rel) {
  char path[4096], *text = NULL;
  snprintf(path, sizeof path, "%s/%s", getenv("OB_SOURCE_DIR") ? getenv("OB_SOURCE_DIR") : ".",
           rel);
  OB_ASSERT_OK(ob_read_file(path, &text, NULL));
  return text;
}

static void every_parsed_option_is_listed(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++) {
    const ob_help_command *c = command(parsers[i].command);
    char *text = source(parsers[i].parser);
    /* every "--name" string literal of the parser */
    for (char *p = strstr(text, "\"--"); p; p = strstr(p + 1, "\"--")) {
      char flag[64];
      size_t n = 0;
      for (const char *q = p + 1; n < sizeof flag - 1 && (isalnum((unsigned char)*q) || *q == '-'); q++)
        flag[n++] = *q;
      flag[n] = '\0';
      if (p[1 + n] != '"') continue; /* not a whole literal ("--%s") */
      if (!listed(c, flag)) fail_msg("%s accepts %s (%s) but its help page does not list it",
                                     c->name, flag, parsers[i].parser);
    }
    free(text);
  }
}

static void every_listed_option_is_accepted(void **state) {
  (void)state;
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    for (const ob_help_option *o = c->options; o->flag; o++) {
      char flag[64], args[256], err[4096];
      snprintf(flag, sizeof flag, "%.*s", (int)strcspn(o->flag, " "), o->flag);
      /* The listed flag, then one no parser knows: the error must be about the second (or
       * about the first's value), never "unknown" or "unexpected" for the first. */
      const char *model = strcmp(c->name, "flops") == 0 ? "mlp " : "";
      snprintf(args, sizeof args, "%s %s%s --zz-not-an-option", c->name, model, flag);
      const int rc = ob_test_cli(args, err, sizeof err);
      char unknown[128], unexpected[128];
      snprintf(unknown, sizeof unknown, "unknown option '%s'", flag);
      snprintf(unexpected, sizeof unexpected, "unexpected argument '%s'", flag);
      if (rc != 2 || strstr(err, unknown) || strstr(err, unexpected))
        fail_msg("'oclbench %s': exit %d: %s", args, rc, err);
    }
  }
}

static void every_environment_variable_is_documented(void **state) {
  (void)state;
  const char *files[] = {"bench/cli.c", "bench/cli_tune.c", "bench/main.c", "bench/cmd_run.c",
                         "bench/cmd_ising.c"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char *text = source(files[i]);
    for (char *p = strstr(text, "getenv(\""); p; p = strstr(p + 1, "getenv(\"")) {
      char name[64];
      size_t n = 0;
      for (const char *q = p + 8; n < sizeof name - 1 && *q != '"'; q++) name[n++] = *q;
      name[n] = '\0';
      bool found = false;
      for (const ob_help_option *e = ob_help_environment; e->flag; e++)
        found = found || strcmp(e->flag, name) == 0;
      if (!found && strcmp(name, "HOME") != 0 && strcmp(name, "XDG_CACHE_HOME") != 0)
        fail_msg("%s reads %s, which the help does not document", files[i], name);
    }
    free(text);
  }
}

static void pages_and_man_page(void **state) {
  (void)state;
  int rc = 0;
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    char args[64];
    snprintf(args, sizeof args, "%s --help", c->name);
    char *page = ob_test_cli_stdout(args, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(page, "options:"));
    assert_non_null(strstr(page, "examples:"));
    for (const ob_help_option *o = c->options; o->flag; o++) assert_non_null(strstr(page, o->flag));
    /* fits 100 columns */
    for (char *line = page; *line;) {
      const size_t len = strcspn(line, "\n");
      if (len > 100) fail_msg("%s --help: a line of %zu columns: %.*s", c->name, len, (int)len, line);
      line += len + (line[len] != '\0');
    }
    snprintf(args, sizeof args, "help %s", c->name);
    char *again = ob_test_cli_stdout(args, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(page, again);
    free(page);
    free(again);
  }
  char err[1024];
  assert_int_equal(ob_test_cli("help nosuchcommand", err, sizeof err), 2);
  char *man = ob_test_cli_stdout("--man", &rc);
  assert_int_equal(rc, 0);
  assert_true(strncmp(man, ".TH OCLBENCH 1", 14) == 0);
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    char head[64];
    snprintf(head, sizeof head, ".SH COMMAND: %s", c->name);
    assert_non_null(strstr(man, head));
  }
  for (const ob_help_option *e = ob_help_environment; e->flag; e++) {
    char escaped[128];
    size_t n = 0;
    for (const char *p = e->flag; *p && n < sizeof escaped - 3; p++) {
      if (*p == '-') escaped[n++] = '\\';
      escaped[n++] = *p;
    }
    escaped[n] = '\0';
    assert_non_null(strstr(man, escaped));
  }
  free(man);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_parsed_option_is_listed),
      cmocka_unit_test(every_listed_option_is_accepted),
      cmocka_unit_test(every_environment_variable_is_documented),
      cmocka_unit_test(pages_and_man_page),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
