#!/bin/sh
# Install the Debian/Ubuntu packages oclbench needs, or say exactly how to.
# Usage: sh tools/deps.sh PACKAGE...
# Exit 0 when every package is present (or was installed), 1 otherwise.
set -u
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian/Ubuntu system; make sure these (or your distribution's equivalents) are installed: $*" >&2
  exit 0
fi
missing=""
for p in "$@"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
  [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages; run as root:" >&2
  echo "  apt-get install -y$missing" >&2
  exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh container has no package lists: fetch them once when the install cannot find a package.
apt-get install -y -q $missing >/dev/null 2>&1 || {
  apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null
} || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
