#!/usr/bin/env bash
# Installs the built .deb with apt and checks what a user gets: the
# `flashfusion` command on PATH and a desktop entry that starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls -t target/release/bundle/deb/*.deb | head -n 1)
echo "package: $deb"
contents=$(dpkg-deb --contents "$deb")
grep -Eq '(^| |\./)usr/bin/flashfusion$' <<<"$contents" || { echo "no /usr/bin/flashfusion in $deb" >&2; exit 1; }
package=$(dpkg-deb --field "$deb" Package)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
entry=$(dpkg -L "$package" | grep '/usr/share/applications/.*\.desktop$')
grep -q '^Exec=flashfusion' "$entry" || { echo "desktop entry $entry does not start flashfusion" >&2; exit 1; }
grep -q '^MimeType=.*x-scheme-handler/flashfusion;' "$entry" || { echo "desktop entry $entry does not open flashfusion:// invite links" >&2; exit 1; }
/usr/bin/flashfusion --version
# Without a display the installed app explains itself instead of crashing.
if env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/flashfusion 2>/tmp/flashfusion-nodisplay.txt; then
  echo "expected a refusal without a display" >&2; exit 1
fi
grep -q "xvfb-run" /tmp/flashfusion-nodisplay.txt
# With a (virtual) display it starts and keeps running until stopped.
data=$(mktemp -d)
status=0
FLASHFUSION_DATA_DIR="$data" xvfb-run -a timeout 8 /usr/bin/flashfusion </dev/null >/dev/null 2>&1 || status=$?
rm -rf "$data"
[ "$status" -eq 124 ] || { echo "the installed app exited early (status $status)" >&2; exit 1; }
echo "installed: $(command -v flashfusion), desktop entry $entry"
