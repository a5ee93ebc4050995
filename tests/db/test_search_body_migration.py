"""Migration 0013: search bodies put a line between their parts; going back joins them with spaces."""

from __future__ import annotations

import dataclasses

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.dataset.records import Dataset
from bot.db.migrations import alembic_config
from bot.db.schema import upgrade
from bot.db.search import SEARCH_TABLE
from bot.store import Store
from tests.store.conftest import small_dataset

POINTS = ("Observers could be discussed", "No flag makes a difference")
SUMMARY = "Contingents under any flag would be parties to the conflict; unarmed observers could be discussed."


def _with_key_points() -> Dataset:
    ds = small_dataset()
    positions = tuple(
        dataclasses.replace(p, key_points=POINTS) if p.id == "pos-ru-pk-2" else p for p in ds.positions
    )
    return dataclasses.replace(ds, positions=positions)


async def _bodies(engine: AsyncEngine) -> dict[str, str]:
    async with engine.connect() as conn:
        rows = await conn.execute(text(f"SELECT entry_id, body FROM {SEARCH_TABLE}"))  # noqa: S608
        return {r.entry_id: r.body for r in rows}


def _down(conn: Connection) -> None:
    command.downgrade(alembic_config(conn), "0012")


async def test_bodies_gain_part_breaks_and_lose_them_going_back(engine: AsyncEngine) -> None:
    """Down to 0012 the parts are joined by spaces as that code wrote them; up again, by lines as
    the store writes them; a document of no live entry is never touched; search answers throughout."""
    await upgrade(engine)
    store = Store(engine, cache_ttl=0)
    assert (await store.writes.import_dataset(_with_key_points())).ok
    async with engine.begin() as conn:
        await conn.execute(
            text(
                f"INSERT INTO {SEARCH_TABLE} (entry_id, guild_id, kind, title, body, names) "  # noqa: S608
                "VALUES ('doc-orphan', 0, 'event', 'Orphan', 'kept\nas it was', '')"
            )
        )
    written = await _bodies(engine)
    assert written["pos-ru-pk-2"] == "\n".join([SUMMARY, *POINTS])

    async with engine.begin() as conn:
        await conn.run_sync(_down)
    old = await _bodies(engine)
    assert old["pos-ru-pk-2"] == " ".join([SUMMARY, *POINTS])
    assert old["pos-us-nato"] == (
        "Membership is not a realistic outcome of a settlement. "
        "The month is right; the seed article's March date is wrong."
    )
    assert old["doc-orphan"] == "kept\nas it was"
    old_store = Store(engine, cache_ttl=0)  # a bot starts after its migrations: a store of its own
    assert [h.entry_id for h in (await old_store.reads.search(None, "flag difference")).hits] == [
        "pos-ru-pk-2"
    ]

    await upgrade(engine)
    assert await _bodies(engine) == written
    hits = (await Store(engine, cache_ttl=0).reads.search(None, "flag difference")).hits
    assert [h.entry_id for h in hits] == ["pos-ru-pk-2"]
    assert "\n" in hits[0].snippet  # the renderer shows it as " · "
