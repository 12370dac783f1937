/* A self-contained SVG figure of a cross-device comparison (no plotting tool at run time):
 *
 * - a legend of the device columns (colour, label, device name, driver);
 * - per workload, one horizontal bar chart per metric: a group of bars (one per device) for
 *   each joined row, failed/skipped cells marked with their status;
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

/* Writes the figure of a joined comparison to out. OB_ERR_IO on a write error. */
ob_status ob_svg_write(const ob_compare *cmp, FILE *out);

/* Writes the figure of sustained runs (bench/series.h) to out: per metric a chart of its value
 * over time, then the clock, temperature and power over time (charts without any reading left
 * out), one curve per series, linear axes. OB_ERR_IO on a write error. */
ob_status ob_svg_write_series(const ob_series_set *v, FILE *out);

#endif
