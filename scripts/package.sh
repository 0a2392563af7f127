#!/usr/bin/env bash
# Builds the Debian package with the Tauri bundler:
# target/release/bundle/deb/FlashFusion_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd ui && npm run build --silent)
ui/node_modules/.bin/tauri build --bundles deb "$@"
ls -1 target/release/bundle/deb/*.deb
