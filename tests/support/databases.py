"""Real databases for tests: a SQLite file, or a fresh schema on the PostgreSQL server.

PostgreSQL comes from TEST_POSTGRES_URL (default: the local server, user postgres, database
test). Without a reachable server those tests skip with the reason, except under CI=true,
where they fail: CI must prove the PostgreSQL path.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.db.engine import create_engine

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_PG_URL)


_pg_checked: str | None = None


async def _pg_unavailable_reason() -> str:
    global _pg_checked
    if _pg_checked is None:
        engine = create_async_engine(postgres_url())
        try:
            async with asyncio.timeout(5), engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            _pg_checked = ""
        except Exception as exc:  # any failure to connect means: no PostgreSQL here
            _pg_checked = f"PostgreSQL at {postgres_url()} is not reachable ({type(exc).__name__}: {exc})"
        finally:
            await engine.dispose()
    return _pg_checked


async def require_postgres() -> None:
    """Skip (fail under CI=true) when the PostgreSQL server cannot be reached."""
    reason = await _pg_unavailable_reason()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(reason)


@asynccontextmanager
async def postgres_database_url() -> AsyncIterator[str]:
    """The URL of a brand-new PostgreSQL database on the test server, dropped afterwards."""
    await require_postgres()
    name = f"briefing_t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        base, _, _db = postgres_url().rpartition("/")
        yield f"{base}/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def database_url(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of `kind` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    else:
        async with postgres_database_url() as url:
            yield url


def engine_for(url: str) -> AsyncEngine:
    return create_engine(url)


async def _create_database() -> str:
    name = f"briefing_t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return name


async def _drop_database(name: str) -> None:
    admin = create_async_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@contextmanager
def postgres_database_sync() -> Iterator[str]:
    """A fresh PostgreSQL database for synchronous (e.g. module-scoped) fixtures, dropped afterwards."""
    name = asyncio.run(_create_database())
    try:
        base, _, _db = postgres_url().rpartition("/")
        yield f"{base}/{name}"
    finally:
        asyncio.run(_drop_database(name))


def require_postgres_sync() -> None:
    """`require_postgres` for synchronous fixtures (skip, or fail under CI=true)."""
    global _pg_checked
    _pg_checked = None  # each event loop needs its own check
    asyncio.run(require_postgres())
