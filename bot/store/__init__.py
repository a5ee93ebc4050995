"""The domain store: actors, topics, positions with history, events, search, audit log.

Knows nothing of Discord. Each call opens its own session and returns plain domain objects.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import make_read_sessionmaker, make_sessionmaker
from bot.db.models import ActorRow, MetaRow
from bot.db.onehop import OneHop
from bot.db.search import backend_for
from bot.store.catalog import Catalog
from bot.store.changes import ChangeLog
from bot.store.curation import Curation
from bot.store.digests import Digests
from bot.store.reads import Reads
from bot.store.sources import Sources
from bot.store.writes import Writes

__all__ = ["Store"]


class Store:
    """The store's entry point: `reads` for queries, `writes` for imports, `curation` for curators."""

    def __init__(self, engine: AsyncEngine, *, cache_ttl: float = 5.0) -> None:
        self.engine = engine
        self.sessions = make_sessionmaker(engine)
        self.read_sessions = make_read_sessionmaker(engine)
        self.search_backend = backend_for(engine.dialect.name)
        self.catalog = Catalog(self.sessions, cache_ttl)
        self.reads = Reads(
            self.sessions, self.catalog, self.search_backend, self.read_sessions, OneHop(engine)
        )
        self.writes = Writes(self.sessions, self.catalog, self.search_backend)
        self.curation = Curation(self.sessions, self.reads, self.writes, self.search_backend)
        self.digests = Digests(self.sessions)
        self.sources = Sources(self.sessions, self.curation, self.reads)
        self.changes = ChangeLog(self.sessions, self.catalog)

    async def is_empty(self) -> bool:
        """True when no actor exists yet (a fresh database)."""
        async with self.sessions() as session:
            return not await session.scalar(select(func.count()).select_from(ActorRow))

    async def get_meta(self, key: str) -> str | None:
        """A stored fact about the store, e.g. the last synced command-tree hash."""
        async with self.sessions() as session:
            return await session.scalar(select(MetaRow.value).where(MetaRow.key == key))

    async def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the store (an upsert: two processes starting together may both write it)."""
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        stmt = insert(MetaRow).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(index_elements=[MetaRow.key], set_={"value": value})
        async with self.sessions.begin() as session:
            await session.execute(stmt)
