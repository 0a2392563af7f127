#!/usr/bin/env bash
# The app benchmark (see tests/bench/app_bench.rs): drives the release build
# of the real app under Xvfb and prints the figures with their targets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run build --silent)
cargo build --release -p flashfusion -p flashfusion-e2e --bins --quiet
export NO_AT_BRIDGE=1 DBUS_SESSION_BUS_ADDRESS=disabled: FLASHFUSION_APP="$PWD/target/release/flashfusion"
timeout 900 xvfb-run -a -s "-screen 0 1440x900x24" target/release/app-bench </dev/null
# Collaboration: keystroke → sent and peer keystroke → painted, 10 people typing in one room.
timeout 600 xvfb-run -a -s "-screen 0 1440x900x24" target/release/live-edit-bench </dev/null

# The assistant (context build, SSE parsing) and learning mode (lesson, lab, certificate).
cargo run --release --quiet -p flashfusion-assistant --features test-server --bin assistant-bench
cargo run --release --quiet -p flashfusion-learn --bin learn-bench

# Deployment: a no-op redeploy of a 1,000-file 50 MB site, and push time beside `git push`.
cargo run --release --quiet -p flashfusion-deploy --features test-server --bin deploy-bench

# Marketplace: search latency over 100,000 templates, publish/download throughput of a 10 MB bundle.
cargo run --release --quiet -p flashfusion-server --bin market-bench

# Collaboration: replay of the automerge-paper editing trace in yrs beside the real yjs@13 in Node.
cargo run --release --quiet -p flashfusion-collab --bin collab-bench
