"""Writing many rows at once: executemany in batches, PostgreSQL COPY for a large batch.

SQLAlchemy's per-row parameter handling costs more than the database's own work for a bulk load,
so plain tuples go to the driver: one executemany on SQLite, COPY on PostgreSQL from COPY_MIN_ROWS
rows on. Used by the import (bot.store.importing) and the search index (bot.db.search).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Dialect, Table, bindparam, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 500  # ids per IN (...) query: well below SQLite's and asyncpg's parameter limits
INSERT_BATCH = 2000  # rows per executemany
COPY_MIN_ROWS = 1000  # on PostgreSQL, batches at least this large are written with COPY

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def copy_records(
    session: AsyncSession, table: str, columns: Sequence[str], records: Sequence[tuple[Any, ...]]
) -> None:
    """PostgreSQL only: COPY `records` (tuples of `columns`, driver-ready values) into `table`,
    in the session's transaction."""
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    if raw.driver_connection is None:  # an invalidated connection
        raise RuntimeError("the database connection was invalidated")
    await raw.driver_connection.copy_records_to_table(table, records=records, columns=list(columns))


@dataclass(frozen=True, slots=True)
class BulkRows:
    """Rows for one table made ready for the driver (`prepare_bulk`), to be written by `write_bulk`."""

    table: Table
    rows: Sequence[dict[str, Any]]  # as given: for small batches through SQLAlchemy
    columns: Sequence[str] = ()  # of each record
    records: Sequence[tuple[Any, ...]] = ()  # driver-ready values: COPY, or `sql`'s executemany
    sql: str = ""  # SQLite's INSERT; empty: COPY (PostgreSQL) or SQLAlchemy (`records` empty)


def prepare_bulk(dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]]) -> BulkRows:
    """Plain rows (all with the same keys) as `write_bulk` sends them: each value converted by its
    column type's own bind processor — exactly what a Core INSERT would send — into tuples for
    the driver. Pure computation with no connection: it may run on a worker thread while the
    database is busy with another statement of the same transaction.

    So no Python-side column default is applied: every column that has one must be given in the
    rows (a ValueError otherwise).
    """
    if not rows:
        return BulkRows(table, rows)
    pg = dialect.name == "postgresql"
    if (pg and len(rows) < COPY_MIN_ROWS) or dialect.name not in ("postgresql", "sqlite"):
        return BulkRows(table, rows)
    missing = [
        c.name for c in table.columns if c.name not in rows[0] and c.default is not None and not c.primary_key
    ]
    if missing:
        raise ValueError(f"bulk insert into {table.name}: no value for {', '.join(missing)}")
    if pg:
        columns = list(rows[0])
        return BulkRows(table, rows, columns, _records(dialect, table, columns, rows))
    sql, positions = _compiled_insert(table, tuple(rows[0]), dialect)
    return BulkRows(table, rows, positions, _records(dialect, table, list(positions), rows), sql)


async def write_bulk(session: AsyncSession, bulk: BulkRows) -> None:
    """Insert `prepare_bulk`'s rows in the session's transaction: one executemany on SQLite, COPY
    on PostgreSQL for a large batch, SQLAlchemy's INSERT in batches otherwise."""
    if not bulk.rows:
        return
    if not bulk.records:
        for part in chunks(bulk.rows, INSERT_BATCH):
            await session.execute(insert(bulk.table), list(part))
        return
    if not bulk.sql:
        await copy_records(session, bulk.table.name, bulk.columns, bulk.records)
        return
    conn = await session.connection()
    for batch in chunks(bulk.records, INSERT_BATCH * 5):
        await conn.exec_driver_sql(bulk.sql, list(batch))


@functools.lru_cache(maxsize=64)
def _compiled_insert(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    """The INSERT statement's SQL and its parameters' order, compiled once per table and columns
    (a server's import inserts a few rows into each table: compiling cost more than inserting)."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    return str(compiled), tuple(compiled.positiontup or ())


def _records(
    dialect: Dialect, table: Table, columns: list[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows as tuples of `columns`, each value converted by its column type's bind processor.

    Column by column, so plain values are copied at C speed and a processor runs once per
    distinct value where values repeat (e.g. the import's one timestamp in every row).
    """
    values: list[Iterable[Any]] = []
    for name in columns:
        column = list(map(itemgetter(name), rows))
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            column = _processed(process, column)
        values.append(column)
    return list(zip(*values, strict=True))


def _processed(process: Callable[[Any], Any], column: list[Any]) -> list[Any]:
    """`process` applied to every value, once per distinct value when most values repeat."""
    try:
        distinct = set(column)
    except TypeError:  # unhashable values (JSON lists and mappings)
        return list(map(process, column))
    if len(distinct) * 2 > len(column) or len(set(map(type, distinct))) > 1:  # (1 == True, …)
        return list(map(process, column))
    done = {value: process(value) for value in distinct}
    return list(map(done.__getitem__, column))


@asynccontextmanager
async def foreign_keys_checked_after(session: AsyncSession, tables: Sequence[Table]) -> AsyncIterator[None]:
    """PostgreSQL: the foreign keys of `tables` dropped for the block, then added back as they were.

    Adding a foreign key checks every row in one join, where a kept one runs a trigger query per
    inserted row (for ~370,000 link rows: 1.8 s instead of 4.4 s). The DDL is part of the
    transaction: if the block raises, the transaction must roll back (which restores the keys).
    Until it ends, `tables` and the tables they reference are locked against other sessions'
    reads, so only for a first load into tables that are empty. Elsewhere: does nothing.
    """
    conn = await session.connection()
    if conn.dialect.name != "postgresql" or not tables:
        yield
        return
    keys = (
        await session.execute(
            text(
                "SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS definition "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN :names "
                "ORDER BY tbl, conname"
            ).bindparams(bindparam("names", expanding=True)),
            {"names": [t.name for t in tables]},
        )
    ).all()
    quote = conn.dialect.identifier_preparer.quote
    for key in keys:
        await conn.exec_driver_sql(f"ALTER TABLE {quote(key.tbl)} DROP CONSTRAINT {quote(key.conname)}")
    yield
    for key in keys:
        await conn.exec_driver_sql(
            f"ALTER TABLE {quote(key.tbl)} ADD CONSTRAINT {quote(key.conname)} {key.definition}"
        )
