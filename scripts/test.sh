#!/usr/bin/env bash
# Runs faaskit's whole test suite. Test fixtures start (and stop) the moto server and Azurite on
# loopback themselves; arguments are passed on to pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh" --runtimes
cd "$root"
export PATH="$root/node_modules/.bin:$PATH"
# The setup above installed the moto server and Azurite: a test that cannot reach them fails.
export FAASKIT_REQUIRE_SERVICES=1
exec .venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup "$@"
