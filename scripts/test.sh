#!/usr/bin/env bash
# Runs faaskit's whole test suite. Test fixtures start (and stop) the moto server and Azurite on
# loopback themselves; arguments are passed on to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh" --runtimes
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
exec .venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup "$@"
