"""Which scope an answer really depends on, so servers without their own entries share cached answers.

A server sees the global entries plus its own. Most servers have no entries of their own on
most actors and topics, and then their answer is exactly the global one: keying the cache by
the *effective* scope (the server where its own entries matter, else global) lets 500 servers
asking about the same topic share one cached answer instead of computing 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import BindParameter, CompoundSelect, Connection, Select, bindparam, select

from bot.db.models import ActorRow, EventActorRow, EventRow, EventTopicRow, PositionRow, TopicRow


@dataclass(frozen=True, slots=True)
class LocalKeys:
    """What one server's own entries touch (ids of actors and topics)."""

    any: bool
    position_actors: frozenset[int]
    position_topics: frozenset[int]
    event_topics: frozenset[int]
    event_actors: frozenset[int]

    @classmethod
    def load(cls, conn: Connection, guild_id: int) -> LocalKeys:
        """Read them with a few indexed queries on the server's own rows (run in one hop: OneHop)."""
        pairs_stmt, ev_topics_stmt, ev_actors_stmt, names_stmt = _statements()
        guild = {"guild": guild_id}
        pairs = conn.execute(pairs_stmt, guild).all()
        ev_topics = conn.scalars(ev_topics_stmt, guild).all()
        ev_actors = conn.scalars(ev_actors_stmt, guild).all()
        own_names = conn.scalar(names_stmt, guild)
        return cls(
            any=bool(pairs or ev_topics or own_names is not None),
            position_actors=frozenset(a for a, _ in pairs),
            position_topics=frozenset(t for _, t in pairs),
            event_topics=frozenset(ev_topics),
            event_actors=frozenset(ev_actors),
        )


@cache
def _statements() -> tuple[Select[int, int], Select[int], Select[int], CompoundSelect[int]]:
    """LocalKeys' statements, built once (bound parameter `guild`)."""
    guild: BindParameter[int] = bindparam("guild")
    live_positions = (PositionRow.guild_id == guild, PositionRow.removed_at.is_(None))
    live_events = (EventRow.guild_id == guild, EventRow.removed_at.is_(None))
    event_of_topic = (EventRow.id == EventTopicRow.event_id) & (EventRow.guild_id == EventTopicRow.guild_id)
    event_of_actor = (EventRow.id == EventActorRow.event_id) & (EventRow.guild_id == EventActorRow.guild_id)
    return (
        select(PositionRow.actor_id, PositionRow.topic_id).where(*live_positions),
        select(EventTopicRow.topic_id).join(EventRow, event_of_topic).where(*live_events),
        select(EventActorRow.actor_id).join(EventRow, event_of_actor).where(*live_events),
        select(ActorRow.id)
        .where(ActorRow.guild_id == guild)
        .union_all(select(TopicRow.id).where(TopicRow.guild_id == guild))
        .limit(1),
    )
