#!/bin/sh
# Install Massage Referral Guide from this archive for the current user (no root needed):
#   ./install.sh            # into ~/.local
#   PREFIX=/usr/local sudo ./install.sh
# The app goes to PREFIX/lib/referral-guide; PREFIX/bin gets referral-guide and
# referral-guide-cli; the menu entry and icon go to PREFIX/share. Undo: ./install.sh --uninstall
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
app="$prefix/lib/referral-guide"
desktop="$prefix/share/applications/referral-guide.desktop"
icon="$prefix/share/icons/hicolor/256x256/apps/referral-guide.png"

rm -rf "$app"
rm -f "$prefix/bin/referral-guide" "$prefix/bin/referral-guide-cli" "$desktop" "$icon"
if [ "${1:-}" = "--uninstall" ]; then
  echo "removed Massage Referral Guide from $prefix"
  exit 0
fi

mkdir -p "$prefix/lib" "$prefix/bin" "$(dirname "$desktop")" "$(dirname "$icon")"
cp -R "$here/referral-guide" "$app"
ln -s "$app/referral-guide" "$prefix/bin/referral-guide"
ln -s "$app/referral-guide-cli" "$prefix/bin/referral-guide-cli"
sed -e "s|^Exec=.*|Exec=$app/referral-guide|" -e "s|^TryExec=.*|TryExec=$app/referral-guide|" \
  "$here/referral-guide.desktop" > "$desktop"
cp "$here/referral-guide.png" "$icon"
echo "installed Massage Referral Guide in $app (check it: referral-guide-cli --self-test --report FILE)"
