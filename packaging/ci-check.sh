#!/usr/bin/env bash
# After `make package`, as root on Debian: install the .deb for real, run the installed
# executables (self-test, search, recommend, sheet to PDF), remove the package and check it is
# gone; then run the archive's bundle from a read-only folder as an unprivileged user with the
# user data folder elsewhere. Any missing plugin, data file or library fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

{ read -r archive; read -r deb; } < <(python3 packaging/make_packages.py --print-paths)
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
say() { echo "ci-check: $*"; }
gui=/usr/bin/referral-guide cli=/usr/bin/referral-guide-cli  # by path: PATH may hold a dev copy

check_report() {  # a self-test report: all checks ok, from a frozen build
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [c for c in r["checks"] if c["status"] != "ok"]
assert r["ok"] and r["frozen"] and not bad, (r["failed"], bad)
print(f"  {len(r['checks'])} checks ok: Qt {r['versions']['qt']} on {r['versions']['qt_platform']}")
EOF
}

check_pdf() {  # starts with %PDF and has pages
  head -c 5 "$1" | grep -q '^%PDF-' || { say "$1 is not a PDF"; exit 1; }
  if command -v pdfinfo >/dev/null; then pdfinfo "$1" | grep '^Pages:'; fi
}

run_installed() {
  export REFERRAL_APP_DATA_DIR="$tmp/userdata"
  QT_QPA_PLATFORM=offscreen "$gui" --self-test --report "$tmp/gui.json"
  check_report "$tmp/gui.json"
  QT_QPA_PLATFORM=offscreen "$cli" --self-test --report "$tmp/cli.json"
  check_report "$tmp/cli.json"
  if command -v xvfb-run >/dev/null; then  # the real X11 (xcb) platform, not offscreen
    env -u QT_QPA_PLATFORM xvfb-run -a "$gui" --self-test --report "$tmp/xcb.json"
    check_report "$tmp/xcb.json"
  fi
  "$cli" search neck --json > "$tmp/search.json"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))[0]["id"] == "neck-pain"' \
    "$tmp/search.json"
  "$cli" recommend "chronic low back pain" --no-flags --json > "$tmp/rec.json"
  python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print("  recommend:", r["level"])
assert r["condition"]["id"] == "chronic-low-back-pain"' "$tmp/rec.json"
  # the center the ranking offers first near 02215 (a held-back center is refused by design)
  "$cli" centers --condition "neck pain" --near 02215 --json > "$tmp/centers.json"
  center=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' \
    "$tmp/centers.json")
  echo "  first center near 02215: $center"
  "$cli" sheet "neck pain" --center "$center" --no-flags --out "$tmp/sheet.pdf"
  check_pdf "$tmp/sheet.pdf"
  unset REFERRAL_APP_DATA_DIR
}

say "installing $deb"
apt-get install -y -qq --reinstall "$deb" >/dev/null
touch "$tmp/before"
[ "$(readlink "$cli")" = /opt/referral-guide/referral-guide-cli ]
test -x "$gui" -a -x "$cli"
test -f /usr/share/applications/referral-guide.desktop
test -f /usr/share/icons/hicolor/256x256/apps/referral-guide.png
run_installed
written=$(find /opt/referral-guide -newer "$tmp/before" -print | head -5)
[ -z "$written" ] || { say "the app wrote into /opt/referral-guide: $written"; exit 1; }

say "removing the package"
apt-get remove -y -qq referral-guide >/dev/null
for gone in /opt/referral-guide /usr/bin/referral-guide /usr/bin/referral-guide-cli \
  /usr/share/applications/referral-guide.desktop; do
  [ ! -e "$gone" ] || { say "$gone is still there after removal"; exit 1; }
done
if dpkg -s referral-guide >/dev/null 2>&1; then say "dpkg still lists referral-guide"; exit 1; fi

say "read-only bundle from $archive"
mkdir "$tmp/ro" "$tmp/home" "$tmp/out"
tar -xzf "$archive" -C "$tmp/ro"
bundle=$(echo "$tmp"/ro/*/referral-guide)
chmod -R a-w "$tmp/ro"
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
  chown nobody "$tmp/home" "$tmp/out"  # root ignores a-w: run as nobody so it is enforced
  as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
  say "running the read-only bundle as nobody"
fi
touch "$tmp/before"
"${as_user[@]}" env HOME="$tmp/home" REFERRAL_APP_DATA_DIR="$tmp/home/userdata" \
  QT_QPA_PLATFORM=offscreen "$bundle/referral-guide-cli" sheet "neck pain" \
  --center "$center" --no-flags --out "$tmp/out/sheet.pdf"
check_pdf "$tmp/out/sheet.pdf"
"${as_user[@]}" env HOME="$tmp/home" REFERRAL_APP_DATA_DIR="$tmp/home/userdata" \
  "$bundle/referral-guide-cli" --self-test --report "$tmp/out/ro.json"
check_report "$tmp/out/ro.json"
test -f "$tmp/home/userdata/user.db"
written=$(find "$tmp/ro" -newer "$tmp/before" -print | head -5)
[ -z "$written" ] || { say "the app wrote into its bundle: $written"; exit 1; }
say "ok: the .deb installs, runs and removes cleanly; the bundle runs read-only"
