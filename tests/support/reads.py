"""Read helpers for tests, built on the store's public read API."""

from __future__ import annotations

from bot.domain import Actor, Position, Topic
from bot.store.reads import Reads


async def current_positions(
    reads: Reads, guild_id: int | None, actor: str, topic: str | None = None
) -> tuple[Actor, Topic | None, list[Position]]:
    """The actor's current position on each topic (or on one), ordered by topic title: every page
    of `Reads.position_page` at once."""
    actor_obj, topic_obj, page = await reads.position_page(guild_id, actor, topic, 0, None)
    return actor_obj, topic_obj, list(page.items)
