#!/usr/bin/env bash
# The project's test command (CI runs exactly this): lint, the full suite with the live
# embedded-model tests, and the eval gate on the project's own gold set.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/ruff" check .
"$VENV/bin/pytest" -q
