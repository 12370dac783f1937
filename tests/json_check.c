/* A strict JSON syntax checker: recursive descent over RFC 8259's grammar. */
#include "json_check.h"

#include <string.h>

typedef struct cursor {
  const char *s;
  size_t n, i;
  int depth;
} cursor;

static bool value(cursor *c);

static void ws(cursor *c) {
  while (c->i < c->n && strchr(" \t\r\n", c->s[c->i])) c->i++;
}

static bool lit(cursor *c, const char *word) {
  size_t len = strlen(word);
  if (c->n - c->i < len || memcmp(c->s + c->i, word, len) != 0) return false;
  c->i += len;
  return true;
}

static bool digits(cursor *c) {
  size_t start = c->i;
  while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') c->i++;
  return c->i > start;
}

static bool number(cursor *c) {
  if (c->i < c->n && c->s[c->i] == '-') c->i++;
  if (c->i < c->n && c->s[c->i] == '0') c->i++;
  else if (!digits(c)) return false;
  if (c->i < c->n && c->s[c->i] == '.') {
    c->i++;
    if (!digits(c)) return false;
  }
  if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
    c->i++;
    if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-')) c->i++;
    if (!digits(c)) return false;
  }
  return true;
}

static bool string(cursor *c) {
  if (c->i >= c->n || c->s[c->i] != '"') return false;
  c->i++;
  while (c->i < c->n) {
    unsigned char ch = (unsigned char)c->s[c->i];
    if (ch == '"') {
      c->i++;
      return true;
    }
    if (ch < 0x20) return false;
    if (ch == '\\') {
      c->i++;
      if (c->i >= c->n) return false;
      char e = c->s[c->i];
      if (e == 'u') {
        for (int k = 0; k < 4; k++) {
          c->i++;
          if (c->i >= c->n || !strchr("0123456789abcdefABCDEF", c->s[c->i])) return false;
        }
      } else if (!strchr("\"\\/bfnrt", e)) {
        return false;
      }
    }
    c->i++;
  }
  return false;
}

static bool sequence(cursor *c, char close, bool members) {
  c->i++;
  ws(c);
  if (c->i < c->n && c->s[c->i] == close) {
    c->i++;
    return true;
  }
  for (;;) {
    ws(c);
    if (members) {
      if (!string(c)) return false;
      ws(c);
      if (c->i >= c->n || c->s[c->i] != ':') return false;
      c->i++;
    }
    if (!value(c)) return false;
    ws(c);
    if (c->i >= c->n) return false;
    if (c->s[c->i] == close) {
      c->i++;
      return true;
    }
    if (c->s[c->i] != ',') return false;
    c->i++;
  }
}

static bool value(cursor *c) {
  ws(c);
  if (c->i >= c->n || ++c->depth > 512) return false;
  bool ok;
  switch (c->s[c->i]) {
  case '{': ok = sequence(c, '}', true); break;
  case '[': ok = sequence(c, ']', false); break;
  case '"': ok = string(c); break;
  case 't': ok = lit(c, "true"); break;
  case 'f': ok = lit(c, "false"); break;
  case 'n': ok = lit(c, "null"); break;
  default: ok = number(c); break;
  }
  c->depth--;
  return ok;
}

bool ob_json_valid(const char *text, size_t len, size_t *where) {
  cursor c = {.s = text, .n = len};
  bool ok = value(&c);
  ws(&c);
  ok = ok && c.i == c.n;
  if (where) *where = c.i;
  return ok;
}
