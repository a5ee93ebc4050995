"""Which scope an answer really depends on, so servers without their own entries share cached answers.

A server sees the global entries plus its own. Most servers have no entries of their own on
most actors and topics, and then their answer is exactly the global one: keying the cache by
the *effective* scope (the server where its own entries matter, else global) lets 500 servers
asking about the same topic share one cached answer instead of computing 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Connection,
    Integer,
    bindparam,
    literal,
    select,
    union_all,
)

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
        """Read them in one statement of indexed lookups on the server's own rows (one round trip
        on PostgreSQL; run in one hop: OneHop)."""
        pairs: list[tuple[int, int]] = []
        found: dict[str, list[int]] = {_EVENT_TOPIC: [], _EVENT_ACTOR: [], _OWN_NAME: []}
        for part, first, second in conn.execute(_statement(), {"guild": guild_id}):
            if part == _POSITION:
                pairs.append((first, second))
            else:
                found[part].append(first)
        return cls(
            any=bool(pairs or found[_EVENT_TOPIC] or found[_OWN_NAME]),
            position_actors=frozenset(a for a, _ in pairs),
            position_topics=frozenset(t for _, t in pairs),
            event_topics=frozenset(found[_EVENT_TOPIC]),
            event_actors=frozenset(found[_EVENT_ACTOR]),
        )


# Which part of LocalKeys' statement a row comes from.
_POSITION, _EVENT_TOPIC, _EVENT_ACTOR, _OWN_NAME = "p", "t", "a", "n"


@cache
def _statement() -> CompoundSelect[str, int, int]:
    """LocalKeys' statement, built once (bound parameter `guild`): (part, id, topic id or 0) rows
    of the server's live positions, its events' topics and actors, and one of its own actors or
    topics if it has any."""
    guild: BindParameter[int] = bindparam("guild")
    live_positions = (PositionRow.guild_id == guild, PositionRow.removed_at.is_(None))
    live_events = (EventRow.guild_id == guild, EventRow.removed_at.is_(None))
    event_of_topic = (EventRow.id == EventTopicRow.event_id) & (EventRow.guild_id == EventTopicRow.guild_id)
    event_of_actor = (EventRow.id == EventActorRow.event_id) & (EventRow.guild_id == EventActorRow.guild_id)
    none = literal(0, Integer)
    own_names = (
        select(ActorRow.id.label("id"))
        .where(ActorRow.guild_id == guild)
        .union_all(select(TopicRow.id).where(TopicRow.guild_id == guild))
        .limit(1)
        .subquery("own_names")
    )
    return union_all(
        select(literal(_POSITION), PositionRow.actor_id, PositionRow.topic_id).where(*live_positions),
        select(literal(_EVENT_TOPIC), EventTopicRow.topic_id, none)
        .join(EventRow, event_of_topic)
        .where(*live_events),
        select(literal(_EVENT_ACTOR), EventActorRow.actor_id, none)
        .join(EventRow, event_of_actor)
        .where(*live_events),
        select(literal(_OWN_NAME), own_names.c.id, none),
    )
