"""Alembic's entry point.

Called by bot.db.schema with a connection (already in a transaction holding the schema lock),
or by the `alembic` command line of a developer, which migrates DATABASE_URL (or `-x url=...`)
under the same lock.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection, make_url

from bot.config import DEFAULT_DATABASE_URL
from bot.db.engine import create_engine
from bot.db.migrations import include_object_for
from bot.db.migrations.lock import run_locked
from bot.db.models import Base

config = context.config


def _options(dialect: str) -> dict[str, object]:
    return {
        "target_metadata": Base.metadata,
        "include_object": include_object_for(dialect),
        # SQLite cannot ALTER most things: autogenerate copy-and-move batch operations instead.
        "render_as_batch": dialect == "sqlite",
        "compare_type": True,
    }


def run_on(connection: Connection) -> None:
    """Migrate on `connection`."""
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def _cli_url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or (
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )


async def _run_from_cli(url: str) -> None:
    engine = create_engine(url)
    try:
        await run_locked(engine, run_on)
    finally:
        await engine.dispose()


def _main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = _cli_url()
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **_options(make_url(url).get_backend_name()))
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(_run_from_cli(url))


_main()
