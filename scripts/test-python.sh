#!/usr/bin/env bash
# The Python package's checks (CI runs this): makes a virtual environment in
# target/py-venv, installs the pinned test tools
# (crates/kefu-lint-py/requirements-test.txt) and the package from this
# checkout (`pip install ./crates/kefu-lint-py`, a release build through
# maturin), then runs mypy --strict over the tests and examples, stubtest
# (the .pyi stubs against the compiled module) and pytest. Exits non-zero on
# the first failure. Needs Rust and Python 3.9+ (python3, or $PYTHON), and
# PyPI for the test tools.
#
#   scripts/test-python.sh               # everything
#   scripts/test-python.sh -k offsets    # arguments go to pytest
set -euo pipefail

cd "$(dirname "$0")/.."
venv=target/py-venv
crate=crates/kefu-lint-py

if [[ ! -x $venv/bin/python ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
py=$venv/bin/python
# As if activated: the maturin build backend runs the `maturin` it installed.
export PATH="$PWD/$venv/bin:$PATH"
"$py" -m pip install --quiet --disable-pip-version-check -r "$crate/requirements-test.txt"
# maturin comes from the requirements above; the build reuses target/.
"$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps "./$crate"

echo "== mypy --strict"
"$py" -m mypy --strict "$crate/tests" examples/python
echo "== stubtest"
"$py" -m mypy.stubtest kefu_lint
echo "== pytest"
"$py" -m pytest "$crate/tests" -q "$@"
