"""Every revision upgrades a database with data in it and loses nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.migrations import revision_chain
from bot.db.schema import schema_status, upgrade
from tests.db.conftest import NewerCode
from tests.db.rows import ROWS_PER_TABLE, fill, missing_rows, search_finds_docs, snapshot

CHAIN = revision_chain()
PAIRS: list[tuple[str | None, str]] = list(zip([None, *CHAIN[:-1]], CHAIN, strict=True))


@pytest.mark.parametrize(("earlier", "later"), PAIRS, ids=[f"{e or 'base'}-{la}" for e, la in PAIRS])
async def test_upgrade_keeps_every_row(engine: AsyncEngine, earlier: str | None, later: str) -> None:
    """Rows in every table at the earlier revision are all there, unchanged, at the later one."""
    if earlier is not None:
        await upgrade(engine, earlier)
    before = await fill(engine)
    assert all(len(rows) == ROWS_PER_TABLE for rows in before.values())
    await upgrade(engine, later)
    assert (await schema_status(engine)).current == later
    assert missing_rows(before, await snapshot(engine)) == []
    if earlier is not None:
        assert await search_finds_docs(engine)


async def test_table_rebuild_keeps_parent_and_child_rows(engine: AsyncEngine, newer_code: NewerCode) -> None:
    """A revision that rebuilds a referenced table (SQLite batch copy-and-move) keeps every row."""
    await upgrade(engine, newer_code.shipped_head)
    before = await fill(engine)
    await upgrade(engine)
    assert (await schema_status(engine)).current == newer_code.head
    assert missing_rows(before, await snapshot(engine)) == []
    assert await search_finds_docs(engine)
