/* Logging and progress on stderr. */
#include "oclbench.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
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
  double start;       /* ob_now() at begin */
  double estimate;    /* the estimates of all steps */
  double done_est;    /* the estimates of the steps finished */
  double step_est;    /* the estimate of the step running */
  bool tty, on, drawn;
} bar;

void ob_format_duration(char *buf, size_t n, double seconds) {
  if (!(seconds >= 0)) {
    snprintf(buf, n, "?");
    return;
  }
  const long s = (long)(seconds + 0.5);
  if (s < 60) snprintf(buf, n, "%lds", s);
  else if (s < 3600) snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
  else snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

void ob_progress_begin(const char *title, size_t total, double estimate_s) {
  bar.on = ob_config_get()->progress;
  bar.tty = isatty(STDERR_FILENO) == 1;
  bar.total = total;
  bar.done = 0;
  bar.start = ob_now();
  bar.estimate = estimate_s;
  bar.done_est = bar.step_est = 0.0;
  bar.drawn = false;
  snprintf(bar.title, sizeof bar.title, "%s", title);
}

/* Seconds left after the steps finished so far: the estimates still to come, scaled by the
 * ratio of the time taken to the estimates of the steps finished. */
static double seconds_left(double elapsed) {
  const double to_come = bar.estimate - bar.done_est;
  if (!(to_come > 0)) return 0.0;
  return bar.done_est > 0 ? to_come * elapsed / bar.done_est : to_come;
}

void ob_progress_step(const char *what, double estimate_s) {
  if (!bar.on) return;
  if (bar.done) bar.done_est += bar.step_est;
  bar.step_est = estimate_s;
  bar.done++;
  const double elapsed = ob_now() - bar.start;
  char spent[24], left[24];
  ob_format_duration(spent, sizeof spent, elapsed);
  ob_format_duration(left, sizeof left, seconds_left(elapsed));
  if (!bar.tty) {
    fprintf(stderr, "[%s %zu/%zu, %s elapsed, ~%s left] %s\n", bar.title, bar.done, bar.total,
            spent, left, what);
    return;
  }
  const int width = 16;
  int filled = bar.total ? (int)(width * (bar.done - 1) / bar.total) : width;
  if (filled > width) filled = width;
  char cells[32], line[512];
  for (int i = 0; i < width; i++) cells[i] = i < filled ? '#' : '.';
  cells[width] = '\0';
  snprintf(line, sizeof line, "%s [%s] %zu/%zu %s, ~%s left: %s", bar.title, cells, bar.done,
           bar.total, spent, left, what);
  /* Cut to the terminal's width: a wrapped line would not be redrawn in place. */
  struct winsize ws;
  const size_t cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
  if (cols - 1 < sizeof line) line[cols - 1] = '\0';
  fprintf(stderr, "\r\033[K%s", line);
  bar.drawn = true;
}

void ob_progress_end(void) {
  if (!bar.on) return;
  if (bar.tty && bar.drawn) fputs("\r\033[K", stderr);
  if (bar.done) {
    char spent[24];
    ob_format_duration(spent, sizeof spent, ob_now() - bar.start);
    fprintf(stderr, "[%s] %zu step%s in %s\n", bar.title, bar.done, bar.done == 1 ? "" : "s",
            spent);
  }
  bar.drawn = false;
  bar.done = 0;
}
