#!/usr/bin/env bash
# Installs what building, running and testing FlashFusion needs on Debian 12:
# Tauri's system libraries (WebKitGTK), Xvfb and the WebKit WebDriver for the
# end-to-end tests, the UI's npm packages, and tauri-driver. Idempotent: a
# second run only checks. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev
  libssl-dev libgtk-3-dev libayatana-appindicator3-dev pkg-config build-essential
  xvfb xauth webkit2gtk-driver dbus-x11 file imagemagick
  libdbus-1-dev dbus gnome-keyring poppler-utils git
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "==> installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (Rust via rustup, Node.js 20+)" >&2; exit 1; }
done

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--with-test-tools" ]; then
  if ! command -v tauri-driver >/dev/null; then
    echo "==> installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
  # Real Yjs clients and the reference y-websocket server for the interop tests.
  if [ ! -d tests/interop/node_modules ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules/.package-lock.json ]; then
    echo "==> installing the interop tests' npm packages"
    (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
