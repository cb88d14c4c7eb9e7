#!/bin/sh
# Install the system libraries Qt needs (packaging/system-packages.txt) when any is missing.
# Run by `make run`, `make test` (and bench, screenshots, package) before anything else, and by
# .ci/run. Fast and silent when nothing is missing: one dpkg-query (or rpm) call, no apt-get update.
#   Debian / Ubuntu: apt-get install (through sudo when not root), apt-get update only when needed
#   Fedora:          dnf install with the Fedora names from the list
#   other Linux:     stops with one line naming what to install, unless ldconfig finds it all
#   macOS, Windows:  nothing to do (the Qt wheels carry their libraries)
#   --check:         say what is missing and exit 1, install nothing
set -eu
LIST="$(cd "$(dirname "$0")" && pwd)/system-packages.txt"
CHECK_ONLY=
[ "${1:-}" = "--check" ] && CHECK_ONLY=1

say() { echo "system-deps: $*"; }
column() { sed -e 's/#.*//' "$LIST" | awk -v c="$1" 'NF >= 3 { print $c }'; }
why() { sed -e 's/#.*//' "$LIST" | awk -v p="$1" -v c="$2" '$c == p { $1=$2=$3=""; sub(/^ +/, ""); print; exit }'; }

as_root() {  # run a command as root: directly, through sudo, or stop saying how
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    say "running as root with sudo: $*" >&2
    sudo "$@"
  else
    say "not root and no sudo: as root, run: $*" >&2
    exit 1
  fi
}

explain() {  # $1: column of the names; then the missing packages
  col=$1
  shift
  say "the app (Qt, printing, the clinic database) needs these system packages, not installed yet (packaging/system-packages.txt):"
  for pkg in "$@"; do
    echo "  $pkg: $(why "$pkg" "$col")"
  done
}

debian_missing() {
  # shellcheck disable=SC2046
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $(column 1) 2>/dev/null |
    awk '$2 == "installed" { print $1 }')
  for pkg in $(column 1); do
    echo "$installed" | grep -qx "$pkg" || echo "$pkg"
  done
}

apt_install() {  # dpkg's progress lines go to /dev/null; errors still show
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Use-Pty=0 "$@" >/dev/null
}

debian_install() {
  # Install from the package lists already on the machine; update them only when a package is
  # unknown there or the install fails (lists too old for the mirror).
  if ! apt-cache show --no-all-versions "$@" >/dev/null 2>&1; then
    say "apt-get update (the package lists do not know every package yet)"
    as_root apt-get update -qq
  fi
  say "apt-get install $*"
  if ! apt_install "$@"; then
    say "the install failed; updating the package lists and trying again"
    as_root apt-get update -qq
    apt_install "$@"
  fi
}

fedora_missing() {
  # shellcheck disable=SC2046
  rpm -q $(column 2 | sort -u) 2>/dev/null | sed -n 's/^package \(.*\) is not installed$/\1/p'
}

other_linux() {
  missing_libs=
  for lib in $(column 3); do
    [ "$lib" = - ] && continue
    "$(command -v ldconfig || echo /sbin/ldconfig)" -p 2>/dev/null | grep -q "^[[:space:]]*$lib " || missing_libs="$missing_libs $lib"
  done
  [ -z "$missing_libs" ] && return 0
  say "cannot install for this system; install the packages providing:$missing_libs" \
    "(Debian names: $(column 1 | tr '\n' ' ')) and run make again" >&2
  exit 1
}

[ "$(uname -s)" = Linux ] || exit 0

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=$(debian_missing)
  [ -z "$missing" ] && exit 0
  # shellcheck disable=SC2086
  explain 1 $missing
  [ -n "$CHECK_ONLY" ] && exit 1
  # shellcheck disable=SC2086
  debian_install $missing
  missing=$(debian_missing)
elif command -v rpm >/dev/null 2>&1 && command -v dnf >/dev/null 2>&1; then
  missing=$(fedora_missing)
  [ -z "$missing" ] && exit 0
  # shellcheck disable=SC2086
  explain 2 $missing
  [ -n "$CHECK_ONLY" ] && exit 1
  # shellcheck disable=SC2086
  as_root dnf install -y $missing
  missing=$(fedora_missing)
else
  other_linux
  exit 0
fi

if [ -n "$missing" ]; then
  say "still missing after the install: $(echo $missing)" >&2
  exit 1
fi
say "installed; Qt has what it needs"
