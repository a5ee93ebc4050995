"""Whether the database answers: the health endpoint's database half."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

DB_CHECK_TIMEOUT = 2.0


async def database_reachable(engine: AsyncEngine) -> bool:
    """Whether a trivial query answers within DB_CHECK_TIMEOUT seconds."""
    try:
        async with asyncio.timeout(DB_CHECK_TIMEOUT), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not reachable
        log.warning("health check: database unreachable", exc_info=True)
        return False
