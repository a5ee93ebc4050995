"""Store facts (`meta`): written by processes that may start at the same moment."""

from __future__ import annotations

import asyncio

from bot.store import Store


async def test_processes_starting_together_both_record_the_same_fact(store: Store) -> None:
    """Two shards syncing commands at once both write `command_hash:…`; neither write fails."""
    results = await asyncio.gather(
        *(store.set_meta("command_hash:global", f"hash-{n}") for n in range(8)), return_exceptions=True
    )
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert await store.get_meta("command_hash:global") in {f"hash-{n}" for n in range(8)}


async def test_a_fact_written_again_takes_the_new_value(store: Store) -> None:
    await store.set_meta("command_hash:global", "old")
    await store.set_meta("command_hash:global", "new")
    assert await store.get_meta("command_hash:global") == "new"
