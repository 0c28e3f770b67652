#!/usr/bin/env bash
# Creates .venv313: Python 3.13 with the real Azure Functions Python runtime, for the runtime
# tests (faaskit.testing.azure_host finds .venv313/bin/python). Idempotent and quiet: does
# nothing when the environment is already complete.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=.venv313
packages=(azure-functions-runtime azure-functions-runtime-v1 azure-functions protobuf grpcio attrs)
probe='import azure_functions_runtime, azure.functions, tests.protos.FunctionRpc_pb2, attrs'

say() { printf '[faaskit setup] %s\n' "$*" >&2; }

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -E -P -c "$probe" 2>/dev/null; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  if PYENV_VERSION=3.13.0 python3.13 --version >/dev/null 2>&1; then
    python=(env PYENV_VERSION=3.13.0 python3.13)
  elif command -v python3.13 >/dev/null 2>&1; then
    python=(python3.13)
  else
    say "python3.13 not found: the Azure runtime tests will be skipped"
    exit 0
  fi
  say "creating $venv with $("${python[@]}" --version 2>&1)"
  "${python[@]}" -m venv "$venv"
fi

say "installing the Azure Functions Python runtime into $venv"
"$venv/bin/python" -m pip install -qq --disable-pip-version-check "${packages[@]}"
"$venv/bin/python" -E -P -c "$probe"
