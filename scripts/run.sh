#!/usr/bin/env bash
# Install the bot into .venv and run it. Without DISCORD_TOKEN (environment or .env) it runs
# offline instead: it prints what the bot answers to a few commands, with no Discord at all.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .

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
