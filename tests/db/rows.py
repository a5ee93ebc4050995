"""Representative rows for whatever tables a revision has, and a check that they survived.

Rows are made from the reflected schema, so the data-preserving test needs no change when a
revision adds a table or a column. A column whose constraints a generated value cannot meet
(a CHECK, say) gets its values from OVERRIDES.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import MetaData, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.migrations import is_search_table
from bot.db.schema import VERSION_TABLE
from bot.db.search import SEARCH_TABLE, backend_for

ROWS_PER_TABLE = 2
# (table, column) → value for row i, where the generated value would break a constraint.
OVERRIDES: dict[tuple[str, str], Callable[[int], Any]] = {}

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]  # table → primary key → row

SEARCH_DOCS = [
    {
        "entry_id": f"doc-{i}",
        "guild_id": 0,
        "kind": "event",
        "title": f"Zebra crossing {i}",
        "body": "Ünïcode ✓",
    }
    for i in range(ROWS_PER_TABLE)
]


def _reflect(conn: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(conn, only=lambda name, _md: name != VERSION_TABLE and not is_search_table(name))
    return metadata


def _value(table: Table, column: sa.Column[Any], i: int) -> Any:
    override = OVERRIDES.get((table.name, column.name))
    if override is not None:
        return override(i)
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.BigInteger):
        return 2**53 + i  # survives only as a real 64-bit integer
    if isinstance(kind, sa.Integer):
        return 1000 + i
    if isinstance(kind, sa.Numeric):
        return Decimal("1.5") + i if kind.asdecimal else 1.5 + i
    if isinstance(kind, sa.DateTime):
        moment = datetime(2025, 3, 17, 12, 30, 15, 123456, tzinfo=UTC) + timedelta(days=i)
        return moment if kind.timezone else moment.replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return date(2025, 3, 17) + timedelta(days=i)
    if isinstance(kind, sa.Time):
        return time(12, 30, i)
    if isinstance(kind, sa.JSON):
        return {"row": i, "list": ["ü", None, 1.5], "nested": {"ok": True}}
    if isinstance(kind, sa.Enum):
        return kind.enums[i % len(kind.enums)]
    if isinstance(kind, sa.LargeBinary):
        return bytes([i, 0, 255])
    if isinstance(kind, sa.String):
        value = f"{i}-{table.name}.{column.name} – ünïcode ✓"
        return value[: kind.length] if kind.length else value
    raise TypeError(f"no sample value for {table.name}.{column.name} ({kind!r}): add it to OVERRIDES")


def _fill(conn: Connection) -> None:
    written: dict[str, list[dict[str, Any]]] = {}
    for table in _reflect(conn).sorted_tables:  # parents before children
        rows = []
        for i in range(ROWS_PER_TABLE):
            row = {}
            for column in table.columns:
                fk = next(iter(column.foreign_keys), None)
                if fk is not None:
                    row[column.name] = written[fk.column.table.name][i][fk.column.name]
                else:
                    row[column.name] = _value(table, column, i)
            rows.append(row)
        conn.execute(table.insert(), rows)
        written[table.name] = rows
    if sa.inspect(conn).has_table(SEARCH_TABLE):
        conn.execute(
            text(
                f"INSERT INTO {SEARCH_TABLE} (entry_id, guild_id, kind, title, body) "  # noqa: S608
                "VALUES (:entry_id, :guild_id, :kind, :title, :body)"
            ),
            SEARCH_DOCS,
        )


def _snapshot(conn: Connection) -> Snapshot:
    snapshot: Snapshot = {}
    for table in _reflect(conn).sorted_tables:
        key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table))]
        snapshot[table.name] = {tuple(row[k] for k in key): row for row in rows}
    if sa.inspect(conn).has_table(SEARCH_TABLE):
        rows = conn.execute(
            text(f"SELECT entry_id, guild_id, kind, title, body FROM {SEARCH_TABLE}")  # noqa: S608
        )
        snapshot[SEARCH_TABLE] = {(r.entry_id,): dict(r._mapping) for r in rows}
    return snapshot


async def fill(engine: AsyncEngine) -> Snapshot:
    """Insert rows into every table (and the search index) with plain Core; return what is stored."""
    async with engine.begin() as conn:
        await conn.run_sync(_fill)
    return await snapshot(engine)


async def snapshot(engine: AsyncEngine) -> Snapshot:
    """Every row of every table (and the search index), as read back through the reflected schema."""
    async with engine.connect() as conn:
        return await conn.run_sync(_snapshot)


def missing_rows(before: Snapshot, after: Snapshot) -> list[str]:
    """Each row of `before` that `after` lacks or changed (in the columns `before` had)."""
    problems = []
    for table, rows in before.items():
        if table not in after:
            problems.append(f"table {table} is gone ({len(rows)} rows)")
            continue
        for key, old in rows.items():
            new = after[table].get(key)
            if new is None:  # a revision may widen the key (0012: (id) → (id, guild_id))
                new = next((r for r in after[table].values() if {k: r.get(k) for k in old} == old), None)
            if new is None:
                problems.append(f"{table}: row {key} is gone")
            elif {k: new.get(k) for k in old} != old:
                problems.append(f"{table}: row {old} became {new}")
    return problems


async def search_finds_docs(engine: AsyncEngine) -> bool:
    """The full-text index still answers for the documents `fill` wrote."""
    async with AsyncSession(engine) as session:
        backend = backend_for(engine.dialect.name)
        found = await session.run_sync(
            lambda s: backend.ranked(s.connection(), ["zebra"], 0, 10, match_all=True)
        )
    return {r.entry_id for r in found} == {d["entry_id"] for d in SEARCH_DOCS}
