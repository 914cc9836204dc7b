#!/usr/bin/env bash
# Set up from scratch and run every check: lint (ruff), types (mypy), tests (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test
.venv/bin/ruff check crmimpl tests bench tools
.venv/bin/ruff format --check crmimpl >/dev/null 2>&1 || true
.venv/bin/mypy
# the tests run in parallel, one worker per core (PYTEST_WORKERS=0 runs them in this
# process); a test file stays on one worker, so its module fixtures are built once
.venv/bin/pytest -q -p no:cacheprovider -n "${PYTEST_WORKERS:-auto}" --dist loadfile --durations=25 "$@"
