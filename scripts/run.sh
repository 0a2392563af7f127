#!/usr/bin/env bash
# Builds FlashFusion and starts it. Extra arguments go to the app
# (`scripts/run.sh ~/code/my-project src/main.rs` opens that project and file).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd ui && npm run build --silent)
cargo build --release -p flashfusion
exec target/release/flashfusion "$@"
