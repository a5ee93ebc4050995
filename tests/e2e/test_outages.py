"""A blocked or unreachable database (issue 11.2, 11.11): writes defer in time, say "not saved"
with the cause, and nothing commits afterwards; reads name the cause too.

SQLite: another connection holds BEGIN EXCLUSIVE on the bot's file. PostgreSQL: the bot talks
through a loopback proxy that we freeze — a silent network cut — never the shared server itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import text

from bot.db.engine import create_engine
from tests.discord_sim import DiscordSimulator
from tests.discord_sim.bot_process import BotLauncher, BotProcess
from tests.e2e.helpers import answer, embed_text
from tests.support.loopback_proxy import LoopbackProxy

TIMEOUT = "1"  # DATABASE_TIMEOUT_SECONDS for these bots: outages show quickly
EVENT = {
    "topic": "peacekeepers",
    "date": "2025-09-09",
    "title": "Written during the outage",
    "summary": "Must not be stored.",
    "source_url": "https://example.org/outage",
}


class Outage:
    """A bot on this test's database, and a way to block that database."""

    def __init__(self, bot_factory: BotLauncher, bot_database: str | None, tmp_path: Path) -> None:
        self.kind = "postgres" if bot_database else "sqlite"
        self.proxy: LoopbackProxy | None = None
        env = {"DATABASE_TIMEOUT_SECONDS": TIMEOUT}
        if bot_database:
            parts = urlsplit(bot_database)
            self.proxy = LoopbackProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
            netloc = (
                f"{parts.username}@127.0.0.1:{self.proxy.port}"
                if parts.username
                else f"127.0.0.1:{self.proxy.port}"
            )
            env["DATABASE_URL"] = urlunsplit(parts._replace(netloc=netloc))
            self.direct_url = bot_database
        else:
            self.db_file = tmp_path / "outage.db"
            env["DATABASE_URL"] = f"sqlite+aiosqlite:///{self.db_file}"
            self.direct_url = env["DATABASE_URL"]
        self.env = env
        self.factory = bot_factory

    async def start(self) -> BotProcess:
        return await self.factory.astart(extra_env=self.env)

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """SQLite: an exclusive lock held by another connection. PostgreSQL: the network frozen."""
        if self.proxy is not None:
            with self.proxy.frozen_network():
                yield
            return
        holder = sqlite3.connect(self.db_file, isolation_level=None, timeout=5)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()

    @property
    def cause(self) -> str:
        return "busy" if self.kind == "sqlite" else "unreachable"

    async def count_events(self, title: str) -> int:
        engine = create_engine(self.direct_url)
        try:
            async with engine.connect() as conn:
                return int(
                    await conn.scalar(text("SELECT count(*) FROM events WHERE title = :t"), {"t": title}) or 0
                )
        finally:
            await engine.dispose()

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()


async def _outage(bot_factory: BotLauncher, bot_database: str | None, tmp_path: Path) -> Outage:
    outage = Outage(bot_factory, bot_database, tmp_path)
    await outage.start()
    return outage


async def test_blocked_write_defers_then_says_not_saved(
    sim: DiscordSimulator, bot_factory: BotLauncher, bot_database: str | None, tmp_path: Path
) -> None:
    """/admin event-add while the database is blocked: deferred within 3 s, "Not saved — the
    database is busy/unreachable, try again", and no event appears once the database is back."""
    outage = await _outage(bot_factory, bot_database, tmp_path)
    try:
        with outage.blocked():
            handle = await sim.invoke_command(
                "alpha", "admin", "admin event-add", EVENT, ignore_default_permissions=True
            )
            response = await handle.response()
            assert response.deferred and response.ephemeral
            assert response.elapsed < 3.0
            said = await handle.original(timeout=20)
            assert said.ephemeral
            assert f"Not saved — the database is {outage.cause}, try again." in embed_text(said)
        await asyncio.sleep(1.5)  # whatever was in flight has had time to land
        assert await outage.count_events(EVENT["title"]) == 0
        # And once the database answers again, the same command saves.
        again = await answer(
            await sim.invoke_command(
                "alpha", "admin", "admin event-add", EVENT, ignore_default_permissions=True
            )
        )
        assert "Recorded event" in embed_text(again)
        assert await outage.count_events(EVENT["title"]) == 1
    finally:
        outage.close()


async def test_blocked_edit_form_save_says_not_saved(
    sim: DiscordSimulator, bot_factory: BotLauncher, bot_database: str | None, tmp_path: Path
) -> None:
    """A modal saved while the database is blocked: deferred, "Not saved — …", the text unchanged."""
    outage = await _outage(bot_factory, bot_database, tmp_path)
    try:
        added = embed_text(
            await answer(
                await sim.invoke_command(
                    "alpha",
                    "admin",
                    "admin event-add",
                    EVENT | {"title": "Edit me"},
                    ignore_default_permissions=True,
                )
            )
        )
        event_id = added.split("`")[1]
        opened = await sim.invoke_command(
            "alpha", "admin", "admin entry-edit", {"id": event_id}, ignore_default_permissions=True
        )
        await opened.modal()
        with outage.blocked():
            submitted = await sim.submit_modal(opened, None, {"summary": "Edited during the outage."})
            response = await submitted.response()
            assert response.deferred and response.elapsed < 3.0
            said = await submitted.original(timeout=20)
            assert f"Not saved — the database is {outage.cause}, try again." in embed_text(said)
        await asyncio.sleep(1.5)
        shown = await answer(await sim.invoke_command("alpha", "member", "entry", {"id": event_id}))
        assert "Edited during the outage." not in embed_text(shown)
    finally:
        outage.close()


async def test_unreachable_database_named_for_reads(
    sim: DiscordSimulator, bot_factory: BotLauncher, bot_database: str | None, tmp_path: Path
) -> None:
    """A question while PostgreSQL is cut off names the cause instead of a generic apology."""
    if not bot_database:
        pytest.skip("SQLite readers are not blocked by a writer's lock (WAL); writes name 'busy' above")
    outage = await _outage(bot_factory, bot_database, tmp_path)
    try:
        with outage.blocked():
            handle = await sim.invoke_command("alpha", "member", "search", {"query": "never cached term"})
            response = await handle.response()
            assert response.elapsed < 3.0
            said = await answer(handle)  # public "thinking…" after 2 s, so the reply is public too
            assert "Could not answer — the database is unreachable" in embed_text(said)
            assert "something went wrong" not in embed_text(said)
    finally:
        outage.close()
