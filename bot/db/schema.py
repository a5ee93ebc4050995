"""The store's schema: Alembic migrations to this version's head, run once even when processes race."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrations import BASELINE, alembic_config, declared_head, head_revision, is_known
from bot.db.migrations.lock import run_locked
from bot.db.models import Base
from bot.db.search import SEARCH_TABLE

log = logging.getLogger(__name__)

VERSION_TABLE = "alembic_version"


class SchemaError(Exception):
    """The database's schema cannot be used or migrated by this version; the message says why."""


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a database's schema stands against this version's migrations."""

    current: str | None  # the revision recorded in the database, None if none is
    head: str  # the revision this version needs
    empty: bool  # no table of the store at all: a first start
    mismatches: tuple[str, ...] = ()  # why unversioned tables are not the baseline schema

    @property
    def up_to_date(self) -> bool:
        """The database is at this version's head."""
        return self.current == self.head

    @property
    def legacy(self) -> bool:
        """Tables made before migrations existed (create_all), matching the baseline; no revision."""
        return self.current is None and not self.empty and not self.mismatches

    @property
    def effective(self) -> str | None:
        """The revision the schema is at: legacy tables count as the baseline."""
        return self.current or (BASELINE if self.legacy else None)

    @property
    def ahead(self) -> bool:
        """The recorded revision is unknown here: a newer version migrated this database."""
        return self.current is not None and not is_known(self.current)

    @property
    def behind(self) -> bool:
        """Migrations would change the schema (an empty database is not behind, it is new)."""
        return not self.empty and not self.ahead and not self.mismatches and self.effective != self.head

    @property
    def at(self) -> str:
        """The revision for messages."""
        if self.current is not None:
            return self.current
        if self.empty:
            return "empty"
        return f"{BASELINE} (tables from before migrations)" if self.legacy else "unversioned"

    def problem(self) -> str | None:
        """One line on why `upgrade` cannot move this database to head, or None if it can."""
        if self.ahead:
            return (
                f"the database schema is at {self.current}, which this version does not know "
                f"(it needs {self.head}): a newer version of the bot migrated it; run that version"
            )
        if self.mismatches:
            return (
                "the database has tables but no migration history, and they are not the baseline "
                f"schema ({'; '.join(self.mismatches)}): point DATABASE_URL at the store or an empty database"
            )
        return None


async def schema_status(engine: AsyncEngine) -> SchemaStatus:
    """Read where the schema stands; changes nothing."""
    async with engine.connect() as conn:
        return await conn.run_sync(_status)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate to head (or `revision`) under the schema lock: one process migrates, others find it done."""
    await run_locked(engine, partial(_upgrade, target=revision))


async def ensure_schema(engine: AsyncEngine) -> None:
    """Upgrade to head (the name callers used before migrations)."""
    await upgrade(engine)


def _upgrade(conn: Connection, *, target: str) -> None:
    status = _status(conn)
    problem = status.problem()
    if problem:
        raise SchemaError(problem)
    goal = status.head if target == "head" else target
    if status.current == goal:
        return
    from alembic import command

    if status.legacy:
        log.info("recording tables made before migrations as the baseline %s", BASELINE)
        command.stamp(alembic_config(conn), BASELINE)
    log.info("migrating the database schema from %s to %s", status.at, goal)
    command.upgrade(alembic_config(conn), goal)


def _status(conn: Connection) -> SchemaStatus:
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        current = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()  # noqa: S608
        if current is not None:
            # An up-to-date store (every start but the first after an upgrade) is told apart
            # without importing Alembic, whose ~9 MB would stay resident while the bot serves.
            head = current if current == declared_head() else head_revision()
            return SchemaStatus(current=current, head=head, empty=False)
    from bot.db.migrations.baseline_shape import baseline_mismatches, baseline_shape

    head = head_revision()
    ours = set(Base.metadata.tables) | set(baseline_shape()) | {SEARCH_TABLE}
    if not tables & ours:
        return SchemaStatus(current=None, head=head, empty=True)
    mismatches = baseline_mismatches(conn, later_tables=Base.metadata.tables)
    return SchemaStatus(current=None, head=head, empty=False, mismatches=tuple(mismatches))
