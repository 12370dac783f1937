/* The CLI's documentation as data: one entry per command (synopsis, description, options,
 * examples), the environment variables and the exit codes. `oclbench --help`, `oclbench CMD
 * --help` and the man page (`oclbench --man`, installed by `make install`) are printed from it,
 * so they cannot drift apart. */
#ifndef OB_HELP_H
#define OB_HELP_H

#include <stdbool.h>
#include <stdio.h>

typedef struct ob_help_option {
  const char *flag; /* "--graph SPEC" */
  const char *text; /* what it does; may span lines ('\n') */
} ob_help_option;

typedef struct ob_help_example {
  const char *command; /* "oclbench ising --graph pegasus:14 --info" */
  const char *what;    /* what it shows */
} ob_help_example;

typedef struct ob_help_command {
  const char *name;                  /* "ising" */
  const char *synopsis;              /* the arguments after `oclbench NAME`, wrapped */
  const char *summary;               /* one line */
  const char *description;           /* paragraphs ('\n\n' between them) */
  const ob_help_option *options;     /* ends with {NULL, NULL} */
  const ob_help_example *examples;   /* ends with {NULL, NULL} */
} ob_help_command;

/* The documented commands, ending with an entry whose name is NULL. */
extern const ob_help_command ob_help_commands[];

/* The environment variables oclbench reads: name and meaning, ending with {NULL, NULL}. */
extern const ob_help_option ob_help_environment[];

/* The overview: every command's synopsis, the workloads, the environment, the exit codes. */
void ob_help_print(FILE *f);

/* One command's page (synopsis, description, options, examples); false when there is no
 * command called name. */
bool ob_help_print_command(FILE *f, const char *name);

/* The man page in troff (man(7)) form: the same text as the help pages. */
void ob_help_print_man(FILE *f);

#endif
