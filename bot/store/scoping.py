"""Which scope an answer really depends on, so servers without their own entries share cached answers.

A server sees the global entries plus its own. Most servers have no entries of their own on
most actors and topics, and then their answer is exactly the global one: keying the cache by
the *effective* scope (the server where its own entries matter, else global) lets 500 servers
asking about the same topic share one cached answer instead of computing 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

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
        live_positions = (PositionRow.guild_id == guild_id, PositionRow.removed_at.is_(None))
        pairs = conn.execute(select(PositionRow.actor_id, PositionRow.topic_id).where(*live_positions)).all()
        live_events = (EventRow.guild_id == guild_id, EventRow.removed_at.is_(None))
        ev_topics = (
            conn.scalars(
                select(EventTopicRow.topic_id)
                .join(
                    EventRow,
                    (EventRow.id == EventTopicRow.event_id) & (EventRow.guild_id == EventTopicRow.guild_id),
                )
                .where(*live_events)
            )
        ).all()
        ev_actors = (
            conn.scalars(
                select(EventActorRow.actor_id)
                .join(
                    EventRow,
                    (EventRow.id == EventActorRow.event_id) & (EventRow.guild_id == EventActorRow.guild_id),
                )
                .where(*live_events)
            )
        ).all()
        own_names = conn.scalar(
            select(ActorRow.id)
            .where(ActorRow.guild_id == guild_id)
            .union_all(select(TopicRow.id).where(TopicRow.guild_id == guild_id))
            .limit(1)
        )
        return cls(
            any=bool(pairs or ev_topics or own_names is not None),
            position_actors=frozenset(a for a, _ in pairs),
            position_topics=frozenset(t for _, t in pairs),
            event_topics=frozenset(ev_topics),
            event_actors=frozenset(ev_actors),
        )
