#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it
# needs, checks formatting, lints, builds once, then runs the UI unit tests,
# the Rust tests (which include the IPC-bindings drift check) and the
# end-to-end tests that drive the real app window under Xvfb.
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

step "Rust: build the app and the tests"
cargo build --release --workspace --all-targets --quiet

step "Rust: unit and integration tests"
cargo test --release --workspace --exclude flashfusion-e2e --quiet

step "End-to-end: the real app window under Xvfb"
export NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=disabled: FLASHFUSION_APP="$PWD/target/release/flashfusion"
timeout 900 xvfb-run -a -s "-screen 0 1440x900x24" \
  cargo test --release -p flashfusion-e2e --test e2e --quiet -- --test-threads=1 </dev/null

step "Hermeticity: no test wrote to the real data directory"
if [ -e "$HOME/.local/share/flashfusion" ] && [ -n "$(find "$HOME/.local/share/flashfusion" -newer scripts/test.sh -print -quit 2>/dev/null)" ] && [ -z "${FLASHFUSION_ALLOW_REAL_DATA:-}" ]; then
  echo "a test touched $HOME/.local/share/flashfusion" >&2
  exit 1
fi
echo; echo "All tests passed."
