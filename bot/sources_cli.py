"""`python -m bot sources poll [--once]` and `python -m bot sources list`, for operators."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime

from bot.config import load_settings


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "never"


async def _list() -> int:
    from bot.store.startup import open_store

    store = await open_store(load_settings(require_token=False))
    try:
        sources = await store.sources.all_sources()
    finally:
        await store.engine.dispose()
    if not sources:
        print("no sources are watched")
        return 0
    for s in sources:
        scope = "global" if s.guild_id == 0 else f"server {s.guild_id}"
        state = "active" if s.active else "paused"
        print(f"#{s.id} {s.label} [{scope}, {state}] {s.url}")
        print(
            f"    last fetch {_when(s.last_fetch_at)}, last new item {_when(s.last_new_item_at)}, "
            f"drafts waiting {s.waiting}, next due {_when(s.next_due_at)}"
        )
        if s.last_error:
            print(f"    last error ({s.failures} in a row): {s.last_error}")
        if s.skipped:
            print("    skipped items: " + ", ".join(f"{k} ×{v}" for k, v in sorted(s.skipped.items())))
    return 0


async def _poll(once: bool) -> int:
    from bot.discord_app.client import poll_settings
    from bot.sources.poller import Poller
    from bot.store.startup import open_store

    settings = load_settings(require_token=False)
    store = await open_store(settings)
    poller = Poller(store, poll_settings(settings))
    try:
        while True:
            results = await poller.poll_once()
            for r in results:
                if r.error:
                    print(f"#{r.source_id} {r.label}: error: {r.error}")
                else:
                    merged = f" ({r.merged} joined existing drafts)" if r.merged else ""
                    print(f"#{r.source_id} {r.label}: {r.new_drafts} new draft(s){merged}")
            if once:
                if not results:
                    print("no source is due")
                return 0
            await asyncio.sleep(min(settings.source_poll_seconds, 30.0))
    finally:
        await poller.stop()
        await store.engine.dispose()


def cmd_sources(args: argparse.Namespace) -> int:
    """Dispatch `sources poll` / `sources list`."""
    if args.action == "list":
        return asyncio.run(_list())
    return asyncio.run(_poll(args.once))


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `sources` on the CLI."""
    p = sub.add_parser("sources", help="watched feeds: `sources poll [--once]`, `sources list`")
    actions = p.add_subparsers(dest="action", required=True)
    poll = actions.add_parser("poll", help="fetch due sources now and print what was drafted")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit")
    actions.add_parser("list", help="every watched source and its state")
    p.set_defaults(fn=cmd_sources)
