#!/usr/bin/env bash
# Schemathesis (property-based API testing, pinned from PyPI into its own
# venv) against `kefu-lint serve`: starts the binary on a free loopback port,
# reads the service's own /openapi.json, and sends a bounded number of
# generated requests per operation with a fixed seed. Fails on a 5xx, an
# answer that breaks the document (status, content type, headers, body
# schema), schema-invalid data accepted, or schema-valid data refused, except
# the refusals an OpenAPI document cannot express, which
# scripts/schemathesis_hooks.py names with their reasons.
#
#   scripts/schemathesis.sh                       # the debug binary (built if needed), 30 examples, seed 1
#   PROFILE=release ST_EXAMPLES=200 ST_SEED=7 scripts/schemathesis.sh
#
# .ci/run calls it after the tests; it takes well under a minute there.
# The report (JUnit XML) and schemathesis's cache go to target/schemathesis/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh
profile=${PROFILE:-debug}
examples=${ST_EXAMPLES:-30}
seed=${ST_SEED:-1}
out=target/schemathesis
venv=target/schemathesis-venv
mkdir -p "$out"

if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5

if [ "$profile" = release ]; then
  cargo build --locked --release -p kefu-lint-cli
else
  cargo build --locked -p kefu-lint-cli
fi
bin=${CARGO_TARGET_DIR:-target}/$profile/kefu-lint

log=$out/serve.log
start_service "$bin" "$log"

# The hooks' own examples first: a known refusal must be exactly that.
PYTHONPATH=scripts "$venv/bin/python" -m doctest scripts/schemathesis_hooks.py
echo "== schemathesis $examples examples per operation, seed $seed, against $address"
# All checks but four that do not apply: ignored_auth (the service has no
# authentication), and use_after_free, ensure_resource_availability and
# object_level_authorization (about resources created and deleted; this API
# has none). The stateful phase needs OpenAPI links, which the document has none of.
# Run from target/schemathesis: schemathesis keeps a cache in .schemathesis/ of the current directory.
root=$PWD
cd "$out"
SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$root/scripts" "$root/$venv/bin/schemathesis" --no-color run \
  "$address/openapi.json" --url "$address" \
  --checks all --exclude-checks ignored_auth,use_after_free,ensure_resource_availability,object_level_authorization \
  --max-examples "$examples" --seed "$seed" --workers 1 --no-shrink \
  --phases examples,coverage,fuzzing \
  --request-timeout 10 --generation-database none \
  --report junit --report-dir .
