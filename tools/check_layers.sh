#!/bin/sh
# The include rules of DESIGN.md, checked on the sources (`make check` runs it):
#  - layers point one way: bench -> models -> core -> devices (tests may include anything);
#  - a models/ domain includes its own files, core, devices, and another domain's public
#    header only (models/DOMAIN/NAME.h, never a *_impl.h);
#  - no two source units (NAME.c with its NAME.h) include each other, directly or through a
#    longer cycle.
# Prints one line per violation and exits 1 when there is any.
# Usage: sh tools/check_layers.sh [ROOT]
set -u
root=${1:-.}
cd "$root" || exit 2
files=$(find core devices models bench -name '*.[ch]' | sort)
# Every quoted include as "FILE TARGET", TARGET resolved to a path in the tree: first beside the
# including file, then in the include directories (-Icore -Idevices -Imodels -Ibench).
edges=$(for f in $files; do
  dir=$(dirname "$f")
  sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
    while read -r inc; do
      for cand in "$dir/$inc" "core/$inc" "devices/$inc" "models/$inc" "bench/$inc"; do
        if [ -f "$cand" ]; then
          echo "$f $(echo "$cand" | sed 's#/\./#/#g')"
          break
        fi
      done
    done
done)
echo "$edges" | awk '
  function layer(p) { split(p, a, "/"); return a[1] }
  function domain(p, n, a) { n = split(p, a, "/"); return (a[1] == "models" && n > 2) ? a[2] : "" }
  function rank(l) { return l == "devices" ? 0 : l == "core" ? 1 : l == "models" ? 2 : 3 }
  function unit(p) { sub(/\.[ch]$/, "", p); return p }
  NF == 2 {
    from = $1; to = $2
    if (rank(layer(to)) > rank(layer(from))) {
      printf "%s includes %s: %s may not include %s\n", from, to, layer(from), layer(to); bad = 1
    }
    df = domain(from); dt = domain(to)
    if (layer(from) == "models" && dt != "" && df != dt && to ~ /_impl\.h$/) {
      printf "%s includes %s: a private header of another domain\n", from, to; bad = 1
    }
    if (unit(from) != unit(to)) { dep[unit(from)] = dep[unit(from)] " " unit(to); units[unit(from)]; units[unit(to)] }
  }
  # Depth-first search for cycles among units.
  function visit(u,    n, i, parts, v) {
    state[u] = 1; path[++depth] = u
    n = split(dep[u], parts, " ")
    for (i = 1; i <= n; i++) {
      v = parts[i]
      if (state[v] == 1) { report(v); continue }
      if (!state[v]) visit(v)
    }
    state[u] = 2; depth--
  }
  function report(v,    i, s, start) {
    for (i = 1; i <= depth; i++) if (path[i] == v) start = i
    s = ""
    for (i = start; i <= depth; i++) s = s path[i] " -> "
    s = s v
    if (!(s in seen)) { seen[s]; printf "include cycle: %s\n", s; bad = 1 }
  }
  END {
    for (u in units) if (!state[u]) visit(u)
    exit bad
  }'
