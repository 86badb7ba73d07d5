#!/usr/bin/env bash
# The project's test command (CI runs exactly this): lint, the full suite (cassette replays and the
# live embedded-model tests included), and the eval gate on the project's own gold set.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/ruff" check .
"$VENV/bin/pytest" -q
"$VENV/bin/extractor" eval run --dataset project \
  --fail-under attributions.f1=0.70 --fail-under figures.f1=0.80 --fail-under claims.f1=0.60 \
  --fail-under attributions.fields.speaker=0.50
