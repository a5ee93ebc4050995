"""Fixtures: the loopback feed server, and a guarded session that allows only it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.sources.fetch import make_session
from bot.sources.guard import AllowList
from tests.sources.feeds import FeedServer, serve_feeds


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    """The feed server on 127.0.0.1 (an ephemeral port)."""
    async for server in serve_feeds():
        yield server


@pytest.fixture
def allow(feeds: FeedServer) -> AllowList:
    """An allow list naming only the feed server's host:port (as SOURCE_ALLOW_HOSTS would)."""
    parts = urlsplit(feeds.base)
    return AllowList.parse(f"{parts.hostname}:{parts.port}")


@pytest.fixture
async def http(allow: AllowList) -> AsyncIterator[aiohttp.ClientSession]:
    """A guarded session with a short total timeout (the slow feed answers after 30 s)."""
    session = make_session(allow, timeout=1.0)
    yield session
    await session.close()


from tests.store.conftest import seeded, store  # noqa: E402, F401 - the real SQLite/PostgreSQL stores
