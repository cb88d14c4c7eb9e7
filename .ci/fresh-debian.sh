#!/usr/bin/env bash
# A new user on a fresh minimal Debian 12: does the README's `make test` pass and does `make run`
# start the app? Called by .ci/run, as root, on a Debian/Ubuntu host with debootstrap.
#
# Builds a new root with `debootstrap --variant=minbase bookworm` from this machine's Debian mirror
# (python3, python3-venv, python3-pip, make, git, ca-certificates and nothing else), clones the
# commit into it, and in a chroot runs `make test`, then `make run` (offscreen) and checks the app
# is still running after a few seconds. The machine's apt sources and pip configuration (and the
# local folders they point at, read-only) are carried in, so packages install as they do outside.
# Nothing is kept between runs: the root, its pip cache and its .venv are deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=bookworm
GOAL_S=600       # the whole step should take under 10 minutes (reported, not enforced)
TEST_LIMIT_S=2400 # a hung `make test` fails (it runs beside CI's own suite: slower than alone)
RUN_CHECK_S=8    # how long `make run` must keep the app up
started=$SECONDS
say() { echo "fresh-debian: $*"; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/fresh-debian.XXXXXX")
root="$work/root"
mounts=()

cleanup() {
  local pid m i
  for pid in /proc/[0-9]*; do  # anything still running inside the root (started here)
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "${pid#/proc/}" 2>/dev/null
  done
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    m=${mounts[i]}
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || say "could not unmount $m"
  done
  if grep -q " $root" /proc/mounts; then
    say "mounts left under $root; not deleting it"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # stopped by .ci/run: clean up (the EXIT trap) on the way out

bind() {  # bind: SRC [ro]; mounts SRC at the same path inside the root
  mkdir -p "$root$1"
  mount --bind "$1" "$root$1"
  mounts+=("$root$1")
  if [ "${2:-}" = ro ]; then mount -o remount,bind,ro "$root$1"; fi
}

mirror() {  # this machine's Debian mirror for $SUITE, from sources.list or deb822 .sources files
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -e 's/\[[^]]*\]//' "$f" | awk -v s="$SUITE" '$1 == "deb" && $3 == s { print $2; exit }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v s="$SUITE" 'BEGIN { RS = ""; FS = "\n" } {
        uri = ""; ok = 0; deb = 0; off = 0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { split($i, a, " "); uri = a[2] }
          if ($i ~ /^Suites:/ && (" " $i " ") ~ (" " s " ")) ok = 1
          if ($i ~ /^Types:/ && $i ~ / deb( |$)/) deb = 1
          if ($i ~ /^Enabled: *no/) off = 1
        }
        if (uri != "" && ok && deb && !off) { print uri; exit }
      }' "$f"
  done
}

carry_apt_sources() {  # the machine's sources (enabled .list/.sources only) and their keys
  local f
  rm -f "$root/etc/apt/sources.list"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    if [ -f "$f" ]; then install -D -m 644 "$f" "$root$f"; fi
  done
  for f in /usr/share/keyrings/* /etc/apt/keyrings/* /etc/apt/trusted.gpg.d/*; do
    if [ -f "$f" ] && [ ! -e "$root$f" ]; then install -D -m 644 "$f" "$root$f"; fi
  done
  for f in /etc/apt/apt.conf.d/*; do  # an apt proxy, if the machine uses one
    if grep -qi proxy "$f" 2>/dev/null; then cp "$f" "$root/etc/apt/apt.conf.d/"; fi
  done
}

carry_pip_config() {  # pip's config files, PIP_* settings and the local paths they name
  local f path dest
  local configs=(/etc/pip.conf /etc/xdg/pip "$HOME/.config/pip" "$HOME/.pip")
  for f in "${configs[@]}"; do
    [ -e "$f" ] || continue
    case $f in
      "$HOME"/*) dest="$root/root${f#"$HOME"}" ;;  # the chroot's user is root
      *) dest="$root$f" ;;
    esac
    mkdir -p "$(dirname "$dest")"
    cp -a "$f" "$dest"
  done
  # Paths named in the config or in PIP_* (find-links, file:// indexes, constraints, a CA bundle).
  {
    for f in "${configs[@]}"; do if [ -f "$f" ]; then cat "$f"; elif [ -d "$f" ]; then cat "$f"/*; fi; done
    env | grep '^PIP_' || true
  } 2>/dev/null | tr ' =,' '\n\n\n' | sed -n 's|^file://||; s|^\(/[^[:space:]]*\)$|\1|p' |
    sort -u | while read -r path; do
      [ -e "$path" ] || continue
      case $path in /etc/pip.conf | /etc/xdg/pip* | "$HOME"/*) continue ;; esac
      if [ -d "$path" ]; then
        [ "$(basename "$path")" = simple ] && path=$(dirname "$path")  # links go to ../files
        echo "$path"
      else
        install -D -m 644 "$path" "$root$path"
      fi
    done > "$work/pip-dirs"
  while read -r path; do bind "$path" ro; done < <(sort -u "$work/pip-dirs")
  return 0
}

ROOT_ENV=(HOME=/root LANG=C.UTF-8 TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
while IFS= read -r var; do ROOT_ENV+=("$var"); done < <(
  env | grep -E '^(PIP_|https?_proxy=|HTTPS?_PROXY=|no_proxy=|NO_PROXY=)' || true)
# A command in the chroot with a new user's clean environment (plus pip's and proxy settings).
in_root=(chroot "$root" /usr/bin/env -i "${ROOT_ENV[@]}")

url=$(mirror | head -1)
if [ -z "$url" ]; then
  url=http://deb.debian.org/debian
  say "no $SUITE mirror in /etc/apt/sources.list*; using $url"
fi
say "debootstrap --variant=minbase $SUITE from $url"
t=$SECONDS
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,make,git,ca-certificates \
  "$SUITE" "$root" "$url" > "$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log"
  say "debootstrap failed"
  exit 1
}
say "minimal root ready in $((SECONDS - t)) s ($(du -sm "$root" | cut -f1) MB)"

cp /etc/resolv.conf "$root/etc/resolv.conf"
carry_apt_sources
carry_pip_config
mkdir -p "$root/proc" "$root/sys" "$root/dev"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
bind /dev
bind /dev/pts
[ -d /dev/shm ] && bind /dev/shm
# The machine's /tmp: X servers find a free display number by the lock files there (/tmp/.X99-lock),
# and the display sockets are shared with this machine (one network namespace), so the screenshot
# runs in here and those of CI's own suite, which runs at the same time, must see each other's.
bind /tmp

commit=$(git rev-parse HEAD)
git clone --quiet --no-hardlinks "$PWD" "$root/root/referral-guide"
git -C "$root/root/referral-guide" checkout --quiet "$commit"
say "cloned $commit; running the README's make test"

t=$SECONDS
if ! "${in_root[@]}" timeout "$TEST_LIMIT_S" make -C /root/referral-guide test \
  > "$work/make-test.log" 2>&1; then
  grep -v -e '^WARNING: Location' "$work/make-test.log" | tail -60
  say "make test FAILED on a fresh $SUITE after $((SECONDS - t)) s"
  exit 1
fi
grep -E '^system-deps:|^  lib|^  fonts|passed|failed|screenshots:' "$work/make-test.log" |
  sed 's/^/  /'
say "make test passed in $((SECONDS - t)) s ($("${in_root[@]}" /root/referral-guide/.venv/bin/python \
  -c 'import sys, PySide6; print(f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}")'))"

say "make run (QT_QPA_PLATFORM=offscreen): is the app still running after $RUN_CHECK_S s?"
# setsid: make leads its own process group, so the app goes with it when it is stopped.
"${in_root[@]}" QT_QPA_PLATFORM=offscreen setsid make -C /root/referral-guide run \
  > "$work/make-run.log" 2>&1 &
make_pid=$!
app=
for _ in $(seq 60); do  # make run first checks the system libraries and rebuilds the data
  app=$(pgrep -P "$make_pid" -f 'referral_app$' || true)
  [ -n "$app" ] || ! kill -0 "$make_pid" 2>/dev/null && break
  sleep 0.5
done
[ -n "$app" ] && sleep "$RUN_CHECK_S"
if [ -z "$app" ] || ! kill -0 "$app" 2>/dev/null; then
  cat "$work/make-run.log"
  say "make run did not keep the app running"
  exit 1
fi
say "the app (pid $app) is still running after $RUN_CHECK_S s; stopping it"
kill -- "-$make_pid" 2>/dev/null || kill "$make_pid" "$app"
wait "$make_pid" 2>/dev/null || true
took=$((SECONDS - started))
say "ok: on a fresh minimal Debian 12, make test passes and make run starts the app (${took} s)"
if [ "$took" -gt "$GOAL_S" ]; then
  say "note: ${took} s is over the ${GOAL_S} s goal for this step (a busy machine?)"
fi
