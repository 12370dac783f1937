/* A self-contained SVG figure of a cross-device comparison (no plotting tool at run time):
 *
 * - a legend of the device columns (colour, label, device name, driver);
 * - per workload, one horizontal bar chart per metric: a group of bars (one per device) for
 *   each joined row, labelled in full (wrapped over lines, never cut), failed/skipped cells
 *   marked with their status, each bar with an error bar from the fastest to the slowest
 *   repetition (time_s_min, time_s_max converted to the metric);
 * - for rows measured in flips_per_ns whose params hold `chains=N` (the Ising sampler): per
 *   graph (the params without `chains`) a chart of flips/ns against the number of parallel
 *   chains, one curve per device (and variant) on a log x axis, plus a bar chart of each
 *   device's best flips/ns over the chains.
 *
 * An axis whose ok values span more than a factor of 100 is logarithmic (a laptop CPU and a
 * datacenter GPU on one chart), otherwise linear from 0; every axis names its unit and scale.
 * Text is XML-escaped and invalid UTF-8 replaced, so the document always parses.
 * The same curve charts draw sustained runs over time (ob_svg_write_series). The figure
 * draws the first rows up to OB_SVG_MAX_CELLS measurements and says how many rows it left out
 * (the text, Markdown and CSV tables hold every row), so its size and drawing time stay bounded.
 */
#ifndef OB_SVG_H
#define OB_SVG_H

#include "compare.h"
#include "series.h"

#define OB_SVG_MAX_CELLS 10000
/* Workload families an index links to at most. */
#define OB_SVG_MAX_FIGURES 64

/* The workload families of a joined comparison, in row order, into names[0..max); returns how
 * many. `compare --svg FILE.svg` draws one figure per family (FILE-<workload>.svg) and FILE.svg
 * as their index, so no figure grows with the number of workloads. */
size_t ob_svg_workloads(const ob_compare *cmp, const char **names, size_t max);

/* Writes the figure of one workload family's rows (NULL: every row) of a joined comparison to
 * out. OB_ERR_IO on a write error. */
ob_status ob_svg_write(const ob_compare *cmp, const char *workload, FILE *out);

/* Writes the index: the device legend and, per workload family (ob_svg_workloads order), a
 * link to files[i] (its figure's path, relative to the index) with its row count. */
ob_status ob_svg_write_index(const ob_compare *cmp, const char *const *files, FILE *out);

/* Writes the figure of sustained runs (bench/series.h) to out: per metric a chart of its value
 * over time, then the clock, temperature and power over time (charts without any reading left
 * out), one curve per series, linear axes. OB_ERR_IO on a write error. */
ob_status ob_svg_write_series(const ob_series_set *v, FILE *out);

#endif
