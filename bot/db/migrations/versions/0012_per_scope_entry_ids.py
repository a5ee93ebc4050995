"""per-scope entry ids: positions, events, their links and the search index keyed by (id, guild_id)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

An id was unique across every server, so a server writing an id that another server held was
refused where an id nobody held was created: a server could probe which ids other servers use.
Now each server has its own namespace: positions and events are keyed by (id, guild_id), event
links carry the event's scope in their key (event_actors gains `guild_id`) and reference the
event by both columns, and a search document is keyed by (entry_id, guild_id) on PostgreSQL
(SQLite's FTS5 index has no key; its deletes name the scope). Every row is kept as it was.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import SAWarning

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

ENTRIES = ("positions", "events")
LINKS = {"event_actors": "actor_id", "event_topics": "topic_id"}
SEARCH_TABLE = "entry_search"  # as in bot.db.search (not imported: a migration is frozen)
# Names for SQLite's unnamed foreign keys in batch mode (`fk_<table>_<column>_<referred table>`).
_EVENT_ID_INDEX = "uq_events_id"  # SQLite, after a downgrade only
_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def upgrade() -> None:
    """Give event_actors its event's scope, then move every key to (id, guild_id)."""
    with op.batch_alter_table("event_actors") as batch:
        batch.add_column(sa.Column("guild_id", sa.BigInteger(), nullable=True))
    # A correlated subquery rather than UPDATE … FROM: SQLite has that only from 3.33.
    op.execute(
        "UPDATE event_actors SET guild_id = (SELECT e.guild_id FROM events e WHERE e.id = event_actors.event_id)"
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgres_upgrade()


def _sqlite_upgrade() -> None:
    # Batch mode rebuilds each table (copy, drop, rename) with foreign keys off (see
    # bot.db.migrations.lock); the migration's foreign_key_check then checks the new keys.
    op.execute(f"DROP INDEX IF EXISTS {_EVENT_ID_INDEX}")  # left by a downgrade
    with _new_key_columns():
        for table in ENTRIES:
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.create_primary_key(f"pk_{table}", ["id", "guild_id"])
        for table, other in LINKS.items():
            with op.batch_alter_table(table, recreate="always", naming_convention=_NAMING) as batch:
                if table == "event_actors":
                    batch.alter_column("guild_id", existing_type=sa.BigInteger(), nullable=False)
                batch.drop_constraint(f"fk_{table}_event_id_events", type_="foreignkey")
                batch.create_primary_key(f"pk_{table}", ["event_id", other, "guild_id"])
                batch.create_foreign_key(
                    f"fk_{table}_event",
                    "events",
                    ["event_id", "guild_id"],
                    ["id", "guild_id"],
                    ondelete="CASCADE",
                )


@contextmanager
def _new_key_columns() -> Iterator[None]:
    """Batch mode copies the old key's `primary_key=True` columns; SQLAlchemy warns that the new
    key differs from them, and takes the new one, which is what is meant here."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r".*specifies columns .* as primary_key=True", category=SAWarning
        )
        yield


def _postgres_upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in LINKS:
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] == "events":
                op.drop_constraint(fk["name"], table, type_="foreignkey")
    op.alter_column("event_actors", "guild_id", existing_type=sa.BigInteger(), nullable=False)
    for table in ENTRIES:
        op.drop_constraint(inspector.get_pk_constraint(table)["name"], table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, ["id", "guild_id"])
    for table, other in LINKS.items():
        op.drop_constraint(inspector.get_pk_constraint(table)["name"], table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, ["event_id", other, "guild_id"])
        op.create_foreign_key(
            f"fk_{table}_event",
            table,
            "events",
            ["event_id", "guild_id"],
            ["id", "guild_id"],
            ondelete="CASCADE",
        )
    if inspector.has_table(SEARCH_TABLE):
        op.drop_constraint(inspector.get_pk_constraint(SEARCH_TABLE)["name"], SEARCH_TABLE, type_="primary")
        op.create_primary_key(f"{SEARCH_TABLE}_pkey", SEARCH_TABLE, ["entry_id", "guild_id"])


def downgrade() -> None:
    """Back to ids unique across scopes; refused while two scopes hold the same id."""
    conn = op.get_bind()
    for table in ENTRIES:
        shared = conn.execute(
            sa.text(f"SELECT id FROM {table} GROUP BY id HAVING count(*) > 1 LIMIT 5")  # noqa: S608
        ).scalars()
        if ids := list(shared):
            raise RuntimeError(f"cannot downgrade: several scopes hold the {table} ids {ids}")
    if conn.dialect.name == "sqlite":
        # A downgrade may run with foreign keys on (e.g. from a test's transaction), where
        # rebuilding `events` would cascade its drop to the links: it keeps its (id, guild_id)
        # key and gains a unique index on id, which the links' old foreign key can refer to.
        op.create_index(_EVENT_ID_INDEX, "events", ["id"], unique=True)
        with _new_key_columns():
            for table, other in LINKS.items():
                with op.batch_alter_table(table, recreate="always") as batch:
                    batch.drop_constraint(f"fk_{table}_event", type_="foreignkey")
                    batch.create_primary_key(f"pk_{table}", ["event_id", other])
                    if table == "event_actors":
                        batch.drop_column("guild_id")
                    batch.create_foreign_key(
                        f"fk_{table}_event_id_events", "events", ["event_id"], ["id"], ondelete="CASCADE"
                    )
            with op.batch_alter_table("positions", recreate="always") as batch:
                batch.create_primary_key("pk_positions", ["id"])
        return
    inspector = sa.inspect(conn)
    for table, other in LINKS.items():
        op.drop_constraint(f"fk_{table}_event", table, type_="foreignkey")
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, ["event_id", other])
    op.drop_column("event_actors", "guild_id")
    for table in ENTRIES:
        op.drop_constraint(f"{table}_pkey", table, type_="primary")
        op.create_primary_key(f"{table}_pkey", table, ["id"])
    for table in LINKS:
        op.create_foreign_key(
            f"{table}_event_id_fkey", table, "events", ["event_id"], ["id"], ondelete="CASCADE"
        )
    if inspector.has_table(SEARCH_TABLE):
        op.drop_constraint(f"{SEARCH_TABLE}_pkey", SEARCH_TABLE, type_="primary")
        op.create_primary_key(f"{SEARCH_TABLE}_pkey", SEARCH_TABLE, ["entry_id"])
