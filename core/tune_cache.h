/* Private to core/tune.c: where the tuning facility keeps the winners of its searches.
 *
 * One store per device and driver, keyed by the device's name, driver version, platform
 * version, the oclbench version and a hash of the kernel sources of cl_kernels/ (as loaded:
 * embedded, or from the kernel directory), so that any of these changing starts afresh. With a
 * cache directory the store is the file <dir>/tune-<16 hex digits of the key>.txt:
 *   # oclbench tuning cache: <device> | <driver> | <platform version> | oclbench <version>
 *   <family> <shape> <config> <score> <candidates>
 * one line per family and shape (fields without spaces; lines starting with '#' and lines of
 * other forms are skipped on reading and kept on rewriting, except the header); without one,
 * it lives in this process's memory. <candidates> (16 hex digits) identifies the list of
 * candidates the search chose from: a line stored from another list is not found (a search
 * over the new list replaces it), so that a changed candidate list is searched afresh. Reads
 * and rewrites are serialised within the process; a rewrite replaces the file atomically. */
#ifndef OB_TUNE_CACHE_H
#define OB_TUNE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oclbench.h"

/* The configuration text of the last line for (family, shape) in dev's store under dir ("":
 * the process's memory) into config[0..n), when that line was stored from the candidate list
 * `candidates`; false when there is none (or the file cannot be read). */
bool ob_tune_cache_find(const char *dir, const ob_device *dev, const char *family,
                        const char *shape, uint64_t candidates, char *config, size_t n);

/* Replaces (or adds) the line for (family, shape) in dev's store under dir. Best effort: a
 * file that cannot be written is logged as a warning and the process keeps going. */
void ob_tune_cache_store(const char *dir, const ob_device *dev, const char *family,
                         const char *shape, uint64_t candidates, const char *config,
                         double score);

#endif
