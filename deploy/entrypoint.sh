#!/bin/sh
# Container entrypoint: bring the database schema to this version's, then serve.
# Extra arguments go to `run`. BOT_PYTHON overrides the interpreter (tests).
set -eu
PY=${BOT_PYTHON:-python}
"$PY" -m bot migrate
exec "$PY" -m bot run "$@"
