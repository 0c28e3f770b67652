#!/usr/bin/env bash
# Sets up everything faaskit's demo and tests need, idempotently: the project virtualenv with
# the `dev` extra, Azurite from npm, and (with --runtimes) the Python 3.13 environment that the
# real Azure Functions runtime needs. Sourced by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '[faaskit setup] %s\n' "$*" >&2; }

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $($python --version 2>&1)"
  "$python" -m venv .venv
fi
stamp=".venv/.faaskit-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing faaskit[dev] into .venv (first run takes a minute)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--services" ] || [ "${1:-}" = "--runtimes" ]; then
  if [ ! -x node_modules/.bin/azurite ]; then
    say "installing Azurite with npm"
    npm install --no-audit --no-fund --silent
  fi
fi
if [ "${1:-}" = "--runtimes" ] && [ -f .ci/setup_py313.sh ]; then
  bash .ci/setup_py313.sh
fi
