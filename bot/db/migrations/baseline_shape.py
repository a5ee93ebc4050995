"""Recognising a database made by `create_all` before migrations existed.

The expected shape is not written down twice: it is what the baseline revision itself creates,
run once on a scratch in-memory SQLite database. Table and column names are compared, which
is what differs if a database is not the store or is from an unknown, hand-altered schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Connection

from bot.db.migrations import BASELINE, is_search_table, script_directory
from bot.db.search import SEARCH_TABLE


def _shape(conn: Connection) -> dict[str, frozenset[str]]:
    insp = inspect(conn)
    return {
        name: frozenset(c["name"] for c in insp.get_columns(name))
        for name in insp.get_table_names()
        if not is_search_table(name)
    }


@cache
def baseline_shape() -> dict[str, frozenset[str]]:
    """Table name → column names of the baseline revision (the search index aside)."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            with Operations.context(MigrationContext.configure(conn)):
                script_directory().get_revision(BASELINE).module.upgrade()
            return _shape(conn)
    finally:
        engine.dispose()


def baseline_mismatches(conn: Connection, later_tables: Iterable[str] = ()) -> list[str]:
    """How the tables on `conn` differ from the baseline's; empty if they are the baseline.

    `later_tables` are tables of later revisions: present here, they mean "not the baseline".
    """
    found = _shape(conn)
    problems = [
        f"table {t} is not in the baseline"
        for t in sorted(set(later_tables) - set(baseline_shape()))
        if t in found
    ]
    for table, columns in sorted(baseline_shape().items()):
        if table not in found:
            problems.append(f"no table {table}")
        elif found[table] != columns:
            missing = ", ".join(sorted(columns - found[table]))
            extra = ", ".join(sorted(found[table] - columns))
            detail = [
                f"no column {missing}" if missing else "",
                f"unexpected column {extra}" if extra else "",
            ]
            problems.append(f"table {table}: " + ", ".join(d for d in detail if d))
    if not inspect(conn).has_table(SEARCH_TABLE):
        problems.append(f"no table {SEARCH_TABLE}")
    return problems
