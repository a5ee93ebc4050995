"""Opening the store at start: the engine, the schema check (used by `run`, `preview`, `import`, `export`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.engine import create_engine
from bot.db.schema import SchemaError, schema_status, upgrade
from bot.store import Store


async def open_store(settings: Settings, *, bulk: bool = False) -> Store:
    """The engine and store for these settings, with the schema at head (see prepare_schema).

    `bulk`: for the CLI's import and export, whose statements may run long (bot.db.engine.create_engine).
    """
    engine = create_engine(settings.database_url, timeout=settings.database_timeout_seconds, bulk=bulk)
    try:
        await prepare_schema(engine, auto_migrate=settings.auto_migrate)
    except BaseException:
        await engine.dispose()
        raise
    return Store(engine, cache_ttl=settings.cache_ttl_seconds)


async def prepare_schema(engine: AsyncEngine, *, auto_migrate: bool) -> None:
    """Migrate an empty database (any database with `auto_migrate`); refuse one behind or ahead.

    Raises SchemaError with the one line to show.
    """
    status = await schema_status(engine)
    if status.up_to_date:
        return
    problem = status.problem()
    if problem:
        raise SchemaError(problem)
    if status.behind and not auto_migrate:
        raise SchemaError(
            f"the database schema is at {status.at}, this version needs {status.head}: "
            "run `python -m bot migrate` (or set AUTO_MIGRATE=1)"
        )
    # Empty, AUTO_MIGRATE=1, or pre-migration tables that only need their revision recorded.
    await upgrade(engine)
