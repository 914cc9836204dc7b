#!/usr/bin/env bash
# Set up from scratch and run the main job on the bundled example: validate the
# project and build everything it can produce into examples/optima-distribution/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/crmimpl validate examples/optima-distribution
.venv/bin/crmimpl build examples/optima-distribution --format docx,html,pdf --lang ru,en
