/* Logging and progress on stderr. */
#include "oclbench.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void ob_log(ob_log_level level, const char *fmt, ...) {
  if (level > ob_config_get()->log_level) return;
  char raw[2048], msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(raw, sizeof raw, fmt, ap);
  va_end(ap);
  ob_text_escape(msg, sizeof msg, raw, false);
  fprintf(stderr, "oclbench: %s: %s\n", level_names[level], msg);
}

static struct {
  char title[96];
  size_t total, done;
  bool tty, on, drawn;
} bar;

void ob_progress_begin(const char *title, size_t total) {
  bar.on = ob_config_get()->progress;
  bar.tty = isatty(STDERR_FILENO) == 1;
  bar.total = total;
  bar.done = 0;
  bar.drawn = false;
  snprintf(bar.title, sizeof bar.title, "%s", title);
}

void ob_progress_step(const char *what) {
  if (!bar.on) return;
  bar.done++;
  if (!bar.tty) {
    fprintf(stderr, "[%s %zu/%zu] %s\n", bar.title, bar.done, bar.total, what);
    return;
  }
  const int width = 24;
  int filled = bar.total ? (int)(width * bar.done / bar.total) : width;
  if (filled > width) filled = width;
  char cells[32];
  for (int i = 0; i < width; i++) cells[i] = i < filled ? '#' : '.';
  cells[width] = '\0';
  fprintf(stderr, "\r\033[K%s [%s] %zu/%zu %.60s", bar.title, cells, bar.done, bar.total, what);
  bar.drawn = true;
}

void ob_progress_end(void) {
  if (bar.on && bar.tty && bar.drawn) fputs("\r\033[K", stderr);
  bar.drawn = false;
}
