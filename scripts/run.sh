#!/usr/bin/env bash
# Install the bot into .venv (only when pyproject.toml or requirements.lock changed since the last
# install) and run it. Without DISCORD_TOKEN (environment or .env) it runs offline instead: it
# prints what the bot answers to a few commands, with no Discord at all. Once installed, it starts
# without the package index.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi

# What the install depends on; its hash is kept in .venv so an unchanged tree installs nothing.
stamp_file=.venv/.briefing-install-stamp
stamp=$( (cat pyproject.toml; [ ! -f requirements.lock ] || cat requirements.lock) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp_file" 2>/dev/null || true)" != "$stamp" ]; then
  echo "Installing the bot into .venv (pyproject.toml or requirements.lock changed)…" >&2
  if [ -f requirements.lock ]; then
    .venv/bin/python -m pip install -qq --disable-pip-version-check --require-hashes -r requirements.lock
    .venv/bin/python -m pip install -qq --disable-pip-version-check --no-deps -e .
  else
    .venv/bin/python -m pip install -qq --disable-pip-version-check -e .
  fi
  echo "$stamp" > "$stamp_file"
fi

token=${DISCORD_TOKEN:-}
if [ -z "$token" ] && [ -f .env ]; then
  token=$(grep -E '^DISCORD_TOKEN=' .env | tail -n1 | cut -d= -f2- | tr -d '"'"'" || true)
fi
if [ -n "$token" ]; then
  exec .venv/bin/python -m bot run
fi

echo "No DISCORD_TOKEN set: showing the offline preview (same store and rendering as the bot)."
echo "Set DISCORD_TOKEN in .env (see .env.example) to connect to Discord."
for cmd in "/brief peace-talks" "/position russia" "/compare peacekeepers united-kingdom russia" "/search irreversible path"; do
  echo
  echo "════ $cmd"
  .venv/bin/python -m bot preview "$cmd"
done
