/* A strict JSON syntax checker (RFC 8259) for tests of files oclbench writes. */
#ifndef OB_JSON_CHECK_H
#define OB_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True when text[0..len) is exactly one valid JSON value (surrounded by whitespace); else
 * false with the byte offset of the first error in *where. */
bool ob_json_valid(const char *text, size_t len, size_t *where);

#endif
