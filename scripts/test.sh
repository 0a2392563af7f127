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
export NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=disabled: FLASHFUSION_APP="$PWD/target/release/flashfusion"
timeout 1200 xvfb-run -a -s "-screen 0 1440x900x24" cargo test --release --workspace --quiet </dev/null

step "Package: build the .deb, install it, start the installed command"
scripts/package.sh >/dev/null
scripts/check-package.sh

step "Hermeticity: no test wrote to the real data directory"
if [ -n "$(find "$HOME/.local/share/flashfusion" -newer ui/package.json -print -quit 2>/dev/null)" ] && [ -z "${FLASHFUSION_ALLOW_REAL_DATA:-}" ]; then
  echo "a test wrote to $HOME/.local/share/flashfusion" >&2
  exit 1
fi
echo; echo "All tests passed."
