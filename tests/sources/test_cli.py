"""`python -m bot sources poll --once` and `sources list` against a loopback feed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bot.db.engine import create_engine
from bot.db.schema import ensure_schema
from bot.sources.guard import AllowList
from bot.store import Store
from bot.store.curation import Writer
from tests.sources.feeds import ThreadedFeeds

REPO = Path(__file__).resolve().parent.parent.parent


def _bot(*args: str, db: Path, allow: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(db.parent),
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "SOURCE_ALLOW_HOSTS": allow,
        "SOURCE_MIN_INTERVAL_SECONDS": "0",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=db.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _add_sources(db: Path, urls: list[str], allow: AllowList) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await ensure_schema(engine)
        store = Store(engine, cache_ttl=0)
        writer = Writer(user_id=1, guild_id=42, can_curate=True)
        for url in urls:
            await store.sources.add_source(writer, url=url, allow=allow, label=url.rsplit("/", 1)[1])
    finally:
        await engine.dispose()


def test_poll_once_then_list(tmp_path: Path) -> None:
    """poll --once prints drafts per source and errors by name; list shows state; a second poll has nothing due."""
    with ThreadedFeeds() as feeds:
        parts = urlsplit(feeds.base)
        allow = f"{parts.hostname}:{parts.port}"
        db = tmp_path / "s.db"
        asyncio.run(
            _add_sources(db, [feeds.url("/rss2.xml"), feeds.url("/laughs.xml")], AllowList.parse(allow))
        )
        done = _bot("sources", "poll", "--once", db=db, allow=allow)
        assert done.returncode == 0, done.stderr
        assert "#1 rss2.xml: 2 new draft(s)" in done.stdout
        assert "#2 laughs.xml: error: the XML declares entities" in done.stdout
        again = _bot("sources", "poll", "--once", db=db, allow=allow)
        assert again.returncode == 0, again.stderr
        assert "no source is due" in again.stdout
        listing = _bot("sources", "list", db=db, allow=allow)
        assert listing.returncode == 0, listing.stderr
        assert "#1 rss2.xml [server 42, active]" in listing.stdout
        assert "drafts waiting 2" in listing.stdout
        assert "last error (1 in a row): the XML declares entities" in listing.stdout
