/* SVG figure of a comparison: legend, bar charts per workload and metric, flips/ns curves. */
#include "svg.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define WIDTH 960.0
#define LABEL_X 320.0     /* category labels end here */
#define BAR_X0 330.0      /* bar charts: plot area */
#define BAR_X1 840.0
#define BAR_H 14.0
#define BAR_GAP 2.0
#define CAT_GAP 10.0
#define CURVE_X0 90.0     /* curve charts: plot area and legend */
#define CURVE_X1 680.0
#define CURVE_H 240.0
#define LEGEND_X 700.0
#define LABEL_CHARS 50    /* code points per line of a category label (wrapped, never cut) */
#define LEGEND_CHARS 130  /* per line of a device legend entry */
#define CURVE_LEGEND_CHARS 40
#define LINE_H 13.0

static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                      "#CC79A7", "#56B4E9", "#999999", "#000000"};
#define NPALETTE (sizeof palette / sizeof *palette)
static const char *const dashes[] = {"none", "6,3", "2,2", "8,3,2,3"};
#define NDASHES (sizeof dashes / sizeof *dashes)

/* ------------------------------------------------------------------ text */

/* Length of the UTF-8 sequence at p when it is a character XML 1.0 allows; 0 otherwise. */
static size_t xml_char_len(const unsigned char *p) {
  unsigned char c = p[0];
  if (c < 0x80) return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
  if (c >= 0xC2 && c <= 0xDF) return (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) return 0;
    if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) return 0; /* U+FFFE, U+FFFF */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    return 4;
  }
  return 0;
}

/* Writes s as XML text: markup characters escaped, control characters as spaces, invalid
 * UTF-8 bytes as '?'. */
static void put_xml_n(FILE *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    size_t len = xml_char_len(p);
    if (len == 0) {
      fputc(*p < 0x20 || *p == 0x7F ? ' ' : '?', out);
      p++;
    } else if (len > 1) {
      fwrite(p, 1, len, out);
      p += len;
    } else {
      switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        case '\t': case '\n': case '\r': fputc(' ', out); break;
        default: fputc(*p, out);
      }
      p++;
    }
  }
}

static void put_xml(FILE *out, const char *s) { put_xml_n(out, s, strlen(s)); }

/* <text> with attributes attrs and content s. */
static void text(FILE *out, double x, double y, const char *attrs, const char *s) {
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, *attrs ? " " : "", attrs);
  put_xml(out, s);
  fputs("</text>\n", out);
}

/* Lines s takes wrapped to chars code points (ob_text_wrap_next). */
static size_t wrapped_lines(const char *s, size_t chars) {
  size_t n = 0;
  const char *next = s;
  do {
    ob_text_wrap_next(s, chars, &next);
    s = next;
    n++;
  } while (*s);
  return n;
}

/* s in full as one <text> of lines of at most chars code points (<tspan>s line_h apart), the
 * first line's baseline at y. Returns the number of lines. */
static size_t text_wrapped(FILE *out, double x, double y, const char *attrs, const char *s,
                           size_t chars, double line_h) {
  fprintf(out, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, *attrs ? " " : "", attrs);
  size_t n = 0;
  const char *next = s;
  do {
    size_t len = ob_text_wrap_next(s, chars, &next);
    fprintf(out, "<tspan x=\"%.1f\" dy=\"%.1f\">", x, n ? line_h : 0.0);
    put_xml_n(out, s, len);
    fputs("</tspan>", out);
    s = next;
    n++;
  } while (*s);
  fputs("</text>\n", out);
  return n;
}

/* A formatted string (malloc'ed); NULL when out of memory. */
static char *format_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format_alloc(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (!buf) return NULL;
  va_start(ap, fmt);
  vsnprintf(buf, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return buf;
}

/* ------------------------------------------------------------------ scales */

typedef struct scale {
  int base;               /* 0: linear from 0; 2 or 10: logarithmic */
  double lo, hi;
} scale;

static double nice_step(double raw) {
  double p = pow(10.0, floor(log10(raw)));
  double f = raw / p;
  return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * p;
}

/* The scale of the positive finite values: logarithmic (base) when they span more than a
 * factor of 100 (always for base 2), else linear from 0; base 0: always linear from 0. */
static scale scale_for(const double *v, size_t n, int base) {
  double mn = INFINITY, mx = 0.0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(v[i]) || v[i] <= 0.0) continue;
    mn = fmin(mn, v[i]);
    mx = fmax(mx, v[i]);
  }
  scale s = {0, 0.0, 1.0};
  if (mx <= 0.0) return s;
  if (base == 2 || (base == 10 && mx / mn > 100.0)) {
    double b = base == 2 ? 2.0 : 10.0, lb = log(b);
    s.base = base == 2 ? 2 : 10;
    s.lo = pow(b, floor(log(mn) / lb + 1e-9));
    s.hi = pow(b, ceil(log(mx) / lb - 1e-9));
    if (s.hi <= s.lo) {
      s.lo /= b;
      s.hi *= b;
    }
    return s;
  }
  double step = nice_step(mx / 5.0);
  s.hi = ceil(mx / step - 1e-9) * step;
  return s;
}

/* Position of v on the scale, 0..1 (clamped). */
static double scale_pos(const scale *s, double v) {
  double t = 0.0;
  if (s->base) t = v > 0.0 ? (log(v) - log(s->lo)) / (log(s->hi) - log(s->lo)) : 0.0;
  else t = v / s->hi;
  return t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
}

/* Tick values of the scale, at most max. */
static size_t scale_ticks(const scale *s, double *t, size_t max) {
  size_t n = 0;
  if (s->base) {
    double b = s->base;
    size_t steps = (size_t)llround(log(s->hi / s->lo) / log(b));
    size_t every = steps / (max - 1) + 1;
    for (size_t k = 0; k <= steps && n < max; k += every) t[n++] = s->lo * pow(b, (double)k);
    return n;
  }
  double step = nice_step(s->hi / 5.0);
  for (double v = 0.0; v <= s->hi * (1.0 + 1e-9) && n < max; v += step) t[n++] = v;
  return n;
}

static void format_tick(char *buf, size_t n, double v, int base) {
  static const struct { double f; const char *s; } si[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  if (base == 2 && v >= 1.0 && v < 1e6) {
    snprintf(buf, n, "%.0f", v);
    return;
  }
  for (size_t i = 0; i < sizeof si / sizeof *si; i++) {
    if (fabs(v) >= si[i].f) {
      snprintf(buf, n, "%g%s", v / si[i].f, si[i].s);
      return;
    }
  }
  snprintf(buf, n, "%g", v);
}

/* "unit, log scale" and, with a metric, whether lower or higher is better. */
static void axis_label(char *buf, size_t n, const char *metric, const char *unit, const scale *s) {
  snprintf(buf, n, "%s%s%s", unit, s->base ? ", log scale" : "",
           !metric                                ? ""
           : ob_metric_lower_is_better(metric, unit) ? " (lower is better)"
                                                     : " (higher is better)");
}

/* ------------------------------------------------------------------ bar charts */

typedef struct bar_cell {
  double value;           /* NAN: no bar */
  double lo, hi;          /* the error bar (the value at the slowest and fastest repetition);
                             NAN: none */
  char text[64];          /* shown after the bar (value, status, or nothing) */
} bar_cell;

typedef struct bar_cat {
  char *label;            /* row label, in full (wrapped when drawn) */
  char *tooltip;
  bar_cell *cells;        /* per device */
} bar_cat;

typedef struct bar_panel {
  char title[512];
  char unit[64];
  const char *metric;     /* NULL: no "lower/higher is better" */
  bar_cat *cats;
  size_t ncats, cap, ndev;
} bar_panel;

static void panel_free(bar_panel *p) {
  for (size_t i = 0; i < p->ncats; i++) {
    free(p->cats[i].cells);
    free(p->cats[i].label);
    free(p->cats[i].tooltip);
  }
  free(p->cats);
  memset(p, 0, sizeof *p);
}

static ob_status panel_add(bar_panel *p, bar_cat **out) {
  bar_cat *grown = ob_grow(p->cats, &p->cap, p->ncats + 1, sizeof *p->cats, 16);
  if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
  p->cats = grown;
  bar_cat *c = &p->cats[p->ncats];
  memset(c, 0, sizeof *c);
  c->cells = calloc(p->ndev ? p->ndev : 1, sizeof *c->cells);
  if (!c->cells) return ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t d = 0; d < p->ndev; d++) c->cells[d].value = c->cells[d].lo = c->cells[d].hi = NAN;
  p->ncats++;
  *out = c;
  return OB_OK;
}

/* "variant precision params", leaving out pairs that differ between devices ("k=*"); malloc'ed,
 * NULL when out of memory. */
static char *row_label(const char *variant, const char *precision, const char *params) {
  const size_t n = strlen(variant) + strlen(precision) + strlen(params) + 3;
  char *buf = malloc(n);
  if (!buf) return NULL;
  size_t len = (size_t)snprintf(buf, n, "%s%s%s", variant, *precision ? " " : "", precision);
  bool first = true;
  while (*params && len + 1 < n) {
    const char *end = strchr(params, ';');
    size_t plen = end ? (size_t)(end - params) : strlen(params);
    bool varies = plen >= 2 && params[plen - 1] == '*' && params[plen - 2] == '=';
    if (!varies) {
      len += (size_t)snprintf(buf + len, n - len, "%s%.*s", first ? " " : ";", (int)plen, params);
      first = false;
    }
    params += plen;
    if (*params == ';') params++;
  }
  return buf;
}

/* A category's label and tooltip: OB_ERR_NOMEM when either could not be made. */
static ob_status cat_text(bar_cat *cat, const char *variant, const char *precision,
                          const char *params) {
  cat->label = row_label(variant, precision, params);
  cat->tooltip = format_alloc("%s%s%s%s%s", variant, *precision ? " " : "", precision,
                              *params ? " " : "", params);
  return cat->label && cat->tooltip ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
}

/* The height of a category: its bars, or its label's lines when they are more. */
static double cat_height(const bar_cat *cat, size_t nd) {
  const double bars = (double)nd * (BAR_H + BAR_GAP) - BAR_GAP;
  const double label = (double)wrapped_lines(cat->label, LABEL_CHARS) * LINE_H;
  return bars > label ? bars : label;
}

/* The error bar of a cell from its record: the value the fastest and the slowest repetition
 * would give (time_s_min, time_s_max), converted to the metric (a time scales with the time, a
 * rate inversely). NAN when the record has no such times. */
static void error_bar(const ob_result *r, const char *metric, const char *unit, bar_cell *cell) {
  const double v = r->value, lo = r->time_s_min, med = r->time_s_median, hi = r->time_s_max;
  if (!(lo > 0 && med >= lo && hi >= med && isfinite(hi) && isfinite(v))) return;
  const bool lower = ob_metric_lower_is_better(metric, unit);
  cell->lo = lower ? v * lo / med : v * med / hi;
  cell->hi = lower ? v * hi / med : v * med / lo;
}

/* The error bar of a bar at height by: a line from lo to hi with end caps, titled. */
static void draw_error_bar(FILE *out, const scale *s, const bar_cell *cell, double by) {
  const double x0 = BAR_X0 + scale_pos(s, cell->lo) * (BAR_X1 - BAR_X0);
  const double x1 = BAR_X0 + scale_pos(s, cell->hi) * (BAR_X1 - BAR_X0);
  const double yc = by + BAR_H / 2, y0 = by + 3, y1 = by + BAR_H - 3;
  char lo[32], hi[32];
  ob_format_human(lo, sizeof lo, cell->lo);
  ob_format_human(hi, sizeof hi, cell->hi);
  fprintf(out, "<path class=\"error-bar\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
               "stroke=\"#222\" fill=\"none\"><title>%s .. %s (slowest .. fastest repetition)"
               "</title></path>\n",
          x0, yc, x1, x0, y0, y1, x1, y0, y1, lo, hi);
}

static ob_status draw_bar_panel(FILE *out, const ob_compare *cmp, const bar_panel *p, double *y) {
  size_t nd = p->ndev;
  double *values = malloc((3 * p->ncats * nd + 1) * sizeof *values);
  if (!values) return ob_fail(OB_ERR_NOMEM, "out of memory");
  size_t nv = 0;
  double plot_h = 0.0;
  for (size_t c = 0; c < p->ncats; c++) {
    plot_h += cat_height(&p->cats[c], nd) + (c ? CAT_GAP : 0.0);
    for (size_t d = 0; d < nd; d++) {
      values[nv++] = p->cats[c].cells[d].value;
      values[nv++] = p->cats[c].cells[d].lo;
      values[nv++] = p->cats[c].cells[d].hi;
    }
  }
  scale s = scale_for(values, nv, 10);
  free(values);
  text(out, 16, *y + 18, "font-size=\"14\" font-weight=\"bold\"", p->title);
  double top = *y + 34;
  double bottom = top + plot_h + 4;
  double ticks[16];
  size_t nt = scale_ticks(&s, ticks, 12);
  char buf[256];
  for (size_t i = 0; i < nt; i++) {
    double x = BAR_X0 + scale_pos(&s, ticks[i]) * (BAR_X1 - BAR_X0);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x,
            top - 4, x, bottom);
    format_tick(buf, sizeof buf, ticks[i], s.base);
    text(out, x, bottom + 14, "text-anchor=\"middle\" font-size=\"10\"", buf);
  }
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
          BAR_X0, bottom, BAR_X1, bottom);
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
          BAR_X0, top - 4, BAR_X0, bottom);
  axis_label(buf, sizeof buf, p->metric, p->unit, &s);
  text(out, (BAR_X0 + BAR_X1) / 2, bottom + 32, "text-anchor=\"middle\"", buf);
  double cy = top;
  for (size_t c = 0; c < p->ncats; c++) {
    const bar_cat *cat = &p->cats[c];
    const double cat_h = cat_height(cat, nd);
    const double lines = (double)wrapped_lines(cat->label, LABEL_CHARS);
    fprintf(out, "<g><title>");
    put_xml(out, cat->tooltip);
    fputs("</title>\n", out);
    text_wrapped(out, LABEL_X, cy + (cat_h - lines * LINE_H) / 2 + LINE_H - 3,
                 "class=\"row-label\" text-anchor=\"end\"", cat->label, LABEL_CHARS, LINE_H);
    fputs("</g>\n", out);
    const double bars_top = cy + (cat_h - ((double)nd * (BAR_H + BAR_GAP) - BAR_GAP)) / 2;
    for (size_t d = 0; d < nd; d++) {
      const bar_cell *cell = &cat->cells[d];
      double by = bars_top + (double)d * (BAR_H + BAR_GAP), w = 0.0, end = 0.0;
      if (isfinite(cell->value)) {
        w = end = scale_pos(&s, cell->value) * (BAR_X1 - BAR_X0);
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                     "<title>", BAR_X0, by, w, BAR_H, palette[d % NPALETTE]);
        put_xml(out, ob_compare_device_get(cmp, d)->label);
        fputs(": ", out);
        put_xml(out, cell->text);
        fputc(' ', out);
        put_xml(out, p->unit);
        fputs("</title></rect>\n", out);
        if (isfinite(cell->lo) && isfinite(cell->hi)) {
          draw_error_bar(out, &s, cell, by);
          end = fmax(w, scale_pos(&s, cell->hi) * (BAR_X1 - BAR_X0));
        }
      }
      if (cell->text[0])
        text(out, BAR_X0 + end + 4, by + BAR_H - 3,
             isfinite(cell->value) ? "font-size=\"10\"" : "font-size=\"10\" fill=\"#888\"",
             cell->text);
    }
    cy += cat_h + CAT_GAP;
  }
  *y = bottom + 56;
  return OB_OK;
}

/* ------------------------------------------------------------------ curves */

/* A curve chart's series: points (x, y) of one device (its colour) and variant (its dash). */
typedef struct series {
  size_t dev;
  const char *label;      /* the legend's text (a device label) */
  const char *variant;
  size_t vindex;          /* the variant's number among the group's distinct variants */
  double *x, *y;          /* sorted by x */
  size_t n, cap;
} series;

/* A curve chart: its title, axes and series. */
typedef struct curve_group {
  const char *workload, *metric, *unit, *precision;
  char title[512];
  const char *xtitle;     /* the x axis ("parallel chains") */
  const char *xunit;      /* in tooltips ("chains") */
  int xdecimals;          /* of x in tooltips */
  int xbase, ybase;       /* as scale_for takes them */
  char rest[1024];         /* params without chains */
  series *s;
  size_t ns, nvariants;
} curve_group;

typedef struct curves {
  curve_group *g;
  size_t n;
} curves;

static void group_free(curve_group *g) {
  for (size_t j = 0; j < g->ns; j++) {
    free(g->s[j].x);
    free(g->s[j].y);
  }
  free(g->s);
}

static void curves_free(curves *c) {
  for (size_t i = 0; i < c->n; i++) group_free(&c->g[i]);
  free(c->g);
  memset(c, 0, sizeof *c);
}

/* Splits params into the value of chains (false when absent or not a number) and the rest. */
static bool split_chains(const char *params, double *chains, char *rest, size_t n) {
  bool found = false;
  size_t len = 0;
  rest[0] = '\0';
  while (*params) {
    const char *end = strchr(params, ';');
    size_t plen = end ? (size_t)(end - params) : strlen(params);
    if (plen > 7 && strncmp(params, "chains=", 7) == 0) {
      char num[64];
      snprintf(num, sizeof num, "%.*s", (int)(plen - 7 < 63 ? plen - 7 : 63), params + 7);
      found = ob_parse_double(num, chains) && *chains > 0.0;
    } else if (len + 1 < n) {
      len += (size_t)snprintf(rest + len, n - len, "%s%.*s", len ? ";" : "", (int)plen, params);
    }
    params += plen;
    if (*params == ';') params++;
  }
  return found;
}

/* A row is drawn as curves when it measures flips_per_ns and every cell names its chains. */
static bool is_curve_row(const ob_compare *cmp, size_t r) {
  if (strcmp(ob_compare_row_get(cmp, r)->metric, "flips_per_ns") != 0) return false;
  bool any = false;
  for (size_t d = 0; d < ob_compare_ndevices(cmp); d++) {
    ob_compare_cell c;
    if (!ob_compare_cell_get(cmp, r, d, &c)) continue;
    double chains = 0.0;
    char rest[1024];
    if (!split_chains(c.result->params, &chains, rest, sizeof rest)) return false;
    any = true;
  }
  return any;
}

static ob_status series_add(curve_group *g, size_t dev, const char *label, const char *variant,
                            double x, double y) {
  size_t i = 0, vindex = g->nvariants;
  for (; i < g->ns && (g->s[i].dev != dev || strcmp(g->s[i].variant, variant) != 0); i++)
    if (vindex == g->nvariants && strcmp(g->s[i].variant, variant) == 0) vindex = g->s[i].vindex;
  if (i == g->ns) {
    series *grown = realloc(g->s, (g->ns + 1) * sizeof *grown);
    if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
    g->s = grown;
    memset(&g->s[g->ns], 0, sizeof *g->s);
    g->s[g->ns].dev = dev;
    g->s[g->ns].label = label;
    g->s[g->ns].variant = variant;
    g->s[g->ns].vindex = vindex;
    g->nvariants += vindex == g->nvariants;
    g->ns++;
  }
  series *s = &g->s[i];
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    double *nx = realloc(s->x, cap * sizeof *nx);
    if (nx) s->x = nx;
    double *ny = realloc(s->y, cap * sizeof *ny);
    if (ny) s->y = ny;
    if (!nx || !ny) return ob_fail(OB_ERR_NOMEM, "out of memory");
    s->cap = cap;
  }
  size_t k = s->n++;
  while (k > 0 && s->x[k - 1] > x) { /* kept sorted by chains */
    s->x[k] = s->x[k - 1];
    s->y[k] = s->y[k - 1];
    k--;
  }
  s->x[k] = x;
  s->y[k] = y;
  return OB_OK;
}

/* Adds row r's ok cells to their (precision, params without chains) groups. */
static ob_status curves_add_row(const ob_compare *cmp, size_t r, curves *cv) {
  const ob_compare_row *row = ob_compare_row_get(cmp, r);
  for (size_t d = 0; d < ob_compare_ndevices(cmp); d++) {
    ob_compare_cell c;
    if (!ob_compare_cell_get(cmp, r, d, &c) || c.result->status != OB_RESULT_OK ||
        !isfinite(c.result->value))
      continue;
    double chains = 0.0;
    char rest[1024];
    split_chains(c.result->params, &chains, rest, sizeof rest);
    size_t g = 0;
    while (g < cv->n && (strcmp(cv->g[g].rest, rest) != 0 ||
                         strcmp(cv->g[g].precision, row->precision) != 0))
      g++;
    if (g == cv->n) {
      curve_group *grown = realloc(cv->g, (cv->n + 1) * sizeof *grown);
      if (!grown) return ob_fail(OB_ERR_NOMEM, "out of memory");
      cv->g = grown;
      curve_group *ng = &cv->g[cv->n++];
      memset(ng, 0, sizeof *ng);
      ng->workload = row->workload;
      ng->metric = row->metric;
      ng->unit = row->unit;
      ng->precision = row->precision;
      snprintf(ng->rest, sizeof ng->rest, "%s", rest);
      snprintf(ng->title, sizeof ng->title, "%s: %s vs parallel chains, %s%s%s", ng->workload,
               ng->metric, ng->rest, *ng->precision ? " " : "", ng->precision);
      ng->xtitle = "parallel chains";
      ng->xunit = "chains";
      ng->xbase = 2;
      ng->ybase = 10;
    }
    OB_TRY(series_add(&cv->g[g], d, ob_compare_device_get(cmp, d)->label, row->variant, chains,
                      c.result->value));
  }
  return OB_OK;
}

/* The bar chart of each device's best value over the chains, per group and variant. */
static ob_status best_panel(const ob_compare *cmp, const curves *cv, bar_panel *p) {
  p->ndev = ob_compare_ndevices(cmp);
  snprintf(p->title, sizeof p->title, "%s: best %s over the number of parallel chains",
           cv->g[0].workload, cv->g[0].metric);
  snprintf(p->unit, sizeof p->unit, "%s", cv->g[0].unit);
  p->metric = cv->g[0].metric;
  for (size_t g = 0; g < cv->n; g++) {
    const curve_group *grp = &cv->g[g];
    /* Variants are numbered in series order: the first series of each is the one whose number
     * is the next new one. */
    for (size_t first = 0, next = 0; first < grp->ns; first++) {
      const size_t v = grp->s[first].vindex;
      if (v != next) continue; /* that variant has its bar group already */
      next++;
      bar_cat *cat = NULL;
      OB_TRY(panel_add(p, &cat));
      OB_TRY(cat_text(cat, grp->s[first].variant, grp->precision, grp->rest));
      for (size_t i = first; i < grp->ns; i++) {
        const series *s = &grp->s[i];
        if (s->vindex != v) continue;
        size_t best = 0;
        for (size_t k = 1; k < s->n; k++)
          if (s->y[k] > s->y[best]) best = k;
        bar_cell *cell = &cat->cells[s->dev];
        cell->value = s->y[best];
        ob_format_human(cell->text, sizeof cell->text, s->y[best]);
        snprintf(cell->text + strlen(cell->text), sizeof cell->text - strlen(cell->text),
                 " @ %.0f chains", s->x[best]);
      }
    }
  }
  return OB_OK;
}

/* The x (chains) and y (values) scales of a group's points. */
static ob_status curve_scales(const curve_group *g, scale *sx, scale *sy) {
  size_t total = 0;
  for (size_t i = 0; i < g->ns; i++) total += g->s[i].n;
  double *xs = malloc((total + 1) * sizeof *xs), *ys = malloc((total + 1) * sizeof *ys);
  if (!xs || !ys) {
    free(xs);
    free(ys);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  size_t n = 0;
  for (size_t i = 0; i < g->ns; i++)
    for (size_t k = 0; k < g->s[i].n; k++, n++) {
      xs[n] = g->s[i].x[k];
      ys[n] = g->s[i].y[k];
    }
  *sx = scale_for(xs, n, g->xbase);
  *sy = scale_for(ys, n, g->ybase);
  free(xs);
  free(ys);
  return OB_OK;
}

/* Grid lines, tick labels and axis titles of a curve chart between top and bottom. */
static void draw_curve_axes(FILE *out, const curve_group *g, const scale *sx, const scale *sy,
                            double top, double bottom) {
  char buf[512];
  double ticks[16];
  size_t nt = scale_ticks(sx, ticks, 12);
  for (size_t i = 0; i < nt; i++) {
    double x = CURVE_X0 + scale_pos(sx, ticks[i]) * (CURVE_X1 - CURVE_X0);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", x,
            top, x, bottom);
    format_tick(buf, sizeof buf, ticks[i], sx->base);
    text(out, x, bottom + 14, "text-anchor=\"middle\" font-size=\"10\"", buf);
  }
  nt = scale_ticks(sy, ticks, 12);
  for (size_t i = 0; i < nt; i++) {
    double yy = bottom - scale_pos(sy, ticks[i]) * CURVE_H;
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
            CURVE_X0, yy, CURVE_X1, yy);
    format_tick(buf, sizeof buf, ticks[i], sy->base);
    text(out, CURVE_X0 - 6, yy + 3, "text-anchor=\"end\" font-size=\"10\"", buf);
  }
  fprintf(out, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"#333\"/>\n", CURVE_X0,
          top, bottom, CURVE_X1);
  snprintf(buf, sizeof buf, "%s%s", g->xtitle, sx->base ? ", log scale" : "");
  text(out, (CURVE_X0 + CURVE_X1) / 2, bottom + 32, "text-anchor=\"middle\"", buf);
  axis_label(buf, sizeof buf, NULL, g->unit, sy);
  fprintf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">",
          CURVE_X0 - 52, (top + bottom) / 2);
  put_xml(out, buf);
  fputs("</text>\n", out);
}

/* Series i of a group: its polyline, its points (with tooltips) and its legend entry at *ly
 * (advanced past it). */
static void draw_series(FILE *out, const curve_group *g, size_t i, const scale *sx,
                        const scale *sy, double bottom, double *ly) {
  const series *s = &g->s[i];
  const char *colour = palette[s->dev % NPALETTE];
  const char *dash = dashes[s->vindex % NDASHES];
  fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
          colour, dash);
  for (size_t k = 0; k < s->n; k++)
    fprintf(out, "%s%.1f,%.1f", k ? " " : "",
            CURVE_X0 + scale_pos(sx, s->x[k]) * (CURVE_X1 - CURVE_X0),
            bottom - scale_pos(sy, s->y[k]) * CURVE_H);
  fputs("\"/>\n", out);
  const char *label = s->label;
  char buf[512];
  for (size_t k = 0; k < s->n; k++) {
    fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
            CURVE_X0 + scale_pos(sx, s->x[k]) * (CURVE_X1 - CURVE_X0),
            bottom - scale_pos(sy, s->y[k]) * CURVE_H, colour);
    ob_format_human(buf, sizeof buf, s->y[k]);
    put_xml(out, label);
    fprintf(out, ": %s ", buf);
    put_xml(out, g->unit);
    fprintf(out, " at %.*f ", g->xdecimals, s->x[k]);
    put_xml(out, g->xunit);
    fputs("</title></circle>\n", out);
  }
  fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
               "stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n",
          LEGEND_X, *ly, LEGEND_X + 24, *ly, colour, dash);
  bool variants = g->nvariants > 1;
  snprintf(buf, sizeof buf, "%s%s%s", label, variants ? " " : "", variants ? s->variant : "");
  *ly += (double)text_wrapped(out, LEGEND_X + 30, *ly + 4, "", buf, CURVE_LEGEND_CHARS, LINE_H) *
             LINE_H + 5;
}

static ob_status draw_curve_group(FILE *out, const curve_group *g, double *y) {
  text(out, 16, *y + 18, "font-size=\"14\" font-weight=\"bold\"", g->title);
  scale sx, sy;
  OB_TRY(curve_scales(g, &sx, &sy));
  const double top = *y + 34, bottom = top + CURVE_H;
  draw_curve_axes(out, g, &sx, &sy, top, bottom);
  double ly = top + 8;
  for (size_t i = 0; i < g->ns; i++) draw_series(out, g, i, &sx, &sy, bottom, &ly);
  *y = fmax(bottom, ly) + 56;
  return OB_OK;
}

/* ------------------------------------------------------------------ document */

/* The title and the device legend (entries wrapped); returns the y below them. */
static double draw_legend(FILE *out, const ob_compare *cmp, const char *title) {
  size_t nd = ob_compare_ndevices(cmp);
  text(out, 16, 30, "font-size=\"18\" font-weight=\"bold\"", title);
  double y = 46;
  for (size_t d = 0; d < nd; d++) {
    const ob_compare_device *dev = ob_compare_device_get(cmp, d);
    fprintf(out, "<rect x=\"16\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", y,
            palette[d % NPALETTE]);
    char *line = format_alloc("[%zu] %s%s: %s; %s, driver %s", d, dev->label,
                              nd > 1 && d == ob_compare_baseline(cmp) ? " (baseline)" : "",
                              dev->name, dev->platform, dev->driver);
    const size_t lines = line ? text_wrapped(out, 38, y + 12, "", line, LEGEND_CHARS, LINE_H) : 1;
    free(line);
    y += fmax(20.0, (double)lines * LINE_H + 7);
  }
  return y + 16;
}

/* One bar chart per metric of the non-curve rows [first, end) (one workload's). */
static ob_status draw_workload_bars(FILE *out, const ob_compare *cmp, size_t first, size_t end,
                                    const bool *curve, bool *done, double *y) {
  const char *workload = ob_compare_row_get(cmp, first)->workload;
  size_t nrows = end, nd = ob_compare_ndevices(cmp);
  for (size_t r = first; r < nrows; r++) {
    const ob_compare_row *row = ob_compare_row_get(cmp, r);
    if (done[r] || curve[r]) continue;
    bar_panel p = {.ndev = nd};
    snprintf(p.title, sizeof p.title, "%s: %s", workload, row->metric);
    snprintf(p.unit, sizeof p.unit, "%s", row->unit);
    p.metric = row->metric;
    ob_status st = OB_OK;
    for (size_t r2 = r; r2 < nrows && st == OB_OK; r2++) {
      const ob_compare_row *k = ob_compare_row_get(cmp, r2);
      if (done[r2] || curve[r2] || strcmp(k->metric, row->metric) != 0) continue;
      done[r2] = true;
      bar_cat *cat = NULL;
      st = panel_add(&p, &cat);
      if (st != OB_OK) break;
      st = cat_text(cat, k->variant, k->precision, k->params);
      if (st != OB_OK) break;
      for (size_t d = 0; d < nd; d++) {
        ob_compare_cell c;
        if (!ob_compare_cell_get(cmp, r2, d, &c)) continue;
        if (c.result->status != OB_RESULT_OK) {
          snprintf(cat->cells[d].text, sizeof cat->cells[d].text, "%s",
                   ob_result_status_name(c.result->status));
          continue;
        }
        cat->cells[d].value = c.result->value;
        error_bar(c.result, row->metric, row->unit, &cat->cells[d]);
        ob_format_human(cat->cells[d].text, sizeof cat->cells[d].text, c.result->value);
      }
    }
    if (st == OB_OK) st = draw_bar_panel(out, cmp, &p, y);
    panel_free(&p);
    OB_TRY(st);
  }
  return OB_OK;
}

/* The flips/ns curves of the rows [first, end) (one workload's): best-value bars, then one
 * chart per group. */
static ob_status draw_workload_curves(FILE *out, const ob_compare *cmp, size_t first, size_t end,
                                      const bool *curve, bool *done, double *y) {
  curves cv = {0};
  ob_status st = OB_OK;
  for (size_t r = first; r < end && st == OB_OK; r++) {
    if (done[r] || !curve[r]) continue;
    done[r] = true;
    st = curves_add_row(cmp, r, &cv);
  }
  if (st == OB_OK && cv.n > 0) {
    bar_panel p = {0};
    st = best_panel(cmp, &cv, &p);
    if (st == OB_OK) st = draw_bar_panel(out, cmp, &p, y);
    panel_free(&p);
    for (size_t g = 0; g < cv.n && st == OB_OK; g++) st = draw_curve_group(out, &cv.g[g], y);
  }
  curves_free(&cv);
  return st;
}

/* The rows of one workload family (NULL: all) the figure draws, [*first, *end): the first ones
 * up to OB_SVG_MAX_CELLS measurements (at least one row), which keeps the figure readable and its
 * drawing time bounded. Returns the rows of the family in all. */
static size_t drawn_rows(const ob_compare *cmp, const char *workload, size_t *first, size_t *end) {
  size_t cells = 0, total = 0;
  *first = *end = 0;
  for (size_t r = 0; r < ob_compare_nrows(cmp); r++) {
    if (workload && strcmp(ob_compare_row_get(cmp, r)->workload, workload) != 0) continue;
    if (total++ == 0) *first = *end = r;
    size_t row_cells = 0;
    ob_compare_cell c;
    for (size_t d = 0; d < ob_compare_ndevices(cmp); d++) row_cells += ob_compare_cell_get(cmp, r, d, &c);
    if (*end == r && (r == *first || cells + row_cells <= OB_SVG_MAX_CELLS)) {
      cells += row_cells;
      *end = r + 1;
    }
  }
  return total;
}

static ob_status write_body(FILE *out, const ob_compare *cmp, const char *workload,
                            double *height) {
  size_t first = 0, end = 0;
  const size_t total = drawn_rows(cmp, workload, &first, &end);
  bool *curve = calloc(end + 1, sizeof *curve), *done = calloc(end + 1, sizeof *done);
  if (!curve || !done) {
    free(curve);
    free(done);
    return ob_fail(OB_ERR_NOMEM, "out of memory");
  }
  for (size_t r = first; r < end; r++) curve[r] = is_curve_row(cmp, r);
  char title[256];
  snprintf(title, sizeof title, "oclbench: cross-device comparison%s%s", workload ? ", " : "",
           workload ? workload : "");
  double y = draw_legend(out, cmp, title);
  ob_status st = OB_OK;
  /* Rows come grouped by workload: each workload is the range [r, stop). */
  for (size_t r = first, stop = first; r < end && st == OB_OK; r = stop) {
    const char *name = ob_compare_row_get(cmp, r)->workload;
    for (stop = r + 1; stop < end && strcmp(ob_compare_row_get(cmp, stop)->workload, name) == 0;)
      stop++;
    st = draw_workload_bars(out, cmp, r, stop, curve, done, &y);
    if (st == OB_OK) st = draw_workload_curves(out, cmp, r, stop, curve, done, &y);
  }
  if (st == OB_OK && end - first < total) {
    char note[160];
    snprintf(note, sizeof note, "%zu more rows not drawn: the figure holds at most %d "
             "measurements (the tables hold every row)", total - (end - first), OB_SVG_MAX_CELLS);
    text(out, 16, y + 18, "font-size=\"14\"", note);
    y += 40;
  }
  free(curve);
  free(done);
  *height = y;
  return st;
}

size_t ob_svg_workloads(const ob_compare *cmp, const char **names, size_t max) {
  size_t n = 0;
  for (size_t r = 0; r < ob_compare_nrows(cmp); r++) {
    const char *w = ob_compare_row_get(cmp, r)->workload;
    if (n > 0 && strcmp(names[n - 1], w) == 0) continue; /* rows come grouped by workload */
    if (n == max) break;
    names[n++] = w;
  }
  return n;
}

/* The index: the legend, then per workload family a link to its figure with its row count. */
static ob_status write_index_body(FILE *out, const ob_compare *cmp, const char *const *files,
                                  double *height) {
  const char *names[OB_SVG_MAX_FIGURES];
  const size_t n = ob_svg_workloads(cmp, names, OB_SVG_MAX_FIGURES);
  double y = draw_legend(out, cmp, "oclbench: cross-device comparison (one figure per workload)");
  for (size_t i = 0; i < n; i++) {
    size_t first = 0, end = 0;
    const size_t rows = drawn_rows(cmp, names[i], &first, &end);
    fputs("<a href=\"", out);
    put_xml(out, files[i]);
    fputs("\" xlink:href=\"", out);
    put_xml(out, files[i]);
    char *line = format_alloc("%s: %zu row%s, %s", names[i], rows, rows == 1 ? "" : "s", files[i]);
    if (!line) return ob_fail(OB_ERR_NOMEM, "out of memory");
    fputs("\">", out);
    text(out, 16, y + 16, "font-size=\"14\" fill=\"#0645AD\" text-decoration=\"underline\"", line);
    fputs("</a>\n", out);
    free(line);
    y += 24;
  }
  *height = y + 16;
  return OB_OK;
}

/* Draws a document's body at y >= 0 and returns its height in *height. */
typedef ob_status (*body_fn)(FILE *out, const void *arg, double *height);

/* The SVG document around a body drawn under the C locale (decimal points whatever the
 * user's locale). */
static ob_status write_document(FILE *out, const char *title, body_fn body, const void *arg) {
  locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  if (!c_locale) return ob_fail(OB_ERR_NOMEM, "cannot create the C locale");
  locale_t old = uselocale(c_locale);
  char *text_body = NULL;
  size_t len = 0;
  double height = 0.0;
  ob_status st = OB_OK;
  FILE *f = open_memstream(&text_body, &len);
  if (!f) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) st = body(f, arg, &height);
  if (f && fclose(f) != 0 && st == OB_OK) st = ob_fail(OB_ERR_NOMEM, "out of memory");
  if (st == OB_OK) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                 "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
            WIDTH, height, WIDTH, height);
    fprintf(out, "<title>%s</title>\n", title);
    fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", out);
    fwrite(text_body, 1, len, out);
    fputs("</svg>\n", out);
    if (fflush(out) != 0 || ferror(out)) st = ob_fail(OB_ERR_IO, "write error");
  }
  free(text_body);
  uselocale(old);
  freelocale(c_locale);
  return st;
}

/* A comparison's figure: the rows of one workload family, or the index over them. */
typedef struct compare_figure {
  const ob_compare *cmp;
  const char *workload;     /* the family drawn; NULL: the index */
  const char *const *files; /* the index: the families' figure files */
} compare_figure;

static ob_status compare_body(FILE *out, const void *arg, double *height) {
  const compare_figure *f = arg;
  return f->files ? write_index_body(out, f->cmp, f->files, height)
                  : write_body(out, f->cmp, f->workload, height);
}

ob_status ob_svg_write(const ob_compare *cmp, const char *workload, FILE *out) {
  const compare_figure f = {cmp, workload, NULL};
  return write_document(out, "oclbench: cross-device comparison", compare_body, &f);
}

ob_status ob_svg_write_index(const ob_compare *cmp, const char *const *files, FILE *out) {
  const compare_figure f = {cmp, NULL, files};
  return write_document(out, "oclbench: cross-device comparison", compare_body, &f);
}

/* ------------------------------------------------------------------ sustained runs */

/* What a chart of sustained runs draws: the series' values of one metric, or one sensor. */
typedef enum quantity { Q_VALUE, Q_CLOCK, Q_TEMP, Q_POWER } quantity;

static double quantity_of(const ob_series_point *p, quantity q) {
  return q == Q_VALUE ? p->value : q == Q_CLOCK ? p->clock_mhz : q == Q_TEMP ? p->temp_c : p->power_w;
}

/* The chart of quantity q over time for the series of v (for Q_VALUE, those of metric and
 * unit); nothing when no point has the quantity. */
static ob_status draw_over_time(FILE *out, const ob_series_set *v, quantity q, const char *metric,
                                const char *unit, double *y) {
  static const char *const names[] = {"", "clock", "temperature", "power"};
  static const char *const units[] = {"", "MHz", "\302\260C", "W"};
  curve_group g = {.metric = q == Q_VALUE ? metric : names[q],
                   .unit = q == Q_VALUE ? unit : units[q],
                   .xtitle = "seconds since the first repetition",
                   .xunit = "s",
                   .xdecimals = 1};
  snprintf(g.title, sizeof g.title, "sustained: %s over time", g.metric);
  char(*labels)[160] = calloc(v->n + 1, sizeof *labels);
  ob_status st = labels ? OB_OK : ob_fail(OB_ERR_NOMEM, "out of memory");
  for (size_t i = 0; i < v->n && st == OB_OK; i++) {
    const ob_series *s = &v->items[i];
    if (q == Q_VALUE && (strcmp(s->metric, metric) != 0 || strcmp(s->unit, unit) != 0)) continue;
    snprintf(labels[i], sizeof labels[i], "%s/%s %s %s %s", s->host, s->device_slug, s->workload,
             s->variant, s->params);
    for (size_t k = 0; k < s->n && st == OB_OK; k++) {
      const double val = quantity_of(&s->points[k], q);
      if (isfinite(val) && val > 0)
        st = series_add(&g, i, labels[i], "", s->points[k].t_s, val);
    }
  }
  if (st == OB_OK && g.ns > 0) st = draw_curve_group(out, &g, y);
  group_free(&g);
  free(labels);
  return st;
}

static ob_status series_body(FILE *out, const void *arg, double *height) {
  const ob_series_set *v = arg;
  text(out, 16, 30, "font-size=\"18\" font-weight=\"bold\"", "oclbench: sustained runs");
  double y = 44;
  ob_status st = OB_OK;
  /* One chart per metric (first appearance order), then the sensors. */
  for (size_t i = 0; i < v->n && st == OB_OK; i++) {
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(v->items[j].metric, v->items[i].metric) == 0 &&
             strcmp(v->items[j].unit, v->items[i].unit) == 0;
    if (!seen) st = draw_over_time(out, v, Q_VALUE, v->items[i].metric, v->items[i].unit, &y);
  }
  for (quantity q = Q_CLOCK; q <= Q_POWER && st == OB_OK; q++)
    st = draw_over_time(out, v, q, "", "", &y);
  *height = y;
  return st;
}

ob_status ob_svg_write_series(const ob_series_set *v, FILE *out) {
  return write_document(out, "oclbench: sustained runs", series_body, v);
}
