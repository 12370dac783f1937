/* Printing the CLI's documentation (bench/help.h) as help pages and as a man page. */
#include "help.h"

#include <string.h>

#include "oclbench.h"
#include "runner.h"

/* Prints text with `indent` spaces before each of its lines. */
static void print_indented(FILE *f, const char *text, int indent) {
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    const int len = nl ? (int)(nl - p) : (int)strlen(p);
    fprintf(f, "%*s%.*s\n", indent, "", len, p);
    p += len + (nl != NULL);
  }
}

/* The words of text (spaces and newlines both separate them) from column `indent` on, wrapped
 * within 100 columns, each further line indented as much. */
static void print_wrapped(FILE *f, const char *text, int indent) {
  int col = indent;
  for (const char *p = text; *p;) {
    while (*p == ' ' || *p == '\n') p++;
    if (!*p) break;
    const int len = (int)strcspn(p, " \n");
    if (col > indent && col + 1 + len > 100) {
      fprintf(f, "\n%*s", indent, "");
      col = indent;
    }
    fprintf(f, "%s%.*s", col > indent ? " " : "", len, p);
    col += (col > indent ? 1 : 0) + len;
    p += len;
  }
  fputc('\n', f);
}

/* A flag or variable and its text: the text beside a short name, below a long one. */
static void print_item(FILE *f, const char *name, const char *text) {
  const int col = 26;
  if ((int)strlen(name) + 4 < col) fprintf(f, "  %-*s", col - 2, name);
  else fprintf(f, "  %s\n%*s", name, col, "");
  print_wrapped(f, text, col);
}

static void print_synopsis(FILE *f, const ob_help_command *c) {
  const char *nl = strchr(c->synopsis, '\n');
  const int len = nl ? (int)(nl - c->synopsis) : (int)strlen(c->synopsis);
  fprintf(f, "  oclbench %s %.*s\n", c->name, len, c->synopsis);
  if (nl) print_indented(f, nl + 1, 12 + (int)strlen(c->name));
}

static void print_exit_codes(FILE *f) {
  fputs("exit codes: 0 success (some rows may be skipped), 1 a workload failed, 2 bad usage or\n"
        "input (one line naming the problem; nothing written), 3 no OpenCL platform\n",
        f);
}

void ob_help_print(FILE *f) {
  fprintf(f, "oclbench %s: run the same OpenCL workloads on every device, one CSV per device\n\n"
             "usage:\n", OB_VERSION);
  for (const ob_help_command *c = ob_help_commands; c->name; c++) print_synopsis(f, c);
  fputs("  oclbench COMMAND --help    one command's options and examples\n"
        "  oclbench --help | --version | --man\n\ncommands:\n", f);
  for (const ob_help_command *c = ob_help_commands; c->name; c++)
    fprintf(f, "  %-9s %s\n", c->name, c->summary);
  fputs("\nworkloads (oclbench run):\n", f);
  for (size_t i = 0; i < ob_nworkloads; i++) {
    fprintf(f, "  %-9s ", ob_workloads[i]->name);
    print_wrapped(f, ob_workloads[i]->description, 12);
  }
  fputs("  all       every workload above (the default)\n\nenvironment:\n", f);
  for (const ob_help_option *e = ob_help_environment; e->flag; e++) print_item(f, e->flag, e->text);
  fputc('\n', f);
  print_exit_codes(f);
}

bool ob_help_print_command(FILE *f, const char *name) {
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    if (strcmp(c->name, name) != 0) continue;
    fprintf(f, "oclbench %s: %s\n\nusage:\n", c->name, c->summary);
    print_synopsis(f, c);
    fputc('\n', f);
    print_indented(f, c->description, 0);
    fputs("\noptions:\n", f);
    for (const ob_help_option *o = c->options; o->flag; o++) print_item(f, o->flag, o->text);
    fputs("\nexamples:\n", f);
    for (const ob_help_example *e = c->examples; e->command; e++)
      fprintf(f, "  %s\n      %s\n", e->command, e->what);
    fputc('\n', f);
    print_exit_codes(f);
    return true;
  }
  return false;
}

/* Text for troff: backslashes and hyphens escaped, a leading dot or quote protected, lines
 * joined into one paragraph. */
static void man_text(FILE *f, const char *text) {
  bool line_start = true;
  for (const char *p = text; *p; p++) {
    if (line_start && (*p == '.' || *p == '\'')) fputs("\\&", f);
    line_start = false;
    if (*p == '\\') fputs("\\e", f);
    else if (*p == '-') fputs("\\-", f);
    else if (*p == '\n') {
      fputc('\n', f);
      line_start = true;
    } else fputc(*p, f);
  }
  fputc('\n', f);
}

static void man_items(FILE *f, const ob_help_option *items) {
  for (const ob_help_option *o = items; o->flag; o++) {
    fputs(".TP\n.B ", f);
    man_text(f, o->flag);
    man_text(f, o->text);
  }
}

void ob_help_print_man(FILE *f) {
  fprintf(f, ".TH OCLBENCH 1 \"\" \"oclbench %s\" \"User Commands\"\n", OB_VERSION);
  fputs(".SH NAME\noclbench \\- run the same OpenCL workloads on every device and write one CSV "
        "per device\n.SH SYNOPSIS\n", f);
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    fprintf(f, ".B oclbench %s\n", c->name);
    man_text(f, c->synopsis);
    fputs(".br\n", f);
  }
  fputs(".B oclbench\n\\-\\-help | \\-\\-version | \\-\\-man\n.SH DESCRIPTION\n", f);
  man_text(f, "oclbench finds every OpenCL device of the machine (NVIDIA, AMD, Intel, Apple, PoCL "
              "on CPUs), runs the same verified workloads on each and writes one CSV per device.");
  fputs(".SH WORKLOADS\n", f);
  for (size_t i = 0; i < ob_nworkloads; i++) {
    fprintf(f, ".TP\n.B %s\n", ob_workloads[i]->name);
    man_text(f, ob_workloads[i]->description);
  }
  for (const ob_help_command *c = ob_help_commands; c->name; c++) {
    fprintf(f, ".SH COMMAND: %s\n", c->name);
    man_text(f, c->description);
    fputs(".PP\nOptions:\n", f);
    man_items(f, c->options);
    fputs(".PP\nExamples:\n", f);
    for (const ob_help_example *e = c->examples; e->command; e++) {
      fputs(".TP\n.B ", f);
      man_text(f, e->command);
      man_text(f, e->what);
    }
  }
  fputs(".SH ENVIRONMENT\n", f);
  man_items(f, ob_help_environment);
  fputs(".SH EXIT STATUS\n0 success (some rows may be skipped); 1 a workload failed; 2 bad usage "
        "or input; 3 no OpenCL platform.\n.SH SEE ALSO\n.BR clinfo (1),\n.BR clpeak (1)\n",
        f);
}
