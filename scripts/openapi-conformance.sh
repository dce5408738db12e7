#!/usr/bin/env bash
# Runs schemathesis (from PyPI, in a virtual environment) against a live `tact serve` on demo data:
# thousands of generated requests, valid and invalid, checked against /openapi.json (status codes,
# content types, response schemas, 5xx, 405 for undeclared methods, stateful key create/revoke).
#
#   scripts/openapi-conformance.sh [EXAMPLES_PER_OPERATION]
#
# Known and accepted: ST201 on POST /v1/events for a body over --max-body answered 413 (schemathesis
# expects another 4xx for a schema violation).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-60}
venv=.venv-conformance
[ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
swift build -c release --product tact >&2
tact=$PWD/.build/release/tact
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; }; rm -rf "$work"' EXIT
export TACT_SECRET=$(printf 'd%.0s' $(seq 64)) TACT_LOG_LEVEL=warning
"$tact" demo --data "$work/data" --users 300 --items 100 --interactions 6000 >/dev/null
key=$("$tact" keys create --name conformance --scopes admin --data "$work/data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
"$tact" serve --data "$work/data" --port 18790 --rate 1000000 --burst 1000000 2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18790/health/ready >/dev/null && break; sleep 0.2; done
"$venv/bin/schemathesis" run http://127.0.0.1:18790/openapi.json -H "Authorization: Bearer $key" -n "$examples" --checks all
