#!/usr/bin/env bash
# Reference numbers for the privacy accountant from Google's dp-accounting (PyPI), in a virtual environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv-dp
"$venv/bin/python" -c 'import dp_accounting' 2>/dev/null || { python3 -m venv "$venv" && "$venv/bin/pip" install -q dp-accounting; }
exec "$venv/bin/python" Benchmarks/dp-accounting/reference.py "$@"
