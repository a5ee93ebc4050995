"""Benchmark databases: a SQLite file in the work directory, or a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class BenchDb:
    """One database the benchmark owns: `url` for the bot, `path` for SQLite."""

    kind: str  # "sqlite" | "postgres"
    url: str
    name: str
    path: Path | None = None


def sqlite_db(work: Path, name: str) -> BenchDb:
    """A SQLite file `work/name.sqlite3` (removed first if it exists)."""
    path = work / f"{name}.sqlite3"
    remove_sqlite(path)
    return BenchDb("sqlite", f"sqlite+aiosqlite:///{path}", name, path)


def remove_sqlite(path: Path) -> None:
    """Delete a SQLite file and its WAL/SHM companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_sqlite(src: BenchDb, work: Path, name: str) -> BenchDb:
    """A copy of a SQLite benchmark database (checkpointed files only)."""
    assert src.path is not None
    dst = sqlite_db(work, name)
    assert dst.path is not None
    for suffix in ("", "-wal"):
        if Path(f"{src.path}{suffix}").exists():
            shutil.copyfile(f"{src.path}{suffix}", f"{dst.path}{suffix}")
    return dst


def _pg_url(name: str) -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def create_postgres(name: str, settings: dict[str, str] | None = None) -> BenchDb:
    """A fresh PostgreSQL database `name` (dropped first if it exists), with per-database `settings`."""
    await drop_postgres(name)
    engine = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
            for key, value in (settings or {}).items():
                await conn.execute(text(f'ALTER DATABASE "{name}" SET {key} = {value}'))
    finally:
        await engine.dispose()
    return BenchDb("postgres", _pg_url(name), name)


async def drop_postgres(name: str) -> None:
    """Drop the PostgreSQL database `name` if it exists (disconnecting its sessions)."""
    engine = create_async_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


async def postgres_version() -> str:
    """The server's version string (empty if unreachable)."""
    engine = create_async_engine(POSTGRES_ADMIN_URL)
    try:
        async with engine.connect() as conn:
            return str(await conn.scalar(text("SHOW server_version")))
    except Exception:  # reported as "unavailable"
        return ""
    finally:
        await engine.dispose()
