#!/usr/bin/env bash
# Install the bot with its test tools into .venv, lint and type-check it, and run the whole test suite
# (unit, store on SQLite and PostgreSQL, end-to-end through the local Discord simulator).
# PostgreSQL tests use TEST_POSTGRES_URL (default: postgres@127.0.0.1:5432/test); without a
# server they skip with the reason, except with CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Strict types on bot/ and cogs/ (settings and the modules not yet checked: [tool.mypy] in pyproject.toml).
.venv/bin/mypy
# Four workers: most of a test waits on sockets, subprocesses and the databases, not the CPU
# (TEST_WORKERS=0 runs in one process, e.g. to debug one test).
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-4}" "$@"
