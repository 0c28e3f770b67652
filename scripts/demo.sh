#!/usr/bin/env bash
# The main job: the samples/hello_http handler invoked through the AWS and the Azure path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
cd "$root"
exec .venv/bin/python -m samples.hello_http "$@"
