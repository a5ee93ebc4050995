"""Writes: idempotent import of curated datasets (upsert by stable id), each in one transaction.

Every change appends an audit row in the same transaction and refreshes the search index.
A write into one server's scope can never touch a global entry or another server's entry.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dataset.records import Dataset
from bot.dataset.validate import validate
from bot.db.models import MetaRow
from bot.db.search import SearchBackend
from bot.domain import GLOBAL_SCOPE
from bot.store.catalog import CATALOG_VERSION_KEY, CONTENT_VERSION_KEY, Catalog
from bot.store.importing import ImportReport, ImportTx

__all__ = ["ImportReport", "Writes", "bump_catalog_version", "bump_content_version"]

IMPORT_LOCK_KEY = 0x42_52_49_46  # an arbitrary constant naming the import advisory lock


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


async def bump_catalog_version(session: AsyncSession) -> None:
    """Mark actors/topics as changed so every process re-reads its catalog."""
    await session.merge(MetaRow(key=CATALOG_VERSION_KEY, value=uuid.uuid4().hex))


async def bump_content_version(session: AsyncSession) -> None:
    """Mark positions/events as changed so every process drops its cached answers."""
    await session.merge(MetaRow(key=CONTENT_VERSION_KEY, value=uuid.uuid4().hex))


class Writes:
    """The write side of the store."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: Catalog, search_backend: SearchBackend
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._search = search_backend

    async def reindex(self, session: AsyncSession, ds: Dataset, guild_id: int) -> None:
        """Put the positions and events of `ds` (already stored in `guild_id`) back into the search index."""
        tx = ImportTx(session, self._search, guild_id, 0, "")
        await tx.load_visible_names()
        docs = [tx.position_doc(p) for p in ds.positions] + [tx.event_doc(e) for e in ds.events]
        await self._search.put_many(session, docs)

    async def import_dataset(
        self,
        ds: Dataset,
        *,
        guild_id: int = GLOBAL_SCOPE,
        user_id: int = 0,
        dry_run: bool = False,
        reason: str = "import",
    ) -> ImportReport:
        """Upsert every entry of `ds` into one scope in one transaction; nothing is written on any problem."""
        snap = await self._catalog.get()
        visible = guild_id or None
        problems = validate(ds, snap.actors.all(visible), snap.topics.all(visible))
        if problems:
            return ImportReport(problems=problems)
        tx: ImportTx | None = None
        try:
            async with self._sessions() as session, session.begin():
                conn = await session.connection(execution_options={"sqlite_immediate": True})
                if conn.dialect.name == "postgresql":  # one import at a time (e.g. two processes seeding)
                    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK_KEY})
                tx = ImportTx(session, self._search, guild_id, user_id, reason)
                await tx.run(ds)
                if tx.report.problems or dry_run:
                    raise _Rejected
                if tx.catalog_changed:
                    await bump_catalog_version(session)
                await bump_content_version(session)
        except _Rejected:
            assert tx is not None
            return tx.report
        assert tx is not None
        tx.report.applied = True
        # Even an import that changed nothing may have waited for another process's: re-check.
        self._catalog.invalidate()
        return tx.report
