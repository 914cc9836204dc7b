#!/usr/bin/env bash
# Set up from scratch and run every check: lint (ruff), types (mypy), tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test
.venv/bin/ruff check crmimpl tests bench tools
.venv/bin/ruff format --check crmimpl >/dev/null 2>&1 || true
.venv/bin/mypy
.venv/bin/pytest -q -p no:cacheprovider "$@"
