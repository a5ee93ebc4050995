"""Load a synthetic store straight into a database (fast path; not the `import` code path).

The rows, audit entries and search documents are the ones `python -m bot import` writes (built
with the store's own helpers), inserted in batches instead of entry by entry, so a large store
is ready in seconds. The search index is left as the import leaves it (merged on SQLite, once for
the global files and once for all servers' files). The import itself is benchmarked separately
(bench/importing.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from bot.dataset import load_dataset
from bot.dataset.records import Dataset
from bot.db.models import (
    ActorRow,
    AuditRow,
    EventActorRow,
    EventRow,
    EventTopicRow,
    PositionRow,
    TopicRow,
    utcnow,
)
from bot.db.search import backend_for
from bot.domain import GLOBAL_SCOPE
from bot.store.convert import source_to_dict
from bot.store.writes import bump_catalog_version

try:  # open_store/prepare_schema moved out of the Discord package in 313988b (run older code with --code)
    from bot.store.startup import prepare_schema
except ImportError:  # pragma: no cover - older bot code
    from bot.discord_app.runner import prepare_schema  # type: ignore[attr-defined, no-redef]

try:  # the import code lives in bot.store.importing since d77aa1b (run older code with --code)
    from bot.store.importing import ImportTx, actor_values, event_values, position_values, topic_values
except ImportError:  # pragma: no cover - older bot code
    from bot.store.writes import (  # type: ignore[attr-defined, no-redef]
        _ImportTx as ImportTx,
    )
    from bot.store.writes import (
        actor_values,
        event_values,
        position_values,
        topic_values,
    )

BATCH = 2000
REASON = "bench bulk load"


def _batches(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


async def _insert(conn: AsyncConnection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _batches(rows):
        await conn.execute(insert(table), list(chunk))


async def _search_docs(conn: AsyncConnection, docs: Sequence[dict[str, Any]]) -> None:
    statement = text(
        "INSERT INTO entry_search (entry_id, guild_id, kind, title, body, names) "
        "VALUES (:entry_id, :guild_id, :kind, :title, :body, :names)"
    )
    for chunk in _batches(docs):
        await conn.execute(statement, list(chunk))


def _audit(guild_id: int, kind: str, entry_id: str, after: dict[str, Any]) -> dict[str, Any]:
    return {
        "guild_id": guild_id,
        "entry_kind": kind,
        "entry_id": entry_id,
        "action": "create",
        "user_id": 0,
        "at": utcnow(),
        "before": None,
        "after": after,
        "reason": REASON,
    }


async def _names(conn: AsyncConnection, guild_id: int, tx: ImportTx) -> None:
    """Fill the id and name maps with what `guild_id` sees (its own entries win)."""
    scopes = (GLOBAL_SCOPE, guild_id)
    for row in await conn.execute(
        select(ActorRow.id, ActorRow.slug, ActorRow.name, ActorRow.guild_id).where(
            ActorRow.guild_id.in_(scopes)
        )
    ):
        if row.guild_id == guild_id or row.slug not in tx.actor_ids:
            tx.actor_ids[row.slug], tx.actor_names[row.slug] = row.id, row.name
    for row in await conn.execute(
        select(TopicRow.id, TopicRow.slug, TopicRow.title, TopicRow.guild_id).where(
            TopicRow.guild_id.in_(scopes)
        )
    ):
        if row.guild_id == guild_id or row.slug not in tx.topic_ids:
            tx.topic_ids[row.slug], tx.topic_titles[row.slug] = row.id, row.title


async def load_scope(conn: AsyncConnection, ds: Dataset, guild_id: int) -> int:
    """Insert one scope's dataset; returns the number of entries written."""
    audit: list[dict[str, Any]] = []
    await _insert(
        conn,
        ActorRow.__table__,
        [{"guild_id": guild_id, "slug": a.slug, **actor_values(a)} for a in ds.actors],
    )
    await _insert(
        conn,
        TopicRow.__table__,
        [{"guild_id": guild_id, "slug": t.slug, **topic_values(t)} for t in ds.topics],
    )
    audit += [_audit(guild_id, "actor", a.slug, actor_values(a)) for a in ds.actors]
    audit += [_audit(guild_id, "topic", t.slug, topic_values(t)) for t in ds.topics]
    tx = ImportTx(None, None, guild_id, 0, REASON)  # type: ignore[arg-type]  # only its naming helpers
    await _names(conn, guild_id, tx)
    positions, docs = [], []
    for p in ds.positions:
        values = position_values(p)
        positions.append({"id": p.id, "guild_id": guild_id, **tx.position_columns(p, values["sources"])})
        audit.append(_audit(guild_id, "position", p.id, values))
        docs.append(tx.position_doc(p))
    events, links_a, links_t = [], [], []
    for e in ds.events:
        events.append(
            {
                "id": e.id,
                "guild_id": guild_id,
                "occurred_on": e.date.value,
                "precision": e.date.precision,
                "title": e.title,
                "summary": e.summary,
                "status": e.status.value,
                "status_note": e.status_note,
                "sources": [source_to_dict(s) for s in e.sources],
            }
        )
        links_a += [
            {"event_id": e.id, "guild_id": guild_id, "actor_id": tx.actor_ids[a]} for a in set(e.actors)
        ]
        links_t += tx.topic_links(e)
        audit.append(_audit(guild_id, "event", e.id, event_values(e)))
        docs.append(tx.event_doc(e))
    await _insert(conn, PositionRow.__table__, positions)
    await _insert(conn, EventRow.__table__, events)
    await _insert(conn, EventActorRow.__table__, links_a)
    await _insert(conn, EventTopicRow.__table__, links_t)
    await _insert(conn, AuditRow.__table__, audit)
    await _search_docs(
        conn,
        [
            {
                "entry_id": d.entry_id,
                "guild_id": d.guild_id,
                "kind": d.kind,
                "title": d.title,
                "body": d.body,
                "names": d.names,
            }
            for d in docs
        ],
    )
    return len(ds)


async def _after_bulk(conn: AsyncConnection, documents: int) -> None:
    """What an import does once it has indexed `documents` documents (SQLite: merge the index)."""
    after_bulk = getattr(backend_for(conn.dialect.name), "after_bulk", None)  # None in older code
    if after_bulk is not None:
        async with AsyncSession(bind=conn) as session:
            await after_bulk(session, documents)


async def bulk_load(engine: AsyncEngine, root: Path, guild_ids: Sequence[int]) -> int:
    """Create the schema and load `root`/global plus `root`/servers/<id> for each id; returns entries."""
    await prepare_schema(engine, auto_migrate=True)
    dataset, problems = load_dataset(root / "global")
    if problems:
        raise RuntimeError(f"synthetic data has problems: {problems[:3]}")
    total = 0
    async with engine.begin() as conn:
        total += await load_scope(conn, dataset, GLOBAL_SCOPE)
        await _after_bulk(conn, len(dataset.positions) + len(dataset.events))
    documents = 0  # the servers' (`python -m bot import --servers` indexes them in one transaction)
    for guild_id in guild_ids:
        local, problems = load_dataset(root / "servers" / str(guild_id), dataset.actors, dataset.topics)
        if problems:
            raise RuntimeError(f"synthetic data for {guild_id} has problems: {problems[:3]}")
        async with engine.begin() as conn:
            total += await load_scope(conn, local, guild_id)
        documents += len(local.positions) + len(local.events)
    async with engine.begin() as conn:
        await _after_bulk(conn, documents)
    async with AsyncSession(engine) as session, session.begin():
        await bump_catalog_version(session)
    if engine.dialect.name == "postgresql":  # autovacuum does this soon after a real import
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    return total


def main(argv: list[str] | None = None) -> int:
    """Command line: load DIR into the database at --db-url; prints entries and seconds as JSON."""
    import argparse
    import asyncio
    import json
    import time

    from bench.synthetic import Manifest
    from bot.db.engine import create_engine

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--root", type=Path, required=True)
    args = parser.parse_args(argv)
    manifest = Manifest.load(args.root / "manifest.json")

    async def go() -> int:
        engine = create_engine(args.db_url)
        try:
            return await bulk_load(engine, args.root, manifest.guild_ids)
        finally:
            await engine.dispose()

    start = time.perf_counter()
    entries = asyncio.run(go())
    print(json.dumps({"entries": entries, "seconds": time.perf_counter() - start}))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
