#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it
# needs, checks formatting and lints, builds once (release), then runs the UI
# unit tests and every Rust test, the end-to-end tests on the real app window
# under Xvfb included, and finally builds and installs the .deb package.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "UI: type check, build, unit tests"
(cd ui && npm run build --silent && npm test --silent)

step "Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings

step "Rust: build the app"
cargo build --release --workspace --bins --quiet

step "Rust: all tests (the IPC bindings drift check and the end-to-end suite included)"
# A private D-Bus session with a fresh, unlocked GNOME Keyring (its files in a
# temporary folder): the app keeps API keys in the real OS keyring (Secret
# Service) during the end-to-end tests, and the user's own keyring is untouched.
export NO_AT_BRIDGE=1 FLASHFUSION_APP="$PWD/target/release/flashfusion"
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
timeout 1500 env XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c '
  printf test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  unset XDG_DATA_HOME
  exec xvfb-run -a -s "-screen 0 1440x900x24" cargo test --release --workspace --quiet
' </dev/null

step "Package: build the .deb, install it, start the installed command"
scripts/package.sh >/dev/null
scripts/check-package.sh

step "Hermeticity: no test wrote to the real data directory"
if [ -n "$(find "$HOME/.local/share/flashfusion" -newer ui/package.json -print -quit 2>/dev/null)" ] && [ -z "${FLASHFUSION_ALLOW_REAL_DATA:-}" ]; then
  echo "a test wrote to $HOME/.local/share/flashfusion" >&2
  exit 1
fi
echo; echo "All tests passed."
