#!/usr/bin/env bash
# Re-record the HTTP cassettes (tests/cassettes/) against a real model server.
#   bash scripts/record.sh                 # the embedded Gemma model behind python -m llama_cpp.server
#   OPENAI_API_KEY=sk-… bash scripts/record.sh    # OpenAI (EXTRACTOR_TEST_MODEL, default gpt-4o-mini)
# Extra arguments go to pytest, e.g. -k reask to re-record one test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
export EXTRACTOR_RECORD=1

if [ -n "${OPENAI_API_KEY:-}" ]; then
  export EXTRACTOR_TEST_BASE_URL=${EXTRACTOR_TEST_BASE_URL:-https://api.openai.com/v1}
  export EXTRACTOR_TEST_MODEL=${EXTRACTOR_TEST_MODEL:-gpt-4o-mini}
  export EXTRACTOR_TEST_SERVER=openai
else
  port=${EXTRACTOR_RECORD_PORT:-18765}
  model_path=${EXTRACTOR_MODEL_PATH:-$("$PY" -c 'from extractor.backends.local import default_model_path; print(default_model_path())')}
  model_name=$(basename "$model_path" .gguf)
  "$PY" -m llama_cpp.server --model "$model_path" --model_alias "$model_name" --host 127.0.0.1 --port "$port" \
    --n_ctx 4096 --seed 0 > "${TMPDIR:-/tmp}/extractor-record-server.log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true; wait $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v1/models', timeout=1)" 2>/dev/null && break
    kill -0 $server_pid 2>/dev/null || { echo "record: the server died, see ${TMPDIR:-/tmp}/extractor-record-server.log"; exit 1; }
    sleep 0.5
  done
  export EXTRACTOR_TEST_BASE_URL="http://127.0.0.1:$port/v1" EXTRACTOR_TEST_MODEL="$model_name"
  export EXTRACTOR_TEST_SERVER="llama_cpp.server $("$PY" -c 'import llama_cpp; print(llama_cpp.__version__)')"
fi
"$PY" -m pytest -q -m cassette -p no:cacheprovider "$@"
