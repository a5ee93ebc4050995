"""Creating the schema: the ORM tables plus the dialect's full-text index."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Base
from bot.db.search import backend_for

_SCHEMA_LOCK_KEY = 0x42_52_49_45  # an arbitrary constant: one advisory lock for schema work


async def ensure_schema(engine: AsyncEngine) -> None:
    """Create missing tables and the search index; safe to run from several processes at once."""
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
        await conn.run_sync(Base.metadata.create_all)
        await backend_for(engine.dialect.name).create(conn)
