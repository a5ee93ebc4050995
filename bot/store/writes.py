"""Writes: idempotent import of curated datasets (upsert by stable id), each in one transaction.

Every change appends an audit row in the same transaction and refreshes the search index.
A write into one server's scope can never touch a global entry or another server's entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dataset.records import Dataset
from bot.dataset.validate import validate
from bot.db.locks import advisory_xact_lock
from bot.db.models import MetaRow
from bot.db.search import SearchBackend
from bot.domain import GLOBAL_SCOPE
from bot.store.audit_gate import enter_audited_write
from bot.store.catalog import (
    ALL_SCOPES,
    CATALOG_VERSION_KEY,
    CONTENT_VERSION_KEY,
    SCOPE_VERSION_PREFIX,
    Catalog,
)
from bot.store.importing import CollectedRows, ImportReport, ImportTx, KnownRows

__all__ = ["ImportReport", "Writes", "bump_catalog_version", "bump_content_version"]

IMPORT_LOCK_KEY = 0x42_52_49_46  # an arbitrary constant naming the import advisory lock


class _Rejected(Exception):
    """Raised inside the import transaction to roll it back."""


async def bump_catalog_version(session: AsyncSession, scope: int | Iterable[int] | None = None) -> None:
    """Mark actors/topics of `scope` (several scopes; None: of any scope) as changed so every
    process re-reads them."""
    version = uuid.uuid4().hex
    scopes = [scope] if scope is None or isinstance(scope, int) else list(scope)
    values = {CATALOG_VERSION_KEY: version}
    values.update((SCOPE_VERSION_PREFIX + (ALL_SCOPES if s is None else str(s)), version) for s in scopes)
    await _set_meta(session, values)


async def bump_content_version(session: AsyncSession) -> None:
    """Mark positions/events as changed so every process drops its cached answers."""
    await _set_meta(session, {CONTENT_VERSION_KEY: uuid.uuid4().hex})


async def _set_meta(session: AsyncSession, values: dict[str, str]) -> None:
    """Insert or update meta rows in one statement (`merge` costs a SELECT and a write per row)."""
    dialect = (await session.connection()).dialect.name
    if dialect not in ("sqlite", "postgresql"):
        for key, value in values.items():
            await session.merge(MetaRow(key=key, value=value))
        return
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    stmt = insert(MetaRow).values([{"key": k, "value": v} for k, v in values.items()])
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[MetaRow.key], set_={"value": stmt.excluded.value})
    )


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
        await tx.load_visible_names(ds)
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
        new_entries: bool = False,
        based_on: tuple[str, int] | None = None,
    ) -> ImportReport:
        """Upsert every entry of `ds` into one scope in one transaction; nothing is written on any problem.

        `new_entries`: the positions and events are new; their ids are stems, each replaced by a
        free id inside the transaction (never an update). `based_on`: (entry id, revision) an edit
        started from; StaleEdit if the entry changed since.
        """
        snap = await self._catalog.get()
        visible = guild_id or None
        problems = validate(ds, known=snap.known_names(visible))
        if problems:
            return ImportReport(problems=problems)
        tx: ImportTx | None = None
        try:
            async with self._sessions() as session, session.begin():
                await enter_audited_write(session)
                # one import at a time (e.g. two processes seeding)
                await advisory_xact_lock(session, IMPORT_LOCK_KEY)
                tx = ImportTx(
                    session,
                    self._search,
                    guild_id,
                    user_id,
                    reason,
                    new_entries=new_entries,
                    based_on=based_on,
                )
                await tx.run(ds, dry_run=dry_run)
                if tx.report.problems or dry_run:
                    raise _Rejected
                if tx.catalog_changed:
                    await bump_catalog_version(session, guild_id)
                await bump_content_version(session)
        except _Rejected:
            assert tx is not None
            return tx.report
        assert tx is not None
        tx.report.applied = True
        # Even an import that changed nothing may have waited for another process's: re-check.
        self._catalog.invalidate()
        return tx.report

    async def import_servers(
        self,
        datasets: Sequence[tuple[int, Dataset]],
        *,
        dry_run: bool = False,
        reason: Callable[[int], str] = lambda guild_id: f"import {guild_id}",
    ) -> list[ImportReport]:
        """Import each (server id, dataset) into that server's own scope; one report per server, in order.

        One transaction for all of them, each server inside a savepoint: a server with any problem
        writes nothing, the others are written (a server's import reads only the global scope and
        its own, which no other server's import touches, so this is the same as one import each,
        without a commit and a catalog re-read per server). What the servers' imports look up
        (stored names and entry ids) is read for all of them first, one query per table
        (`KnownRows`). The applied servers' new rows, audit rows and search documents are
        inserted together after the last server, one bulk insert per table. Each server at most
        once: a ValueError otherwise, before anything is written.
        """
        guild_ids = [guild_id for guild_id, _ in datasets]
        if len(set(guild_ids)) != len(guild_ids):  # its second import would not see the first's rows
            raise ValueError("import_servers: each server once")
        if GLOBAL_SCOPE in guild_ids:
            raise ValueError("import_servers: a server id, not the global scope")
        snap = await self._catalog.get()
        reports: list[ImportReport] = []
        new_names: list[int] = []  # servers whose own actors or topics changed
        collected = CollectedRows()  # every applied server's new rows: inserted once, at the end
        try:
            async with self._sessions() as session, session.begin():
                await enter_audited_write(session)
                await advisory_xact_lock(session, IMPORT_LOCK_KEY)
                known = await KnownRows.load(session, datasets)
                for guild_id, ds in datasets:
                    problems = validate(ds, known=snap.known_names(guild_id))
                    if problems:
                        reports.append(ImportReport(problems=problems))
                        continue
                    savepoint = await session.begin_nested()
                    tx = ImportTx(session, self._search, guild_id, 0, reason(guild_id), known=known)
                    reports.append(await tx.run(ds, collect_only=True))
                    if tx.report.problems or dry_run:
                        await savepoint.rollback()
                        continue
                    await savepoint.commit()
                    collected.extend(tx.collected)
                    tx.report.applied = True
                    if tx.catalog_changed:
                        new_names.append(guild_id)
                if not any(r.applied for r in reports):
                    raise _Rejected
                await collected.write(session, self._search)
                if new_names:
                    await bump_catalog_version(session, new_names)
                await bump_content_version(session)
        except _Rejected:
            pass
        self._catalog.invalidate()
        return reports
