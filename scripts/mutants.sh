#!/usr/bin/env bash
# Hand-made mutants (issue 12 §9): each modelled bug must be caught by the tests named for it.
# Runs the project's venv (.venv; scripts/test.sh makes it) on a scratch copy per mutant, two at a
# time; prints killed/survived per mutant and the score; exits non-zero if any survives or no
# longer applies. Options: -k NAME, --check, --list, --workers N, --all-databases (scripts/mutants.py).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "no .venv: run scripts/test.sh once (it installs the project with its test tools)" >&2
  exit 2
fi
exec .venv/bin/python scripts/mutants.py "$@"
